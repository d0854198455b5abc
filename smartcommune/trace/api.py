"""Traceability through the API: EPCIS 2.0 capture and queries (JSON-LD), products, and the national
traceability portal's fields. EPCIS documents are read and written as GS1 defines them, not through
pydantic schemas."""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from config.api import AUTH, OPTIONAL_AUTH
from smartcommune.places.shortcuts import commune_or_404

from . import access, epcis, selectors
from .models import Lot, Product

router = Router(tags=["trace"])
JSONLD = "application/ld+json"


def _jsonld(document: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False), content_type=f"{JSONLD}; charset=utf-8")
    response["GS1-EPCIS-Version"] = "2.0.0"
    response["GS1-CBV-Version"] = "2.0.0"
    return response


class CaptureOut(Schema):
    captured: int
    event_ids: list[str] = Field(..., alias="eventIDs")


class ErrorOut(Schema):
    detail: str
    errors: list[dict]


@router.post("/communes/{code}/epcis/capture", response={201: CaptureOut, 400: ErrorOut}, auth=AUTH)
def epcis_capture(request, code: str):
    """Capture an EPCIS 2.0 JSON/JSON-LD document (body = the EPCISDocument).

    The document must follow GS1's EPCIS 2.0 JSON Schema, and every lot it names (Digital Link
    `/01/{GTIN}/10/{lot}`, `urn:epc:class:lgtin:…` or our internal URI) must be registered in this
    commune; otherwise nothing is stored and the answer lists every problem. Sending an event again
    with the same eventID changes nothing."""
    commune = commune_or_404(code)
    codes = access.organisation_codes(request.user, commune, edit=True)
    try:
        document = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(_("The body is not valid JSON.")) from error
    rows = epcis.capture(commune=commune, document=document, by=request.user, organisation_codes=codes)
    ids = [event.get("eventID") for event in document["epcisBody"]["eventList"]]
    return Status(201, {"captured": len(rows), "eventIDs": [i for i in ids if i] or [r.event_id for r in rows]})


@router.get("/communes/{code}/epcis/events", auth=AUTH)
def epcis_events(request, code: str, start: date, end: date):
    """Every event of the commune (or of the caller's organisation) between two dates, as an EPCISDocument."""
    commune = commune_or_404(code)
    codes = access.organisation_codes(request.user, commune)
    if end < start:
        raise ValidationError(_("The end of the period comes before its start."))
    begin, finish = selectors.period_bounds(start, end)
    return _jsonld(epcis.period_document(commune=commune, start=begin, end=finish, organisation_codes=codes))


@router.get("/lots/{lot_id}/epcis", auth=AUTH)
def lot_epcis(request, lot_id: int):
    """A lot's whole history (its own events and those of the lots it was made from)."""
    lot = get_object_or_404(Lot.objects.select_related("product__owner", "product__commune"), pk=lot_id)
    access.require_product(request.user, lot.product)
    return _jsonld(epcis.lot_document(lot))


class ProductOut(Schema):
    id: int
    name: str
    brand: str
    gtin: str
    internal_code: str
    unit: str
    owner_code: str = Field(alias="owner.code")
    owner_name: str = Field(alias="owner.name")
    ocop_stars: int | None = None
    ocop_valid_until: date | None = None

    @staticmethod
    def resolve_ocop_stars(obj) -> int | None:
        rating = selectors.current_rating(obj.ocop_ratings.all())
        return rating.stars if rating else None

    @staticmethod
    def resolve_ocop_valid_until(obj) -> date | None:
        rating = selectors.current_rating(obj.ocop_ratings.all())
        return rating.valid_until if rating else None


@router.get("/communes/{code}/products", response=list[ProductOut], auth=OPTIONAL_AUTH)
def product_list(request, code: str):
    """The commune's products with their current OCOP stars (public)."""
    commune = commune_or_404(code)
    return list(Product.objects.filter(commune=commune).select_related("owner").prefetch_related("ocop_ratings"))


class PortalRow(Schema):
    product_name: str
    gtin: str
    internal_code: str
    brand: str
    producer_name: str
    producer_tax_code: str
    producer_address: str
    production_date: date
    lot: str
    expiry_date: date | None
    trace_url: str
    image_url: str


@router.get("/communes/{code}/portal-export", response=list[PortalRow], auth=AUTH)
def portal_export(request, code: str, start: date | None = None, end: date | None = None):
    """Lots with the fields the national traceability portal asks for (product, producer and address,
    production date, brand, lot, expiry)."""
    commune = commune_or_404(code)
    lots = access.lots_for(request.user, commune)
    return selectors.portal_rows(lots, start=start, end=end or timezone.localdate())
