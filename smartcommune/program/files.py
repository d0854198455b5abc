"""Uploaded documents (evidence, plan documents, training materials), checked by their content, not their name."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from smartcommune.core.images import clean_image

OFFICE_EXTENSIONS = {"docx", "xlsx", "pptx"}


def _sniff(upload) -> str | None:
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        upload.seek(0)
        if "[Content_Types].xml" in names:
            return "office"
        return None
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = "image" if image.format in ("JPEG", "PNG", "WEBP") else None
    except (UnidentifiedImageError, OSError, SyntaxError):
        kind = None
    upload.seek(0)
    return kind


def clean_document(upload, *, pdf_only: bool = False, office: bool = False):
    """A PDF (or an image, or with `office` a .docx/.xlsx/.pptx) of at most EVIDENCE_MAX_BYTES."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": settings.EVIDENCE_MAX_BYTES // 2**20}
        )
    kind = _sniff(upload)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if pdf_only:
        if kind != "pdf":
            raise ValidationError(_("The document must be a PDF file."))
    elif office:
        if kind not in ("pdf", "image") and not (kind == "office" and extension in OFFICE_EXTENSIONS):
            raise ValidationError(_("Materials must be PDF, images, or Word, Excel or PowerPoint files."))
    elif kind not in ("pdf", "image"):
        raise ValidationError(_("Evidence must be a PDF or an image (JPEG, PNG, WebP)."))
    if kind == "image":  # re-encoded: no GPS position or camera data from the phone reaches the file store
        return clean_image(upload, max_bytes=settings.EVIDENCE_MAX_BYTES, max_side=2400)
    return upload
