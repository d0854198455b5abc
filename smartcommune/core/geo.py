"""Points on the ground without a GIS extension: is a point in Vietnam, distances, boxes, public rounding.

Vietnam is a coarse outline of the mainland (about 20 km outside the border, so that Phú Quốc, Côn Đảo and
Bạch Long Vĩ fall inside) and boxes for Hoàng Sa and Trường Sa: it refuses swapped or mistyped coordinates
and points in the neighbouring countries' interiors, the same on every database. A commune's boundary,
once places holds one, can narrow it; until then each part checks a radius around the commune's point.
"""

import math
from decimal import Decimal
from functools import cache

from shapely.geometry import Point, Polygon
from shapely.prepared import prep

EARTH_RADIUS_M = 6_371_008.8
# (longitude, latitude), clockwise from the north-west corner (A Pa Chải), a little outside the border.
MAINLAND = [
    (101.95, 22.50), (102.40, 22.80), (102.90, 22.90), (103.40, 22.90), (103.95, 22.65), (104.40, 22.90),
    (104.90, 23.25), (105.35, 23.50), (105.95, 23.15), (106.85, 23.00), (106.90, 22.35), (107.45, 21.80),
    (108.20, 21.60), (108.40, 21.00), (108.00, 19.90), (107.00, 18.60), (107.60, 17.20), (108.50, 16.20),
    (109.40, 15.40), (109.55, 13.90), (109.65, 12.60), (109.40, 11.50), (108.90, 10.40), (107.30, 10.05),
    (106.95, 8.40), (104.60, 8.20), (103.25, 9.10), (103.60, 10.55), (104.45, 10.50), (105.05, 10.98),
    (105.85, 11.05), (105.90, 11.80), (106.40, 12.05), (107.10, 12.40), (107.45, 12.45), (107.45, 13.20),
    (107.35, 14.00), (107.45, 14.75), (107.30, 15.25), (107.00, 15.75), (106.85, 16.25), (106.40, 16.50),
    (106.30, 16.95), (105.85, 17.35), (105.40, 18.00), (104.95, 18.50), (103.80, 19.05), (103.80, 19.50),
    (104.20, 19.90), (103.95, 20.45), (103.15, 20.70), (102.80, 21.15), (102.10, 21.60),
]  # fmt: skip
# (south, north, west, east): island groups beyond the mainland outline.
ISLANDS = (
    (15.60, 17.20, 111.00, 113.00),  # Hoàng Sa
    (6.00, 12.00, 111.50, 117.90),  # Trường Sa
)
# Public maps show a point snapped to a grid of 0.001° (about 110 m north–south, 107 m east–west here).
PUBLIC_DECIMALS = 3


@cache
def _mainland():
    return prep(Polygon(MAINLAND))


def in_vietnam(latitude: float | Decimal, longitude: float | Decimal) -> bool:
    lat, lon = float(latitude), float(longitude)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    if any(s <= lat <= n and w <= lon <= e for s, n, w, e in ISLANDS):
        return True
    return _mainland().contains(Point(lon, lat))


def distance_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(long2 - long1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def box_around(lat: float, long: float, metres: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box that holds every point within `metres` of (lat, long)."""
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlong = math.degrees(metres / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lat + dlat, long - dlong, long + dlong


def public_point(lat: float | None, long: float | None) -> tuple[float, float] | None:
    """The point as the public may see it: about 100 m off at most, never a resident's doorstep."""
    if lat is None or long is None:
        return None
    return round(lat, PUBLIC_DECIMALS), round(long, PUBLIC_DECIMALS)
