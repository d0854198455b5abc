"""The commune's plan: plan → objectives → measurable targets, and the figures entered for targets the
platform cannot compute. A target names HOW its current value is obtained: a core.metrics key (computed
from the platform's data) or figures entered by hand with evidence and the date they describe."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.places.models import Commune


class PlanQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "PlanQuerySet":
        return self.filter(commune=commune)


class Plan(models.Model):
    """A plan of the People's Committee (kế hoạch), e.g. "Kế hoạch số 45/KH-UBND" for 2025."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="plans", verbose_name=_("commune"))
    number = models.CharField(_("number"), max_length=60, help_text=_("As printed, e.g. 45/KH-UBND."))
    is_demo_number = models.BooleanField(_("illustrative number (demo)"), default=False)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=300)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    legal_bases = models.TextField(_("legal bases"), blank=True)
    document = models.FileField(_("signed document (PDF)"), upload_to="program/plans/%Y/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_from", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "number"], name="unique_plan_number"),
            models.CheckConstraint(condition=models.Q(period_to__gte=models.F("period_from")), name="plan_period"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Objective(models.Model):
    """An objective (mục tiêu / nhiệm vụ chung) of a plan; targets and tasks hang under it."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="objectives", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_objective_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "≥"
    AT_MOST = "<=", "≤"
    EQUAL = "==", "="


class Target(models.Model):
    """A measurable target (chỉ tiêu) of an objective, with where its current value comes from."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("number")
        PERCENT = "percent", _("percentage")
        YES_NO = "yes_no", _("yes / no")

    objective = models.ForeignKey(Objective, models.CASCADE, related_name="targets", verbose_name=_("objective"))
    code = models.CharField(_("code"), max_length=10, help_text=_("e.g. 1.2"))
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.NUMBER)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices, default=">=")
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=4)
    deadline = models.DateField(_("deadline"))
    metric_key = models.CharField(
        _("computed from (metric)"),
        max_length=120,
        blank=True,
        help_text=_("Key of a platform figure, e.g. registry.smartphone_pct; empty when figures are entered by hand."),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["objective", "code"]
        constraints = [models.UniqueConstraint(fields=["objective", "code"], name="unique_target_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def passes(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        if self.comparator == Comparator.AT_LEAST:
            return value >= self.target_value
        if self.comparator == Comparator.AT_MOST:
            return value <= self.target_value
        return value == self.target_value


class TargetFigure(models.Model):
    """A figure entered by hand for a target, with its evidence and the date it describes."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="figures", verbose_name=_("target"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    as_of = models.DateField(_("date of the figure"))
    evidence = models.FileField(_("evidence (PDF or image)"), upload_to="program/evidence/%Y/")
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entered figure")
        verbose_name_plural = _("entered figures")
        ordering = ["target", "-as_of", "-entered_at"]

    def __str__(self) -> str:
        return f"{self.target.code} {self.value} ({self.as_of})"
