"""Reads for the programme's pages, reports, API and metrics, with their joins applied.

A target's current value comes from core.metrics when its metric exists and has data, else from the
latest figure entered by hand: always with where it came from and the date it describes."""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from smartcommune.core import metrics
from smartcommune.places.models import Commune

from . import checklist
from .models import (
    Allocation,
    Attendance,
    BudgetLine,
    Disbursement,
    FundingSource,
    Objective,
    OutreachActivity,
    Plan,
    Settlement,
    SpendingCategory,
    Target,
    TargetFigure,
    Task,
    TrainingClass,
)

logger = logging.getLogger(__name__)

# Targets -----------------------------------------------------------------------------------------


@dataclass
class TargetReading:
    target: Target
    value: Decimal | None
    as_of: date | None
    computed: bool  # True: computed from the platform's data; False: entered by hand
    source: str
    detail: str = ""
    evidence_url: str = ""
    note: str = ""  # why an entered figure stands in for a computed one

    @property
    def met(self) -> bool | None:
        return self.target.passes(self.value)

    @property
    def progress(self) -> int | None:
        """How far toward the target, 0–100, for the progress bar."""
        if self.value is None:
            return None
        goal = self.target.target_value
        if self.target.comparator == ">=" and goal > 0:
            return max(0, min(100, int(self.value * 100 / goal)))
        return 100 if self.met else 0


def _read_metric(key: str, commune: Commune, on: date) -> metrics.Reading | None:
    try:
        return metrics.read(key, commune, on)
    except Exception:  # another part's failing figure must not take the plan page down
        logger.exception("metric %s failed", key)
        return None


def target_readings(targets: list[Target], commune: Commune, on: date) -> list[TargetReading]:
    """The current value of each target on `on`: two queries for the entered figures, one read per metric."""
    latest: dict[int, TargetFigure] = {}
    figures = (
        TargetFigure.objects.filter(target__in=targets, as_of__lte=on)
        .select_related("entered_by")
        .order_by("target_id", "-as_of", "-entered_at")
    )
    for figure in figures:
        latest.setdefault(figure.target_id, figure)
    readings = []
    for target in targets:
        note = ""
        if target.metric_key:
            metric = metrics.get(target.metric_key)
            if metric is None:
                note = _("The figure %(key)s is not available on this platform yet.") % {"key": target.metric_key}
            else:
                reading = _read_metric(target.metric_key, commune, on)
                if reading is not None:
                    readings.append(
                        TargetReading(
                            target,
                            reading.value,
                            reading.as_of,
                            True,
                            str(metric.source or metric.label),
                            reading.detail,
                        )
                    )
                    continue
                note = _("%(label)s has no data yet.") % {"label": metric.label}
        figure = latest.get(target.pk)
        if figure is None:
            readings.append(TargetReading(target, None, None, False, "", note=note))
            continue
        who = figure.entered_by.get_full_name() if figure.entered_by else _("an official")
        readings.append(
            TargetReading(
                target,
                figure.value,
                figure.as_of,
                False,
                _("entered by %(who)s") % {"who": who},
                figure.note,
                figure.evidence.url if figure.evidence else "",
                note,
            )
        )
    return readings


@dataclass
class ObjectiveView:
    objective: Objective
    readings: list[TargetReading]
    tasks: Counter


def plan_overview(plan: Plan, on: date) -> list[ObjectiveView]:
    objectives = list(plan.objectives.prefetch_related("targets").order_by("number"))
    targets = [t for o in objectives for t in o.targets.all()]
    readings = {r.target.pk: r for r in target_readings(targets, plan.commune, on)}
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in Task.objects.filter(objective__plan=plan).values("objective_id", "status", "deadline"):
        counts[row["objective_id"]][row["status"]] += 1
        if row["status"] in Task.OPEN and row["deadline"] < on:
            counts[row["objective_id"]]["overdue"] += 1
    return [ObjectiveView(o, [readings[t.pk] for t in o.targets.all()], counts[o.pk]) for o in objectives]


def plan_for(commune: Commune, on: date) -> Plan | None:
    """The plan in force on `on`, else the latest."""
    plans = Plan.objects.in_commune(commune)
    return plans.filter(period_from__lte=on, period_to__gte=on).order_by("-period_from").first() or plans.first()


# Tasks -------------------------------------------------------------------------------------------


