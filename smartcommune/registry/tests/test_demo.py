"""The demo registry: counts, determinism, the household rules, and the story its figures tell.

The demo runs once for this module, at 1,200 households (11,000 in `make run`), inside a
transaction rolled back at the end; each test runs in its own savepoint. Its shares are exact per
village, so the rates below hold at any size.
"""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from smartcommune.core import identifiers
from smartcommune.places import demo as places_demo
from smartcommune.places.models import Commune, Village
from smartcommune.registry import demo
from smartcommune.registry.models import Household, HouseholdYear, Housing, Membership, Organisation, Poverty

SIZE = 1200
pytestmark = pytest.mark.django_db


def quiet(message: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if not Commune.objects.filter(code=places_demo.COMMUNE_CODE).exists():  # a flushing test ran before
                call_command("load_places", verbosity=0, stdout=io.StringIO())
            commune = places_demo.run(log=quiet)
            demo.run(commune=commune, log=quiet, households=SIZE)
            yield commune
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def rates(commune, year, **filters) -> dict[str, float]:
    """Commune (or village) indicators of one year, straight from the tables."""
    years = HouseholdYear.objects.filter(household__commune=commune, year=year, **filters)
    figures = years.aggregate(
        households=Count("id"),
        poor=Count("id", filter=Q(poverty=Poverty.POOR)),
        near_poor=Count("id", filter=Q(poverty=Poverty.NEAR_POOR)),
        temporary=Count("id", filter=Q(housing=Housing.TEMPORARY)),
        electricity=Count("id", filter=Q(safe_electricity=True)),
        water=Count("id", filter=Q(clean_water=True)),
        latrine=Count("id", filter=Q(hygienic_latrine=True)),
        smartphone=Count("id", filter=Q(smartphone=True)),
        broadband=Count("id", filter=Q(broadband=True)),
        e_payment=Count("id", filter=Q(e_payment=True)),
        members=Sum("members"),
        insured=Sum("insured_members"),
        working_age=Sum("working_age_members"),
        employed=Sum("employed_members"),
        trained=Sum("trained_workers"),
        certified=Sum("certified_workers"),
        income=Sum("income"),
    )
    n, members, working = figures["households"], figures["members"], figures["working_age"]
    result = {key: figures[key] / n for key in ("poor", "near_poor", "temporary", "electricity", "water", "latrine")}
    result |= {key: figures[key] / n for key in ("smartphone", "broadband", "e_payment")}
    result |= {"insured": figures["insured"] / members, "income_per_head": figures["income"] / members}
    result |= {key: figures[key] / working for key in ("employed", "trained", "certified")}
    return result


def checksum(commune) -> str:
    """Everything the demo wrote, minus database ids, times and the random nonces of encryption."""
    parts = [
        sorted(
            (h.code, h.village.code, h.address, h.head_name, h.head_id_number, h.phone)
            for h in Household.objects.in_commune(commune).select_related("village")
        ),
        list(
            HouseholdYear.objects.filter(household__commune=commune)
            .order_by("household__code", "year")
            .values_list("household__code", "year", "members", *HouseholdYear.INDICATOR_FIELDS, "digital_address")
        ),
        list(
            Organisation.objects.in_commune(commune)
            .order_by("code")
            .values_list("code", "name", "kind", "is_ocop_subject", "tax_code", "representative", "phone")
        ),
        list(
            Membership.objects.filter(organisation__commune=commune)
            .order_by("organisation__code", "household__code")
            .values_list("organisation__code", "household__code", "joined_on")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_it_creates_households_in_every_village_with_two_years(demo_commune):
    households = Household.objects.in_commune(demo_commune)
    assert households.count() == SIZE
    assert HouseholdYear.objects.filter(household__commune=demo_commune).count() == 2 * SIZE
    assert set(HouseholdYear.objects.values_list("year", flat=True).distinct()) == {2024, 2025}
    per_village = dict(households.values_list("village__code").annotate(n=Count("id")))
    assert set(per_village) == set(demo.VILLAGE_SIZES)
    assert per_village["SV01"] > per_village["NP04"]  # uneven, as the default sizes are
    assert min(demo.VILLAGE_SIZES.values()) >= 700 and max(demo.VILLAGE_SIZES.values()) <= 1200
    assert sum(demo.VILLAGE_SIZES.values()) == demo.HOUSEHOLDS
    first = households.get(code="VG-SV01-0001")
    assert "Mẫu" in first.head_name and first.village.code == "SV01"
    assert all("Mẫu" in name for name in households.values_list("head_name", flat=True))


def test_heads_have_valid_identifiers_for_the_expected_shares(demo_commune):
    heads = list(Household.objects.in_commune(demo_commune))
    with_id = [h.head_id_number for h in heads if h.head_id_number]
    phones = [h.phone for h in heads if h.phone]
    assert 0.55 <= len(with_id) / SIZE <= 0.65
    assert 0.65 <= len(phones) / SIZE <= 0.75
    assert all(identifiers.normalize_cccd(number).startswith("051") for number in with_id)
    assert all(identifiers.normalize_phone(phone) == phone for phone in phones)
    assert len(set(with_id)) == len(with_id) and len(set(phones)) == len(phones)


def test_a_second_run_changes_nothing(demo_commune):
    before = checksum(demo_commune)
    messages = []
    demo.run(commune=demo_commune, log=messages.append, households=SIZE)
    assert checksum(demo_commune) == before
    assert Household.objects.in_commune(demo_commune).count() == SIZE
    assert all("already" in message for message in messages)


def test_two_runs_give_the_same_data(demo_commune, other_commune):
    for village in Village.objects.in_commune(demo_commune):  # the same villages in a second commune
        Village.objects.create(commune=other_commune, code=village.code, name=village.name, kind=village.kind)
    demo.run(commune=other_commune, log=quiet, households=SIZE)
    assert checksum(other_commune) == checksum(demo_commune)


def test_counts_keep_the_household_rules(demo_commune):
    years = HouseholdYear.objects.filter(household__commune=demo_commune)
    assert not years.filter(insured_members__gt=F("members")).exists()
    assert not years.filter(working_age_members__gt=F("members")).exists()
    assert not years.filter(employed_members__gt=F("working_age_members")).exists()
    assert not years.filter(trained_workers__gt=F("working_age_members")).exists()
    assert not years.filter(certified_workers__gt=F("trained_workers")).exists()
    assert not years.filter(
        Q(**{f"{field}__isnull": True for field in HouseholdYear.INDICATOR_FIELDS}, _connector=Q.OR)
    ).exists()
    # Poverty follows income per head (rural lines: 1.5 and 2 million VND a month)
    poor_or_near = years.filter(poverty__in=[Poverty.POOR, Poverty.NEAR_POOR])
    assert not years.filter(poverty=Poverty.POOR, income__gte=F("members") * 18_000_000).exists()
    assert not years.filter(poverty=Poverty.NEAR_POOR, income__gte=F("members") * 24_000_000).exists()
    assert not years.filter(poverty=Poverty.NONE, income__lt=F("members") * 24_000_000).exists()
    assert not poor_or_near.filter(insured_members__lt=F("members")).exists()  # the state insures them
    assert not years.filter(e_payment=True, smartphone=False).exists()


def test_2025_is_better_than_2024_on_every_indicator(demo_commune):
    before, after = rates(demo_commune, 2024), rates(demo_commune, 2025)
    for lower_is_better in ("poor", "near_poor", "temporary"):
        assert after[lower_is_better] < before[lower_is_better], lower_is_better
    for key in ("electricity", "water", "latrine", "insured", "employed", "trained", "certified", "income_per_head"):
        assert after[key] > before[key], key
    for key in ("smartphone", "broadband", "e_payment"):
        assert after[key] > before[key], key
    # a household that had a latrine or clean water in 2024 still has it in 2025
    years = HouseholdYear.objects.filter(household__commune=demo_commune)
    had = years.filter(year=2024, hygienic_latrine=True).values("household")
    assert not years.filter(year=2025, hygienic_latrine=False, household__in=had).exists()


def test_commune_rates_are_the_designed_ones(demo_commune):
    r = rates(demo_commune, 2025)
    assert r["poor"] == pytest.approx(0.025, abs=0.003)
    assert r["near_poor"] == pytest.approx(0.03, abs=0.003)
    assert r["temporary"] <= 0.005
    assert r["electricity"] == pytest.approx(0.995, abs=0.002)
    assert r["water"] == pytest.approx(0.92, abs=0.005)
    assert r["latrine"] == pytest.approx(0.885, abs=0.005)
    assert r["insured"] == pytest.approx(0.93, abs=0.005)
    assert r["employed"] == pytest.approx(0.95, abs=0.005)
    assert r["trained"] == pytest.approx(0.70, abs=0.005)
    assert r["certified"] == pytest.approx(0.35, abs=0.005)
    assert 60_000_000 <= r["income_per_head"] <= 75_000_000
    assert r["smartphone"] == pytest.approx(0.85, abs=0.005)
    assert r["broadband"] == pytest.approx(0.65, abs=0.005)
    assert r["e_payment"] == pytest.approx(0.60, abs=0.005)
    temporary = HouseholdYear.objects.filter(household__commune=demo_commune, housing=Housing.TEMPORARY)
    assert set(temporary.values_list("household__village__code", flat=True)) <= set(demo.WEAK_VILLAGES)


def test_two_villages_pull_the_latrines_down(demo_commune):
    commune_rate = rates(demo_commune, 2025)["latrine"]
    weak = [rates(demo_commune, 2025, household__village__code=code) for code in demo.WEAK_VILLAGES]
    others = [
        rates(demo_commune, 2025, household__village__code=code)
        for code in demo.VILLAGE_SIZES
        if code not in demo.WEAK_VILLAGES
    ]
    without_weak = rates(
        demo_commune, 2025, household__village__code__in=[c for c in demo.VILLAGE_SIZES if c not in demo.WEAK_VILLAGES]
    )
    assert commune_rate < 0.90
    assert all(village["latrine"] >= 0.92 for village in others)
    assert all(village["latrine"] < 0.70 for village in weak)
    assert without_weak["latrine"] >= 0.92
    assert all(village["water"] < 0.80 for village in weak) and without_weak["water"] >= 0.93


def test_organisations_and_cooperative_members(demo_commune):
    organisations = Organisation.objects.in_commune(demo_commune)
    kinds = dict(organisations.values_list("kind").annotate(n=Count("id")))
    assert kinds == {"htx": 2, "tht": 1, "dn": 2, "hkd": 2, "dv": 1}
    assert organisations.filter(is_ocop_subject=True).count() == 3
    assert all(identifiers.normalize_tax_code(org.tax_code) == org.tax_code for org in organisations)
    for code in ("HTX-VG01", "HTX-VG02"):
        cooperative = organisations.get(code=code)
        assert cooperative.has_bank_account and identifiers.bank_by_bin(cooperative.bank_bin)
        members = cooperative.memberships.all()
        assert 40 <= members.count() <= 80
        assert not members.exclude(household__commune=demo_commune).exists()
    assert "Nông nghiệp Mẫu" in organisations.get(code="HTX-VG01").name
