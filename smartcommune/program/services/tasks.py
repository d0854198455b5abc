"""Writes on tasks: creation and assignment, updates with milestones, comments, deadline reminders."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smartcommune.accounts.models import Department, Role, RoleAssignment, User
from smartcommune.core import images, notify
from smartcommune.places.models import Village
from smartcommune.registry.models import Organisation

from .. import files
from ..models import Milestone, Objective, Reminder, Task, TaskComment, UnitKind

EDITABLE = ("title", "description", "unit_kind", "department", "village", "organisation", "start_on", "deadline")


def _check(task: Task) -> None:
    """The unit belongs to the task's commune; dates and progress make sense. Clears unused unit fields."""
    problems = {}
    kind = task.unit_kind
    if kind not in UnitKind.values:
        problems["unit_kind"] = _("Choose the responsible unit.")
    if kind == UnitKind.DEPARTMENT:
        if task.department not in Department.values:
            problems["department"] = _("Choose the department.")
    else:
        task.department = ""
    if kind == UnitKind.VILLAGE:
        village = Village.objects.filter(pk=task.village_id).first() if task.village_id else None
        if village is None:
            problems["village"] = _("Choose the village.")
        elif village.commune_id != task.commune_id:
            problems["village"] = _("The village does not belong to this commune.")
    else:
        task.village = None
    if kind == UnitKind.ORGANISATION:
        organisation = Organisation.objects.filter(pk=task.organisation_id).first() if task.organisation_id else None
        if organisation is None:
            problems["organisation"] = _("Choose the organisation.")
        elif organisation.commune_id != task.commune_id:
            problems["organisation"] = _("The organisation does not belong to this commune.")
    else:
        task.organisation = None
    if task.objective.plan.commune_id != task.commune_id:
        problems["objective"] = _("The objective belongs to another commune's plan.")
    if task.start_on and task.deadline and task.deadline < task.start_on:
        problems["deadline"] = _("The deadline cannot be before the start.")
    if task.progress is None or not 0 <= task.progress <= 100:
        problems["progress"] = _("Progress lies between 0 and 100 %.")
    if problems:
        raise ValidationError(problems)


def _next_code(commune_id: int) -> str:
    codes = Task.objects.filter(commune_id=commune_id, code__startswith="NV-").values_list("code", flat=True)
    numbers = [int(c[3:]) for c in codes if c[3:].isdigit()]
    return f"NV-{max(numbers, default=0) + 1:02d}"


@transaction.atomic
def task_create(*, objective: Objective, by: User | None, code: str = "", **fields) -> Task:
    task = Task(objective=objective, commune_id=objective.plan.commune_id, created_by=by, progress=0)
    for name in EDITABLE:
        if name in fields:
            setattr(task, name, fields[name])
    _check(task)
    task.code = (code or "").strip().upper() or _next_code(task.commune_id)
    if Task.objects.filter(commune_id=task.commune_id, code=task.code).exists():
        raise ValidationError({"code": _("Another task of this commune already has this code.")})
    task.save()
    return task


@transaction.atomic
def task_edit(*, task: Task, objective: Objective | None = None, **fields) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if objective is not None:
        task.objective = objective
    for name in EDITABLE:
        if name in fields:
            setattr(task, name, fields[name])
    _check(task)
    task.save()
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    by: User,
    status: str,
    progress: int,
    milestone_text: str = "",
    happened_on: date | None = None,
    photo=None,
    document=None,
) -> Task:
    """The unit's update: status and progress, with an optional milestone (text, photo, document)."""
    task = Task.objects.select_for_update().select_related("objective__plan").get(pk=task.pk)
    today = timezone.localdate()
    happened_on = happened_on or today
    problems = {}
    if status not in Task.Status.values:
        problems["status"] = _("Choose a status.")
    if progress is None or not 0 <= progress <= 100:
        problems["progress"] = _("Progress lies between 0 and 100 %.")
    if happened_on > today:
        problems["happened_on"] = _("The date cannot be in the future.")
    if (photo or document) and not milestone_text.strip():
        problems["milestone_text"] = _("Say what the photo or document shows.")
    if problems:
        raise ValidationError(problems)
    if status == Task.Status.NOT_STARTED and progress > 0:
        status = Task.Status.IN_PROGRESS  # progress means it has started
    if status == Task.Status.DONE:
        progress = 100
        task.completed_on = task.completed_on or happened_on
    else:
        task.completed_on = None
    task.status, task.progress = status, progress
    cleaned_photo = cleaned_document = None
    try:
        cleaned_photo = images.clean_image(photo) if photo else None
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    try:
        cleaned_document = files.clean_document(document, pdf_only=True) if document else None
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error
    task.save()
    if milestone_text.strip():
        Milestone.objects.create(
            task=task,
            happened_on=happened_on,
            text=milestone_text.strip(),
            photo=cleaned_photo or "",
            document=cleaned_document or "",
            progress=progress,
            by=by,
        )
    return task


@transaction.atomic
def task_comment_add(*, task: Task, author: User, text: str) -> TaskComment:
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    return TaskComment.objects.create(task=task, author=author, text=text.strip()[:4000])


def unit_members(task: Task) -> list[User]:
    """The people of the unit a task is assigned to, who receive its reminders."""
    assignments = RoleAssignment.objects.in_commune(task.commune).filter(user__is_active=True)
    if task.unit_kind == UnitKind.DEPARTMENT:
        assignments = assignments.filter(role=Role.COMMUNE_OFFICIAL, department=task.department)
    elif task.unit_kind == UnitKind.VILLAGE:
        assignments = assignments.filter(role=Role.VILLAGE_HEAD, village_id=task.village_id)
    elif task.unit_kind == UnitKind.ORGANISATION:
        code = task.organisation.code if task.organisation_id else None
        assignments = assignments.filter(role=Role.COOP_MANAGER, organisation_code=code)
    else:
        assignments = assignments.filter(role=Role.FRONT_OFFICER)
    return list(User.objects.filter(pk__in=assignments.values("user_id")).order_by("pk"))


@dataclass
class ReminderRun:
    tasks: int = 0
    messages: int = 0
    skipped: int = 0  # already reminded that day


def reminders_send(*, on: date, days: int) -> ReminderRun:
    """Remind each open task's unit when its deadline is within `days` days of `on`: once per task and day,
    however often this runs (the Reminder row is written before anything is sent)."""
    run = ReminderRun()
    due = Task.objects.open().filter(deadline__gte=on, deadline__lte=on + timedelta(days=days))
    for task in due.select_related("commune", "village", "organisation").order_by("deadline", "pk"):
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(task=task, day=on)
        except IntegrityError:
            run.skipped += 1
            continue
        people = unit_members(task)
        url = settings.SITE_URL + reverse("program:task", args=[task.commune.code, task.pk])
        with translation.override(settings.LANGUAGE_CODE):
            left = (task.deadline - on).days
            subject = _("Task %(code)s is due on %(date)s") % {"code": task.code, "date": f"{task.deadline:%d/%m/%Y}"}
            body = _("%(title)s — %(days)s days left, progress %(progress)s %%.") % {
                "title": task.title,
                "days": left,
                "progress": task.progress,
            }
        for person in people:
            if notify.send(notify.Message(subject=subject, body=body, email=person.email, phone=person.phone, url=url)):
                run.messages += 1
        reminder.recipients = len(people)
        reminder.save(update_fields=["recipients"])
        run.tasks += 1
    return run