def task_list(
    tasks: QuerySet[Task], *, status: str = "", unit_kind: str = "", overdue_on: date | None = None, q: str = ""
) -> QuerySet[Task]:
    qs = tasks.select_related("objective__plan", "village", "organisation")
    if status:
        qs = qs.filter(status=status)
    if unit_kind:
        qs = qs.filter(unit_kind=unit_kind)
    if overdue_on:
        qs = qs.overdue(overdue_on)
    if q:
        qs = qs.filter(Q(code__iexact=q.strip()) | Q(title__icontains=q.strip()))
    return qs.order_by("deadline", "code")


def task_counts(tasks: QuerySet[Task], on: date) -> dict[str, int]:
    counts = tasks.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=Task.OPEN, deadline__lt=on)),
        **{status: Count("pk", filter=Q(status=status)) for status in Task.Status.values},
    )
    return counts


# Budget ------------------------------------------------------------------------------------------


@dataclass
class Amounts:
    planned: int = 0
    allocated: int = 0
    disbursed: int = 0
    settled: int = 0

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(
            self.planned + other.planned,
            self.allocated + other.allocated,
            self.disbursed + other.disbursed,
            self.settled + other.settled,
        )

    @property
    def remaining(self) -> int:
        return self.planned - self.disbursed

    @property
    def rate(self) -> Decimal | None:
        """Disbursed as a percentage of planned."""
        return (Decimal(self.disbursed) * 100 / self.planned).quantize(Decimal("0.1")) if self.planned else None


@dataclass
class Row:
    code: str
    label: str
    level: int  # 0: group or subtotal, 1: sub-source or category
    amounts: Amounts


@dataclass(frozen=True)
class LineInfo:
    """What the summary needs of a budget line."""

    pk: int
    content: str
    planned: int
    decision_number: str
    source: FundingSource
    category: SpendingCategory


@dataclass
class LineRow:
    line: LineInfo
    amounts: Amounts


@dataclass
class BudgetSummary:
    commune: Commune
    year: int
    until: date | None  # disbursements and settlements up to this date; None: all of them
    by_source: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    lines: list[LineRow] = field(default_factory=list)
    total: Amounts = field(default_factory=Amounts)


def _sums(qs, key: str, amount: str = "amount") -> dict[int, int]:
    return {row[key]: row["total"] or 0 for row in qs.values(key).annotate(total=Sum(amount)).order_by()}


def budget_summary(commune: Commune, year: int, until: date | None = None) -> BudgetSummary:
    """Planned, allocated, disbursed and settled for a year, by line, by source and by category (5 queries).

    Every total is a sum of the lines below it, so the source table, the category table and the line list
    always add up to the same grand total."""
    sources = list(FundingSource.objects.order_by("position"))
    categories = list(SpendingCategory.objects.order_by("position"))
    source_by_id, category_by_id = {s.pk: s for s in sources}, {c.pk: c for c in categories}
    lines = [
        LineInfo(pk, content, planned, decision, source_by_id[source_id], category_by_id[category_id])
        for pk, content, planned, decision, source_id, category_id in BudgetLine.objects.filter(
            commune=commune, year=year
        ).values_list("pk", "content", "planned", "decision_number", "source_id", "category_id")
    ]  # plain rows: a page or report of thousands of lines builds no model instances
    lines.sort(key=lambda line: (line.source.position, line.category.position, line.content))
    # Sums per allocation, the allocations chosen by a subquery: no long lists of ids, and the big table
    # (disbursements) is grouped on its own column.
    allocation_rows = list(
        Allocation.objects.filter(line__commune=commune, line__year=year).values_list("pk", "line_id", "amount")
    )
    in_year = Allocation.objects.filter(line__commune=commune, line__year=year).values("pk")
    paid = Disbursement.objects.filter(allocation_id__in=in_year)
    settled = Settlement.objects.filter(allocation_id__in=in_year)
    if until is not None:
        paid, settled = paid.filter(paid_on__lte=until), settled.filter(settled_on__lte=until)
    paid_by_allocation = _sums(paid, "allocation_id")
    settled_by_allocation = _sums(settled, "allocation_id")
    allocated, disbursed, settled_sums = defaultdict(int), defaultdict(int), defaultdict(int)
    for pk, line_id, amount in allocation_rows:
        allocated[line_id] += amount
        disbursed[line_id] += paid_by_allocation.get(pk, 0)
        settled_sums[line_id] += settled_by_allocation.get(pk, 0)
    summary = BudgetSummary(commune, year, until)
    per_line = {}
    total = [0, 0, 0, 0]
    for line in lines:
        amounts = Amounts(
            line.planned, allocated.get(line.pk, 0), disbursed.get(line.pk, 0), settled_sums.get(line.pk, 0)
        )
        per_line[line.pk] = amounts
        summary.lines.append(LineRow(line, amounts))
        total[0] += amounts.planned
        total[1] += amounts.allocated
        total[2] += amounts.disbursed
        total[3] += amounts.settled
    summary.total = Amounts(*total)

    by_source: dict[int, Amounts] = defaultdict(Amounts)
    for line in lines:
        by_source[line.source.pk] = by_source[line.source.pk] + per_line[line.pk]
    for group in (s for s in sources if s.parent_id is None):
        children = [s for s in sources if s.parent_id == group.pk and (s.is_active or by_source.get(s.pk))]
        group_total = by_source.get(group.pk, Amounts())
        for child in children:
            group_total = group_total + by_source.get(child.pk, Amounts())
        summary.by_source.append(Row(group.code, group.name, 0, group_total))
        summary.by_source.extend(Row(c.code, c.name, 1, by_source.get(c.pk, Amounts())) for c in children)

    by_category: dict[int, Amounts] = defaultdict(Amounts)
    for line in lines:
        by_category[line.category.pk] = by_category[line.category.pk] + per_line[line.pk]
    for kind, label in SpendingCategory.Kind.choices:
        members = [c for c in categories if c.kind == kind and (c.is_active or by_category.get(c.pk))]
        subtotal = Amounts()
        for c in members:
            subtotal = subtotal + by_category.get(c.pk, Amounts())
        summary.by_category.append(Row(kind, capfirst(str(label)), 0, subtotal))
        summary.by_category.extend(Row(c.code, c.name, 1, by_category.get(c.pk, Amounts())) for c in members)
    return summary


