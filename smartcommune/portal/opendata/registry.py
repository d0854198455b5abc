"""The catalogue's registry. A dataset is a slug, a title, a description, a typed data dictionary and a
function producing its rows (or GeoJSON) for a commune. Another part adds its own in AppConfig.ready():

    from smartcommune.portal.opendata import registry
    registry.register(registry.Dataset(
        slug="san-pham", title=_("Local products"), description=_("…"),
        columns=[registry.Column("name", "string", _("Product name")), …],
        rows=lambda commune: [...],
    ))

Rows hold no personal data (names, ID numbers, phones of people): the catalogue is public.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
TYPES = {"string", "integer", "number", "boolean", "date", "datetime"}
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    unit: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Column {self.name!r}: type must be one of {sorted(TYPES)}")


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable | None = None  # (commune) -> list[dict] keyed by column name
    geojson: Callable | None = None  # (commune) -> FeatureCollection; properties keyed by column name
    keywords: tuple = ()
    source: str = ""
    licence_url: str = LICENCE_URL
    licence_name: str = LICENCE_NAME
    order: int = 100

    @property
    def is_geo(self) -> bool:
        return self.geojson is not None

    @property
    def formats(self) -> list[str]:
        return ["geojson", "csv", "json"] if self.is_geo else ["csv", "json"]


_datasets: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    if (dataset.rows is None) == (dataset.geojson is None):
        raise ValueError(f"Dataset {dataset.slug!r}: give exactly one of rows or geojson")
    _datasets[dataset.slug] = dataset


def get(slug: str) -> Dataset | None:
    return _datasets.get(slug)


def all_datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda d: (d.order, d.slug))


def plain(value):
    """A JSON value: numbers as numbers, dates as ISO text, lazy strings as text."""
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def produce(dataset: Dataset, commune) -> dict:
    """The dataset's content now: {"rows": [...]} or {"geojson": {...}}, every value JSON-plain."""
    names = [c.name for c in dataset.columns]
    if dataset.is_geo:
        collection = dataset.geojson(commune)
        features = [
            {
                "type": "Feature",
                "geometry": f["geometry"],
                "properties": {n: plain(f["properties"].get(n)) for n in names},
            }
            for f in collection["features"]
        ]
        return {"geojson": {"type": "FeatureCollection", "features": features}}
    return {"rows": [{n: plain(row.get(n)) for n in names} for row in dataset.rows(commune)]}


def rows_of(content: dict) -> list[dict]:
    if "geojson" in content:
        return [f["properties"] for f in content["geojson"]["features"]]
    return content["rows"]


FORMAT_LABELS = {"csv": _("CSV (spreadsheet)"), "json": _("JSON"), "geojson": _("GeoJSON (map)")}
