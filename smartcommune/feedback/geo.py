"""Points on the ground, without a GIS extension: inside Vietnam, near the commune, distances, public rounding.

Vietnam is checked with three boxes (the mainland with its near islands, Hoàng Sa, Trường Sa): cheap and
the same on every database. A commune's boundary, once the places part holds one, can narrow this; until
then a point must lie within a radius of the commune's reference point.
"""

import math

EARTH_RADIUS_M = 6_371_008.8
# (south, north, west, east) in degrees, WGS84.
VIETNAM_BOXES = (
    (8.15, 23.40, 102.14, 109.50),  # mainland, Phú Quốc, Côn Đảo, Thổ Chu, Bạch Long Vĩ
    (15.60, 17.20, 111.00, 113.00),  # Hoàng Sa
    (6.00, 12.00, 111.50, 117.90),  # Trường Sa
)
# Public maps show a point snapped to a grid of 0.001° (about 110 m north–south, 107 m east–west here).
PUBLIC_DECIMALS = 3


def in_vietnam(lat: float, long: float) -> bool:
    return any(south <= lat <= north and west <= long <= east for south, north, west, east in VIETNAM_BOXES)


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
    """The point as the public may see it: about 100 m off at most, never the reporter's doorstep."""
    if lat is None or long is None:
        return None
    return round(lat, PUBLIC_DECIMALS), round(long, PUBLIC_DECIMALS)
