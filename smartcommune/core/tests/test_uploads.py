import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from smartcommune.core import uploads


def upload(data: bytes, name: str = "tep") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(out, "PNG")
    return out.getvalue()


def test_a_file_over_the_limit_is_refused_with_the_limit_in_megabytes():
    with pytest.raises(ValidationError, match="2 MB"):
        uploads.check_size(upload(b"x" * (2 * 2**20 + 1)), 2 * 2**20)
    uploads.check_size(upload(b"x" * 2**20), 2 * 2**20)


def test_each_kind_is_told_by_its_content_not_its_name():
    pdf, word, photo = upload(b"%PDF-1.4\n%%EOF\n", "anh.jpg"), upload(docx(), "van-ban.pdf"), upload(png(), "a.docx")
    assert uploads.is_pdf(pdf) and not uploads.is_pdf(word) and not uploads.is_pdf(photo)
    assert uploads.zip_members(word) == {"[Content_Types].xml", "word/document.xml"}
    assert uploads.zip_members(pdf) == uploads.zip_members(photo) == frozenset()
    assert uploads.image_format(photo) == "PNG"
    assert uploads.image_format(pdf) is None and uploads.image_format(word) is None


def test_a_broken_zip_has_no_members_and_every_check_leaves_the_file_at_its_start():
    broken = upload(b"PK\x03\x04 not really a zip")
    assert uploads.zip_members(broken) == frozenset()
    data = docx()
    word = upload(data)
    for check in (uploads.is_pdf, uploads.zip_members, uploads.image_format):
        word.read(3)
        check(word)
        assert word.read() == data
