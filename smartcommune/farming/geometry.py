"""Plot polygons: reading GeoJSON and KML, checking them, measuring them on the ellipsoid.

A polygon is accepted when it is a closed ring of at least three distinct points, does not cross
itself, lies inside Vietnam and within the commune's radius of its reference point. Areas come
from pyproj's geodesic computation on WGS84 (not from degrees), so they are right at any latitude.
KML is parsed with defusedxml, which refuses entity expansion and external references.
"""

import json
import math
from dataclasses import dataclass
from decimal import Decimal

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.validation import explain_validity

from smartcommune.core import geo

# Limits of an uploaded plot file; where a point may lie is core.geo's and the commune's radius.
MAX_VERTICES = 5000
MAX_FILE_BYTES = 5 * 2**20
DECIMALS = 7  # about 1 cm: more digits only add noise from GPS receivers

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Shape:
    """A checked polygon: its GeoJSON geometry, area and centroid."""

    name: str
    geometry: dict
    area_ha: Decimal
    centroid: tuple[float, float]  # lat, lon


@dataclass(frozen=True)
class Place:
    """Where plots of a commune must lie: a reference point and a radius."""

    latitude: float
    longitude: float
    max_km: float


def _positions(ring, label: str) -> list[tuple[float, float]]:
    if not isinstance(ring, list) or not ring:
        raise ValidationError(_("%(what)s has no coordinates.") % {"what": label})
    points = []
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            raise ValidationError(
                _("%(what)s has a coordinate that is not a pair of numbers (longitude, latitude).") % {"what": label}
            )
        lon, lat = float(position[0]), float(position[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValidationError(_("%(what)s has a coordinate that is not a number.") % {"what": label})
        points.append((lon, lat))
    return points


def _ring(ring, label: str) -> list[tuple[float, float]]:
    points = _positions(ring, label)
    if len(points) < 4 or len(set(points)) < 3:
        raise ValidationError(_("%(what)s needs at least three different corners.") % {"what": label})
    if points[0] != points[-1]:
        raise ValidationError(
            _("%(what)s is not closed: its last point must repeat its first point.") % {"what": label}
        )
    for lon, lat in points:
        if not geo.in_vietnam(lat, lon):
            if geo.in_vietnam(lon, lat):
                raise ValidationError(
                    _(
                        "%(what)s has its coordinates in latitude, longitude order; GeoJSON and KML "
                        "write longitude first."
                    )
                    % {"what": label}
                )
            raise ValidationError(
                _("%(what)s has a point outside Vietnam (longitude %(lon)s, latitude %(lat)s).")
                % {"what": label, "lon": round(lon, 5), "lat": round(lat, 5)}
            )
    return [(round(lon, DECIMALS), round(lat, DECIMALS)) for lon, lat in points]


def _polygon(rings, label: str) -> Polygon:
    if not isinstance(rings, list) or not rings:
        raise ValidationError(_("%(what)s has no coordinates.") % {"what": label})
    checked = [_ring(ring, label) for ring in rings]
    return Polygon(checked[0], checked[1:])


def geodesic_area_ha(geometry) -> Decimal:
    area, _perimeter = _GEOD.geometry_area_perimeter(geometry)
    return (Decimal(abs(area)) / Decimal(10_000)).quantize(Decimal("0.0001"))


def _farthest_km(geometry, place: Place) -> float:
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    lons, lats = [], []
    for polygon in polygons:
        for x, y in polygon.exterior.coords:
            lons.append(x)
            lats.append(y)
    _az1, _az2, distances = _GEOD.inv([place.longitude] * len(lons), [place.latitude] * len(lats), lons, lats)
    return max(distances) / 1000


def check_geometry(data, *, place: Place | None, name: str = "") -> Shape:
    """A GeoJSON geometry (Polygon or MultiPolygon) as a checked Shape, or a ValidationError saying why not."""
    label = _("The plot %(name)s") % {"name": name} if name else _("The polygon")
    if not isinstance(data, dict) or "type" not in data:
        raise ValidationError(_("This is not a GeoJSON geometry."))
    kind = data.get("type")
    coordinates = data.get("coordinates")
    if kind == "Polygon":
        geometry = _polygon(coordinates, label)
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(_("%(what)s has no coordinates.") % {"what": label})
        geometry = MultiPolygon([_polygon(rings, label) for rings in coordinates])
    else:
        raise ValidationError(
            _("%(what)s is a %(kind)s; only polygons describe a plot.") % {"what": label, "kind": kind}
        )
    vertices = sum(len(p.exterior.coords) for p in getattr(geometry, "geoms", [geometry]))
    if vertices > MAX_VERTICES:
        raise ValidationError(_("%(what)s has more than %(max)s points.") % {"what": label, "max": MAX_VERTICES})
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            raise ValidationError(
                _("%(what)s crosses itself (near %(where)s): redraw it so that its edges do not cross.")
                % {"what": label, "where": reason.partition("[")[2].rstrip("]")}
            )
        raise ValidationError(_("%(what)s is not a valid shape (%(reason)s).") % {"what": label, "reason": reason})
    area = geodesic_area_ha(geometry)
    if area <= 0:
        raise ValidationError(_("%(what)s has no area.") % {"what": label})
    if place is not None:
        distance = _farthest_km(geometry, place)
        if distance > place.max_km:
            raise ValidationError(
                _(
                    "%(what)s lies %(km)s km from the commune's reference point, farther than the "
                    "%(max)s km allowed: check that it was drawn in the right place."
                )
                % {"what": label, "km": f"{distance:.1f}".replace(".", ","), "max": place.max_km}
            )
    centroid = geometry.centroid
    return Shape(
        name=name,
        geometry=mapping(geometry) | {"coordinates": _lists(mapping(geometry)["coordinates"])},
        area_ha=area,
        centroid=(round(centroid.y, 6), round(centroid.x, 6)),
    )


def _lists(value):
    """shapely's mapping() gives tuples; JSON fields and comparisons want lists."""
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


# Files ------------------------------------------------------------------------------------------


def _geojson_items(data) -> list[tuple[str, dict]]:
    """(name, geometry) pairs from a GeoJSON FeatureCollection, Feature or bare geometry."""
    if not isinstance(data, dict):
        raise ValidationError(_("This is not a GeoJSON file."))
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValidationError(_("This GeoJSON file has no list of features."))
        items = []
        for number, feature in enumerate(features, start=1):
            items += _feature(feature, number)
        return items
    if kind == "Feature":
        return _feature(data, 1)
    if kind in ("Polygon", "MultiPolygon"):
        return [("", data)]
    raise ValidationError(_("This GeoJSON file holds a %(kind)s, not polygons.") % {"kind": kind})


def _feature(feature, number: int) -> list[tuple[str, dict]]:
    if (
        not isinstance(feature, dict)
        or feature.get("type") != "Feature"
        or not isinstance(feature.get("geometry"), dict)
    ):
        raise ValidationError(_("Feature %(n)s of the file has no geometry.") % {"n": number})
    props = feature.get("properties") or {}
    name = (
        str(props.get("name") or props.get("ten") or props.get("Name") or "")[:100] if isinstance(props, dict) else ""
    )
    return [(name, feature["geometry"])]


def parse_geojson(text: str) -> list[tuple[str, dict]]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("The file is not valid GeoJSON (JSON error on line %(line)s).") % {"line": getattr(error, "lineno", "?")}
        ) from error
    return _geojson_items(data)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _kml_ring(element) -> list[list[float]]:
    coordinates = next((e for e in element.iter() if _local(e.tag) == "coordinates"), None)
    if coordinates is None or not (coordinates.text or "").strip():
        return []
    ring = []
    for token in coordinates.text.split():
        parts = token.split(",")
        try:
            ring.append([float(parts[0]), float(parts[1])])
        except (ValueError, IndexError) as error:
            raise ValidationError(
                _("The KML file has a coordinate that is not a number: %(value)s.") % {"value": token[:40]}
            ) from error
    return ring


def _kml_polygon(element) -> list[list[list[float]]]:
    outer = [_kml_ring(b) for b in element.iter() if _local(b.tag) == "outerBoundaryIs"]
    inner = [_kml_ring(b) for b in element.iter() if _local(b.tag) == "innerBoundaryIs"]
    return [ring for ring in outer[:1] + inner]


def parse_kml(content: bytes) -> list[tuple[str, dict]]:
    """(name, geometry) pairs from the Placemarks of a KML file (Polygon or MultiGeometry of polygons)."""
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ValidationError(_("The KML file declares entities or a DTD, which are not accepted.")) from error
    except ElementTree.ParseError as error:
        raise ValidationError(
            _("The file is not valid KML (XML error: %(error)s).") % {"error": str(error)[:100]}
        ) from error
    if _local(root.tag) != "kml":
        raise ValidationError(_("The file is not KML."))
    items = []
    for number, placemark in enumerate((e for e in root.iter() if _local(e.tag) == "Placemark"), start=1):
        names = _children(placemark, "name")
        name = (names[0].text or "").strip()[:100] if names else ""
        polygons = [_kml_polygon(p) for p in placemark.iter() if _local(p.tag) == "Polygon"]
        if not polygons:
            raise ValidationError(
                _("Placemark %(n)s (%(name)s) of the KML file holds no polygon.") % {"n": number, "name": name or "—"}
            )
        if len(polygons) == 1:
            items.append((name, {"type": "Polygon", "coordinates": polygons[0]}))
        else:
            items.append((name, {"type": "MultiPolygon", "coordinates": polygons}))
    if not items:
        raise ValidationError(_("The KML file holds no placemark with a polygon."))
    return items


def read_file(upload) -> list[tuple[str, dict]]:
    """The polygons of an uploaded .geojson/.json or .kml file, as (name, geometry) pairs, unchecked."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // 2**20})
    content = upload.read()
    name = (upload.name or "").lower()
    head = content.lstrip()[:1]
    if name.endswith(".kml") or head == b"<":
        return parse_kml(content)
    if name.endswith((".geojson", ".json")) or head in (b"{", b"["):
        try:
            return parse_geojson(content.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ValidationError(_("The GeoJSON file is not UTF-8 text.")) from error
    raise ValidationError(_("Send a GeoJSON (.geojson) or KML (.kml) file."))
