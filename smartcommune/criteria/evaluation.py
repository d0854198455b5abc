"""Evaluation: indicator → criterion → commune status, computed on every read from the registries and
the entered values, so a dashboard is never stale. One grouped query gives every computed indicator
for every village of the communes asked for; entered values and thresholds are two more queries.

Status rules:
- an indicator is met or not met against its threshold, or "missing" when it has no value (or when
  fewer than MIN_COVERAGE of the households have the figures its formula needs);
- a criterion is not met if any of its indicators is not met, else missing if any is missing, else met;
- the commune likewise over its criteria.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from smartcommune.places.models import Commune, Village
from smartcommune.registry import selectors as registry

from .models import Assessment, CriteriaSet, Criterion, Indicator, IndicatorValue, Threshold

MET, UNMET, MISSING = "met", "unmet", "missing"
MIN_COVERAGE = Decimal("0.9")  # share of households with the needed figures below which we do not judge


@dataclass
class Gap:
    """How far an unmet indicator is from its threshold: in its own unit and, for counts, in households."""

    distance: Decimal
    households: int | None = None


@dataclass
class Figure:
    value: Decimal | bool | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    households: int = 0
    missing: int = 0  # households without the figures the formula needs


@dataclass
class VillageFigure:
    village: Village
    figure: Figure
    status: str
    gap: Gap | None = None


@dataclass
class IndicatorResult:
    indicator: Indicator
    figure: Figure
    threshold: Threshold | None
    status: str
    gap: Gap | None = None
    villages: list[VillageFigure] = field(default_factory=list)
    previous: Figure | None = None
    entered: IndicatorValue | None = None

    @property
    def blocking_villages(self) -> list[VillageFigure]:
        """Villages that do not reach the threshold, the furthest first."""
        return sorted((v for v in self.villages if v.status == UNMET), key=lambda v: -(v.gap.distance if v.gap else 0))

    @property
    def progress(self) -> int | None:
        """0–100: how close the value is to the threshold (100 when met), for the bar on the dashboard."""
        value, threshold = self.figure.value, self.threshold
        if self.status == MET:
            return 100
        if threshold is None or value is None or isinstance(value, bool):
            return 0 if self.status == UNMET else None
        if threshold.comparator == ">=" and threshold.value > 0:
            return max(0, min(99, int(value / threshold.value * 100)))
        if threshold.comparator == "<=" and value > 0:
            return max(0, min(99, int(threshold.value / value * 100)))
        return 0

    @property
    def trend(self) -> Decimal | None:
        if self.previous is None or not isinstance(self.figure.value, Decimal):
            return None
        if not isinstance(self.previous.value, Decimal):
            return None
        return self.figure.value - self.previous.value


@dataclass
class CriterionResult:
    criterion: Criterion
    indicators: list[IndicatorResult]
    status: str


@dataclass
class CommuneResult:
    commune: Commune
    criteria_set: CriteriaSet
    year: int
    criteria: list[CriterionResult]
    status: str
    assessment: Assessment | None = None

    def count(self, status: str) -> int:
        return sum(1 for c in self.criteria if c.status == status)

    @property
    def indicators(self) -> list[IndicatorResult]:
        return [i for c in self.criteria for i in c.indicators]


def combine(statuses: list[str]) -> str:
    if UNMET in statuses:
        return UNMET
    if MISSING in statuses or not statuses:
        return MISSING
    return MET


# Formulas --------------------------------------------------------------------------------------


def _condition(spec: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in spec.items()))


def _fields_of(aggregate: dict) -> set[str]:
    if "sum" in aggregate:
        return {aggregate["sum"]}
    name = aggregate["count"].get("field")
    return {name} if name and name != "digital_address" else set()


def measures_for(indicators: list[Indicator]) -> dict[str, registry.Measure]:
    """The registry measures every computed indicator needs, named "<code>:n", ":d", ":m"."""
    measures = {}
    for ind in indicators:
        f = ind.formula
        complete = set(_fields_of(f["numerator"]))
        if f.get("denominator"):
            complete |= _fields_of(f["denominator"])
        complete_t = tuple(sorted(complete))
        for suffix, aggregate in (("n", f["numerator"]), ("d", f.get("denominator"))):
            if aggregate is None:
                continue
            if "sum" in aggregate:
                measures[f"{ind.code}:{suffix}"] = registry.Measure("sum", aggregate["sum"], complete=complete_t)
            else:
                measures[f"{ind.code}:{suffix}"] = registry.Measure(
                    "count", condition=_condition(aggregate["count"]), complete=complete_t
                )
        if complete_t:
            measures[f"{ind.code}:m"] = registry.Measure("missing", complete=complete_t)
    return measures


def figure_from(ind: Indicator, totals: dict) -> Figure:
    households = totals.get("households", 0)
    numerator = Decimal(totals.get(f"{ind.code}:n", 0))
    missing = totals.get(f"{ind.code}:m", 0)
    if households == 0 or (households - missing) < MIN_COVERAGE * households:
        return Figure(None, numerator, None, households, missing)
    scale = Decimal(str(ind.formula.get("scale", 1)))
    if ind.formula.get("denominator") is None:
        return Figure(_round(numerator * scale), numerator, None, households, missing)
    denominator = Decimal(totals.get(f"{ind.code}:d", 0))
    if denominator == 0:
        return Figure(None, numerator, denominator, households, missing)
    return Figure(_round(numerator / denominator * scale), numerator, denominator, households, missing)


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _add(totals: dict, more: dict) -> None:
    for name, value in more.items():
        totals[name] = totals.get(name, 0) + value


# Thresholds ------------------------------------------------------------------------------------


def pick_threshold(thresholds: list[Threshold], commune: Commune, year: int) -> Threshold | None:
    """The threshold for this commune and year: a province's correction first, then the most specific."""
    region, group = commune.effective_region, commune.group
    best, best_rank = None, None
    for t in thresholds:
        if t.region and t.region != region:
            continue
        if t.group and t.group != group:
            continue
        if (t.year_from and year < t.year_from) or (t.year_to and year > t.year_to):
            continue
        if t.province_id and t.province_id != commune.province_id:
            continue
        rank = (bool(t.province_id), bool(t.region or t.group), bool(t.year_from or t.year_to))
        if best_rank is None or rank > best_rank:
            best, best_rank = t, rank
    return best


