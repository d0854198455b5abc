"""The programme's API: staff only, scoped like the pages, the same figures as the pages."""

from datetime import date

import pytest

from smartcommune.accounts import services as account_services
from smartcommune.program.models import Task, TrainingClass, UnitKind
from smartcommune.program.services import training

from .conftest import make_task, smartphone_target

pytestmark = pytest.mark.django_db
BASE = "/api/v1/program"


def bearer(user):
    _, key = account_services.token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def setup(objective, villages, households, commune):
    smartphone_target(objective)
    make_task(objective, "NV-01", unit=(UnitKind.VILLAGE, villages[0]))
    make_task(objective, "NV-02", unit=(UnitKind.VILLAGE, villages[1]))
    training_class = training.class_save(
        training_class=TrainingClass(commune=commune, title="Lớp", topic="e_commerce", audience="cooperatives",
                                     held_on=date(2025, 9, 12), place="HTX", trainer="x")
    )  # fmt: skip
    training.attendance_record(training_class=training_class, group_name="HTX", participants=7)
    return objective.plan


def endpoints(plan) -> list[str]:
    task = Task.objects.get(code="NV-01")
    return [
        f"{BASE}/communes/21238/plans",
        f"{BASE}/plans/{plan.pk}",
        f"{BASE}/communes/21238/tasks",
        f"{BASE}/tasks/{task.pk}",
        f"{BASE}/communes/21238/budget?year=2025",
        f"{BASE}/communes/21238/training?year=2025",
        f"{BASE}/communes/21238/smart-villages",
    ]


def test_the_plan_gives_each_target_its_current_value_and_source(client, official, setup):
    data = client.get(f"{BASE}/plans/{setup.pk}?on=2025-12-31", **bearer(official)).json()
    target = data["objectives"][0]["targets"][0]
    assert (target["current_value"], target["computed"], target["met"]) == ("100.0", True, True)
    assert target["metric_key"] == "registry.smartphone_pct" and target["as_of"] == "2025-12-31"
    assert data["objectives"][0]["tasks"] == {"not_started": 2, "overdue": 2}  # deadline 30/09/2025


def test_tasks_are_scoped_and_mine_keeps_my_units(client, official, village_head, setup):
    everything = client.get(f"{BASE}/communes/21238/tasks", **bearer(official)).json()
    assert [t["code"] for t in everything["items"]] == ["NV-01", "NV-02"]
    own = client.get(f"{BASE}/communes/21238/tasks", **bearer(village_head)).json()
    assert [t["code"] for t in own["items"]] == ["NV-01"]
    assert client.get(f"{BASE}/communes/21238/tasks?mine=true", **bearer(official)).json()["count"] == 0
    other = Task.objects.get(code="NV-02")
    assert client.get(f"{BASE}/tasks/{other.pk}", **bearer(village_head)).status_code == 403


def test_the_unit_updates_its_task_through_the_api(client, village_head, setup):
    task = Task.objects.get(code="NV-01")
    url = f"{BASE}/tasks/{task.pk}/update"
    response = client.post(url, {"status": "in_progress", "progress": 45, "milestone_text": "Họp dân"},
                           content_type="application/json", **bearer(village_head))  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert (body["progress"], body["milestones"][0]["text"]) == (45, "Họp dân")
    bad = client.post(
        url, {"status": "in_progress", "progress": 120}, content_type="application/json", **bearer(village_head)
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "progress"
    other = Task.objects.get(code="NV-02")
    response = client.post(f"{BASE}/tasks/{other.pk}/update", {"status": "done", "progress": 100},
                           content_type="application/json", **bearer(village_head))  # fmt: skip
    assert response.status_code == 403
    task.refresh_from_db(), other.refresh_from_db()
    assert (task.progress, other.status) == (45, "not_started")


def test_the_plan_is_read_as_of_its_last_day_once_it_has_ended(client, official, setup):
    assert client.get(f"{BASE}/plans/{setup.pk}", **bearer(official)).json()["on"] == "2025-12-31"


def test_training_totals(client, official, setup):
    data = client.get(f"{BASE}/communes/21238/training?year=2025", **bearer(official)).json()
    assert (data["classes"], data["participants"], data["by_topic"]) == (1, 7, {"e_commerce": 7})


def test_the_other_communes_official_reads_and_changes_nothing(client, outsider, setup):
    headers = bearer(outsider)
    for url in endpoints(setup):
        assert client.get(url, **headers).status_code == 403, url
    task = Task.objects.get(code="NV-01")
    response = client.post(f"{BASE}/tasks/{task.pk}/update", {"status": "done", "progress": 100},
                           content_type="application/json", **headers)  # fmt: skip
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "not_started"


def test_without_a_token_nothing_is_served(client, setup):
    for url in endpoints(setup):
        assert client.get(url).status_code == 401, url


def test_village_heads_get_no_budget(client, village_head, setup):
    assert client.get(f"{BASE}/communes/21238/budget?year=2025", **bearer(village_head)).status_code == 403
