"""Tasks: units within the commune, dates and progress, updates with milestones, each unit's own list,
overdue tasks, and reminders that go out once per task and day."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import make_user
from smartcommune.accounts.models import Department, Role
from smartcommune.program import access
from smartcommune.program.models import Milestone, Reminder, Task, TaskComment, UnitKind
from smartcommune.program.services import tasks

from .conftest import jpeg_file, make_task, pdf_file

pytestmark = pytest.mark.django_db


def test_a_task_is_assigned_to_a_unit_of_its_commune(objective, villages, coop, other_village, other_coop):
    by_village = make_task(objective, "NV-02", unit=(UnitKind.VILLAGE, villages[1]))
    by_coop = make_task(objective, "NV-03", unit=(UnitKind.ORGANISATION, coop))
    front = make_task(objective, "NV-04", unit=(UnitKind.FRONT, None))
    assert (by_village.unit_label, by_coop.unit_label) == ("Thôn An Hòa", "HTX Đồng Lớn")
    assert front.unit_kind == UnitKind.FRONT and front.village is None and front.department == ""
    with pytest.raises(ValidationError) as error:
        make_task(objective, "NV-05", unit=(UnitKind.VILLAGE, other_village))
    assert "village" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_task(objective, "NV-06", unit=(UnitKind.ORGANISATION, other_coop))
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_task(objective, "NV-07", unit=(UnitKind.DEPARTMENT, ""))
    assert "department" in error.value.message_dict
    assert Task.objects.count() == 3


def test_a_deadline_before_the_start_is_refused(objective):
    with pytest.raises(ValidationError) as error:
        make_task(objective, start=date(2025, 9, 1), deadline=date(2025, 8, 31))
    assert "deadline" in error.value.message_dict
    assert not Task.objects.exists()


def test_codes_are_given_in_order_and_unique_in_the_commune(objective):
    first = tasks.task_create(
        objective=objective, by=None, title="a", unit_kind="front", start_on=date(2025, 1, 1), deadline=date(2025, 2, 1)
    )
    second = tasks.task_create(
        objective=objective, by=None, title="b", unit_kind="front", start_on=date(2025, 1, 1), deadline=date(2025, 2, 1)
    )
    assert (first.code, second.code) == ("NV-01", "NV-02")
    with pytest.raises(ValidationError):
        make_task(objective, "nv-01")


def test_progress_outside_0_to_100_is_refused_and_nothing_changes(task, official):
    for progress in (-1, 101):
        with pytest.raises(ValidationError) as error:
            tasks.task_update(task=task, by=official, status="in_progress", progress=progress, milestone_text="x")
        assert "progress" in error.value.message_dict
    task.refresh_from_db()
    assert (task.status, task.progress) == ("not_started", 0) and not Milestone.objects.exists()


def test_done_means_100_percent_and_a_completion_date(task, official):
    tasks.task_update(
        task=task, by=official, status="done", progress=60, happened_on=date(2025, 9, 20), milestone_text="Xong"
    )
    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == ("done", 100, date(2025, 9, 20))
    tasks.task_update(task=task, by=official, status="in_progress", progress=90)
    task.refresh_from_db()
    assert task.completed_on is None
    tasks.task_update(task=task, by=official, status="not_started", progress=10)
    task.refresh_from_db()
    assert task.status == "in_progress"  # progress means it has started


def test_a_milestone_keeps_a_cleaned_photo_and_a_pdf(task, official):
    tasks.task_update(
        task=task, by=official, status="in_progress", progress=40, milestone_text="Lắp thiết bị",
        happened_on=date(2025, 6, 1), photo=jpeg_file(with_gps=True), document=pdf_file(),
    )  # fmt: skip
    milestone = Milestone.objects.get()
    assert (milestone.progress, milestone.happened_on, milestone.by) == (40, date(2025, 6, 1), official)
    with default_storage.open(milestone.photo.name) as stored:
        image = Image.open(stored)
        assert max(image.size) <= 1600 and not image.getexif().get(0x8825)  # no GPS position kept
    assert milestone.document.name.endswith(".pdf")


def test_a_milestone_photo_must_be_a_photo_and_a_file_needs_a_text(task, official):
    with pytest.raises(ValidationError) as error:
        tasks.task_update(
            task=task, by=official, status="in_progress", progress=10, milestone_text="x", photo=pdf_file("anh.jpg")
        )
    assert "photo" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        tasks.task_update(task=task, by=official, status="in_progress", progress=10, photo=jpeg_file())
    assert "milestone_text" in error.value.message_dict
    task.refresh_from_db()
    assert task.progress == 0 and not Milestone.objects.exists()


def test_each_role_maps_to_its_unit(
    objective, villages, coop, official, village_head, front_officer, coop_manager, economy_official
):
    vhxh = make_task(objective, "NV-01", unit=(UnitKind.DEPARTMENT, Department.CULTURE_SOCIAL))
    kt = make_task(objective, "NV-02", unit=(UnitKind.DEPARTMENT, Department.ECONOMY))
    t01 = make_task(objective, "NV-03", unit=(UnitKind.VILLAGE, villages[0]))
    t02 = make_task(objective, "NV-04", unit=(UnitKind.VILLAGE, villages[1]))
    htx = make_task(objective, "NV-05", unit=(UnitKind.ORGANISATION, coop))
    front = make_task(objective, "NV-06", unit=(UnitKind.FRONT, None))
    commune = objective.plan.commune

    def mine(user):
        return set(Task.objects.filter(access.unit_condition(user, commune)).values_list("code", flat=True))

    assert mine(official) == {vhxh.code}
    assert mine(economy_official) == {kt.code}
    assert mine(village_head) == {t01.code}
    assert mine(coop_manager) == {htx.code}
    assert mine(front_officer) == {front.code}
    # Village heads and cooperative managers see their unit's tasks only; officials and the Front see all.
    assert set(access.tasks_for(village_head, commune).values_list("code", flat=True)) == {t01.code}
    assert set(access.tasks_for(coop_manager, commune).values_list("code", flat=True)) == {htx.code}
    assert access.tasks_for(front_officer, commune).count() == 6
    assert access.can_update_task(village_head, t01) and not access.can_update_task(village_head, t02)
    assert access.can_update_task(front_officer, front) and not access.can_update_task(front_officer, vhxh)
    assert access.can_update_task(official, t02)  # commune officials manage every task


def test_my_units_page_lists_only_my_units_tasks(login, village_head, objective, villages):
    make_task(objective, "NV-01", unit=(UnitKind.VILLAGE, villages[0]))
    make_task(objective, "NV-02", unit=(UnitKind.VILLAGE, villages[1]))
    page = login(village_head).get(reverse("program:my_tasks", args=["21238"])).content.decode()
    assert "NV-01" in page and "NV-02" not in page
    other = Task.objects.get(code="NV-02")
    assert login(village_head).get(reverse("program:task", args=["21238", other.pk])).status_code == 403


def test_a_village_head_updates_the_village_task_but_not_another(login, village_head, objective, villages):
    own = make_task(objective, "NV-01", unit=(UnitKind.VILLAGE, villages[0]))
    other = make_task(objective, "NV-02", unit=(UnitKind.VILLAGE, villages[1]))
    client = login(village_head)
    response = client.post(
        reverse("program:task_update", args=["21238", own.pk]), {"status": "in_progress", "progress": "30"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("program:task_update", args=["21238", other.pk]), {"status": "done", "progress": "100"}
    )
    assert response.status_code == 403
    own.refresh_from_db(), other.refresh_from_db()
    assert (own.progress, other.progress) == (30, 0)


def test_the_update_page_refuses_bad_progress_with_a_message(login, official, task):
    response = login(official).post(
        reverse("program:task_update", args=["21238", task.pk]), {"status": "in_progress", "progress": "150"}
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.progress == 0


def test_creating_a_task_through_the_page_refuses_a_unit_of_another_commune(
    login, official, objective, other_village, villages
):
    url = reverse("program:task_create", args=["21238"])
    data = {"objective": objective.pk, "title": "Lắp camera", "unit_kind": "village", "village": other_village.pk,
            "start_on": "01/10/2025", "deadline": "31/12/2025"}  # fmt: skip
    response = login(official).post(url, data)
    assert response.status_code == 400 and not Task.objects.exists()
    response = login(official).post(url, {**data, "village": villages[2].pk, "deadline": "01/09/2025"})
    assert response.status_code == 400 and not Task.objects.exists()
    response = login(official).post(url, {**data, "village": villages[2].pk})
    assert response.status_code == 302
    assert Task.objects.get().village == villages[2]


def test_an_objective_of_another_commune_cannot_be_used(login, official, other_plan):
    url = reverse("program:task_create", args=["21238"])
    data = {"objective": other_plan.objectives.get().pk, "title": "x", "unit_kind": "front",
            "start_on": "01/10/2025", "deadline": "31/12/2025"}  # fmt: skip
    assert login(official).post(url, data).status_code == 400
    assert not Task.objects.exists()


def test_overdue_tasks_are_listed_for_the_leadership(login, official, objective):
    today = timezone.localdate()
    make_task(objective, "NV-01", start=today - timedelta(days=60), deadline=today - timedelta(days=5))
    make_task(objective, "NV-02", start=today - timedelta(days=60), deadline=today + timedelta(days=5))
    done = make_task(objective, "NV-03", start=today - timedelta(days=60), deadline=today - timedelta(days=9))
    tasks.task_update(task=done, by=official, status="done", progress=100)
    page = login(official).get(reverse("program:overdue", args=["21238"])).content.decode()
    assert "NV-01" in page and "NV-02" not in page and "NV-03" not in page
    listing = login(official).get(reverse("program:tasks", args=["21238"])).content.decode()
    assert listing.count('class="overdue"') == 1


def test_anyone_who_sees_a_task_may_comment(login, village_head, objective, villages):
    own = make_task(objective, "NV-01", unit=(UnitKind.VILLAGE, villages[0]))
    response = login(village_head).post(reverse("program:task_comment", args=["21238", own.pk]), {"text": "Đã họp dân"})
    assert response.status_code == 302
    assert TaskComment.objects.get().author == village_head


def test_reminders_go_to_the_unit_once_per_task_and_day(objective, villages, coop, commune):
    today = timezone.localdate()
    head = make_user("head2", Role.VILLAGE_HEAD, commune=commune, village=villages[0])
    head.email, head.phone = "head2@example.invalid", "0912345678"
    head.save()
    officer = make_user("vhxh2", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.CULTURE_SOCIAL)
    officer.email = "vhxh2@example.invalid"
    officer.save()
    other_unit = make_user("kt2", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.ECONOMY)
    other_unit.email = "kt2@example.invalid"  # another department: not a recipient
    other_unit.save()
    soon = make_task(
        objective,
        "NV-01",
        unit=(UnitKind.VILLAGE, villages[0]),
        start=today - timedelta(days=10),
        deadline=today + timedelta(days=3),
    )
    make_task(
        objective,
        "NV-02",
        unit=(UnitKind.DEPARTMENT, "vhxh"),
        start=today - timedelta(days=10),
        deadline=today + timedelta(days=6),
    )
    make_task(objective, "NV-03", start=today - timedelta(days=10), deadline=today + timedelta(days=30))  # too far
    finished = make_task(objective, "NV-04", start=today - timedelta(days=10), deadline=today + timedelta(days=1))
    tasks.task_update(task=finished, by=None, status="done", progress=100)

    run = tasks.reminders_send(on=today, days=7)
    assert (run.tasks, run.skipped) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["head2@example.invalid", "vhxh2@example.invalid"]
    assert soon.code in mail.outbox[0].subject or soon.code in mail.outbox[1].subject
    again = tasks.reminders_send(on=today, days=7)
    assert (again.tasks, again.skipped) == (0, 2) and len(mail.outbox) == 2
    assert Reminder.objects.filter(day=today).count() == 2
    tomorrow = tasks.reminders_send(on=today + timedelta(days=1), days=7)
    assert tomorrow.tasks == 2 and len(mail.outbox) == 4


def test_the_reminder_command_is_idempotent(objective):
    today = timezone.localdate()
    make_task(objective, "NV-01", start=today - timedelta(days=3), deadline=today + timedelta(days=2))
    out = StringIO()
    call_command("program_reminders", "--days", "3", stdout=out)
    call_command("program_reminders", "--days", "3", stdout=out)
    assert Reminder.objects.count() == 1
    assert "1 tasks" in out.getvalue() and "1 already reminded" in out.getvalue()
