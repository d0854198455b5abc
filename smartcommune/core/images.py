"""Uploaded photos: checked by their content (not their name), size-limited, resized, EXIF stripped.

Stripping EXIF removes the camera's GPS position and device data before anything is stored."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
Image.MAX_IMAGE_PIXELS = 50_000_000  # refuse decompression bombs


def clean_image(upload, *, max_bytes: int = 10 * 2**20, max_side: int = 1600) -> ContentFile:
    """A JPEG/PNG/WebP upload as a new file: oriented, at most `max_side` pixels wide or high, no metadata."""
    if upload.size > max_bytes:
        raise ValidationError(_("The photo is larger than %(limit)s MB.") % {"limit": max_bytes // 2**20})
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        kind = image.format
        image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP).")) from error
    if kind not in ACCEPTED:
        raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP)."))
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if kind == "JPEG" or image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
        extension = "jpg"
    else:
        image.save(out, kind, optimize=True)
        extension = ACCEPTED[kind]
    name = (getattr(upload, "name", "") or "photo").rsplit(".", 1)[0][:80]
    return ContentFile(out.getvalue(), name=f"{name}.{extension}")
