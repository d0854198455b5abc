"""Market figures for other parts (see core.metrics). The programme's target 2.1 reads
"market.linkage_cooperatives": cooperatives with a signed linkage contract in force on the day asked."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from smartcommune.core import metrics

from . import selectors
from .models import Contract


def linkage_cooperatives(commune, on: date) -> metrics.Reading | None:
    if not Contract.objects.in_commune(commune).exists():
        return None
    coops = selectors.linkage_cooperatives(commune, on)
    return metrics.Reading(Decimal(len(coops)), on, "; ".join(c.name for c in coops))


def online_producers(commune, on: date) -> metrics.Reading | None:
    return metrics.Reading(Decimal(selectors.online_producers(commune)), on)


def products_listed(commune, on: date) -> metrics.Reading | None:
    return metrics.Reading(Decimal(selectors.products_listed(commune)), on)


def orders_month(commune, on: date) -> metrics.Reading | None:
    count, _revenue = selectors.orders_in(commune, on.year, on.month, until=on)
    return metrics.Reading(Decimal(count), on, f"{on.month:02d}/{on.year}")


def revenue_month(commune, on: date) -> metrics.Reading | None:
    _count, revenue = selectors.orders_in(commune, on.year, on.month, until=on)
    return metrics.Reading(Decimal(revenue), on, f"{on.month:02d}/{on.year}")


def active_contracts(commune, on: date) -> metrics.Reading | None:
    if not Contract.objects.in_commune(commune).exists():
        return None
    return metrics.Reading(Decimal(Contract.objects.in_commune(commune).active_on(on).count()), on)


def register() -> None:
    source = _("commune market")
    metrics.register(
        "market.linkage_cooperatives",
        _("Cooperatives in an active linkage contract"),
        linkage_cooperatives,
        unit="HTX",
        source=source,
    )
    metrics.register("market.online_producers", _("Producers selling online"), online_producers, source=source)
    metrics.register("market.products_listed", _("Products on sale online"), products_listed, source=source)
    metrics.register("market.orders_month", _("Online orders this month"), orders_month, source=source)
    metrics.register("market.revenue_month", _("Online sales this month"), revenue_month, unit="VND", source=source)
    metrics.register("market.active_contracts", _("Linkage contracts in force"), active_contracts, source=source)
