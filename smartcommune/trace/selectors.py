"""Reads for staff pages and the public trace page (which carries no personal data)."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcommune.farming import maps as farm_maps
from smartcommune.farming import selectors as farm_selectors
from smartcommune.farming.models import DiaryEntry, GrowingArea

from . import epcis, identifiers
from .models import (
    Certification,
    Lot,
    LotHarvest,
    LotQuerySet,
    OcopRating,
    Product,
    ProductQuerySet,
    ScanDay,
    TraceEvent,
)


def current_rating(ratings) -> OcopRating | None:
    """The newest OCOP rating still in force, from an iterable of a product's ratings."""
    current = [r for r in ratings if r.is_current]
    return max(current, key=lambda r: r.decision_date, default=None)


def product_list(products: ProductQuerySet, *, q: str = "") -> ProductQuerySet:
    qs = products.search(q) if q else products
    qs = qs.select_related("owner").annotate(lot_count=Count("lots", distinct=True))
    return qs.prefetch_related("ocop_ratings").order_by("name")


def ocop_expiring(products: QuerySet[Product]) -> list[OcopRating]:
    today = timezone.localdate()
    ratings = OcopRating.objects.filter(
        product__in=products, status=OcopRating.Status.VALID, valid_until__gte=today
    ).select_related("product")
    return [r for r in ratings if r.expires_soon]


def lot_list(lots: LotQuerySet, *, q: str = "", product: Product | None = None) -> LotQuerySet:
    qs = lots.search(q) if q else lots
    if product is not None:
        qs = qs.filter(product=product)
    qs = qs.select_related("product", "product__owner").annotate(scans=Sum("scan_days__count"))
    return qs.order_by("-produced_on", "-pk")


def digital_link(lot: Lot) -> str:
    return identifiers.digital_link(gtin=lot.product.gtin, internal_code=lot.product.internal_code, lot=lot.code)


def harvest_options(areas: QuerySet[GrowingArea]) -> list[DiaryEntry]:
    """Harvests of these (active) areas with something left to put in a lot, each with `.left_kg`."""
    harvests = list(farm_selectors.harvests(areas.filter(status=GrowingArea.Status.ACTIVE))[:300])
    used = dict(
        LotHarvest.objects.filter(harvest__in=harvests)
        .values("harvest_id")
        .annotate(used=Sum("quantity_kg"))
        .values_list("harvest_id", "used")
    )
    result = []
    for harvest in harvests:
        harvest.left_kg = harvest.quantity_kg - used.get(harvest.pk, Decimal("0"))
        if harvest.left_kg > 0:
            result.append(harvest)
    return result


def scans(lot: Lot, days: int = 30) -> list[ScanDay]:
    return list(lot.scan_days.order_by("-day")[:days])


# The public trace page --------------------------------------------------------------------------

STEP_LABELS = {
    "commissioning": gettext_lazy("lot created"),
    "packing": gettext_lazy("packed"),
    "shipping": gettext_lazy("shipped"),
    "receiving": gettext_lazy("goods received"),
    "repackaging": gettext_lazy("repacked"),
    "inspecting": gettext_lazy("inspected"),
    "storing": gettext_lazy("stored"),
}


@dataclass
class PublicLot:
    """Everything the public trace page shows; names of households or people never enter it."""

    lot: Lot
    product: Product
    rating: OcopRating | None
    producer: dict
    link: str
    areas: list[dict] = field(default_factory=list)
    plots: dict = field(default_factory=dict)
    outline: dict | None = None
    harvests: list[dict] = field(default_factory=list)
    processing: list[dict] = field(default_factory=list)
    inputs: list[dict] = field(default_factory=list)
    work: list[dict] = field(default_factory=list)
    certificates: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


def _step_label(event: TraceEvent) -> str:
    if event.event_type == TraceEvent.Type.TRANSFORMATION:
        return _("processed")
    if event.event_type == TraceEvent.Type.AGGREGATION:
        return _("packed") if event.action != "DELETE" else _("unpacked")
    return str(STEP_LABELS.get(event.biz_step, event.biz_step or event.get_event_type_display()))


def outline(features: dict, width: int = 320, height: int = 200) -> dict | None:
    """The plots as SVG paths in a width×height box (shown before, or instead of, the interactive map)."""
    rings = []
    for feature in features.get("features", []):
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings += [
            (ring, feature["properties"].get("colour", "#0b6e4f")) for polygon in polygons for ring in polygon[:1]
        ]
    if not rings:
        return None
    lons = [p[0] for ring, _c in rings for p in ring]
    lats = [p[1] for ring, _c in rings for p in ring]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    x0, x1, y0, y1 = min(lons) * k, max(lons) * k, min(lats), max(lats)
    scale = min((width - 20) / max(x1 - x0, 1e-9), (height - 20) / max(y1 - y0, 1e-9))
    dx, dy = (width - (x1 - x0) * scale) / 2, (height - (y1 - y0) * scale) / 2
    paths = []
    for ring, colour in rings:
        points = " ".join(f"{(lon * k - x0) * scale + dx:.1f},{(y1 - lat) * scale + dy:.1f}" for lon, lat in ring)
        paths.append({"d": f"M{points}Z", "colour": colour})
    return {"width": width, "height": height, "paths": paths}


