"""Reads: the public storefront (no personal data), the producer's inbox, contract fulfilment, sales
and the programme's figures. The portal calls `public_products` and `monthly_figures`."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from smartcommune.core.text import fold
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation
from smartcommune.trace import selectors as trace_selectors
from smartcommune.trace.models import OcopRating

from .models import HOLDING, Contract, ContractItem, Offer, Order, OrderLine, Status

PAGE = 24


def _current_ratings() -> Prefetch:
    return Prefetch(
        "product__ocop_ratings",
        queryset=OcopRating.objects.exclude(status=OcopRating.Status.REVOKED).filter(
            valid_until__gte=timezone.localdate()
        ),
    )


def storefront(
    commune: Commune, *, q: str = "", category: str = "", producer: str = "", stars: int | None = None
) -> QuerySet[Offer]:
    """Offers on sale in the commune, with what a product card shows, in one query plus one for ratings."""
    qs = (
        Offer.objects.on_sale()
        .filter(commune=commune)
        .select_related("product", "lot", "shop__organisation")
        .prefetch_related(_current_ratings())
    )
    if q.strip():
        needle = fold(q)
        qs = qs.filter(Q(search_key__contains=needle) | Q(shop__organisation__search_key__contains=needle))
    if category:
        qs = qs.filter(category=category)
    if producer:
        qs = qs.filter(shop__organisation__code=producer)
    if stars:
        qs = qs.filter(
            product__ocop_ratings__stars__gte=stars,
            product__ocop_ratings__valid_until__gte=timezone.localdate(),
        ).exclude(product__ocop_ratings__status=OcopRating.Status.REVOKED)
        qs = qs.distinct()
    return qs.order_by("product__name", "pk")


def storefront_version(commune: Commune) -> str:
    """A fingerprint of everything a product card shows (one aggregate query): prices and edits, stock,
    the products' and lots' versions (trace bumps them on OCOP ratings, photos, recalls and events)."""
    row = Offer.objects.filter(commune=commune).aggregate(
        n=Count("pk"),
        edited=Max("updated_at"),
        stock=Sum("stock"),
        taken=Sum("taken"),
        products=Sum("product__cache_version"),
        lots=Sum("lot__cache_version"),
    )
    edited = row["edited"].timestamp() if row["edited"] else 0
    return f"{row['n']}.{edited}.{row['stock']}.{row['taken']}.{row['products']}.{row['lots']}"


def decorate(offers) -> list[Offer]:
    """Each offer with `.rating` (current OCOP rating or None) and `.trace_url` (the lot's trace page)."""
    rows = list(offers)
    for offer in rows:
        offer.rating = trace_selectors.current_rating(offer.product.ocop_ratings.all())
        offer.lot.product = offer.product  # already loaded: digital_link reads the product's GTIN
        # A path on this site, so that the link works whatever address the site is reached by.
        offer.trace_url = trace_selectors.digital_link(offer.lot).removeprefix(settings.SITE_URL)
    return rows


def producers(commune: Commune) -> QuerySet[Organisation]:
    """Producers with something on sale, for the storefront's filter."""
    ids = Offer.objects.on_sale().filter(commune=commune).values("shop__organisation_id")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def offer_detail(commune: Commune, offer_id: int) -> Offer | None:
    offer = (
        Offer.objects.filter(commune=commune, pk=offer_id)
        .select_related("product", "lot", "shop__organisation__village")
        .prefetch_related(_current_ratings(), "product__listings", "product__certifications")
        .first()
    )
    if offer is not None:
        decorate([offer])
    return offer


def public_products(commune: Commune) -> list[dict]:
    """The commune's products on sale, for the portal and open data: no buyer, no personal data."""
    return [
        {
            "id": offer.pk,
            "product": offer.product.name,
            "brand": offer.product.brand,
            "pack": offer.pack_label,
            "price_vnd": offer.price,
            "packs_left": offer.packs_left,
            "category": offer.get_category_display(),
            "producer": offer.shop.organisation.name,
            "producer_code": offer.shop.organisation.code,
            "ocop_stars": offer.rating.stars if offer.rating else None,
            "lot": offer.lot.code,
            "trace_url": offer.trace_url,
            "url": reverse("market:offer", args=[commune.code, offer.pk]),
            "photo_url": offer.product.photo.url if offer.product.photo else "",
        }
        for offer in decorate(storefront(commune))
    ]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    last = calendar.monthrange(year, month)[1]
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, month, 1), time.min, tz),
        datetime.combine(date(year, month, last), time.max, tz),
    )


@dataclass(frozen=True)
class Figures:
    year: int
    month: int
    online_producers: int
    products_listed: int
    orders: int
    revenue: int
    active_contracts: int
    linkage_cooperatives: int
    cooperatives: list[str] = field(default_factory=list)


def online_producers(commune: Commune) -> int:
    return producers(commune).count()


def products_listed(commune: Commune) -> int:
    return Offer.objects.on_sale().filter(commune=commune).values("product_id").distinct().count()


def orders_in(commune: Commune, year: int, month: int, *, until: date | None = None) -> tuple[int, int]:
    """(orders, revenue in VND) of a month: confirmed orders, not cancelled, placed in the month."""
    start, end = month_bounds(year, month)
    if until is not None:
        end = min(end, datetime.combine(until, time.max, timezone.get_current_timezone()))
    row = Order.objects.filter(commune=commune, status__in=HOLDING, placed_at__range=(start, end)).aggregate(
        n=Count("pk"), total=Sum("total")
    )
    return row["n"], row["total"] or 0