def judge(ind: Indicator, figure: Figure, threshold: Threshold | None) -> tuple[str, Gap | None]:
    if figure.value is None:
        return MISSING, None
    if threshold is None:
        return MISSING, None
    if threshold.passes(figure.value):
        return MET, None
    if isinstance(figure.value, bool):
        return UNMET, None
    distance = abs(threshold.value - figure.value)
    return UNMET, Gap(distance, _households_short(ind, figure, threshold))


def _households_short(ind: Indicator, figure: Figure, threshold: Threshold) -> int | None:
    """For a share of households, how many more (or fewer) would reach the threshold."""
    if not ind.is_computed or "count" not in ind.formula["numerator"] or figure.denominator in (None, 0):
        return None
    if ind.formula.get("denominator") and "count" not in ind.formula["denominator"]:
        return None
    scale = Decimal(str(ind.formula.get("scale", 1)))
    target = (
        threshold.value / scale * (figure.denominator or 1)
        if ind.formula.get("denominator")
        else threshold.value / scale
    )
    if threshold.comparator == ">=":
        return max(0, math.ceil(target - figure.numerator))
    if threshold.comparator == "<=":
        return max(0, math.ceil(figure.numerator - target))
    return None


# The whole evaluation --------------------------------------------------------------------------


def _set_parts(criteria_set: CriteriaSet) -> tuple[list[Criterion], list[Indicator], dict[int, list[Threshold]]]:
    criteria = list(criteria_set.criteria.order_by("number"))
    indicators = list(criteria_set.indicators.order_by("position"))
    thresholds: dict[int, list[Threshold]] = {}
    for t in Threshold.objects.filter(indicator__criteria_set=criteria_set):
        thresholds.setdefault(t.indicator_id, []).append(t)
    return criteria, indicators, thresholds


def _computed(indicators: list[Indicator], commune_ids: list[int], year: int) -> dict[tuple[int, int], dict]:
    computed = [i for i in indicators if i.is_computed]
    if not computed:
        return {}
    return registry.household_aggregates(year=year, commune_ids=commune_ids, measures=measures_for(computed))


def _entered_figure(ind: Indicator, value: IndicatorValue | None) -> Figure:
    if value is None:
        return Figure(None)
    if ind.kind == Indicator.Kind.PASS_FAIL:
        return Figure(value.passed)
    return Figure(value.value, value.numerator, value.denominator)


