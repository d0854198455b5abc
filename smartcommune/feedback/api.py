"""Community reports in the platform's JSON API: public reports and statistics for anyone (never the
reporter), and the inbox and state changes for staff, with the same rules as the pages.
Open311 clients use /open311/v2/ instead (see open311.py)."""

from datetime import datetime, timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from config.api import AUTH
from smartcommune.core import geo
from smartcommune.places.shortcuts import commune_or_404

from . import access, selectors, services, units
from .models import Report

router = Router(tags=["feedback"])


class PublicReportOut(Schema):
    number: str
    category_code: str = Field(alias="category.code")
    category: str = Field(alias="category.name")
    description: str
    status: str
    is_open: bool
    village: str | None = None
    latitude: float | None = Field(None, description="Snapped to about 100 m.")
    longitude: float | None = Field(None, description="Snapped to about 100 m.")
    created_at: datetime
    closed_at: datetime | None
    satisfied: bool | None

    @staticmethod
    def resolve_village(obj) -> str | None:
        return obj.village.name if obj.village_id else None

    @staticmethod
    def resolve_latitude(obj) -> float | None:
        point = geo.public_point(obj.latitude, obj.longitude)
        return point[0] if point else None

    @staticmethod
    def resolve_longitude(obj) -> float | None:
        point = geo.public_point(obj.latitude, obj.longitude)
        return point[1] if point else None


class StaffReportOut(Schema):
    number: str
    category_code: str = Field(alias="category.code")
    category: str = Field(alias="category.name")
    description: str
    status: str
    unit: str
    unit_name: str = ""
    village_code: str | None = None
    latitude: float | None
    longitude: float | None
    created_at: datetime
    deadline: datetime
    overdue: bool = False
    escalated: bool = False
    is_public: bool

    @staticmethod
    def resolve_village_code(obj) -> str | None:
        return obj.village.code if obj.village_id else None

    @staticmethod
    def resolve_escalated(obj) -> bool:
        return obj.escalated_at is not None


class StatRowOut(Schema):
    key: str
    name: str
    count: int
    open: int
    handled: int
    on_time: int
    on_time_pct: float | None
    average_days: float | None
    rated: int
    satisfied: int
    satisfied_pct: float | None


class StatisticsOut(Schema):
    since: str | None
    total: StatRowOut
    by_category: list[StatRowOut]
    by_village: list[StatRowOut]


class TransitionIn(Schema):
    status: str
    note: str


class InboxFilters(Schema):
    status: str = Field("open", description="open, closed, all, or one internal state")
    unit: str = ""
    overdue: bool = False


@router.get("/communes/{code}/reports", response=list[PublicReportOut])
@paginate(PageNumberPagination, page_size=100)
def public_report_list(request, code: str, status: str = "", category: str = ""):
    """Public reports of a commune, newest first, without the reporter and with points about 100 m off."""
    commune = commune_or_404(code)
    chosen = commune.feedback_categories.filter(code=category, is_public=True).first() if category else None
    return selectors.public_reports(commune, category=chosen, status=status)


@router.get("/communes/{code}/statistics", response=StatisticsOut)
def public_statistics(request, code: str, months: int | None = None):
    """Per category and village: reports, share handled on time, average handling days, satisfaction."""
    commune = commune_or_404(code)
    since = timezone.now() - timedelta(days=round(months * 30.44)) if months else None
    return selectors.public_statistics(commune, since).as_dict()


@router.get("/communes/{code}/inbox", response=list[StaffReportOut], auth=AUTH)
@paginate(PageNumberPagination, page_size=100)
def inbox(request, code: str, filters: Query[InboxFilters]):
    """The reports the caller may read on staff pages (a unit sees its own), most urgent first."""
    commune = commune_or_404(code)
    reports = access.reports_for(request.user, commune).select_related("category", "village")
    reports = reports.in_state(filters.status)
    if filters.unit:
        reports = reports.filter(unit=filters.unit)
    now = timezone.now()
    if filters.overdue:
        reports = reports.overdue(now)
    labels = units.labels(commune)
    rows = list(reports.order_by("deadline", "pk")[:2000])
    for report in rows:
        report.unit_name = labels.get(report.unit, report.unit)
        report.overdue = report.is_overdue(now)
    return rows


@router.post("/communes/{code}/reports/{number}/status", response=StaffReportOut, auth=AUTH)
def transition(request, code: str, number: str, payload: TransitionIn):
    """Move a report to another state with a note; only its unit or the commune leadership may."""
    commune = commune_or_404(code)
    report = get_object_or_404(access.reports_for(request.user, commune), number=number)
    report = services.report_transition(report=report, status=payload.status, note=payload.note, by=request.user)
    report = Report.objects.select_related("category", "village").get(pk=report.pk)
    report.unit_name = units.label(report.unit, units.labels(commune))
    return report
