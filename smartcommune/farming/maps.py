"""The farm map's layers: GeoJSON for villages and growing areas, and the hook other parts use to add theirs.

Hook for other parts (the community reports of `feedback`, later): in your AppConfig.ready(),

    from smartcommune.farming import maps
    maps.register_layer("reports", _("Community reports"), "feedback:map_layer", colour="#b42318")

The URL name takes the commune code as its only argument and answers with a GeoJSON
FeatureCollection of points or polygons; each feature's `properties.title` (and optional
`properties.url`) fill its popup. Public layers (public=True) appear on the public map and must
hold no personal data; staff-only layers appear on the staff map only. The map page passes every
registered layer to its template as `layers` (a list of {key, label, url, colour}); the map script
fetches each URL and draws it.
"""

import hashlib
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from smartcommune.core.text import fold

from .models import GrowingArea, Plot, VillagePoint


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    url_name: str
    colour: str
    public: bool


_layers: dict[str, Layer] = {}


def register_layer(key: str, label, url_name: str, *, colour: str = "#175cd3", public: bool = True) -> None:
    _layers[key] = Layer(key, label, url_name, colour, public)


def layers_for(commune_code: str, *, staff: bool) -> list[dict]:
    """The extra layers for a map page (public ones only unless `staff`), as the template needs them."""
    result = []
    for layer in _layers.values():
        if not layer.public and not staff:
            continue
        try:
            url = reverse(layer.url_name, args=[commune_code])
        except NoReverseMatch:  # a part that is not installed in this deployment
            continue
        result.append({"key": layer.key, "label": str(layer.label), "url": url, "colour": layer.colour})
    return result


# Growing areas coloured by crop: fixed colours for the common crops, a stable one for the others.
CROP_COLOURS = {
    "lua": "#d4a017",
    "rau": "#2e9d4a",
    "ngo": "#e67e22",
    "keo": "#6b8e23",
    "mia": "#8e44ad",
    "san": "#a0522d",
    "dua": "#16a085",
    "xoai": "#f39c12",
    "buoi": "#c0392b",
    "che": "#27ae60",
    "ca phe": "#6f4e37",
    "ho tieu": "#34495e",
}
PALETTE = ("#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#ff7f0e")


def crop_colour(crop: str) -> str:
    key = fold(crop)
    for name, colour in CROP_COLOURS.items():
        if key == name or key.startswith(name + " "):
            return colour
    return PALETTE[int(hashlib.md5(key.encode()).hexdigest(), 16) % len(PALETTE)]


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def area_features(areas, *, staff: bool, area_url=None) -> dict:
    """One feature per plot, with its area's public facts; staff also get the plot holder and members."""
    plots = (
        Plot.objects.filter(growing_area__in=areas)
        .select_related("growing_area", "growing_area__cooperative", "household")
        .order_by("growing_area__code", "name")
    )
    features = []
    for plot in plots:
        area: GrowingArea = plot.growing_area
        properties = {
            "title": f"{area.code} — {area.name}",
            "code": area.code,
            "name": area.name,
            "plot": plot.name,
            "crop": area.crop,
            "variety": area.variety,
            "standard": area.get_standard_display(),
            "status": area.status,
            "status_label": str(area.get_status_display()),
            "cooperative": area.cooperative.name if area.cooperative_id else "",
            "area_ha": float(plot.area_ha),
            "colour": crop_colour(area.crop),
        }
        if area_url is not None:
            properties["url"] = area_url(area)
        if staff:
            properties["household"] = str(plot.household) if plot.household_id else ""
        features.append({"type": "Feature", "geometry": plot.geometry, "properties": properties})
    return _collection(features)


def village_features(commune) -> dict:
    points = VillagePoint.objects.filter(village__commune=commune, village__status="active").select_related("village")
    return _collection(
        [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
                "properties": {
                    "title": p.village.name,
                    "code": p.village.code,
                    "needs_verification": p.needs_verification,
                },
            }
            for p in points
        ]
    )
