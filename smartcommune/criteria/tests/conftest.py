from pathlib import Path

import pytest

from smartcommune.criteria import loading
from smartcommune.criteria.models import CriteriaSet
from smartcommune.registry.models import Household, HouseholdYear

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini_set(db):
    loading.load_all(DATA)
    return CriteriaSet.objects.get(code="test-mini")


def add_households(village, n, year=2025, **values):
    """n households of a village with the same yearly figures; returns them."""
    start = Household.objects.filter(commune=village.commune).count()
    created = []
    for i in range(n):
        household = Household.objects.create(
            commune=village.commune,
            village=village,
            code=f"{village.code}-{start + i:04d}",
            head_name=f"Hộ {start + i}",
        )
        HouseholdYear.objects.create(household=household, year=year, **{"members": 4, **values})
        created.append(household)
    return created


@pytest.fixture
def picture(commune, villages):
    """Village 1: 10 good households; village 2: 8 good + 2 without safe electricity; village 3: 5, one temporary house."""
    good = dict(safe_electricity=True, housing="kien_co", income=280_000_000, insured_members=4)
    add_households(villages[0], 10, **good)
    add_households(villages[1], 8, **good)
    add_households(villages[1], 2, **{**good, "safe_electricity": False, "insured_members": 2})
    add_households(villages[2], 4, **good)
    add_households(villages[2], 1, **{**good, "housing": "nha_tam", "income": 40_000_000})
    return villages
