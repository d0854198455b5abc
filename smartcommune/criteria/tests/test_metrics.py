from datetime import date
from decimal import Decimal

from smartcommune.core import metrics
from smartcommune.criteria import services
from smartcommune.registry.models import HouseholdYear

from .conftest import add_households


def test_the_indicator_family_reads_met_or_not(mini_set, commune, picture, official):
    assert metrics.read("criteria.indicator:test-mini:4.2", commune, date(2025, 6, 1)).value == 0
    HouseholdYear.objects.update(safe_electricity=True)
    assert metrics.read("criteria.indicator:test-mini:4.2", commune, date(2025, 6, 1)).value == 1
    assert metrics.read("criteria.indicator:test-mini:8.4", commune, date(2025, 6, 1)) is None  # no value yet
    services.value_enter(
        indicator=mini_set.indicators.get(code="8.4"), commune=commune, year=2025, by=official, passed=True
    )
    assert metrics.read("criteria.indicator:test-mini:8.4", commune, date(2025, 6, 1)).value == 1


def test_the_registry_share_of_smartphones_follows_the_households(commune, villages):
    add_households(villages[0], 3, smartphone=True)
    add_households(villages[0], 1, smartphone=False)
    reading = metrics.read("registry.smartphone_pct", commune, date(2025, 12, 31))
    assert reading.value == Decimal("75.0") and reading.detail == "3 / 4"


def test_an_unknown_metric_reads_nothing(commune):
    assert metrics.read("tourism.homestays", commune, date(2025, 1, 1)) is None
