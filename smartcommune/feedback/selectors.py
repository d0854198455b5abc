"""Reads of reports for pages, the map, Open311, the API and other parts (the portal's statistics)."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from smartcommune.core import geo
from smartcommune.places.models import Commune

from . import working_time
from .models import HANDLED_STATUSES, OPEN_STATUSES, Category, Holiday, Report, ReportArea, ReportUpdate, Status

DATA = Path(__file__).resolve().parent / "data"
NEARBY_METRES = 200


def plain_rows(queryset: QuerySet) -> list[tuple]:
    """Run a values_list() queryset's SQL on a plain cursor.

    For thousands of rows Django's per-value converters cost more than the query itself; the lists that
    the public map and Open311 serve skip them. The ORM still builds the SQL. Datetimes may come back
    naive (SQLite stores UTC without an offset): read them with `aware`."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def aware(moment):
    """A datetime from plain_rows, aware (UTC when the database gave it without an offset)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class Area:
    latitude: float
    longitude: float
    radius_km: float
    needs_verification: bool
    source: str
    saved: bool  # False: from the shipped reference file


@cache
def _reference_points() -> dict:
    return json.loads((DATA / "reference_points.json").read_text(encoding="utf-8"))


def area_for(commune: Commune) -> Area | None:
    """Where the commune's reports may be: its saved area, else the shipped reference point, else None."""
    saved = ReportArea.objects.filter(commune=commune).first()
    if saved:
        return Area(
            saved.latitude,
            saved.longitude,
            float(saved.radius_km),
            saved.needs_verification,
            saved.source,
            True,
        )
    point = _reference_points().get(commune.code)
    if point:
        return Area(
            point["latitude"],
            point["longitude"],
            float(point["radius_km"]),
            point["needs_verification"],
            point.get("source", ""),
            False,
        )
    return None


def holidays(commune: Commune | int, start: date, end: date) -> set[date]:
    """The commune's days off between two dates (a commune or its id)."""
    return set(Holiday.objects.filter(commune=commune, date__range=(start, end)).values_list("date", flat=True))


def active_categories(commune: Commune) -> QuerySet[Category]:
    return Category.objects.filter(commune=commune, is_active=True).order_by("order", "name")


def communes_with_categories() -> QuerySet[Commune]:
    return Commune.objects.filter(feedback_categories__is_active=True).distinct().order_by("code")


def nearby_open_reports(
    commune: Commune, category: Category, lat: float, long: float, *, metres: float = NEARBY_METRES, limit: int = 5
) -> list[tuple[Report, int]]:
    """Open public reports of the same category within `metres`, nearest first, with their distance.

    A bounded box query (indexed on commune, category, latitude) then the exact distance in Python."""
    south, north, west, east = geo.box_around(lat, long, metres)
    candidates = (
        Report.objects.public()
        .open()
        .filter(
            commune=commune,
            category=category,
            latitude__range=(south, north),
            longitude__range=(west, east),
        )
        .select_related("village")
        .only("number", "description", "status", "created_at", "latitude", "longitude", "village__name")[:200]
    )
    found = []
    for report in candidates:
        distance = geo.distance_m(lat, long, report.latitude, report.longitude)
        if distance <= metres:
            found.append((report, round(distance)))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


# Public side ------------------------------------------------------------------------------------


PUBLIC_FIELDS = ("pk", "number", "description", "status", "created_at", "closed_at", "latitude", "longitude")


def public_reports(
    commune: Commune,
    *,
    category: Category | None = None,
    status: str = "",
    village_id: int | None = None,
    since: datetime | None = None,
) -> QuerySet[Report]:
    """Public reports, newest first, with what a public list shows (never the reporter)."""
    qs = (
        Report.objects.public()
        .filter(commune=commune)
        .select_related("category", "village")
        .only(*PUBLIC_FIELDS, "category__name", "category__code", "village__name", "satisfied", "is_public")
    )
    if category:
        qs = qs.filter(category=category)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if village_id:
        qs = qs.filter(village_id=village_id)
    if since:
        qs = qs.filter(created_at__gte=since)
    return qs.order_by("-created_at", "-pk")


MAP_DAYS = 90
MAP_MAX_DAYS = 366
MAP_LIMIT = 5000


