"""The surveys' figures for other parts (see core.metrics): residents' satisfaction and how many
households answered, from the latest satisfaction survey that had opened by the given day."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcommune.core import metrics

from . import selectors
from .models import Campaign, Response


def _latest(commune, on: date) -> Campaign | None:
    return (
        Campaign.objects.in_commune(commune)
        .filter(kind=Campaign.Kind.SATISFACTION, opens_on__lte=on)
        .exclude(status=Campaign.Status.DRAFT)
        .order_by("-opens_on", "-pk")
        .first()
    )


def satisfaction(commune, on: date) -> metrics.Reading | None:
    campaign = _latest(commune, on)
    if campaign is None:
        return None
    overall = selectors.campaign_results(campaign).commune.overall
    if overall.pct is None:
        return None
    return metrics.Reading(overall.pct, min(on, campaign.closes_on), f"{overall.yes} / {overall.total}")


def coverage(commune, on: date) -> metrics.Reading | None:
    campaign = _latest(commune, on)
    if campaign is None:
        return None
    group = selectors.campaign_results(campaign).commune
    if group.coverage is None:
        return None
    return metrics.Reading(group.coverage, min(on, campaign.closes_on), f"{group.responses} / {group.households}")


def satisfaction_online(commune, on: date) -> metrics.Reading:
    """Satisfaction surveys that took answers online in the twelve months up to `on` (the plan asks for one)."""
    online = Response.objects.filter(
        campaign__commune=commune,
        campaign__kind=Campaign.Kind.SATISFACTION,
        channel=Response.Channel.ONLINE,
        submitted_on__range=(on - timedelta(days=365), on),
    )
    campaigns = online.values("campaign").distinct().count()
    return metrics.Reading(
        Decimal(campaigns), on, gettext("%(n)s forms answered online") % {"n": online.count()} if campaigns else ""
    )


def register() -> None:
    source = _("satisfaction survey of the Fatherland Front")
    metrics.register(
        "surveys.satisfaction_pct",
        _("Residents satisfied with New Rural results (%)"),
        satisfaction,
        unit="%",
        source=source,
    )
    metrics.register(
        "surveys.coverage_pct",
        _("Households that answered the satisfaction survey (%)"),
        coverage,
        unit="%",
        source=source,
    )
    metrics.register(
        "surveys.satisfaction_online",
        _("Satisfaction surveys answered online (12 months)"),
        satisfaction_online,
        unit=_("surveys"),
        source=source,
    )
