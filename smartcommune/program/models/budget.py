"""Money: funding sources and spending categories (reference data, program/data/catalogue.yaml), the
commune's budget lines per year, allocations to tasks, disbursements and settlement.

All amounts are whole đồng (VND) in BigIntegerFields. The limits — allocations within the line,
disbursements within the allocation and the line — are checked under row locks in services.budget,
and the database refuses negative amounts on its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.places.models import Commune

from .tasks import Task


class FundingSource(models.Model):
    """A source of funds (nguồn vốn): one of the six groups of the programme's reports, or a sub-source.

    Budget lines are held against sub-sources (or groups without sub-sources)."""

    class Kind(models.TextChoices):
        CASH = "cash", _("money")
        IN_KIND = "in_kind", _("labour days and in kind, converted to money")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("group")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CASH)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SpendingCategory(models.Model):
    """What money is spent on: an investment category or a recurrent-spending line."""

    class Kind(models.TextChoices):
        INVESTMENT = "investment", _("development investment")
        RECURRENT = "recurrent", _("recurrent spending")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("spending category")
        verbose_name_plural = _("spending categories")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """The money planned for a year from one source for one category and content (dòng dự toán)."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="budget_lines", verbose_name=_("commune"))
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.ForeignKey(FundingSource, models.PROTECT, related_name="lines", verbose_name=_("funding source"))
    category = models.ForeignKey(
        SpendingCategory, models.PROTECT, related_name="lines", verbose_name=_("spending category")
    )
    content = models.CharField(_("content"), max_length=300)
    planned = models.BigIntegerField(_("planned (VND)"))
    decision_number = models.CharField(_("decision allocating the funds"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "source__position", "category__position", "content"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "source", "category", "content"], name="unique_line"),
            models.CheckConstraint(condition=models.Q(planned__gte=0), name="line_planned_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source.code} {self.content}"


class Allocation(models.Model):
    """Part of a budget line given to a task (phân bổ)."""

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="allocations", verbose_name=_("budget line"))
    task = models.ForeignKey(Task, models.PROTECT, related_name="allocations", verbose_name=_("task"))
    amount = models.BigIntegerField(_("amount (VND)"))
    allocated_on = models.DateField(_("allocated on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["line", "task__code"]
        constraints = [
            models.UniqueConstraint(fields=["line", "task"], name="one_allocation_per_line_and_task"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line} → {self.task.code}"


class Disbursement(models.Model):
    """Money paid out of an allocation (giải ngân), with its voucher number; for community contributions in
    labour or in kind, the labour days × the daily rate plus the value of goods, converted to money."""

    allocation = models.ForeignKey(
        Allocation, models.PROTECT, related_name="disbursements", verbose_name=_("allocation")
    )
    paid_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"))
    document_number = models.CharField(_("voucher or record number"), max_length=60)
    labour_days = models.DecimalField(_("labour days"), max_digits=10, decimal_places=1, null=True, blank=True)
    daily_rate = models.BigIntegerField(_("value of a labour day (VND)"), null=True, blank=True)
    in_kind_value = models.BigIntegerField(_("value of goods given (VND)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.document_number} {self.amount}"


class Settlement(models.Model):
    """The settlement (quyết toán) of an allocation: the amount finally accepted; nothing is paid after it."""

    allocation = models.OneToOneField(
        Allocation, models.PROTECT, related_name="settlement", verbose_name=_("allocation")
    )
    settled_on = models.DateField(_("settled on"))
    amount = models.BigIntegerField(_("settled amount (VND)"))
    document_number = models.CharField(_("settlement decision number"), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="settlement_not_negative")]

    def __str__(self) -> str:
        return f"{self.document_number} {self.amount}"
