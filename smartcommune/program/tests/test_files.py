"""Evidence and materials are checked by content; a phone photo loses its GPS position before it is stored."""

from PIL import Image

from smartcommune.program import files

from .conftest import jpeg_file, pdf_file


def test_an_evidence_photo_is_stored_without_its_gps_position():
    cleaned = files.clean_document(jpeg_file(with_gps=True))
    with Image.open(cleaned) as image:
        assert image.format == "JPEG" and not image.getexif().get(0x8825)


def test_a_pdf_is_stored_as_sent():
    upload = pdf_file()
    assert files.clean_document(upload) is upload
