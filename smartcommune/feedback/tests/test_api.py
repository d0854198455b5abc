import pytest

from smartcommune.accounts import services as account_services
from smartcommune.feedback.models import Report, Status

pytestmark = pytest.mark.django_db
BASE = "/api/v1/feedback"


def bearer(user):
    _, key = account_services.token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_public_reports_have_no_reporter_and_snapped_points(client, submit, categories):
    submit()
    submit(category=categories["XA-HOI"], raw_answers={})
    data = client.get(f"{BASE}/communes/21238/reports").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert (item["latitude"], item["longitude"]) == (15.03, 108.8)
    assert not {"reporter_name", "reporter_phone", "reporter_email", "token", "place_text"} & set(item)
    assert "0912345678" not in str(data)


def test_public_statistics(client, submit):
    submit()
    data = client.get(f"{BASE}/communes/21238/statistics").json()
    assert data["total"]["count"] == 1 and data["by_category"][0]["key"] == "GT-DUONG"


def test_the_inbox_needs_a_staff_member_of_the_commune(client, submit, economy, outsider, resident):
    report = submit()
    assert client.get(f"{BASE}/communes/21238/inbox").status_code == 401
    assert client.get(f"{BASE}/communes/21238/inbox", **bearer(outsider)).status_code == 403
    assert client.get(f"{BASE}/communes/21238/inbox", **bearer(resident)).status_code == 403
    data = client.get(f"{BASE}/communes/21238/inbox", **bearer(economy)).json()
    assert [i["number"] for i in data["items"]] == [report.number]
    assert data["items"][0]["overdue"] is True and "reporter_phone" not in data["items"][0]


def test_a_status_change_through_the_api_follows_the_same_rules(client, submit, economy, official, outsider):
    report = submit()
    path = f"{BASE}/communes/21238/reports/{report.number}/status"
    body = {"status": "in_progress", "note": "Đang xử lý."}
    assert client.post(path, body, content_type="application/json", **bearer(outsider)).status_code == 403
    assert client.post(path, body, content_type="application/json", **bearer(official)).status_code == 403
    response = client.post(
        path, {"status": "in_progress", "note": ""}, content_type="application/json", **bearer(economy)
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "note"
    response = client.post(path, body, content_type="application/json", **bearer(economy))
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    assert Report.objects.get().status == Status.IN_PROGRESS
