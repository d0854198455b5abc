import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import make_user


@pytest.fixture
def publisher(official):
    """The root conftest's official belongs to the Culture and Society Office: they may publish."""
    return official


@pytest.fixture
def economy_official(commune):
    from smartcommune.accounts.models import Department, Role

    return make_user("economy", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.ECONOMY)


def photo(name="anh.jpg", size=(2400, 1800), kind="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2e9d4a").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")
