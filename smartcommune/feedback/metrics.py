"""Community-report figures for other parts (see core.metrics): the plan's targets and the portal read
them by key, over the twelve months up to the day asked."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcommune.core import metrics

from . import selectors, working_time
from .models import Report


def _statistics(commune, on: date):
    until = datetime.combine(on, time.max, working_time.TZ)
    return selectors.public_statistics(commune, until - timedelta(days=365), until)


def reports_received(commune, on: date) -> metrics.Reading | None:
    stats = _statistics(commune, on)
    if not stats.total.count:
        return None
    return metrics.Reading(Decimal(stats.total.count), on)


def handled_on_time_pct(commune, on: date) -> metrics.Reading | None:
    total = _statistics(commune, on).total
    if total.on_time_pct is None:
        return None
    return metrics.Reading(Decimal(str(total.on_time_pct)), on, f"{total.on_time} / {total.handled}")


def satisfied_pct(commune, on: date) -> metrics.Reading | None:
    total = _statistics(commune, on).total
    if total.satisfied_pct is None:
        return None
    return metrics.Reading(Decimal(str(total.satisfied_pct)), on, f"{total.satisfied} / {total.rated}")


def digital_service(commune, on: date) -> metrics.Reading:
    """Essential digital services in use: the community-report service counts once it received a report
    online (website or an Open311 client) in the twelve months up to `on`."""
    until = datetime.combine(on, time.max, working_time.TZ)
    online = Report.objects.filter(
        commune=commune,
        source__in=[Report.Source.WEB, Report.Source.OPEN311],
        created_at__range=(until - timedelta(days=365), until),
    ).count()
    return metrics.Reading(
        Decimal(1 if online else 0), on, gettext("%(n)s reports received online") % {"n": online} if online else ""
    )


def register() -> None:
    source = _("community reports")
    metrics.register(
        "feedback.reports_12m", _("Community reports received (12 months)"), reports_received, source=source
    )
    metrics.register(
        "feedback.on_time_pct", _("Reports handled on time (%)"), handled_on_time_pct, unit="%", source=source
    )
    metrics.register("feedback.satisfied_pct", _("Reporters satisfied (%)"), satisfied_pct, unit="%", source=source)
    metrics.register(
        "feedback.digital_service",
        _("Essential digital services in use"),
        digital_service,
        unit=_("services"),
        source=source,
    )
