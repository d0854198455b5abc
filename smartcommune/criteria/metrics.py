"""Criteria figures for other parts (see core.metrics)."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from smartcommune.core import metrics

from . import evaluation
from .models import CriteriaSet


def indicator_met(commune, on: date, argument: str) -> metrics.Reading | None:
    """ "<set code>:<indicator code>" -> 1 when met in the year of `on`, 0 when not, None without data."""
    set_code, _sep, code = argument.partition(":")
    criteria_set = CriteriaSet.objects.filter(code=set_code).first()
    if criteria_set is None:
        return None
    result = evaluation.evaluate(commune, criteria_set, on.year, with_villages=False)
    found = next((i for i in result.indicators if i.indicator.code == code), None)
    if found is None or found.status == evaluation.MISSING:
        return None
    return metrics.Reading(Decimal(int(found.status == evaluation.MET)), date(on.year, 12, 31), str(found.figure.value))


def criteria_met(commune, on: date, argument: str) -> metrics.Reading | None:
    """ "<set code>" -> number of criteria met in the year of `on`."""
    criteria_set = CriteriaSet.objects.filter(code=argument).first()
    if criteria_set is None:
        return None
    result = evaluation.evaluate(commune, criteria_set, on.year, with_villages=False)
    met = result.count(evaluation.MET)
    return metrics.Reading(Decimal(met), date(on.year, 12, 31), f"{met} / {len(result.criteria)}")


def register() -> None:
    metrics.register_family(
        "criteria.indicator", _("Indicator met (1) or not (0)"), indicator_met, source=_("criteria")
    )
    metrics.register_family("criteria.met", _("Criteria met"), criteria_met, source=_("criteria"))
