"""The open-data API (mounted at /api/v1/open-data/): the catalogue, a dataset's dictionary and versions,
and its rows (or GeoJSON), current or of an earlier version. Public, read-only, no personal data."""

from datetime import datetime

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from .opendata import dcat, registry, versions

router = Router(tags=["open data"])


class ColumnOut(Schema):
    name: str
    type: str
    unit: str
    description: str


class VersionOut(Schema):
    number: int
    recorded_at: datetime
    rows: int
    url: str


class DatasetOut(Schema):
    slug: str
    title: str
    description: str
    licence: str
    modified: datetime
    version: int | None
    formats: list[str]
    downloads: dict[str, str]
    page: str


class DatasetDetailOut(DatasetOut):
    columns: list[ColumnOut]
    versions: list[VersionOut]


class RowsOut(Schema):
    slug: str
    version: int | None
    rows: list[dict] | None = None
    geojson: dict | None = None


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


def _dataset(slug: str) -> registry.Dataset:
    dataset = registry.get(slug)
    if dataset is None:
        raise Http404
    return dataset


def _summary(commune: Commune, current: versions.Current) -> dict:
    d = current.dataset
    return {
        "slug": d.slug,
        "title": str(d.title),
        "description": str(d.description),
        "licence": d.licence_url,
        "modified": current.modified,
        "version": current.version,
        "formats": d.formats,
        "downloads": {
            fmt: dcat.absolute(reverse("portal:dataset_download", args=[commune.code, d.slug, fmt]))
            for fmt in d.formats
        },
        "page": dcat.absolute(reverse("portal:dataset", args=[commune.code, d.slug])),
    }


@router.get("/communes/{commune_code}/datasets", response=list[DatasetOut], summary="The commune's open datasets")
def dataset_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    return [_summary(commune, versions.current(d, commune)) for d in registry.all_datasets()]


@router.get(
    "/communes/{commune_code}/datasets/{slug}",
    response={200: DatasetDetailOut, 404: ErrorOut},
    summary="A dataset's data dictionary and versions",
)
def dataset_detail(request, commune_code: str, slug: str):
    commune = commune_or_404(commune_code)
    dataset = _dataset(slug)
    current = versions.current(dataset, commune)
    return {
        **_summary(commune, current),
        "columns": [
            {"name": c.name, "type": c.type, "unit": str(c.unit), "description": str(c.description)}
            for c in dataset.columns
        ],
        "versions": [
            {
                "number": v.number,
                "recorded_at": v.created_at,
                "rows": v.row_count,
                "url": dcat.absolute(reverse("portal:dataset_version", args=[commune.code, slug, v.number, "json"])),
            }
            for v in versions.history(commune, slug)
        ],
    }


@router.get(
    "/communes/{commune_code}/datasets/{slug}/rows",
    response={200: RowsOut, 404: ErrorOut},
    summary="A dataset's rows (GeoJSON for map datasets), current or of an earlier version",
)
def dataset_rows(request, commune_code: str, slug: str, version: int | None = None):
    commune = commune_or_404(commune_code)
    dataset = _dataset(slug)
    if version is not None:
        old = versions.version(commune, slug, version)
        if old is None:
            return Status(
                404, {"detail": _("Version %(number)s of this dataset does not exist.") % {"number": version}}
            )
        content, number = old.content, old.number
    else:
        current = versions.current(dataset, commune)
        content, number = current.content, current.version
    return {"slug": slug, "version": number, "rows": content.get("rows"), "geojson": content.get("geojson")}
