import pytest

from smartcommune.accounts import services as account_services
from smartcommune.criteria.models import IndicatorValue

pytestmark = pytest.mark.django_db
BASE = "/api/v1/criteria"


def bearer(user):
    _, key = account_services.token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_sets_are_public_with_their_thresholds(client, mini_set):
    assert [s["code"] for s in client.get(f"{BASE}/sets").json()] == ["test-mini"]
    detail = client.get(f"{BASE}/sets/test-mini").json()
    indicator = detail["criteria"][0]["indicators"][0]
    assert indicator["code"] == "4.2" and indicator["thresholds"][0]["comparator"] == ">="


def test_the_evaluation_is_public_and_has_no_personal_data(client, mini_set, picture):
    data = client.get(f"{BASE}/communes/21238/evaluation?set=test-mini&year=2025").json()
    electricity = data["criteria"][0]["indicators"][0]
    assert (data["status"], electricity["value"], electricity["gap_households"]) == ("unmet", "92.00", 2)
    assert "Hộ" not in str(data)  # household names never appear


def test_data_value_sets_export_in_dhis2_shape(client, mini_set, picture):
    data = client.get(f"{BASE}/dataValueSets?dataSet=test-mini&period=2025&orgUnit=21238").json()
    values = {(v["dataElement"], v["orgUnit"]): v["value"] for v in data["dataValues"]}
    assert values[("4.2", "21238")] == "92"
    assert values[("4.2", "21238-T02")] == "80"


def test_data_value_sets_import_is_all_or_nothing(client, official, mini_set):
    body = {
        "dataSet": "test-mini",
        "dataValues": [
            {"dataElement": "8.4", "period": "2025", "orgUnit": "21238", "value": "true"},
            {"dataElement": "4.2", "period": "2025", "orgUnit": "21238", "value": "99"},
        ],
    }
    response = client.post(f"{BASE}/dataValueSets", body, content_type="application/json", **bearer(official))
    assert response.status_code == 409 and response.json()["conflicts"][0]["object"] == "4.2"
    assert not IndicatorValue.objects.exists()
    body["dataValues"].pop()
    response = client.post(f"{BASE}/dataValueSets", body, content_type="application/json", **bearer(official))
    assert response.json()["importCount"]["imported"] == 1
    assert IndicatorValue.objects.get().passed is True


def test_an_outsider_cannot_import_values_for_ve_giang(client, outsider, mini_set):
    body = {
        "dataSet": "test-mini",
        "dataValues": [{"dataElement": "8.4", "period": "2025", "orgUnit": "21238", "value": "true"}],
    }
    response = client.post(f"{BASE}/dataValueSets", body, content_type="application/json", **bearer(outsider))
    assert response.status_code == 409 and not IndicatorValue.objects.exists()


def test_an_out_of_range_value_is_a_conflict(client, official, mini_set):
    body = {
        "dataSet": "test-mini",
        "dataValues": [{"dataElement": "8.5", "period": "2025", "orgUnit": "21238", "value": "130"}],
    }
    response = client.post(f"{BASE}/dataValueSets", body, content_type="application/json", **bearer(official))
    assert response.status_code == 409 and not IndicatorValue.objects.exists()
