"""Tasks under the plan's objectives, each assigned to one unit: a department of the People's Committee,
a village, an organisation (cooperative…) or the Fatherland Front; their milestones, comments and the
reminders already sent."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.accounts.models import Department
from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Organisation

from .plans import Objective


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("department of the commune")
    VILLAGE = "village", _("village")
    ORGANISATION = "organisation", _("cooperative or organisation")
    FRONT = "front", _("Fatherland Front")


class TaskQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "TaskQuerySet":
        return self.filter(commune=commune)

    def open(self) -> "TaskQuerySet":
        return self.filter(status__in=Task.OPEN)

    def overdue(self, on: date) -> "TaskQuerySet":
        return self.open().filter(deadline__lt=on)


class Task(models.Model):
    """A task (nhiệm vụ) of the plan, with its unit, dates, status and progress."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="program_tasks", verbose_name=_("commune"))
    objective = models.ForeignKey(Objective, models.PROTECT, related_name="tasks", verbose_name=_("objective"))
    code = models.CharField(_("code"), max_length=20, help_text=_("Stable code, unique in the commune, e.g. NV-07."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit_kind = models.CharField(_("responsible unit"), max_length=12, choices=UnitKind.choices)
    department = models.CharField(_("department"), max_length=4, choices=Department.choices, blank=True)
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="program_tasks", verbose_name=_("village")
    )
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="program_tasks",
        verbose_name=_("organisation"),
    )
    start_on = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="unique_task_code"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_at_most_100"),
            models.CheckConstraint(condition=models.Q(deadline__gte=models.F("start_on")), name="task_deadline"),
        ]
        indexes = [models.Index(fields=["commune", "status", "deadline"], name="program_task_open_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def unit_label(self) -> str:
        if self.unit_kind == UnitKind.DEPARTMENT:
            return self.get_department_display()
        if self.unit_kind == UnitKind.VILLAGE and self.village_id:
            return self.village.name
        if self.unit_kind == UnitKind.ORGANISATION and self.organisation_id:
            return self.organisation.name
        return str(UnitKind(self.unit_kind).label) if self.unit_kind else ""

    def is_overdue(self, on: date) -> bool:
        return self.status in self.OPEN and self.deadline < on


class Milestone(models.Model):
    """A dated step of a task, with an optional photo (EXIF stripped) and document: CONSUL's milestones."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="milestones", verbose_name=_("task"))
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    photo = models.FileField(_("photo"), upload_to="program/milestones/%Y/", blank=True)
    document = models.FileField(_("document (PDF)"), upload_to="program/milestones/%Y/", blank=True)
    progress = models.PositiveSmallIntegerField(_("progress at this step (%)"), null=True, blank=True)
    by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.happened_on}"


class TaskComment(models.Model):
    """A comment on a task, by anyone who may see it."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="comments", verbose_name=_("task"))
    author = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.text[:40]}"


class Reminder(models.Model):
    """A deadline reminder sent for a task on a day: at most one per task and day."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="reminders", verbose_name=_("task"))
    day = models.DateField(_("day"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["task", "day"], name="one_reminder_per_task_and_day")]

    def __str__(self) -> str:
        return f"{self.task.code} {self.day}"
