"""Growing areas and diaries through the API (staff, scoped). The map's layers are plain GeoJSON
views (farming:layer_areas, farming:layer_villages), outside this router, because GeoJSON has a fixed shape."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from config.api import AUTH
from smartcommune.places.shortcuts import commune_or_404

from . import access, selectors, services
from .models import DiaryEntry, GrowingArea, Plot

router = Router(tags=["farming"])


class PlotOut(Schema):
    id: int
    name: str
    area_ha: Decimal
    geometry: dict


class AreaOut(Schema):
    id: int
    code: str
    name: str
    crop: str
    variety: str
    crop_type: str
    standard: str
    certificate_number: str
    certificate_expires_on: date | None
    target_market: str
    status: str
    status_reason: str
    cooperative_code: str | None = None
    village_code: str | None = None
    declared_area_ha: Decimal | None
    measured_area_ha: Decimal

    @staticmethod
    def resolve_cooperative_code(obj) -> str | None:
        return obj.cooperative.code if obj.cooperative_id else None

    @staticmethod
    def resolve_village_code(obj) -> str | None:
        return obj.village.code if obj.village_id else None


class AreaDetailOut(AreaOut):
    plots: list[PlotOut]
    warnings: list[str]

    @staticmethod
    def resolve_plots(obj) -> list:
        return list(obj.plots.all())

    @staticmethod
    def resolve_warnings(obj) -> list[str]:
        return selectors.area_warnings(obj, selectors.farm_settings(obj.commune))


class InputIn(Schema):
    kind: Literal["fertiliser", "pesticide", "seed", "other"] = "other"
    product: str
    active_ingredient: str = ""
    dose: Decimal | None = None
    dose_unit: str = ""
    pre_harvest_days: int | None = Field(None, ge=0, le=365)


class DiaryIn(Schema):
    kind: Literal["soil", "planting", "fertilising", "spraying", "irrigation", "pest", "harvest"]
    date: date
    plot_id: int | None = None
    performed_by: str = ""
    notes: str = ""
    quantity: Decimal | None = None
    unit: Literal["KGM", "TNE", ""] = ""
    inputs: list[InputIn] = []


class DiaryOut(Schema):
    id: int
    growing_area_code: str = Field(alias="growing_area.code")
    plot_id: int | None
    date: date
    kind: str
    quantity: Decimal | None
    unit: str


class ErrorOut(Schema):
    detail: str
    errors: list[dict]


@router.get("/communes/{code}/growing-areas", response=list[AreaOut], auth=AUTH)
def area_list(request, code: str, q: str = "", crop: str = "", status: str = ""):
    commune = commune_or_404(code)
    return list(selectors.area_list(access.areas_for(request.user, commune), q=q, crop=crop, status=status))


@router.get("/growing-areas/{area_id}", response=AreaDetailOut, auth=AUTH)
def area_detail(request, area_id: int):
    area = get_object_or_404(GrowingArea.objects.select_related("commune", "cooperative", "village"), pk=area_id)
    access.require_area(request.user, area)
    return area


@router.post("/growing-areas/{area_id}/diary", response={201: DiaryOut, 400: ErrorOut}, auth=AUTH)
def diary_add(request, area_id: int, payload: DiaryIn):
    """Record one diary entry; a harvest inside a pre-harvest interval is refused (400) with the safe date."""
    area = get_object_or_404(GrowingArea.objects.select_related("commune"), pk=area_id)
    access.require_area(request.user, area, diary=True)
    plot = get_object_or_404(Plot, pk=payload.plot_id, growing_area=area) if payload.plot_id else None
    entry = services.diary_entry_add(
        area=area,
        plot=plot,
        kind=payload.kind,
        on=payload.date,
        performed_by=payload.performed_by,
        notes=payload.notes,
        quantity=payload.quantity,
        unit=payload.unit,
        inputs=[i.dict() for i in payload.inputs],
        by=request.user,
    )
    return Status(201, entry)


@router.get("/growing-areas/{area_id}/diary", response=list[DiaryOut], auth=AUTH)
def diary_list(request, area_id: int):
    area = get_object_or_404(GrowingArea.objects.select_related("commune"), pk=area_id)
    access.require_area(request.user, area)
    return list(
        DiaryEntry.objects.filter(growing_area=area).select_related("growing_area").order_by("-date", "-pk")[:500]
    )
