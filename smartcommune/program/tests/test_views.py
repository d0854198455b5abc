"""Who sees and changes what, on every page: the other commune's official sees and changes nothing, the
province reads without changing, village heads stay out of the budget, residents see nothing."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from smartcommune.program.models import Asset, DigitalTeam, TrainingClass
from smartcommune.program.services import budget, infrastructure, training

from .conftest import jpeg_file, make_line, pdf_file, smartphone_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(commune, villages, plan, objective, task, sources, categories):
    target = smartphone_target(objective)
    line = make_line(commune, sources, categories, 50_000_000)
    allocation = budget.allocation_set(line=line, task=task, amount=20_000_000, allocated_on=date(2025, 3, 1), by=None)
    training_class = training.class_save(
        training_class=TrainingClass(commune=commune, title="Lớp", topic="digital_skills", audience="residents",
                                     held_on=date(2025, 5, 1), place="Nhà văn hóa", trainer="Tổ")
    )  # fmt: skip
    team = infrastructure.team_save(
        team=DigitalTeam(commune=commune, village=villages[0], name="Tổ", founded_on=date(2025, 8, 1))
    )
    asset = infrastructure.asset_save(
        asset=Asset(commune=commune, kind="wifi", name="Wi-Fi", latitude=15.03, longitude=108.8, village=villages[0])
    )
    return {
        "plan": plan, "objective": objective, "target": target, "task": task, "line": line, "allocation": allocation,
        "class": training_class, "team": team, "asset": asset,
    }  # fmt: skip


def pages(o) -> dict[str, str]:
    """Every page of the programme for Vệ Giang, by name."""
    c = "21238"
    return {
        "home": reverse("program:home", args=[c]),
        "plans": reverse("program:plans", args=[c]),
        "plan_create": reverse("program:plan_create", args=[c]),
        "plan": reverse("program:plan", args=[c, o["plan"].pk]),
        "plan_edit": reverse("program:plan_edit", args=[c, o["plan"].pk]),
        "objective_create": reverse("program:objective_create", args=[c, o["plan"].pk]),
        "objective_edit": reverse("program:objective_edit", args=[c, o["objective"].pk]),
        "target_create": reverse("program:target_create", args=[c, o["objective"].pk]),
        "target": reverse("program:target", args=[c, o["target"].pk]),
        "target_edit": reverse("program:target_edit", args=[c, o["target"].pk]),
        "tasks": reverse("program:tasks", args=[c]),
        "my_tasks": reverse("program:my_tasks", args=[c]),
        "overdue": reverse("program:overdue", args=[c]),
        "task_create": reverse("program:task_create", args=[c]),
        "task": reverse("program:task", args=[c, o["task"].pk]),
        "task_edit": reverse("program:task_edit", args=[c, o["task"].pk]),
        "budget": reverse("program:budget", args=[c]),
        "line_create": reverse("program:line_create", args=[c]),
        "line": reverse("program:line", args=[c, o["line"].pk]),
        "budget_report": reverse("program:budget_report", args=[c, 2025, "ca-nam"]),
        "training": reverse("program:training", args=[c]),
        "class_create": reverse("program:class_create", args=[c]),
        "class": reverse("program:class", args=[c, o["class"].pk]),
        "class_edit": reverse("program:class_edit", args=[c, o["class"].pk]),
        "outreach": reverse("program:outreach", args=[c]),
        "infrastructure": reverse("program:infrastructure", args=[c]),
        "asset_create": reverse("program:asset_create", args=[c]),
        "asset_edit": reverse("program:asset_edit", args=[c, o["asset"].pk]),
        "coverage": reverse("program:coverage", args=[c]),
        "teams": reverse("program:teams", args=[c]),
        "team": reverse("program:team", args=[c, o["team"].pk]),
        "channels": reverse("program:channels", args=[c]),
        "village": reverse("program:village", args=[c, "T01"]),
        "progress_pdf": reverse("program:progress_report", args=[c, "pdf"]),
        "progress_xlsx": reverse("program:progress_report", args=[c, "xlsx"]),
    }


def posts(o, villages) -> list[tuple[str, dict]]:
    """A valid submission for every form, so that only the permission stands between it and a change."""
    c = "21238"
    return [
        (reverse("program:plan_create", args=[c]), {"number": "1/KH", "issued_on": "01/01/2025", "title": "x",
                                                     "period_from": "01/01/2025", "period_to": "31/12/2025"}),
        (reverse("program:plan_edit", args=[c, o["plan"].pk]), {"number": "2/KH", "issued_on": "01/01/2025", "title": "x",
                                                                 "period_from": "01/01/2025", "period_to": "31/12/2025"}),
        (reverse("program:objective_create", args=[c, o["plan"].pk]), {"number": 5, "title": "x"}),
        (reverse("program:objective_edit", args=[c, o["objective"].pk]), {"number": 1, "title": "đổi"}),
        (reverse("program:target_create", args=[c, o["objective"].pk]), {"code": "9.9", "name": "x", "kind": "number",
                                                                         "comparator": ">=", "target_value": "1",
                                                                         "deadline": "31/12/2025"}),
        (reverse("program:target", args=[c, o["target"].pk]), {"value": "50", "as_of": "30/06/2025", "evidence": pdf_file()}),
        (reverse("program:task_create", args=[c]), {"objective": o["objective"].pk, "title": "x", "unit_kind": "front",
                                                     "start_on": "01/01/2025", "deadline": "31/12/2025"}),
        (reverse("program:task_edit", args=[c, o["task"].pk]), {"objective": o["objective"].pk, "title": "đổi",
                                                                 "unit_kind": "front", "start_on": "01/01/2025",
                                                                 "deadline": "31/12/2025"}),
        (reverse("program:task_update", args=[c, o["task"].pk]), {"status": "done", "progress": "100",
                                                                   "milestone_text": "x", "photo": jpeg_file()}),
        (reverse("program:task_comment", args=[c, o["task"].pk]), {"text": "x"}),
        (reverse("program:line_create", args=[c]), {"year": 2025, "source": o["line"].source_id,
                                                     "category": o["line"].category_id, "content": "y", "planned": "1.000"}),
        (reverse("program:line", args=[c, o["line"].pk]), {"planned": "60.000.000"}),
        (reverse("program:allocate", args=[c, o["line"].pk]), {"task": o["task"].pk, "amount": "1.000",
                                                                "allocated_on": "01/03/2025"}),
        (reverse("program:disburse", args=[c, o["line"].pk]), {"allocation": o["allocation"].pk, "paid_on": "01/04/2025",
                                                                "amount": "1.000", "document_number": "PC"}),
        (reverse("program:settle", args=[c, o["line"].pk]), {"allocation": o["allocation"].pk, "settled_on": "01/04/2025",
                                                              "amount": "0", "document_number": "QĐ"}),
        (reverse("program:class_create", args=[c]), {"title": "x", "topic": "other", "audience": "residents",
                                                      "held_on": "01/05/2025", "place": "x", "trainer": "x"}),
        (reverse("program:class_edit", args=[c, o["class"].pk]), {"title": "đổi", "topic": "other", "audience": "residents",
                                                                   "held_on": "01/05/2025", "place": "x", "trainer": "x"}),
        (reverse("program:attendance", args=[c, o["class"].pk]), {"group_name": "Phòng", "participants": "3"}),
        (reverse("program:material", args=[c, o["class"].pk]), {"file": pdf_file()}),
        (reverse("program:outreach", args=[c]), {"held_on": "01/05/2025", "channel": "web", "title": "x", "reach": "5"}),
        (reverse("program:asset_create", args=[c]), {"kind": "camera", "name": "x", "latitude": "15,03", "longitude": "108,8",
                                                      "quantity": "1", "status": "active"}),
        (reverse("program:asset_edit", args=[c, o["asset"].pk]), {"kind": "wifi", "name": "đổi", "latitude": "15,03",
                                                                   "longitude": "108,8", "quantity": "1", "status": "active"}),
        (reverse("program:coverage", args=[c]), {"village": villages[0].pk, "technology": "fibre", "households_covered": "5",
                                                  "as_of": "01/05/2025"}),
        (reverse("program:teams", args=[c]), {"name": "Tổ mới", "founded_on": "01/05/2025", "is_active": "on"}),
        (reverse("program:team", args=[c, o["team"].pk]), {"full_name": "Mẫu", "position": "member"}),
        (reverse("program:channels", args=[c]), {"platform": "zalo", "name": "Zalo", "started_on": "01/05/2025",
                                                  "is_active": "on"}),
        (reverse("program:village", args=[c, "T01"]), {"item_code": "thong-bao-so", "passed": "1",
                                                        "ticked_on": "01/05/2025", "evidence": pdf_file()}),
    ]  # fmt: skip


def snapshot() -> dict[str, list]:
    """Every programme row, field by field: a refused request must leave this unchanged."""
    state = {}
    for model in apps.get_app_config("program").get_models():
        if model._meta.model_name.startswith("historical"):
            continue
        state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


def test_the_other_communes_official_sees_no_page_and_changes_nothing(login, outsider, everything, villages):
    client = login(outsider)
    for name, url in pages(everything).items():
        assert client.get(url).status_code == 403, name
    before = snapshot()
    for url, data in posts(everything, villages):
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_residents_see_nothing_and_anonymous_visitors_are_sent_to_log_in(client, login, resident, everything):
    for url in pages(everything).values():
        assert client.get(url).status_code == 302
    client = login(resident)
    for name, url in pages(everything).items():
        assert client.get(url).status_code == 403, name


def test_the_province_reads_every_page_and_changes_nothing(login, province_official, everything, villages):
    client = login(province_official)
    writes = {"plan_create", "plan_edit", "objective_create", "objective_edit", "target_create", "target_edit",
              "task_create", "task_edit", "line_create", "class_create", "class_edit", "asset_create", "asset_edit"}  # fmt: skip
    for name, url in pages(everything).items():
        assert client.get(url).status_code == (403 if name in writes else 200), name
    before = snapshot()
    for url, data in posts(everything, villages):
        if "y-kien" in url:
            continue  # commenting is allowed to whoever sees the task
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_a_village_head_stays_out_of_the_budget_and_the_management_forms(login, village_head, everything, villages):
    client = login(village_head)
    p = pages(everything)
    for name in ("budget", "line", "budget_report", "progress_pdf", "progress_xlsx", "line_create"):
        assert client.get(p[name]).status_code == 403, name
    for name in ("home", "plan", "target", "training", "infrastructure", "village", "my_tasks"):
        assert client.get(p[name]).status_code == 200, name
    assert client.get(p["task"]).status_code == 403  # a task of a department, not of the village
    before = snapshot()
    for url, data in posts(everything, villages):
        if "y-kien" in url or "cap-nhat" in url:
            continue
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_a_commune_official_opens_every_page(login, official, everything):
    client = login(official)
    for name, url in pages(everything).items():
        response = client.get(url)
        assert response.status_code == 200, name
    pdf = client.get(pages(everything)["progress_pdf"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_every_valid_submission_of_an_official_is_accepted(login, official, everything, villages):
    client = login(official)
    for url, data in posts(everything, villages):
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:3000])


def test_a_missing_object_or_one_of_another_commune_is_not_found(login, official, other_plan):
    client = login(official)
    assert client.get(reverse("program:plan", args=["21238", other_plan.pk])).status_code == 404
    assert client.get(reverse("program:village", args=["21238", "X01"])).status_code == 404
    assert client.get(reverse("program:budget_report", args=["21238", 2025, "quy"])).status_code == 404
    assert client.get(reverse("program:progress_report", args=["21238", "doc"])).status_code == 404


def test_the_task_list_makes_the_same_number_of_queries_whatever_the_tasks(
    login, official, objective, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_task

    client = login(official)
    url = reverse("program:tasks", args=["21238"])
    make_task(objective, "NV-01")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(2, 30):
        make_task(objective, f"NV-{n:02d}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
