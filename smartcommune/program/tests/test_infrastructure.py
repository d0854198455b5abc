"""The digital infrastructure inventory and the smart-village checklist computed from it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from smartcommune.core import metrics
from smartcommune.program import checklist, selectors
from smartcommune.program.models import Asset, ChecklistTick, DigitalTeam, SocialChannel
from smartcommune.program.services import infrastructure
from smartcommune.registry.models import HouseholdYear

from .conftest import pdf_file

pytestmark = pytest.mark.django_db
ON = date(2025, 12, 31)


def wifi(commune, village, **fields):
    values = {"commune": commune, "village": village, "kind": Asset.Kind.WIFI, "name": f"Wi-Fi {village.code}",
              "latitude": Decimal("15.03"), "longitude": Decimal("108.80"), "at_cultural_house": True}  # fmt: skip
    values.update(fields)
    return infrastructure.asset_save(asset=Asset(**values))


def test_an_item_outside_vietnam_or_another_communes_village_is_refused(commune, villages, other_village):
    with pytest.raises(ValidationError) as error:
        wifi(commune, villages[0], latitude=Decimal("108.80"), longitude=Decimal("15.03"))
    assert "latitude" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        wifi(commune, other_village)
    assert "village" in error.value.message_dict
    assert not Asset.objects.exists()


def make_smart(commune, village, households: int):
    for technology in ("fibre", "mobile"):
        infrastructure.coverage_record(
            village=village, technology=technology, households_covered=households, as_of=date(2025, 10, 31)
        )
    wifi(commune, village)
    team = infrastructure.team_save(
        team=DigitalTeam(commune=commune, village=village, name=f"Tổ {village.code}", founded_on=date(2025, 8, 1))
    )
    for name in ("Mẫu A", "Mẫu B", "Mẫu C"):
        infrastructure.member_add(team=team, full_name=name, position="member", phone="0912 345 678")
    infrastructure.channel_save(
        channel=SocialChannel(
            commune=commune, village=village, platform="zalo", name=f"Zalo {village.code}", started_on=date(2025, 1, 1)
        )
    )
    infrastructure.tick_set(
        village=village,
        item_code="thong-bao-so",
        passed=True,
        ticked_on=date(2025, 11, 25),
        evidence=pdf_file(),
        by=None,
    )
    return team


def progress_of(commune, village):
    return next(p for p in checklist.evaluate(commune, ON) if p.village == village)


def test_a_village_with_everything_passes_and_each_missing_item_fails_it(commune, villages, households):
    team = make_smart(commune, villages[0], households=1)  # H001 is the only household of T01
    result = progress_of(commune, villages[0])
    assert result.passes and result.met == result.total == len(checklist.checklist().items)
    assert metrics.read("program.smart_villages", commune, ON).value == 1
    assert not progress_of(commune, villages[1]).passes

    team.members.update(is_active=False)  # a team without members is not active
    assert not progress_of(commune, villages[0]).passes
    team.members.update(is_active=True)

    Asset.objects.update(status=Asset.Status.BROKEN)
    assert not progress_of(commune, villages[0]).passes
    Asset.objects.update(status=Asset.Status.ACTIVE)
    assert progress_of(commune, villages[0]).passes

    ChecklistTick.objects.update(passed=False)
    assert not progress_of(commune, villages[0]).passes


def test_coverage_is_measured_against_the_registrys_households(commune, villages, households):
    make_smart(commune, villages[0], households=1)
    # A second household in T01 that the operator's figure does not cover.
    household = households[1]
    household.village = villages[0]
    household.save()
    result = progress_of(commune, villages[0])
    connectivity = next(r for r in result.results if r.item.compute == "coverage")
    assert connectivity.passed is False and "50" in connectivity.detail
    HouseholdYear.objects.filter(household=household).delete()  # no record for the year: not counted
    assert progress_of(commune, villages[0]).passes


def test_the_checklist_as_of_a_date_ignores_what_came_later(commune, villages, households):
    make_smart(commune, villages[0], households=1)
    Asset.objects.update(installed_on=date(2025, 12, 1))
    assert progress_of(commune, villages[0]).passes
    earlier = next(p for p in checklist.evaluate(commune, date(2025, 11, 1)) if p.village == villages[0])
    assert not earlier.passes


def test_ticks_need_evidence_and_a_manual_item(villages):
    with pytest.raises(ValidationError) as error:
        infrastructure.tick_set(
            village=villages[0], item_code="wifi-nha-van-hoa", passed=True, ticked_on=ON, evidence=pdf_file(), by=None
        )
    assert "item_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        infrastructure.tick_set(
            village=villages[0], item_code="thong-bao-so", passed=True, ticked_on=ON, evidence=None, by=None
        )
    assert "evidence" in error.value.message_dict
    with pytest.raises(ValidationError):
        infrastructure.tick_set(
            village=villages[0], item_code="no-such-item", passed=True, ticked_on=ON, evidence=pdf_file(), by=None
        )
    assert not ChecklistTick.objects.exists()


def test_the_smart_commune_criteria_get_their_evidence_values(commune, villages, households):
    make_smart(commune, villages[0], households=1)
    values = selectors.smart_criteria_values(commune, ON)
    assert values["3.3"].passed is True and values["3.4"].passed is True
    assert values["4.3"].value == Decimal("33.3")  # 1 of 3 villages
    assert values["4.4"].value == 1 and "1" in values["4.4"].note


def test_member_phones_are_normalised_and_checked(commune, villages):
    team = infrastructure.team_save(team=DigitalTeam(commune=commune, village=villages[0], name="Tổ", founded_on=ON))
    assert (
        infrastructure.member_add(team=team, full_name="Mẫu", position="leader", phone="+84 912 345 678").phone
        == "0912345678"
    )
    with pytest.raises(ValidationError):
        infrastructure.member_add(team=team, full_name="Mẫu", position="leader", phone="12345")


def test_an_official_adds_an_item_with_a_vietnamese_decimal_comma(login, official, villages):
    url = reverse("program:asset_create", args=["21238"])
    data = {"kind": "wifi", "name": "Wi-Fi nhà văn hóa", "village": villages[0].pk, "latitude": "15,031",
            "longitude": "108,801", "quantity": "1", "status": "active", "at_cultural_house": "on", "free_of_charge": "on"}  # fmt: skip
    assert login(official).post(url, data).status_code == 302
    assert Asset.objects.get().latitude == Decimal("15.031")
    assert login(official).post(url, {**data, "latitude": "1,5"}).status_code == 400
    assert Asset.objects.count() == 1


def test_the_infrastructure_page_shows_the_map_points_and_the_villages(login, official, commune, villages, households):
    make_smart(commune, villages[0], households=1)
    page = login(official).get(reverse("program:infrastructure", args=["21238"]) + "?on=31/12/2025").content.decode()
    assert 'id="map-data"' in page and "108.8" in page
    assert "xstatic/leaflet/leaflet.js" in page
    village = login(official).get(reverse("program:village", args=["21238", "T01"])).content.decode()
    assert "thong-bao-so" in village or checklist.checklist().item("thong-bao-so").name in village


def test_team_members_names_stay_on_staff_pages(client, login, official, commune, villages):
    team = infrastructure.team_save(team=DigitalTeam(commune=commune, village=villages[0], name="Tổ", founded_on=ON))
    infrastructure.member_add(team=team, full_name="Nguyễn Văn Mẫu", position="leader")
    url = reverse("program:team", args=["21238", team.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "Nguyễn Văn Mẫu" in login(official).get(url).content.decode()
