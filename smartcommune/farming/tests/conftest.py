import math
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from smartcommune.farming import services
from smartcommune.farming.models import CropType, GrowingArea
from smartcommune.registry.tests.conftest import households, organisation  # noqa: F401

REF_LAT, REF_LON = 15.03, 108.80  # Vệ Giang's reference point in farming/data/reference_points.json


def square(
    side_m: float = 100.0, *, east_m: float = 0.0, north_m: float = 0.0, lat: float = REF_LAT, lon: float = REF_LON
) -> dict:
    """A closed square GeoJSON polygon of `side_m` metres, its south-west corner offset from (lat, lon)."""
    dlat = 1 / 111_320
    dlon = 1 / (111_320 * math.cos(math.radians(lat)))
    x0, y0 = lon + east_m * dlon, lat + north_m * dlat
    x1, y1 = x0 + side_m * dlon, y0 + side_m * dlat
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def bowtie() -> dict:
    s = square()["coordinates"][0]
    return {"type": "Polygon", "coordinates": [[s[0], s[2], s[1], s[3], s[0]]]}


@pytest.fixture
def area(commune, villages, organisation):  # noqa: F811
    """A rice growing area of the cooperative HTX-T01 in village T01, with one plot of about 1 ha."""
    area = services.area_save(
        area=GrowingArea(
            commune=commune,
            village=villages[0],
            code="VN-51-522-21238-01-25",
            name="Cánh đồng lúa Đồng Lớn",
            crop="Lúa",
            variety="ĐV108",
            crop_type=CropType.ANNUAL,
            standard=GrowingArea.Standard.VIETGAP,
            certificate_number="VG-2025-001",
            cooperative=organisation,
            declared_area_ha=Decimal("1"),
            issued_on=date(2025, 1, 15),
        )
    )
    services.plot_save(area=area, name="Thửa 1", geojson=square(100))
    return area


@pytest.fixture
def other_area(other_commune):
    """A growing area of Xã Tư Nghĩa, which the outsider manages and Vệ Giang's staff must not see."""
    return GrowingArea.objects.create(
        commune=other_commune, code="VN-51-522-21235-01-25", name="Vùng ngoài", crop="Ngô"
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Messages from services are asserted in English (their msgids), whatever translation is installed;
    pages are still rendered in Vietnamese, the language of each request."""
    with translation.override("en"):
        yield
