"""Is a point in Vietnam? A coarse outline of the mainland (about 20 km outside the border) and boxes for
the offshore islands: it refuses swapped or mistyped coordinates and points in the neighbouring
countries' interiors, without a GIS extension. A commune boundary, once places holds one, can narrow it.

Note: the feedback part keeps its own boxes; both belong in core once a second part needs them."""

from decimal import Decimal
from functools import cache

from shapely.geometry import Point, Polygon
from shapely.prepared import prep

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


@cache
def _mainland():
    return prep(Polygon(MAINLAND))


def in_vietnam(latitude: float | Decimal, longitude: float | Decimal) -> bool:
    lat, lon = float(latitude), float(longitude)
    if any(s <= lat <= n and w <= lon <= e for s, n, w, e in ISLANDS):
        return True
    return _mainland().contains(Point(lon, lat))