def public_lot(lot: Lot) -> PublicLot:
    product = Product.objects.select_related("owner", "owner__village", "commune__province").get(pk=lot.product_id)
    lineage = epcis.lot_lineage(lot)
    owner = product.owner
    page = PublicLot(
        lot=lot,
        product=product,
        rating=current_rating(product.ocop_ratings.all()),
        producer={
            "name": owner.name,
            "kind": owner.get_kind_display(),
            "address": ", ".join(
                part
                for part in (
                    owner.address,
                    owner.village.name if owner.village_id else "",
                    product.commune.name,
                    product.commune.province.full_name,
                )
                if part
            ),
            "code": owner.code,
        },
        link=digital_link(lot),
    )
    sources = list(
        LotHarvest.objects.filter(lot__in=lineage)
        .select_related("harvest__growing_area__cooperative", "lot")
        .order_by("harvest__date")
    )
    area_ids = []
    for source in sources:
        harvest = source.harvest
        page.harvests.append({"date": harvest.date, "area": harvest.growing_area.code, "kg": source.quantity_kg})
        if harvest.growing_area_id not in area_ids:
            area_ids.append(harvest.growing_area_id)
    areas = list(GrowingArea.objects.filter(pk__in=area_ids).select_related("cooperative"))
    for area in areas:
        page.areas.append(
            {
                "code": area.code,
                "name": area.name,
                "crop": area.crop,
                "variety": area.variety,
                "standard": area.get_standard_display() if area.standard != GrowingArea.Standard.NONE else "",
                "certificate": area.certificate_number,
                "certificate_until": area.certificate_expires_on,
                "status": area.get_status_display(),
                "active": area.status == GrowingArea.Status.ACTIVE,
                "area_ha": area.measured_area_ha,
                "commune": area.commune_id,
            }
        )
    if areas:
        page.plots = farm_maps.area_features(GrowingArea.objects.filter(pk__in=area_ids), staff=False)
        page.outline = outline(page.plots)
    _diary(page, sources, area_ids)
    for processed in Lot.objects.filter(
        pk__in=[item.pk for item in lineage], origin=Lot.Origin.PROCESSING
    ).prefetch_related(Prefetch("inputs__input", queryset=Lot.objects.select_related("product"))):
        page.processing.append(
            {
                "date": processed.produced_on,
                "product": processed.product.name if processed.pk != lot.pk else "",
                "inputs": [
                    {
                        "product": i.input.product.name,
                        "lot": i.input.code,
                        "quantity": i.quantity,
                        "unit": i.input.get_unit_display(),
                    }
                    for i in processed.inputs.all()
                ],
            }
        )
    page.processing.sort(key=lambda p: p["date"])
    today = timezone.localdate()
    for certificate in Certification.objects.filter(product=product).order_by("kind"):
        page.certificates.append(
            {
                "kind": certificate.get_kind_display(),
                "number": certificate.number,
                "issuer": certificate.issuer,
                "until": certificate.expires_on,
                "valid": certificate.expires_on is None or certificate.expires_on >= today,
            }
        )
    places = {epcis.area_uri(a): _("growing area %(code)s") % {"code": a.code} for a in areas}
    for event in epcis.lot_events(lot):
        local = timezone.localtime(event.event_time)
        page.events.append(
            {
                "time": local,
                "label": _step_label(event),
                "place": places.get(event.read_point) or (owner.name if owner.code in event.read_point else ""),
                "type": event.event_type,
                "id": event.event_id,
            }
        )
    return page


def _diary(page: PublicLot, sources: list[LotHarvest], area_ids: list[int]) -> None:
    """The diary summary: inputs with their safe dates (respected or not), and how often each work was done."""
    if not sources:
        return
    last_harvest = max(s.harvest.date for s in sources)
    harvest_dates: dict[int, list[date]] = {}
    for s in sources:
        harvest_dates.setdefault(s.harvest.growing_area_id, []).append(s.harvest.date)
    for item in farm_selectors.inputs_before(area_ids=area_ids, until=last_harvest):
        entry = item.entry
        safe = item.safe_from
        dates = harvest_dates.get(entry.growing_area_id, [])
        after = [d for d in dates if d >= entry.date]
        page.inputs.append(
            {
                "date": entry.date,
                "area": entry.growing_area.code,
                "work": entry.get_kind_display(),
                "kind": item.get_kind_display(),
                "product": item.product,
                "ingredient": item.active_ingredient,
                "dose": item.dose,
                "dose_unit": item.dose_unit,
                "days": item.pre_harvest_days,
                "safe_from": safe,
                "respected": safe is None or all(d >= safe for d in after),
            }
        )
    counts: dict[str, dict] = {}
    for entry in farm_selectors.work_before(area_ids=area_ids, until=last_harvest):
        item = counts.setdefault(
            entry.kind, {"work": entry.get_kind_display(), "count": 0, "first": entry.date, "last": entry.date}
        )
        item["count"] += 1
        item["last"] = entry.date
    page.work = list(counts.values())


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] as aware datetimes covering whole local days."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def portal_rows(lots: QuerySet[Lot], *, start: date | None = None, end: date | None = None) -> list[dict]:
    """The fields the national traceability portal asks for, one row per lot."""
    qs = lots.select_related("product", "product__owner", "product__owner__village", "product__commune__province")
    if start:
        qs = qs.filter(produced_on__gte=start)
    if end:
        qs = qs.filter(produced_on__lte=end)
    rows = []
    for lot in qs.order_by("produced_on", "pk"):
        product, owner = lot.product, lot.product.owner
        rows.append(
            {
                "product_name": product.name,
                "gtin": product.gtin,
                "internal_code": product.internal_code,
                "brand": product.brand,
                "producer_name": owner.name,
                "producer_tax_code": owner.tax_code,
                "producer_address": ", ".join(
                    p for p in (owner.address, product.commune.name, product.commune.province.full_name) if p
                ),
                "production_date": lot.produced_on,
                "lot": lot.code,
                "expiry_date": lot.expires_on,
                "quantity": lot.quantity,
                "unit": lot.unit,
                "image_url": f"{settings.SITE_URL.rstrip('/')}{product.photo.url}" if product.photo else "",
                "trace_url": digital_link(lot),
            }
        )
    return rows
