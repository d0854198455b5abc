"""The farm map's pages and its GeoJSON layers: public (no personal data) and staff (scoped)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import access, maps, selectors
from .models import GrowingArea

GEOJSON = "application/geo+json"


def map_context(commune: Commune, *, staff: bool, inline=(), fetch=(), draw: str = "") -> dict:
    """What the map template needs: `map_config` (read by static/farming/map.js) and the notes around it.

    `layers` lists the layers other parts registered (see maps.py): the hook for community reports."""
    farm = selectors.farm_settings(commune)
    layers = maps.layers_for(commune.code, staff=staff)
    return {
        "reference_unverified": bool(farm and farm.needs_verification),
        "layers": layers,
        "map_config": {
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "center": [float(farm.latitude), float(farm.longitude)] if farm else None,
            "inline": list(inline),
            "layers": [*fetch, *layers],
            "draw": draw,
            "labels": {"plot": _("Plot"), "open": _("Open the page")},
        },
    }


# The map ----------------------------------------------------------------------------------------


def public_map(request, commune_code: str):
    """The public farm map: growing areas and villages, no personal data."""
    commune = commune_or_404(commune_code)
    return render(
        request,
        "farming/map.html",
        {
            "commune": commune,
            "staff": False,
            "legend": _legend(commune),
            **map_context(commune, staff=False, fetch=_base_layers(commune, staff=False)),
        },
    )


@login_required
def staff_map(request, commune_code: str):
    commune = commune_or_404(commune_code)
    access.areas_for(request.user, commune)
    return render(
        request,
        "farming/map.html",
        {
            "commune": commune,
            "staff": True,
            "legend": _legend(commune),
            **map_context(commune, staff=True, fetch=_base_layers(commune, staff=True)),
        },
    )


def _base_layers(commune: Commune, *, staff: bool) -> list[dict]:
    areas = "farming:layer_areas_staff" if staff else "farming:layer_areas"
    return [
        {
            "label": _("Villages"),
            "url": reverse("farming:layer_villages", args=[commune.code]),
            "colour": "#1c2530",
            "fit": False,
        },
        {"label": _("Growing areas"), "url": reverse(areas, args=[commune.code]), "colour": "#0b6e4f"},
    ]


def _legend(commune: Commune) -> list[tuple[str, str]]:
    return [(crop, maps.crop_colour(crop)) for crop in selectors.crops(commune)]


def _geojson(data: dict, *, public: bool) -> JsonResponse:
    response = JsonResponse(data, content_type=GEOJSON, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


def layer_areas(request, commune_code: str):
    commune = commune_or_404(commune_code)

    def url(area):
        return reverse("farming:public_area", args=[commune.code, area.code])

    return _geojson(maps.area_features(GrowingArea.objects.in_commune(commune), staff=False, area_url=url), public=True)


@login_required
def layer_areas_staff(request, commune_code: str):
    commune = commune_or_404(commune_code)
    areas = access.areas_for(request.user, commune)

    def url(area):
        return reverse("farming:area", args=[commune.code, area.pk])

    return _geojson(
        maps.area_features(areas, staff=access.sees_households(request.user, commune), area_url=url), public=False
    )


def layer_villages(request, commune_code: str):
    return _geojson(maps.village_features(commune_or_404(commune_code)), public=True)


def public_area(request, commune_code: str, code: str):
    """A growing area's public page: its code, crop, standard and plots on a map; no households."""
    commune = commune_or_404(commune_code)
    area = (
        GrowingArea.objects.select_related("cooperative", "village").filter(commune=commune, code__iexact=code).first()
    )
    if area is None:
        raise Http404
    return render(
        request,
        "farming/public_area.html",
        {
            "commune": commune,
            "area": area,
            **map_context(
                commune,
                staff=False,
                inline=[
                    {
                        "label": _("Plots"),
                        "data": maps.area_features(GrowingArea.objects.filter(pk=area.pk), staff=False),
                    }
                ],
            ),
        },
    )
