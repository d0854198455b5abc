"""Registries through the API: households (staff only, scoped), organisations (public fields public),
and bulk upserts with the same checks and the same all-or-nothing rule as file imports."""

from typing import Any, Literal

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from config.api import AUTH, OPTIONAL_AUTH
from smartcommune.accounts import scoping
from smartcommune.places.models import Commune, Village

from . import access, selectors, services
from .models import Household, Organisation

router = Router(tags=["registry"])


class HouseholdYearOut(Schema):
    year: int
    members: int
    poverty: str | None
    housing: str | None
    safe_electricity: bool | None
    clean_water: bool | None
    hygienic_latrine: bool | None
    insured_members: int | None
    working_age_members: int | None
    employed_members: int | None
    trained_workers: int | None
    certified_workers: int | None
    income: int | None
    smartphone: bool | None
    broadband: bool | None
    e_payment: bool | None
    digital_address: str


class HouseholdOut(Schema):
    id: int
    code: str
    village_code: str = Field(alias="village.code")
    address: str
    head_name: str
    phone: str
    is_active: bool


class HouseholdDetailOut(HouseholdOut):
    years: list[HouseholdYearOut]

    @staticmethod
    def resolve_years(obj) -> list:
        return list(obj.years.all())


class HouseholdFilters(Schema):
    year: int | None = None
    village: str | None = Field(None, description="Village code")
    poverty: Literal["ngheo", "can_ngheo", "khong"] | None = None
    missing: bool = False
    q: str = ""
    ordering: Literal["code", "-code", "name", "village"] = "code"


class OrganisationPublicOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    is_ocop_subject: bool
    tax_code: str
    address: str
    village_code: str | None = None
    status: str
    description: str

    @staticmethod
    def resolve_village_code(obj) -> str | None:
        return obj.village.code if obj.village_id else None


class OrganisationStaffOut(OrganisationPublicOut):
    representative: str
    phone: str
    email: str
    bank_bin: str
    bank_account: str
    bank_account_name: str
    member_count: int = 0


class BulkIn(Schema):
    rows: list[dict[str, Any]] = Field(..., description="Rows keyed like the import file's columns (see the template).")


class BulkOut(Schema):
    rows: int
    created: int
    updated: int


class RowErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class BulkErrorOut(Schema):
    detail: str
    errors: list[RowErrorOut]


def _commune(code: str) -> Commune:
    return get_object_or_404(Commune, code=code)


@router.get("/communes/{code}/households", response=list[HouseholdOut], auth=AUTH)
@paginate(PageNumberPagination, page_size=100)
def household_list(request, code: str, filters: Query[HouseholdFilters]):
    commune = _commune(code)
    households = access.households_for(request.user, commune)
    year = filters.year or (selectors.household_years(commune) or [None])[0]
    village = Village.objects.filter(commune=commune, code=filters.village.upper()).first() if filters.village else None
    return selectors.household_list(
        households,
        year=year,
        village=village,
        poverty=filters.poverty or "",
        missing=filters.missing,
        q=filters.q,
        ordering=filters.ordering,
    )


@router.get("/households/{household_id}", response=HouseholdDetailOut, auth=AUTH)
def household_detail(request, household_id: int):
    household = get_object_or_404(Household.objects.select_related("village__commune"), pk=household_id)
    access.require_household(request.user, household)
    return household


def _bulk(request, code: str, kind: str, payload: BulkIn):
    commune = _commune(code)
    scoping.require_role(request.user, commune, *access.IMPORTERS)
    result = services.rows_upsert(kind=kind, commune=commune, rows=payload.rows, by=request.user)
    if result.errors:
        errors = [RowErrorOut(row=e.row, column=e.column, value=e.value, message=e.reason) for e in result.errors]
        return Status(400, BulkErrorOut(detail=_("Nothing was saved: some rows are not valid."), errors=errors))
    return Status(200, BulkOut(rows=result.rows, created=result.created, updated=result.updated))


@router.post("/communes/{code}/households/bulk", response={200: BulkOut, 400: BulkErrorOut}, auth=AUTH)
def household_bulk(request, code: str, payload: BulkIn):
    """Create or update households with their yearly figures, matched on the household code and year."""
    return _bulk(request, code, "households", payload)


@router.post("/communes/{code}/organisations/bulk", response={200: BulkOut, 400: BulkErrorOut}, auth=AUTH)
def organisation_bulk(request, code: str, payload: BulkIn):
    return _bulk(request, code, "organisations", payload)


@router.post("/communes/{code}/villages/bulk", response={200: BulkOut, 400: BulkErrorOut}, auth=AUTH)
def village_bulk(request, code: str, payload: BulkIn):
    return _bulk(request, code, "villages", payload)


@router.get(
    "/communes/{code}/organisations", response=list[OrganisationStaffOut | OrganisationPublicOut], auth=OPTIONAL_AUTH
)
@paginate(PageNumberPagination, page_size=100)
def organisation_list(
    request,
    code: str,
    kind: str = "",
    q: str = "",
    ocop: bool = False,
    ordering: Literal["code", "-code", "name", "-name"] = "code",
):
    """Anyone reads the public fields; the commune's staff also read contacts and bank details."""
    commune = _commune(code)
    rows = selectors.organisation_list(commune, kind=kind, q=q, ocop=ocop).order_by(ordering)
    if access.is_staff_of(request.user, commune):
        return [OrganisationStaffOut.from_orm(o) for o in rows]
    return [OrganisationPublicOut.from_orm(o) for o in rows]


@router.get(
    "/organisations/{organisation_id}", response=OrganisationStaffOut | OrganisationPublicOut, auth=OPTIONAL_AUTH
)
def organisation_detail(request, organisation_id: int):
    organisation = get_object_or_404(
        Organisation.objects.select_related("village", "commune").annotate(member_count=Count("memberships")),
        pk=organisation_id,
    )
    if access.is_staff_of(request.user, organisation.commune):
        return OrganisationStaffOut.from_orm(organisation)
    return OrganisationPublicOut.from_orm(organisation)
