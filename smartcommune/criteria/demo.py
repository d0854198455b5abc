"""Criteria demo for Xã Vệ Giang: entered values for 2024 and 2025 on the QĐ 318 set, an approved 2024
self-assessment and a 2025 draft. With the registry demo this gives a believable picture: most criteria
met, a few not, and criterion 17 pulled down by two villages (NP03, NP04) on hygienic latrines."""

from collections.abc import Callable
from decimal import Decimal

from smartcommune.accounts.models import User
from smartcommune.places.models import Commune

from . import evaluation, loading, services
from .models import Assessment, CriteriaSet, Indicator, IndicatorValue

SET_CODE = "qd318-xa-ntm"
# Entered indicators that are not met, by year: the story officials see on the dashboard.
NOT_MET = {2024: {"8.4", "6.3", "13.3", "2.4"}, 2025: {"6.3"}}
PERCENT_SHORTFALL = Decimal("8")


def _value_for(ind: Indicator, threshold, met: bool) -> dict:
    if ind.kind == Indicator.Kind.PASS_FAIL:
        return {"passed": met}
    if threshold is None:
        return {"value": Decimal(1)}
    target = threshold.value
    limit = Decimal(
        str((ind.validation or {}).get("max", 100 if ind.kind == Indicator.Kind.PERCENT else target * 2 + 10))
    )
    if threshold.comparator == ">=":
        value = min(limit, target + Decimal(3)) if met else max(Decimal(0), target - PERCENT_SHORTFALL)
    elif threshold.comparator == "<=":
        value = target * Decimal("0.8") if met else target + Decimal(2)
    else:
        value = target if met else target + 1
    return {"value": value.quantize(Decimal("0.01"))}


def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    loading.load_all()
    criteria_set = CriteriaSet.objects.get(code=SET_CODE)
    if IndicatorValue.objects.filter(commune=commune, indicator__criteria_set=criteria_set).exists():
        log("Criteria: demo values already there.")
        return
    official = User.objects.get(username="xa.vhxh")
    province = User.objects.get(username="tinh.quangngai")
    thresholds: dict[int, list] = {}
    for ind in criteria_set.indicators.prefetch_related("thresholds"):
        thresholds[ind.pk] = list(ind.thresholds.all())
    entered = 0
    for year in (2024, 2025):
        for ind in criteria_set.indicators.exclude(source=Indicator.Source.REGISTRY).order_by("position"):
            threshold = evaluation.pick_threshold(thresholds[ind.pk], commune, year)
            values = _value_for(ind, threshold, met=ind.code not in NOT_MET[year])
            services.value_enter(
                indicator=ind, commune=commune, year=year, by=official, note="Số liệu minh họa (demo)", **values
            )
            entered += 1
    assessment = services.assessment_submit(commune=commune, criteria_set=criteria_set, year=2024, by=official)
    services.assessment_approve(assessment=assessment, by=province)
    Assessment.objects.get_or_create(commune=commune, criteria_set=criteria_set, year=2025)
    result = evaluation.evaluate(commune, criteria_set, 2025, with_villages=False)
    log(
        f"Criteria: {entered} values entered; 2024 approved; 2025 draft with "
        f"{result.count(evaluation.MET)}/{len(result.criteria)} criteria met."
    )
