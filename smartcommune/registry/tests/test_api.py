import pytest

from smartcommune.accounts import services as account_services
from smartcommune.registry.models import Household

from .conftest import household_row

pytestmark = pytest.mark.django_db
BASE = "/api/v1/registry"


def bearer(user):
    _, key = account_services.token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_households_are_listed_with_a_total_and_filters(client, official, households):
    data = client.get(f"{BASE}/communes/21238/households?poverty=ngheo", **bearer(official)).json()
    assert data["count"] == 1 and data["items"][0]["code"] == "H003"
    data = client.get(f"{BASE}/communes/21238/households?ordering=-code&q=lan", **bearer(official)).json()
    assert [h["code"] for h in data["items"]] == ["H002"]


def test_households_are_never_public(client, households):
    assert client.get(f"{BASE}/communes/21238/households").status_code == 401
    assert client.get(f"{BASE}/households/{households[0].pk}").status_code == 401


def test_the_household_detail_has_its_years_but_not_the_id_number(client, official, households):
    data = client.get(f"{BASE}/households/{households[0].pk}", **bearer(official)).json()
    assert data["years"][0]["year"] == 2025 and "head_id_number" not in data


def test_an_outsider_reads_no_household(client, outsider, households):
    headers = bearer(outsider)
    assert client.get(f"{BASE}/communes/21238/households", **headers).status_code == 403
    assert client.get(f"{BASE}/households/{households[0].pk}", **headers).status_code == 403


def test_a_village_head_gets_only_their_village(client, village_head, households):
    data = client.get(f"{BASE}/communes/21238/households", **bearer(village_head)).json()
    assert [h["code"] for h in data["items"]] == ["H001"]


def test_bulk_upsert_is_all_or_nothing_and_names_every_bad_row(client, official, villages):
    rows = [household_row("A1"), household_row("A2", village="ZZ"), household_row("A3", phone="12")]
    response = client.post(
        f"{BASE}/communes/21238/households/bulk", {"rows": rows}, content_type="application/json", **bearer(official)
    )
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(2, "Mã thôn"), (3, "Số điện thoại")]
    assert not Household.objects.exists()


def test_bulk_upsert_creates_then_updates(client, official, villages):
    headers = bearer(official)
    rows = [household_row("A1"), household_row("A2")]
    first = client.post(
        f"{BASE}/communes/21238/households/bulk", {"rows": rows}, content_type="application/json", **headers
    )
    assert first.json() == {"rows": 2, "created": 2, "updated": 0}
    second = client.post(
        f"{BASE}/communes/21238/households/bulk", {"rows": rows}, content_type="application/json", **headers
    )
    assert second.json() == {"rows": 2, "created": 0, "updated": 2}
    assert Household.objects.count() == 2


def test_bulk_upsert_refuses_unknown_fields(client, official, villages):
    rows = [{**household_row("A1"), "secret": 1}]
    response = client.post(
        f"{BASE}/communes/21238/households/bulk", {"rows": rows}, content_type="application/json", **bearer(official)
    )
    assert response.status_code == 400 and "secret" in response.json()["detail"]


def test_an_outsider_cannot_bulk_upsert(client, outsider, villages):
    response = client.post(
        f"{BASE}/communes/21238/households/bulk",
        {"rows": [household_row("A1")]},
        content_type="application/json",
        **bearer(outsider),
    )
    assert response.status_code == 403 and not Household.objects.exists()


def test_organisations_show_only_public_fields_to_the_public(client, organisation):
    item = client.get(f"{BASE}/communes/21238/organisations").json()["items"][0]
    assert item["name"] == "Hợp tác xã Đồng Lớn" and item["tax_code"] == "0100233488"
    assert "phone" not in item and "representative" not in item and "bank_account" not in item
    detail = client.get(f"{BASE}/organisations/{organisation.pk}").json()
    assert "phone" not in detail


def test_an_outsider_sees_only_public_organisation_fields(client, outsider, organisation):
    item = client.get(f"{BASE}/organisations/{organisation.pk}", **bearer(outsider)).json()
    assert "representative" not in item


def test_the_communes_staff_see_contacts_and_bank_details(client, official, organisation):
    item = client.get(f"{BASE}/communes/21238/organisations", **bearer(official)).json()["items"][0]
    assert item["phone"] == "0905123456" and item["bank_account"] == "3600205123456"
