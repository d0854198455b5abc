"""The programme's figures for other parts (see core.metrics): the plan's own targets and the portal use them."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from smartcommune.core import metrics

from . import checklist, selectors
from .models import Asset, Task


def smart_villages(commune, on: date) -> metrics.Reading | None:
    passing, total = checklist.smart_villages(commune, on)
    if not total:
        return None
    return metrics.Reading(Decimal(passing), on, f"{passing} / {total}")


def _training(attribute: str):
    def compute(commune, on: date) -> metrics.Reading | None:
        totals = selectors.training_totals(commune, on.year, until=on)
        if not totals.classes and not totals.outreach_activities:
            return None
        return metrics.Reading(Decimal(getattr(totals, attribute)), on)

    return compute


def wifi_points(commune, on: date) -> metrics.Reading | None:
    installed = Q(installed_on__isnull=True) | Q(installed_on__lte=on)
    points = Asset.objects.filter(installed, commune=commune, kind=Asset.Kind.WIFI, status=Asset.Status.ACTIVE)
    count = points.count()
    return metrics.Reading(Decimal(count), on) if count or Asset.objects.filter(commune=commune).exists() else None


def budget_disbursed_pct(commune, on: date) -> metrics.Reading | None:
    summary = selectors.budget_summary(commune, on.year, until=on)
    if not summary.total.planned:
        return None
    total = summary.total
    return metrics.Reading(total.rate, on, f"{total.disbursed} / {total.planned}")


def tasks_overdue(commune, on: date) -> metrics.Reading | None:
    counts = Task.objects.filter(commune=commune).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(status__in=Task.OPEN, deadline__lt=on))
    )
    if not counts["total"]:
        return None
    return metrics.Reading(Decimal(counts["overdue"]), on, f"{counts['overdue']} / {counts['total']}")


def tasks_done_pct(commune, on: date) -> metrics.Reading | None:
    counts = (
        Task.objects.filter(commune=commune)
        .exclude(status=Task.Status.CANCELLED)
        .aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=Task.Status.DONE, completed_on__lte=on)))
    )
    if not counts["total"]:
        return None
    value = (Decimal(counts["done"]) * 100 / counts["total"]).quantize(Decimal("0.1"))
    return metrics.Reading(value, on, f"{counts['done']} / {counts['total']}")


def register() -> None:
    source = _("programme")
    metrics.register(
        "program.smart_villages",
        _("Villages passing the smart-village checklist"),
        smart_villages,
        unit=_("villages"),
        source=_("smart-village checklist"),
    )
    metrics.register(
        "program.classes_held",
        _("Training classes held this year"),
        _training("classes"),
        unit=_("classes"),
        source=source,
    )
    metrics.register(
        "program.people_trained",
        _("People trained this year"),
        _training("participants"),
        unit=_("people"),
        source=source,
    )
    metrics.register(
        "program.households_trained",
        _("Households with a member trained this year"),
        _training("households"),
        unit=_("households"),
        source=source,
    )
    metrics.register(
        "program.outreach_reach",
        _("People reached by outreach this year"),
        _training("outreach_reach"),
        unit=_("people"),
        source=source,
    )
    metrics.register(
        "program.public_wifi_points",
        _("Public Wi-Fi points working"),
        wifi_points,
        unit=_("points"),
        source=_("infrastructure inventory"),
    )
    metrics.register(
        "program.budget_disbursed_pct",
        _("Budget disbursed this year (%)"),
        budget_disbursed_pct,
        unit="%",
        source=source,
    )
    metrics.register("program.tasks_overdue", _("Plan tasks overdue"), tasks_overdue, unit=_("tasks"), source=source)
    metrics.register("program.tasks_done_pct", _("Plan tasks done (%)"), tasks_done_pct, unit="%", source=source)
