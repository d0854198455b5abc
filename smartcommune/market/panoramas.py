"""360° photos: an equirectangular JPEG (width = 2 × height) checked by its content, stripped of EXIF
(a camera's GPS position), at most 4096 px wide (what phones' WebGL can hold as one texture), with a
small flat preview so that a producer's page stays light until the visitor opens the view."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 25 * 2**20
MAX_WIDTH = 4096
MIN_WIDTH = 1024
PREVIEW_WIDTH = 640


@dataclass(frozen=True)
class Cleaned:
    image: ContentFile
    preview: ContentFile
    width: int
    height: int


def _jpeg(image: Image.Image, name: str, quality: int) -> ContentFile:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=name)


def clean_panorama(upload) -> Cleaned:
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The 360° photo is larger than %(limit)s MB.") % {"limit": MAX_BYTES // 2**20})
    try:
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        image = ImageOps.exif_transpose(Image.open(upload))
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a JPEG photo.")) from error
    if kind != "JPEG":
        raise ValidationError(_("A 360° photo must be a JPEG file."))
    width, height = image.size
    if abs(width - 2 * height) > max(2, width // 100):
        raise ValidationError(
            _(
                "A 360° photo is twice as wide as it is high (equirectangular, 2:1); this one is %(width)s × "
                "%(height)s pixels."
            )
            % {"width": width, "height": height}
        )
    if width < MIN_WIDTH:
        raise ValidationError(_("A 360° photo needs at least 1024 pixels of width to be viewed."))
    if width > MAX_WIDTH:
        image = image.resize((MAX_WIDTH, MAX_WIDTH // 2), Image.Resampling.LANCZOS)
    base = (getattr(upload, "name", "") or "360").rsplit(".", 1)[0][:60]
    preview = image.resize((PREVIEW_WIDTH, PREVIEW_WIDTH // 2), Image.Resampling.LANCZOS)
    return Cleaned(
        image=_jpeg(image, f"{base}.jpg", 85),
        preview=_jpeg(preview, f"{base}-preview.jpg", 70),
        width=image.size[0],
        height=image.size[1],
    )