def linkage_cooperatives(commune: Commune, day: date) -> list[Organisation]:
    """Cooperatives (and cooperative groups) with a signed contract in force on `day`."""
    ids = Contract.objects.in_commune(commune).active_on(day).values("seller_id")
    return list(
        Organisation.objects.filter(
            pk__in=ids, kind__in=(Organisation.Kind.COOPERATIVE, Organisation.Kind.COOPERATIVE_GROUP)
        ).order_by("name")
    )


def monthly_figures(commune: Commune, year: int, month: int) -> Figures:
    """The market's figures for a month (contracts in force on its last day, or today in the current month)."""
    day = min(date(year, month, calendar.monthrange(year, month)[1]), timezone.localdate())
    orders, revenue = orders_in(commune, year, month)
    coops = linkage_cooperatives(commune, day)
    return Figures(
        year=year,
        month=month,
        online_producers=online_producers(commune),
        products_listed=products_listed(commune),
        orders=orders,
        revenue=revenue,
        active_contracts=Contract.objects.in_commune(commune).active_on(day).count(),
        linkage_cooperatives=len(coops),
        cooperatives=[c.name for c in coops],
    )


# Staff ------------------------------------------------------------------------------------------


def inbox(orders: QuerySet[Order], *, status: str = "", q: str = "") -> QuerySet[Order]:
    qs = orders.select_related("shop__organisation").annotate(line_count=Count("lines"))
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(Q(number__icontains=q.strip()) | Q(buyer_phone__contains=q.strip()))
    return qs.order_by("-placed_at", "-pk")


def status_counts(orders: QuerySet[Order]) -> dict[str, int]:
    counts = dict(orders.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in Status.values}


def sales_rows(orders: QuerySet[Order], year: int) -> list[dict]:
    """Sales by product and month of a year (orders confirmed and not cancelled)."""
    start, _e = month_bounds(year, 1)
    _s, end = month_bounds(year, 12)
    rows = (
        OrderLine.objects.filter(order__in=orders.sold(), order__placed_at__range=(start, end))
        .annotate(month=TruncMonth("order__placed_at"))
        .values("month", "product_name", "pack_label", "order__shop__organisation__name")
        .annotate(packs=Sum("packs"), amount=Sum("amount"), orders=Count("order", distinct=True))
        .order_by("month", "product_name", "pack_label")
    )
    return [
        {
            "month": f"{row['month'].month:02d}/{row['month'].year}",
            "producer": row["order__shop__organisation__name"],
            "product": row["product_name"],
            "pack": row["pack_label"],
            "orders": row["orders"],
            "packs": row["packs"],
            "amount": row["amount"],
        }
        for row in rows
    ]


@dataclass
class ItemProgress:
    item: object
    delivered: Decimal
    delivered_value: int
    pct: int
    late: list = field(default_factory=list)  # (scheduled delivery, what was missing, delivered late or not)


@dataclass
class Fulfilment:
    contract: Contract
    items: list[ItemProgress]
    volume_pct: int
    value_agreed: int
    value_delivered: int
    value_pct: int
    late_count: int


def _pct(part, whole) -> int:
    return int(Decimal(part) * 100 / Decimal(whole)) if whole else 0


def _progress_items() -> Prefetch:
    items = ContractItem.objects.select_related("product").prefetch_related("schedule", "deliveries__delivery")
    return Prefetch("items", queryset=items)


def with_progress(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Contracts with what fulfilment() reads, in four queries whatever their number."""
    return contracts.prefetch_related(_progress_items())


def fulfilment(contract: Contract, *, today: date | None = None) -> Fulfilment:
    """Delivered against agreed, by volume and value; a scheduled step is late when, by its due day,
    the deliveries of that product had not reached the schedule's running total."""
    today = today or timezone.localdate()
    if "items" not in getattr(contract, "_prefetched_objects_cache", {}):  # a contract not from with_progress()
        prefetch_related_objects([contract], _progress_items())
    items = list(contract.items.all())
    progress = []
    for item in items:
        deliveries = sorted(((d.delivery.delivered_on, d.quantity) for d in item.deliveries.all()), key=lambda x: x[0])
        delivered = sum((q for _d, q in deliveries), Decimal(0))
        late, due_total = [], Decimal(0)
        for step in item.schedule.all():
            due_total += step.quantity
            if step.due_on >= today:
                continue
            by_due = sum((q for d, q in deliveries if d <= step.due_on), Decimal(0))
            if by_due < due_total:
                late.append((step, due_total - by_due, delivered >= due_total))
        progress.append(
            ItemProgress(item, delivered, int(delivered * item.unit_price), _pct(delivered, item.quantity), late)
        )
    agreed_value = sum(int(i.quantity * i.unit_price) for i in items)
    delivered_value = sum(p.delivered_value for p in progress)
    total_agreed = sum((i.quantity for i in items), Decimal(0))
    total_delivered = sum((p.delivered for p in progress), Decimal(0))
    return Fulfilment(
        contract=contract,
        items=progress,
        volume_pct=_pct(total_delivered, total_agreed),
        value_agreed=agreed_value,
        value_delivered=delivered_value,
        value_pct=_pct(delivered_value, agreed_value),
        late_count=sum(len(p.late) for p in progress),
    )
