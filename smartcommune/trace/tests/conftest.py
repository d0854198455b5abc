from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from smartcommune.core.identifiers import gtin_check_digit
from smartcommune.farming import services as farm_services
from smartcommune.farming.models import DiaryEntry
from smartcommune.farming.tests.conftest import area, other_area, square  # noqa: F401
from smartcommune.registry.tests.conftest import households, organisation  # noqa: F401
from smartcommune.trace import services
from smartcommune.trace.models import Product

TODAY = timezone.localdate()
GTIN_BODY = "893600000001"  # synthetic, with the Vietnamese prefix 893
GTIN13 = GTIN_BODY + gtin_check_digit(GTIN_BODY)
GTIN14 = "0" + GTIN13


@pytest.fixture
def product(commune, organisation):  # noqa: F811
    return services.product_save(
        product=Product(
            commune=commune, owner=organisation, name="Gạo Đồng Lớn", brand="Đồng Lớn", gtin=GTIN13, unit="KGM"
        )
    )


@pytest.fixture
def harvest(area):  # noqa: F811
    farm_services.diary_entry_add(
        area=area,
        kind=DiaryEntry.Kind.SPRAYING,
        on=TODAY - timedelta(days=20),
        by=None,
        inputs=[
            {"kind": "pesticide", "product": "Regent 800WG", "active_ingredient": "Fipronil", "pre_harvest_days": 14}
        ],
    )
    return farm_services.diary_entry_add(
        area=area,
        kind=DiaryEntry.Kind.HARVEST,
        on=TODAY - timedelta(days=1),
        by=None,
        quantity=Decimal("1000"),
        unit="KGM",
    )


@pytest.fixture
def lot(product, harvest):
    return services.lot_from_harvests(
        product=product,
        code="L2506A",
        parts=[(harvest, Decimal("800"))],
        produced_on=TODAY,
        expires_on=TODAY + timedelta(days=365),
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Messages from services are asserted in English (their msgids), whatever translation is installed;
    pages are still rendered in Vietnamese, the language of each request."""
    with translation.override("en"):
        yield
