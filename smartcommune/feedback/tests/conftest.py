import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import make_user
from smartcommune.feedback import services
from smartcommune.feedback.models import Category
from smartcommune.feedback.working_time import TZ
from smartcommune.registry.tests.conftest import organisation  # noqa: F401

# Inside Xã Vệ Giang's area (the shipped reference point 15.03, 108.80, 8 km).
HERE = (15.0301, 108.8002)
# A Monday morning in June 2025, local time.
MONDAY = datetime(2025, 6, 2, 8, 0, tzinfo=TZ)


def photo(name="anh.png", fmt="PNG", size=(64, 48), exif=None) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


@pytest.fixture
def categories(commune, villages):
    services.categories_load_defaults(commune=commune)
    return {c.code: c for c in Category.objects.filter(commune=commune)}


@pytest.fixture
def road(categories):
    return categories["GT-DUONG"]


@pytest.fixture
def economy(commune):
    """An official of the Economy Office, the unit of roads, lighting and waste."""
    from smartcommune.accounts.models import Department, Role

    return make_user("kinhte", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.ECONOMY)


@pytest.fixture
def leader(commune):
    """An official of the People's Committee Office: the commune leadership."""
    from smartcommune.accounts.models import Department, Role

    user = make_user("vanphong", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.OFFICE)
    user.email = "vanphong@example.invalid"
    user.save()
    return user


@pytest.fixture
def other_categories(other_commune):
    services.categories_load_defaults(commune=other_commune)
    return {c.code: c for c in Category.objects.filter(commune=other_commune)}


@pytest.fixture
def submit(commune, road):
    """submit(**overrides) sends a valid road report of Vệ Giang through the service."""

    def _submit(**overrides):
        values = {
            "commune": commune,
            "category": road,
            "description": "Ổ gà lớn giữa đường, xe máy dễ ngã.",
            "latitude": HERE[0],
            "longitude": HERE[1],
            "raw_answers": {"MUC-DO": ["cao"]},
            "reporter_name": "Nguyễn Văn Mẫu",
            "reporter_phone": "0912345678",
            "reporter_email": "mau@example.invalid",
            "now": MONDAY,
        }
        values.update(overrides)
        return services.report_submit(**values)

    return _submit
