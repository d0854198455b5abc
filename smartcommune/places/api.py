"""Provinces, communes and villages: readable by everyone, villages written by commune officials."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from config.api import AUTH
from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role
from smartcommune.core.text import fold
from smartcommune.places.shortcuts import commune_or_404

from . import services
from .models import Commune, Province, Village

router = Router(tags=["places"])


class ProvinceOut(Schema):
    code: str
    name: str
    kind: str
    default_region: str


class CommuneOut(Schema):
    code: str
    name: str
    kind: str
    province_code: str = Field(alias="province.code")
    region: str = Field(alias="effective_region")
    group: int | None
    valid_from: str | None = None

    @staticmethod
    def resolve_valid_from(obj) -> str | None:
        return obj.valid_from.isoformat() if obj.valid_from else None


class VillageOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    status: str
    commune_code: str = Field(alias="commune.code")
    merged_into_code: str | None = None

    @staticmethod
    def resolve_merged_into_code(obj) -> str | None:
        return obj.merged_into.code if obj.merged_into_id else None


class VillageIn(Schema):
    code: str
    name: str
    kind: str = Village.Kind.THON


class VillagePatch(Schema):
    name: str
    reason: str = ""


@router.get("/provinces", response=list[ProvinceOut], auth=None)
def province_list(request):
    return Province.objects.all()


@router.get("/provinces/{code}/communes", response=list[CommuneOut], auth=None)
@paginate(PageNumberPagination, page_size=100)
def province_communes(request, code: str, q: str = ""):
    province = get_object_or_404(Province, code=code)
    communes = Commune.objects.filter(province=province).select_related("province")
    if q:
        needle = fold(q)
        return [c for c in communes if needle in fold(c.name)]
    return communes


@router.get("/communes/{code}", response=CommuneOut, auth=None)
def commune_detail(request, code: str):
    return commune_or_404(code)


@router.get("/communes/{code}/villages", response=list[VillageOut], auth=None)
@paginate(PageNumberPagination, page_size=100)
def commune_villages(
    request, code: str, status: str = "", ordering: Literal["code", "-code", "name", "-name"] = "code"
):
    commune = commune_or_404(code)
    villages = Village.objects.in_commune(commune).select_related("commune", "merged_into")
    villages = villages.filter(status=status) if status else villages
    return villages.order_by(ordering.replace("name", "name_key"))


@router.post("/communes/{code}/villages", response={201: VillageOut}, auth=AUTH)
def village_create(request, code: str, payload: VillageIn):
    commune = commune_or_404(code)
    scoping.require_role(request.user, commune, Role.COMMUNE_OFFICIAL)
    return Status(
        201, services.village_create(commune=commune, code=payload.code, name=payload.name, kind=payload.kind)
    )


@router.patch("/villages/{village_id}", response=VillageOut, auth=AUTH)
def village_rename(request, village_id: int, payload: VillagePatch):
    village = get_object_or_404(Village.objects.select_related("commune"), pk=village_id)
    scoping.require_role(request.user, village.commune, Role.COMMUNE_OFFICIAL)
    return services.village_rename(village=village, name=payload.name, reason=payload.reason)
