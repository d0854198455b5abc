"""Open-data pages and downloads: the catalogue, a dataset's page with its data dictionary and versions,
CSV/JSON/GeoJSON downloads at stable URLs, the DCAT catalogue, and the staff's "record a version"."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core import tabular
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from .. import access
from . import dcat, registry, versions


def not_found(request, message: str, *, back: str = "") -> HttpResponse:
    return render(request, "portal/not_found.html", {"message": message, "back": back}, status=404)


def catalogue(request, commune_code: str):
    commune = commune_or_404(commune_code)
    datasets = [versions.current(d, commune) for d in registry.all_datasets()]
    return render(request, "portal/opendata/catalogue.html", {"commune": commune, "datasets": datasets})


def dataset_page(request, commune_code: str, slug: str):
    commune = commune_or_404(commune_code)
    dataset = registry.get(slug)
    if dataset is None:
        return not_found(request, _("There is no dataset with this name."), back=f"/xa/{commune.code}/du-lieu-mo/")
    now = versions.current(dataset, commune)
    return render(
        request,
        "portal/opendata/dataset.html",
        {
            "commune": commune,
            "current": now,
            "dataset": dataset,
            "history": versions.history(commune, slug)[:50],
            "preview": now.rows[:10],
            "schema_org": dcat.schema_org(commune, now),
            "formats": [(fmt, registry.FORMAT_LABELS[fmt]) for fmt in dataset.formats],
        },
    )


def _respond(dataset: registry.Dataset, content: dict, fmt: str, name: str) -> HttpResponse:
    if fmt == "geojson":
        response = HttpResponse(
            json.dumps(content["geojson"], ensure_ascii=False), content_type="application/geo+json; charset=utf-8"
        )
    elif fmt == "json":
        body = content["geojson"] if "geojson" in content else content["rows"]
        response = JsonResponse(body, safe=False, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        columns = [tabular.Column(c.name, c.name) for c in dataset.columns]
        tabular.write_csv(columns, registry.rows_of(content), response)
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _format_error(request, dataset: registry.Dataset, fmt: str, commune: Commune) -> HttpResponse:
    return not_found(
        request,
        _("The format “%(fmt)s” is not offered for this dataset. Available: %(formats)s.")
        % {"fmt": fmt[:20], "formats": ", ".join(dataset.formats)},
        back=f"/xa/{commune.code}/du-lieu-mo/{dataset.slug}/",
    )


def download(request, commune_code: str, slug: str, fmt: str):
    commune = commune_or_404(commune_code)
    dataset = registry.get(slug)
    if dataset is None:
        return not_found(request, _("There is no dataset with this name."))
    if fmt not in dataset.formats:
        return _format_error(request, dataset, fmt, commune)
    now = versions.current(dataset, commune)
    response = _respond(dataset, now.content, fmt, f"{commune.code}-{slug}")
    response["Last-Modified"] = now.modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response


def version_download(request, commune_code: str, slug: str, number: int, fmt: str):
    commune = commune_or_404(commune_code)
    dataset = registry.get(slug)
    if dataset is None:
        return not_found(request, _("There is no dataset with this name."))
    if fmt not in dataset.formats:
        return _format_error(request, dataset, fmt, commune)
    old = versions.version(commune, slug, number)
    if old is None:
        return not_found(
            request,
            _("Version %(number)s of this dataset does not exist.") % {"number": number},
            back=f"/xa/{commune.code}/du-lieu-mo/{slug}/",
        )
    return _respond(dataset, old.content, fmt, f"{commune.code}-{slug}-v{number}")


def catalogue_dcat(request, commune_code: str, fmt: str):
    commune = commune_or_404(commune_code)
    triples = dcat.statements(commune)
    if fmt == "jsonld":
        response = JsonResponse(dcat.to_jsonld(triples), json_dumps_params={"ensure_ascii": False})
        response["Content-Type"] = "application/ld+json; charset=utf-8"
    elif fmt == "ttl":
        response = HttpResponse(dcat.to_turtle(triples), content_type="text/turtle; charset=utf-8")
    else:
        return not_found(request, _("The catalogue is offered as JSON-LD (.jsonld) and Turtle (.ttl)."))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_POST
def record_versions(request, commune_code: str):
    """A publishing official records today's content of every dataset that changed as a new version."""
    commune = commune_or_404(commune_code)
    access.require_publish(request.user, commune)
    created = [slug for slug, _number, new in versions.record_all(commune) if new]
    if created:
        messages.success(request, _("New versions recorded: %(names)s.") % {"names": ", ".join(created)})
    else:
        messages.info(request, _("No dataset has changed since its latest version."))
    return redirect("portal:opendata", commune.code)