def evaluate(commune: Commune, criteria_set: CriteriaSet, year: int, *, with_villages: bool = True) -> CommuneResult:
    """The commune's status on a set for a year, with per-village figures and last year's for trend."""
    criteria, indicators, thresholds = _set_parts(criteria_set)
    assessment = Assessment.objects.filter(commune=commune, criteria_set=criteria_set, year=year).first()
    by_village = _computed(indicators, [commune.pk], year)
    if assessment and assessment.is_locked and assessment.snapshot:
        by_village = {tuple(map(int, k.split(":"))): v for k, v in assessment.snapshot.items()}
    before = _computed(indicators, [commune.pk], year - 1)
    villages = {v.pk: v for v in Village.objects.filter(commune=commune)} if with_villages else {}
    commune_totals, previous_totals = {}, {}
    for totals in by_village.values():
        _add(commune_totals, totals)
    for totals in before.values():
        _add(previous_totals, totals)
    entered = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            commune=commune, year=year, village__isnull=True, indicator__criteria_set=criteria_set
        )
    }
    entered_before = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            commune=commune, year=year - 1, village__isnull=True, indicator__criteria_set=criteria_set
        )
    }
    results: dict[int, list[IndicatorResult]] = {}
    for ind in indicators:
        threshold = pick_threshold(thresholds.get(ind.pk, []), commune, year)
        if ind.is_computed:
            figure, previous = figure_from(ind, commune_totals), figure_from(ind, previous_totals)
        else:
            figure, previous = (
                _entered_figure(ind, entered.get(ind.pk)),
                _entered_figure(ind, entered_before.get(ind.pk)),
            )
        status, gap = judge(ind, figure, threshold)
        result = IndicatorResult(ind, figure, threshold, status, gap, previous=previous, entered=entered.get(ind.pk))
        if ind.is_computed and ind.village_level and with_villages:
            for (_, village_id), totals in sorted(
                by_village.items(), key=lambda kv: villages[kv[0][1]].code if kv[0][1] in villages else ""
            ):
                if village_id not in villages:
                    continue
                vfigure = figure_from(ind, totals)
                vstatus, vgap = judge(ind, vfigure, threshold)
                result.villages.append(VillageFigure(villages[village_id], vfigure, vstatus, vgap))
        results.setdefault(ind.criterion_id, []).append(result)
    criterion_results = [
        CriterionResult(c, results.get(c.pk, []), combine([r.status for r in results.get(c.pk, [])])) for c in criteria
    ]
    return CommuneResult(
        commune, criteria_set, year, criterion_results, combine([c.status for c in criterion_results]), assessment
    )


def snapshot(commune: Commune, criteria_set: CriteriaSet, year: int) -> dict:
    """The computed figures per village as they stand now, to freeze at approval."""
    _, indicators, _ = _set_parts(criteria_set)
    return {f"{c}:{v}": totals for (c, v), totals in _computed(indicators, [commune.pk], year).items()}


def registry_figures(
    communes: list[Commune], criteria_set: CriteriaSet, year: int
) -> dict[tuple[int, int | None], dict[str, Figure]]:
    """Every household-derived indicator for every commune (village None) and village, in one query."""
    _, indicators, _ = _set_parts(criteria_set)
    computed = [i for i in indicators if i.is_computed]
    by_village = _computed(indicators, [c.pk for c in communes], year)
    figures: dict[tuple[int, int | None], dict[str, Figure]] = {}
    per_commune: dict[int, dict] = {}
    for (commune_id, village_id), totals in by_village.items():
        figures[(commune_id, village_id)] = {i.code: figure_from(i, totals) for i in computed}
        _add(per_commune.setdefault(commune_id, {}), totals)
    for commune_id, totals in per_commune.items():
        figures[(commune_id, None)] = {i.code: figure_from(i, totals) for i in computed}
    return figures


@dataclass
class ProvinceRow:
    commune: Commune
    statuses: dict[int, str]  # criterion number -> status
    status: str
    met: int


def evaluate_province(communes: list[Commune], criteria_set: CriteriaSet, year: int) -> list[ProvinceRow]:
    """Every commune of a province on the same set: one grouped query for all computed indicators."""
    criteria, indicators, thresholds = _set_parts(criteria_set)
    by_village = _computed(indicators, [c.pk for c in communes], year)
    per_commune: dict[int, dict] = {}
    for (commune_id, _), totals in by_village.items():
        _add(per_commune.setdefault(commune_id, {}), totals)
    entered: dict[tuple[int, int], IndicatorValue] = {
        (v.commune_id, v.indicator_id): v
        for v in IndicatorValue.objects.filter(
            commune__in=communes, year=year, village__isnull=True, indicator__criteria_set=criteria_set
        )
    }
    rows = []
    for commune in communes:
        totals = per_commune.get(commune.pk, {})
        by_criterion: dict[int, list[str]] = {}
        for ind in indicators:
            figure = (
                figure_from(ind, totals) if ind.is_computed else _entered_figure(ind, entered.get((commune.pk, ind.pk)))
            )
            status, _ = judge(ind, figure, pick_threshold(thresholds.get(ind.pk, []), commune, year))
            by_criterion.setdefault(ind.criterion_id, []).append(status)
        statuses = {c.number: combine(by_criterion.get(c.pk, [])) for c in criteria}
        rows.append(
            ProvinceRow(commune, statuses, combine(list(statuses.values())), sum(s == MET for s in statuses.values()))
        )
    return rows
