"""The registry's figures for other parts (see core.metrics): digital readiness of households."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from smartcommune.core import metrics

from . import selectors

DIGITAL_FIELDS = {
    "smartphone": _("Households with a smartphone (%)"),
    "broadband": _("Households with fixed broadband / fibre (%)"),
    "e_payment": _("Households with an e-payment account (%)"),
}


def _share(field: str):
    def compute(commune, on: date) -> metrics.Reading | None:
        years = [y for y in selectors.household_years(commune) if y <= on.year]
        if not years:
            return None
        yes, total = selectors.share_of_households(commune, years[0], field)
        if not total:
            return None
        value = (Decimal(yes) * 100 / total).quantize(Decimal("0.1"))
        return metrics.Reading(value, date(years[0], 12, 31), f"{yes} / {total}")

    return compute


def register() -> None:
    for field, label in DIGITAL_FIELDS.items():
        metrics.register(f"registry.{field}_pct", label, _share(field), unit="%", source=_("household registry"))
