"""Figures that one part computes and others show: the plan's targets, the portal's dashboard.

Each part registers its metrics in AppConfig.ready():

    metrics.register("registry.households_with_smartphone_pct", _("Households with a smartphone (%)"),
                     households_with_smartphone, unit="%")

where the function takes (commune, on: date) and returns a Reading (or None when it has no data).
A part that reads a metric asks by key and never imports the part that computes it, so the arrows of
DESIGN.md still point down, and a metric of a part that is not installed is simply absent.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Reading:
    value: Decimal
    as_of: date  # the date the figure describes (not when it was computed)
    detail: str = ""  # e.g. "9.412 / 11.003 hộ"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    compute: Callable[..., Reading | None]
    unit: str = ""
    source: str = ""  # the part and the data it comes from, shown beside the figure


_metrics: dict[str, Metric] = {}
# Families answer many keys: "criteria.indicator:qd318-xa-ntm:8.4" goes to the "criteria.indicator" family,
# whose compute takes (commune, on, argument) with argument "qd318-xa-ntm:8.4".
_families: dict[str, Metric] = {}


def register(key: str, label, compute: Callable[..., Reading | None], *, unit: str = "", source: str = "") -> None:
    _metrics[key] = Metric(key, label, compute, unit, source)


def register_family(prefix: str, label, compute: Callable[..., Reading | None], *, unit: str = "", source: str = ""):
    _families[prefix] = Metric(prefix, label, compute, unit, source)


def get(key: str) -> Metric | None:
    if key in _metrics:
        return _metrics[key]
    family = _families.get(key.split(":", 1)[0]) if ":" in key else None
    return family


def all_metrics() -> list[Metric]:
    return sorted(_metrics.values(), key=lambda m: m.key)


def read(key: str, commune, on: date) -> Reading | None:
    if key in _metrics:
        return _metrics[key].compute(commune, on)
    prefix, _, argument = key.partition(":")
    family = _families.get(prefix)
    return family.compute(commune, on, argument) if family and argument else None
