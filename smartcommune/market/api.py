"""The market through the API: the public product list and figures (for the portal and the programme),
the producer's orders and their steps, payment notices (the door a bank notification would use) and
linkage contracts. Public endpoints carry no personal data."""

from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from config.api import AUTH
from smartcommune.places.shortcuts import commune_or_404

from . import access, payments, selectors
from .services import orders as order_services

router = Router(tags=["market"])


class ProductOut(Schema):
    id: int
    product: str
    brand: str
    pack: str
    price_vnd: int
    packs_left: int
    category: str
    producer: str
    producer_code: str
    ocop_stars: int | None
    lot: str
    trace_url: str
    url: str
    photo_url: str


class FiguresOut(Schema):
    year: int
    month: int
    online_producers: int
    products_listed: int
    orders: int
    revenue: int
    active_contracts: int
    linkage_cooperatives: int
    cooperatives: list[str]


class OrderOut(Schema):
    number: str
    producer: str
    status: str
    payment: str
    fulfilment: str
    total: int
    placed_at: str
    buyer_name: str
    buyer_phone: str


class StepIn(Schema):
    to: str
    reason: str = ""


class PaymentIn(Schema):
    order_number: str
    amount: int
    reference: str = ""
    source: str = "api"


class ContractOut(Schema):
    number: str
    seller: str
    buyer: str
    starts_on: date
    ends_on: date
    status: str
    active: bool
    value_agreed: int
    value_delivered: int
    value_pct: int
    late: int


@router.get("/communes/{code}/products", response=list[ProductOut], auth=None)
def products(request, code: str):
    """Products on sale in the commune's storefront (no personal data)."""
    return selectors.public_products(commune_or_404(code))


@router.get("/communes/{code}/figures", response=FiguresOut, auth=None)
def figures(request, code: str, year: int | None = None, month: int | None = None):
    """Producers selling online, products listed, orders and revenue of a month, contracts in force."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(_("Give a year from 2000 to 2100 and a month from 1 to 12."))
    return selectors.monthly_figures(commune_or_404(code), year, month).__dict__


def _order_out(order) -> dict:
    return {
        "number": order.number,
        "producer": order.shop.organisation.name,
        "status": order.status,
        "payment": order.payment,
        "fulfilment": order.fulfilment,
        "total": order.total,
        "placed_at": order.placed_at.isoformat(),
        "buyer_name": order.buyer_name,
        "buyer_phone": order.buyer_phone,
    }


@router.get("/communes/{code}/orders", response=list[OrderOut], auth=AUTH)
def order_list(request, code: str, status: str = ""):
    """The orders the caller's producers received (a commune official: all of the commune's)."""
    commune = commune_or_404(code)
    orders = selectors.inbox(access.orders_for(request.user, commune), status=status)[:500]
    return [_order_out(o) for o in orders]


@router.post("/communes/{code}/orders/{number}/status", response=OrderOut, auth=AUTH)
def order_step(request, code: str, number: str, payload: StepIn):
    commune = commune_or_404(code)
    order = get_object_or_404(access.orders_for(request.user, commune, edit=True), number=number)
    order = order_services.order_advance(order=order, to=payload.to, by=request.user, reason=payload.reason)
    return _order_out(order)


@router.post("/communes/{code}/payments", response=OrderOut, auth=AUTH)
def payment_notice(request, code: str, payload: PaymentIn):
    """Record a transfer for an order: what a bank or payment gateway integration would call."""
    commune = commune_or_404(code)
    get_object_or_404(access.orders_for(request.user, commune, edit=True), number=payload.order_number.strip())
    notice = payments.PaymentNotice(
        order_number=payload.order_number, amount=payload.amount, reference=payload.reference, source=payload.source
    )
    return _order_out(order_services.payment_record(commune=commune, notice=notice, by=request.user))


@router.get("/communes/{code}/contracts", response=list[ContractOut], auth=AUTH)
def contract_list(request, code: str):
    commune = commune_or_404(code)
    today = timezone.localdate()
    rows = []
    for contract in selectors.with_progress(access.contracts_for(request.user, commune).select_related("seller")):
        progress = selectors.fulfilment(contract, today=today)
        rows.append(
            {
                "number": contract.number,
                "seller": contract.seller.name,
                "buyer": contract.buyer_name,
                "starts_on": contract.starts_on,
                "ends_on": contract.ends_on,
                "status": contract.status,
                "active": contract.is_active(today),
                "value_agreed": progress.value_agreed,
                "value_delivered": progress.value_delivered,
                "value_pct": progress.value_pct,
                "late": progress.late_count,
            }
        )
    return rows
