"""Uploaded documents, told apart by their content rather than their name.

A PDF starts with its signature; Office and OpenDocument files are zip archives holding known members;
a photo is whatever Pillow can open and verify. Each check leaves the file at its start, so the next one,
or the storage that keeps it, reads it whole.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .images import ACCEPTED


def check_size(upload, max_bytes: int) -> None:
    """A ValidationError when the file is larger than `max_bytes`."""
    if upload.size > max_bytes:
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": max_bytes // 2**20})


def is_pdf(upload) -> bool:
    return _head(upload, 5) == b"%PDF-"


def zip_members(upload) -> frozenset[str]:
    """The names inside a zip archive (a .docx, .xlsx, .odt…), or none when the file is not one."""
    if _head(upload, 4) != b"PK\x03\x04":
        return frozenset()
    try:
        with zipfile.ZipFile(upload) as archive:
            members = frozenset(archive.namelist())
    except zipfile.BadZipFile:
        members = frozenset()
    upload.seek(0)
    return members


def image_format(upload) -> str | None:
    """ "JPEG", "PNG" or "WEBP" for a whole image of one of those kinds, else None."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = image.format if image.format in ACCEPTED else None
    except (UnidentifiedImageError, OSError, SyntaxError):
        kind = None
    upload.seek(0)
    return kind


def _head(upload, length: int) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head
