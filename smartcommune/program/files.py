"""Uploaded documents (evidence, plan documents, training materials), checked by their content, not their name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from smartcommune.core import images, uploads

OFFICE_EXTENSIONS = {"docx", "xlsx", "pptx"}


def _sniff(upload) -> str | None:
    if uploads.is_pdf(upload):
        return "pdf"
    members = uploads.zip_members(upload)
    if members:
        return "office" if "[Content_Types].xml" in members else None
    return "image" if uploads.image_format(upload) else None


def clean_document(upload, *, pdf_only: bool = False, office: bool = False):
    """A PDF (or an image, or with `office` a .docx/.xlsx/.pptx) of at most EVIDENCE_MAX_BYTES."""
    uploads.check_size(upload, settings.EVIDENCE_MAX_BYTES)
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
        return images.clean_image(upload, max_bytes=settings.EVIDENCE_MAX_BYTES, max_side=2400)
    return upload
