"""The transparency dashboard's figures, read through each part's selectors and the metrics registry.

Every section is computed on request (always current). A part that fails or is absent leaves its
section empty rather than taking the page down. Nothing here names a person: counts and shares only,
survey groups below the campaign's smallest size merged by the surveys part itself."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from smartcommune.core import metrics
from smartcommune.criteria import evaluation
from smartcommune.criteria import selectors as criteria_selectors
from smartcommune.feedback import selectors as feedback_selectors
from smartcommune.places.models import Commune
from smartcommune.program import selectors as program_selectors
from smartcommune.surveys import selectors as survey_selectors

logger = logging.getLogger(__name__)
CACHE_SECONDS = int(getattr(settings, "PORTAL_DASHBOARD_CACHE_SECONDS", 60))

DIGITAL_KEYS = (
    "registry.smartphone_pct",
    "registry.broadband_pct",
    "registry.e_payment_pct",
    "program.people_trained",
    "program.households_trained",
    "program.public_wifi_points",
)


def _safe(compute, *args, **kwargs):
    try:
        return compute(*args, **kwargs)
    except Exception:  # one part's failure must not take the public page down
        logger.exception("portal dashboard: %s failed", getattr(compute, "__name__", compute))
        return None


# Criteria ----------------------------------------------------------------------------------------


@dataclass
class VillageRow:
    name: str
    statuses: list[str]  # one per village-level indicator, in `CriteriaStatus.village_indicators` order


@dataclass
class CriteriaStatus:
    result: evaluation.CommuneResult
    year: int
    met: int
    unmet: int
    missing: int
    village_indicators: list = field(default_factory=list)
    villages: list[VillageRow] = field(default_factory=list)


def criteria_status(commune: Commune, year: int | None = None) -> CriteriaStatus | None:
    year = year or criteria_selectors.default_year(commune)
    criteria_set = criteria_selectors.choose_set(None, year)
    if criteria_set is None:
        return None
    result = evaluation.evaluate(commune, criteria_set, year)
    status = CriteriaStatus(
        result,
        year,
        result.count(evaluation.MET),
        result.count(evaluation.UNMET),
        result.count(evaluation.MISSING),
    )
    per_village = [i for i in result.indicators if i.villages]
    status.village_indicators = [i.indicator for i in per_village]
    names: dict[int, VillageRow] = {}
    for position, indicator in enumerate(per_village):
        for v in indicator.villages:
            row = names.setdefault(v.village.pk, VillageRow(v.village.name, [evaluation.MISSING] * len(per_village)))
            row.statuses[position] = v.status
    status.villages = sorted(names.values(), key=lambda r: r.name)
    return status


# Satisfaction ------------------------------------------------------------------------------------


def satisfaction(commune: Commune) -> dict | None:
    """The summary of the latest published satisfaction survey (aggregates only, small groups merged)."""
    for campaign in survey_selectors.published_campaigns(commune).order_by("-closes_on", "-pk")[:5]:
        summary = survey_selectors.published_summary(campaign)
        if summary is not None:
            return summary
    return None


def published_summaries(commune: Commune) -> list[dict]:
    out = []
    for campaign in survey_selectors.published_campaigns(commune).order_by("-closes_on", "-pk"):
        summary = survey_selectors.published_summary(campaign)
        if summary is not None:
            out.append(summary)
    return out


# Community reports -------------------------------------------------------------------------------


def report_statistics(commune: Commune, on: date | None = None) -> feedback_selectors.Statistics:
    """The twelve months up to `on`: the same window as the feedback part's own metrics."""
    on = on or timezone.localdate()
    until = timezone.make_aware(datetime.combine(on, time.max))
    return feedback_selectors.public_statistics(commune, until - timedelta(days=365), until)


# Programme ---------------------------------------------------------------------------------------


@dataclass
class Programme:
    plan: object
    objectives: list
    tasks_total: int
    tasks_done: int
    tasks_overdue: int
    tasks_in_progress: int

    @property
    def done_pct(self) -> Decimal | None:
        if not self.tasks_total:
            return None
        return (Decimal(self.tasks_done) * 100 / self.tasks_total).quantize(Decimal("0.1"))


def programme(commune: Commune, on: date | None = None) -> Programme | None:
    on = on or timezone.localdate()
    plan = program_selectors.plan_for(commune, on)
    if plan is None:
        return None
    objectives = program_selectors.plan_overview(plan, on)
    counts = {"total": 0, "done": 0, "overdue": 0, "in_progress": 0}
    for view in objectives:
        cancelled = view.tasks.get("cancelled", 0)
        counts["total"] += sum(v for k, v in view.tasks.items() if k != "overdue") - cancelled
        counts["done"] += view.tasks.get("done", 0)
        counts["overdue"] += view.tasks.get("overdue", 0)
        counts["in_progress"] += view.tasks.get("in_progress", 0)
    return Programme(plan, objectives, counts["total"], counts["done"], counts["overdue"], counts["in_progress"])


def budget(commune: Commune, year: int | None = None, on: date | None = None):
    on = on or timezone.localdate()
    return program_selectors.budget_summary(commune, year or on.year, until=on)


def budget_year(commune: Commune, on: date | None = None) -> int:
    """This year, or the latest year that has a budget when this one has none yet."""
    on = on or timezone.localdate()
    for year in (on.year, on.year - 1):
        if program_selectors.budget_summary(commune, year, until=on).total.planned:
            return year
    return on.year


# Digital readiness -------------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    unit: str
    value: Decimal | None
    as_of: date | None
    detail: str
    source: str


def digital_readiness(commune: Commune, on: date | None = None) -> list[Figure]:
    on = on or timezone.localdate()
    figures = []
    for key in DIGITAL_KEYS:
        metric = metrics.get(key)
        if metric is None:
            continue
        reading = _safe(metrics.read, key, commune, on)
        figures.append(
            Figure(
                key,
                str(metric.label),
                str(metric.unit),
                reading.value if reading else None,
                reading.as_of if reading else None,
                reading.detail if reading else "",
                str(metric.source),
            )
        )
    return figures


def everything(commune: Commune, *, fresh: bool = False) -> dict:
    """All sections for the dashboard page, kept CACHE_SECONDS in the shared cache: the figures are at most
    that old, and a burst of visitors costs one computation per commune and language."""
    key = f"portal:dashboard:{commune.pk}:{get_language()}:{timezone.localdate().isoformat()}"
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    data = _compute(commune)
    cache.set(key, data, CACHE_SECONDS)
    return data


def _compute(commune: Commune) -> dict:
    on = timezone.localdate()
    year = _safe(budget_year, commune, on) or on.year
    return {
        "criteria": _safe(criteria_status, commune),
        "satisfaction": _safe(satisfaction, commune),
        "reports": _safe(report_statistics, commune, on),
        "programme": _safe(programme, commune, on),
        "budget": _safe(budget, commune, year, on),
        "digital": _safe(digital_readiness, commune, on) or [],
        "today": on,
    }
