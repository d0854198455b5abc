"""Writes on training classes, attendance, materials and outreach activities."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.registry.models import Household, Organisation

from .. import files
from ..models import Attendance, Material, OutreachActivity, TrainingClass

MAX_PARTICIPANTS = 1000


def _place_problems(record, commune_id: int) -> dict:
    problems = {}
    if record.village_id and record.village.commune_id != commune_id:
        problems["village"] = _("The village does not belong to this commune.")
    if record.task_id and record.task.commune_id != commune_id:
        problems["task"] = _("The task belongs to another commune.")
    return problems


@transaction.atomic
def class_save(*, training_class: TrainingClass) -> TrainingClass:
    problems = _place_problems(training_class, training_class.commune_id)
    if problems:
        raise ValidationError(problems)
    training_class.save()
    return training_class


@transaction.atomic
def attendance_record(
    *,
    training_class: TrainingClass,
    participants: int,
    household: Household | None = None,
    organisation: Organisation | None = None,
    group_name: str = "",
) -> Attendance:
    """Record (or correct) how many people of a household, organisation or group attended."""
    group_name = group_name.strip()
    given = [x for x in (household, organisation, group_name) if x]
    problems = {}
    if len(given) != 1:
        problems["__all__"] = _("Give one household, one organisation or one group.")
    for record, field in ((household, "household"), (organisation, "organisation")):
        if record is not None and record.commune_id != training_class.commune_id:
            problems[field] = _("Not found in this commune.")
    if participants is None or not 1 <= participants <= MAX_PARTICIPANTS:
        problems["participants"] = _("Enter the number of participants, at least 1.")
    if problems:
        raise ValidationError(problems)
    if household is not None:
        attendance, _created = Attendance.objects.update_or_create(
            training_class=training_class, household=household, defaults={"participants": participants}
        )
    elif organisation is not None:
        attendance, _created = Attendance.objects.update_or_create(
            training_class=training_class, organisation=organisation, defaults={"participants": participants}
        )
    else:
        attendance, _created = Attendance.objects.update_or_create(
            training_class=training_class,
            household=None,
            organisation=None,
            group_name=group_name,
            defaults={"participants": participants},
        )
    return attendance


@transaction.atomic
def material_add(*, training_class: TrainingClass, upload, by: User | None) -> Material:
    upload = files.clean_document(upload, office=True)  # a photo comes back re-encoded, without its GPS position
    return Material.objects.create(
        training_class=training_class, file=upload, name=upload.name[:200], size=upload.size, uploaded_by=by
    )


@transaction.atomic
def outreach_save(*, activity: OutreachActivity) -> OutreachActivity:
    problems = _place_problems(activity, activity.commune_id)
    if activity.held_on and activity.held_on > timezone.localdate():
        problems["held_on"] = _("The date cannot be in the future.")
    if problems:
        raise ValidationError(problems)
    activity.save()
    return activity
