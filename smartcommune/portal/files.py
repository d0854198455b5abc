"""Checks on uploaded files for attachments and documents: by content, not only by name."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from smartcommune.core import uploads
from smartcommune.core.text import slugify_vi

# Office formats are zip files holding a known member; PDF starts with its signature.
KINDS = {
    "pdf": ("application/pdf", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
    "odt": ("application/vnd.oasis.opendocument.text", "content.xml"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "content.xml"),
}


def max_bytes() -> int:
    return int(getattr(settings, "PORTAL_FILE_MAX_BYTES", 20 * 2**20))


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    name: str
    content_type: str
    size: int


def check_file(upload) -> CheckedFile:
    """A PDF, Word, Excel or OpenDocument file under the size limit, or a ValidationError saying why not."""
    if upload is None:
        raise ValidationError(_("Choose a file."))
    uploads.check_size(upload, max_bytes())
    original = (getattr(upload, "name", "") or "tep").rsplit("/", 1)[-1]
    stem, _dot, extension = original.rpartition(".")
    extension = extension.lower()
    if extension not in KINDS:
        raise ValidationError(
            _("Only PDF, Word (.docx), Excel (.xlsx) and OpenDocument (.odt, .ods) files are accepted.")
        )
    content_type, member = KINDS[extension]
    valid = uploads.is_pdf(upload) if member is None else member in uploads.zip_members(upload)
    if not valid:
        raise ValidationError(_("The file's content is not a valid %(kind)s file.") % {"kind": extension.upper()})
    data = upload.read()
    safe = slugify_vi(stem)[:80] or "tep"
    return CheckedFile(ContentFile(data, name=f"{safe}.{extension}"), original[:200], content_type, len(data))