def line_detail(line: BudgetLine) -> list[dict]:
    """The allocations of a line with what each has disbursed and its settlement."""
    allocations = list(
        line.allocations.select_related("task", "settlement")
        .annotate(paid=Sum("disbursements__amount"))
        .order_by("task__code")
    )
    return [{"allocation": a, "paid": a.paid or 0, "left": a.amount - (a.paid or 0)} for a in allocations]


# Training ----------------------------------------------------------------------------------------


@dataclass
class TrainingTotals:
    classes: int = 0
    participants: int = 0
    households: int = 0
    organisations: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)  # participants per topic
    by_audience: dict[str, int] = field(default_factory=dict)
    outreach_activities: int = 0
    outreach_reach: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)  # reach per channel


def training_totals(commune: Commune, year: int, until: date | None = None) -> TrainingTotals:
    """Classes and outreach of a year (up to `until`), with participants by topic and audience."""
    classes = TrainingClass.objects.filter(commune=commune, held_on__year=year)
    outreach = OutreachActivity.objects.filter(commune=commune, held_on__year=year)
    if until is not None:
        classes, outreach = classes.filter(held_on__lte=until), outreach.filter(held_on__lte=until)
    attendance = Attendance.objects.filter(training_class__in=classes)
    totals = TrainingTotals()
    figures = attendance.aggregate(
        participants=Sum("participants"),
        households=Count("household", distinct=True),
        organisations=Count("organisation", distinct=True),
    )
    totals.classes = classes.count()
    totals.participants = figures["participants"] or 0
    totals.households = figures["households"] or 0
    totals.organisations = figures["organisations"] or 0
    for row in attendance.values("training_class__topic", "training_class__audience").annotate(n=Sum("participants")):
        topic, audience = row["training_class__topic"], row["training_class__audience"]
        totals.by_topic[topic] = totals.by_topic.get(topic, 0) + row["n"]
        totals.by_audience[audience] = totals.by_audience.get(audience, 0) + row["n"]
    for row in outreach.values("channel").annotate(n=Sum("reach"), c=Count("pk")).order_by("channel"):
        totals.by_channel[row["channel"]] = row["n"] or 0
        totals.outreach_activities += row["c"]
        totals.outreach_reach += row["n"] or 0
    return totals


# Smart villages ----------------------------------------------------------------------------------


def smart_criteria_values(commune: Commune, on: date) -> dict[str, checklist.CriteriaEvidence]:
    """For the criteria part's smart-commune set ("xa-ntm-thong-minh"): values of its evidence indicators
    3.3, 3.4, 4.3 and 4.4 as the inventory shows them on `on`, each with a note saying where it comes from.
    Usage: for code, v in smart_criteria_values(c, d).items(): criteria.services.value_enter(..., passed=v.passed,
    value=v.value, note=v.note)."""
    return checklist.criteria_evidence(commune, on)