def map_features(commune: Commune, *, days: int = MAP_DAYS, category: Category | None = None, status: str = ""):
    """GeoJSON features of public reports of the last `days` days, points snapped to about 100 m."""
    since = timezone.now() - timedelta(days=max(1, min(days, MAP_MAX_DAYS)))
    qs = Report.objects.public().filter(commune=commune, created_at__gte=since, latitude__isnull=False)
    if category:
        qs = qs.filter(category=category)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    rows = plain_rows(
        qs.order_by("-created_at").values_list(
            "number", "latitude", "longitude", "status", "created_at", "category__name", "category__code"
        )[:MAP_LIMIT]
    )
    labels = {value: str(label) for value, label in Status.choices}  # translated once, not per row
    features = []
    for number, lat, long, state, created, category_name, category_code in rows:
        public_lat, public_long = geo.public_point(lat, long)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [public_long, public_lat]},
                "properties": {
                    "number": number,
                    "category": category_name,
                    "category_code": category_code,
                    "status": state,
                    "status_label": labels.get(state, state),
                    "open": state in OPEN_STATUSES,
                    "date": aware(created).astimezone(working_time.TZ).strftime("%d/%m/%Y"),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def public_updates(report: Report) -> QuerySet[ReportUpdate]:
    return report.updates.filter(is_public=True).order_by("created_at", "pk")


# Statistics -------------------------------------------------------------------------------------


@dataclass
class StatRow:
    key: str
    name: str
    count: int = 0  # reports received (duplicates excluded: they are counted in the report they joined)
    handled: int = 0  # closed by the commune's own handling
    on_time: int = 0  # handled by the deadline
    handling_seconds: float = 0.0
    rated: int = 0
    satisfied: int = 0

    @property
    def open(self) -> int:
        return self.count - self.handled

    @property
    def on_time_pct(self) -> float | None:
        return round(100 * self.on_time / self.handled, 1) if self.handled else None

    @property
    def average_days(self) -> float | None:
        return round(self.handling_seconds / self.handled / 86400, 1) if self.handled else None

    @property
    def satisfied_pct(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None

    def add(self, other: "StatRow") -> None:
        for name in ("count", "handled", "on_time", "handling_seconds", "rated", "satisfied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "count": self.count,
            "open": self.open,
            "handled": self.handled,
            "on_time": self.on_time,
            "on_time_pct": self.on_time_pct,
            "average_days": self.average_days,
            "rated": self.rated,
            "satisfied": self.satisfied,
            "satisfied_pct": self.satisfied_pct,
        }


@dataclass
class Statistics:
    since: datetime | None
    total: StatRow
    by_category: list[StatRow]
    by_village: list[StatRow]

    def as_dict(self) -> dict:
        return {
            "since": self.since.isoformat() if self.since else None,
            "total": self.total.as_dict(),
            "by_category": [row.as_dict() for row in self.by_category],
            "by_village": [row.as_dict() for row in self.by_village],
        }


def public_statistics(commune: Commune, since: datetime | None = None, until: datetime | None = None) -> Statistics:
    """Per category and per village: reports, share handled on time, average handling time, satisfaction.

    Counts only: no report detail, so private categories count too. Two grouped queries for the counts
    and one pass over the handled reports' two dates for the handling time (no database-specific
    interval arithmetic, so SQLite and PostgreSQL agree to the second)."""
    qs = Report.objects.filter(commune=commune).exclude(status=Status.DUPLICATE)
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lte=until)
    handled = Q(status__in=HANDLED_STATUSES)
    measures = {
        "count": Count("pk"),
        "handled": Count("pk", filter=handled),
        "on_time": Count("pk", filter=handled & Q(closed_at__lte=F("deadline"))),
        "rated": Count("pk", filter=Q(satisfied__isnull=False)),
        "satisfied": Count("pk", filter=Q(satisfied=True)),
    }
    categories = {
        pk: StatRow(code, name)
        for pk, code, name in Category.objects.filter(commune=commune).values_list("pk", "code", "name")
    }
    villages = {pk: StatRow(code, name) for pk, code, name in commune.villages.values_list("pk", "code", "name")}
    no_village = StatRow("", "")
    for row in qs.values("category_id", "village_id").annotate(**measures).order_by():
        part = StatRow("", "", **{name: row[name] for name in measures})
        categories[row["category_id"]].add(part)
        (villages.get(row["village_id"]) or no_village).add(part)
    durations = qs.filter(handled, closed_at__isnull=False).values_list(
        "category_id", "village_id", "created_at", "closed_at"
    )
    for category_id, village_id, created, closed in durations.iterator(chunk_size=5000):
        seconds = max(0.0, (closed - created).total_seconds())
        categories[category_id].handling_seconds += seconds
        (villages.get(village_id) or no_village).handling_seconds += seconds
    total = StatRow("", "")
    for row in categories.values():
        total.add(row)
    by_village = [row for row in villages.values() if row.count]
    if no_village.count:
        no_village.name = "—"
        by_village.append(no_village)
    return Statistics(
        since,
        total,
        sorted((row for row in categories.values() if row.count), key=lambda r: (-r.count, r.name)),
        by_village,
    )
