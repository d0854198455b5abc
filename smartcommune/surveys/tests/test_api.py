import pytest

from smartcommune.accounts import services as account_services
from smartcommune.surveys import services
from smartcommune.surveys.models import Response, Slip

from .conftest import all_satisfied

pytestmark = pytest.mark.django_db
BASE = "/api/v1/surveys"


def bearer(user):
    _, key = account_services.token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, path, payload, **headers):
    return client.post(f"{BASE}{path}", payload, content_type="application/json", **headers)


def test_the_public_sees_published_campaigns_only_and_staff_see_all(client, official, open_campaign, front_officer):
    assert client.get(f"{BASE}/communes/21238/campaigns").json() == []
    staff = client.get(f"{BASE}/communes/21238/campaigns", **bearer(official)).json()
    assert [c["title"] for c in staff] == [open_campaign.title]


def test_a_draft_is_hidden_from_the_public_and_an_open_survey_shows_its_questions(client, campaign, front_officer):
    assert client.get(f"{BASE}/campaigns/{campaign.pk}").status_code == 404
    services.campaign_open(campaign=campaign, by=front_officer)
    data = client.get(f"{BASE}/campaigns/{campaign.pk}").json()
    assert [q["name"] for q in data["questions"]][-2:] == ["tong_the", "y_kien"]
    assert [o["value"] for o in data["questions"][0]["options"]] == ["yes", "no"]


def test_an_answer_is_submitted_by_code_once(client, open_campaign, slips):
    payload = {"code": slips["T01"][0], "answers": all_satisfied(open_campaign, y_kien="Tốt")}
    first = post(client, "/submissions", payload)
    assert first.status_code == 201 and first.json()["channel"] == "online"
    again = post(client, "/submissions", payload)
    assert again.status_code == 409 and again.json()["detail"]
    assert Response.objects.count() == 1


def test_a_bad_submission_names_the_questions_and_stores_nothing(client, open_campaign, slips):
    answers = all_satisfied(open_campaign, y_kien="x" * 3000, secret="1")
    del answers["tong_the"]
    response = post(client, "/submissions", {"code": slips["T01"][0], "answers": answers})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"__all__", "tong_the", "y_kien"}
    assert not Response.objects.exists() and not Slip.objects.filter(spent=True).exists()


def test_wrong_and_closed_codes_get_their_status(client, open_campaign, slips, front_officer):
    assert post(client, "/submissions", {"code": "ABCD-EFGH", "answers": {}}).status_code == 404
    services.campaign_close(campaign=open_campaign, by=front_officer)
    assert post(client, "/submissions", {"code": slips["T01"][0], "answers": {}}).status_code == 410


def test_a_code_lookup_returns_the_questions_and_village(client, open_campaign, slips):
    data = client.get(f"{BASE}/codes/{slips['T02'][0]}").json()
    assert data["village"] == "Thôn An Hòa" and data["campaign"]["id"] == open_campaign.pk


def test_the_api_is_rate_limited_with_429(client, open_campaign, slips, settings):
    settings.SURVEYS_RATE_LIMIT = 3
    statuses = [client.get(f"{BASE}/codes/{slips['T02'][0]}").status_code for _ in range(3)]
    limited = post(client, "/submissions", {"code": slips["T01"][0], "answers": all_satisfied(open_campaign)})
    assert statuses == [200] * 3 and limited.status_code == 429 and limited.json()["detail"]
    assert not Response.objects.exists()


def test_paper_submissions_need_a_village_worker(client, village_head, resident, open_campaign, slips):
    payload = {"code": slips["T01"][0], "answers": all_satisfied(open_campaign)}
    assert post(client, "/paper-submissions", payload).status_code == 401
    assert post(client, "/paper-submissions", payload, **bearer(resident)).status_code == 403
    other = {"code": slips["T02"][0], "answers": all_satisfied(open_campaign)}
    assert post(client, "/paper-submissions", other, **bearer(village_head)).status_code == 403
    done = post(client, "/paper-submissions", payload, **bearer(village_head))
    assert done.status_code == 201 and Response.objects.get().channel == "paper"


def test_results_are_for_the_communes_staff_and_the_summary_for_everyone_once_published(
    client, official, outsider, front_officer, open_campaign, slips
):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, y_kien="riêng tư"))
    path = f"{BASE}/campaigns/{open_campaign.pk}/results"
    assert client.get(path).status_code == 401
    assert client.get(path, **bearer(outsider)).status_code == 403
    data = client.get(path, **bearer(official)).json()
    assert data["commune"]["responses"] == 1 and data["commune"]["households"] == 9
    assert "riêng tư" not in str(data)
    summary = f"{BASE}/campaigns/{open_campaign.pk}/summary"
    assert client.get(summary).status_code == 404
    services.campaign_publish(campaign=open_campaign, by=front_officer)
    public = client.get(summary).json()
    assert public["responses"] == 1 and "riêng tư" not in str(public)
    assert all(g["overall"] is None for g in public["groups"])  # one answer: too few to show rates
    assert [c["id"] for c in client.get(f"{BASE}/published").json()] == [open_campaign.pk]


def test_an_outsider_lists_only_what_is_public(client, outsider, open_campaign):
    assert client.get(f"{BASE}/communes/21238/campaigns", **bearer(outsider)).json() == []
