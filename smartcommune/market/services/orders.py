"""Checkout and the life of an order: placed → confirmed → paid → packed → shipped → delivered, or
cancelled with a reason.

A cart is split into one order per producer. Stock is taken from the offer's lot when the order is
confirmed (at once when the producer confirms automatically) by one conditional UPDATE per line
(`taken = taken + n WHERE taken + n <= stock`): concurrent confirmations queue on the offer's row
(PostgreSQL) or on the write lock (SQLite), and the loser gets "not enough stock" instead of an
oversell. Cancelling gives the packs back. When an order ships, the quantity leaves the lot in
traceability (a shipping event under the order number). The buyer is told of every change.

Each order carries its deadlines, taken from the shop's settings: `answer_by` when it is placed,
`pay_by` when a bank-transfer order is confirmed; `services.expiry` cancels the orders past them.
"""

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.core import identifiers, notify
from smartcommune.places.models import Commune
from smartcommune.trace import services as trace_services

from .. import payments
from ..models import HOLDING, Offer, Order, OrderCounter, OrderEvent, OrderLine, Status

MAX_PACKS = 1000
NEXT: dict[str, tuple[str, ...]] = {
    Status.PLACED: (Status.CONFIRMED, Status.CANCELLED),
    Status.CONFIRMED: (Status.PAID, Status.PACKED, Status.CANCELLED),
    Status.PAID: (Status.PACKED, Status.CANCELLED),
    Status.PACKED: (Status.SHIPPED, Status.CANCELLED),
    Status.SHIPPED: (Status.DELIVERED,),
    Status.DELIVERED: (),
    Status.CANCELLED: (),
}
STAMP = {
    Status.CONFIRMED: "confirmed_at",
    Status.PAID: "paid_at",
    Status.PACKED: "packed_at",
    Status.SHIPPED: "shipped_at",
    Status.DELIVERED: "delivered_at",
    Status.CANCELLED: "cancelled_at",
}


@dataclass(frozen=True)
class Buyer:
    name: str
    phone: str
    email: str = ""
    fulfilment: str = Order.Fulfilment.DELIVERY
    address_line: str = ""
    address_commune: Commune | None = None
    note: str = ""
    user: User | None = None


def follow_url(order: Order) -> str:
    return settings.SITE_URL + reverse("market:order_follow", args=[order.token])


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def local_time(moment: datetime) -> str:
    """A deadline as buyers read it: 05/03/2025 14:30, in the commune's time."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# Notifications ------------------------------------------------------------------------------------


def _status_text(order: Order) -> str:
    if order.status == Status.CONFIRMED and order.pay_by:
        return _(
            "%(shop)s has confirmed your order %(number)s. Please transfer %(total)s by %(deadline)s; "
            "after that the order is cancelled."
        ) % {
            "shop": order.shop.organisation.name,
            "number": order.number,
            "total": _vnd(order.total),
            "deadline": local_time(order.pay_by),
        }
    texts = {
        Status.PLACED: _("Your order %(number)s (%(total)s) has been received by %(shop)s."),
        Status.CONFIRMED: _("%(shop)s has confirmed your order %(number)s."),
        Status.PAID: _("%(shop)s has received your payment for order %(number)s."),
        Status.PACKED: _("Your order %(number)s is packed."),
        Status.SHIPPED: _("Your order %(number)s is on its way."),
        Status.DELIVERED: _("Your order %(number)s has been delivered. Thank you!"),
        Status.CANCELLED: _("Your order %(number)s was cancelled: %(reason)s"),
    }
    return texts[order.status] % {
        "number": order.number,
        "total": _vnd(order.total),
        "shop": order.shop.organisation.name,
        "reason": order.cancel_reason,
    }


def _notify_buyer(order: Order) -> None:
    """Tell the buyer once the change is committed (the notification never breaks the change)."""
    message = notify.Message(
        subject=_("Order %(number)s: %(status)s") % {"number": order.number, "status": order.get_status_display()},
        body=_status_text(order),
        email=order.buyer_email,
        phone=order.buyer_phone,
        url=follow_url(order),
    )
    transaction.on_commit(lambda: notify.send(message))


def _notify_producer(order: Order) -> None:
    organisation = order.shop.organisation
    if not (organisation.email or organisation.phone):
        return
    message = notify.Message(
        subject=_("New order %(number)s") % {"number": order.number},
        body=_("A new order of %(total)s is waiting for your confirmation.") % {"total": _vnd(order.total)},
        email=organisation.email,
        phone=organisation.phone,
        url=settings.SITE_URL + reverse("market:inbox", args=[order.commune.code]),
    )
    transaction.on_commit(lambda: notify.send(message))


# Stock --------------------------------------------------------------------------------------------


def _take(order: Order) -> None:
    """Take every line's packs from its offer, or nothing (the caller's transaction rolls back)."""
    for line in sorted(order.lines.select_related("offer__lot", "offer__product"), key=lambda x: x.offer_id):
        offer = line.offer
        if offer.lot.status != offer.lot.Status.ACTIVE:
            raise ValidationError(_("Lot %(lot)s has been recalled and cannot be sold.") % {"lot": offer.lot.code})
        taken = Offer.objects.filter(pk=offer.pk, taken__lte=F("stock") - line.packs).update(
            taken=F("taken") + line.packs
        )
        if not taken:
            left = Offer.objects.values_list("stock", "taken").get(pk=offer.pk)
            raise ValidationError(
                _("Not enough stock of %(product)s: %(left)s left, %(asked)s asked.")
                % {"product": offer.product.name, "left": max(0, left[0] - left[1]), "asked": line.packs},
                code="out_of_stock",
            )


def _give_back(order: Order) -> None:
    for line in sorted(order.lines.all(), key=lambda x: x.offer_id):
        Offer.objects.filter(pk=line.offer_id, taken__gte=line.packs).update(taken=F("taken") - line.packs)


def _ship(order: Order, by: User | None) -> None:
    """The packs leave the lot: a shipping event in traceability, and the offer's ledger follows."""
    lines = list(order.lines.select_related("offer__lot"))
    trace_services.ship(
        organisation=order.shop.organisation,
        lot_quantities=[(line.offer.lot, line.lot_quantity) for line in lines],
        transaction_type="po",
        transaction_ref=order.number,
        by=by,
    )
    for line in sorted(lines, key=lambda x: x.offer_id):
        Offer.objects.filter(pk=line.offer_id).update(stock=F("stock") - line.packs, taken=F("taken") - line.packs)


# Checkout -----------------------------------------------------------------------------------------


def _next_number(commune: Commune, year: int) -> str:
    OrderCounter.objects.get_or_create(commune=commune, year=year)
    OrderCounter.objects.filter(commune=commune, year=year).update(last=F("last") + 1)
    last = OrderCounter.objects.values_list("last", flat=True).get(commune=commune, year=year)
    return f"DH{year % 100:02d}-{last:06d}"


def _check_buyer(buyer: Buyer) -> Buyer:
    errors: dict[str, list] = {}
    name = " ".join(buyer.name.split())
    if not name:
        errors["name"] = [_("Give your name, so the producer knows whom the order is for.")]
    phone = ""
    try:
        phone = identifiers.normalize_phone(buyer.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    email = buyer.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address, or leave it empty.")]
    if buyer.fulfilment not in Order.Fulfilment.values:
        errors["fulfilment"] = [_("Choose delivery or pick-up.")]
    elif buyer.fulfilment == Order.Fulfilment.DELIVERY:
        if buyer.address_commune is None:
            errors["address_commune"] = [_("Choose the province and the commune or ward of the delivery address.")]
        if not buyer.address_line.strip():
            errors["address_line"] = [_("Give the house number, street or hamlet of the delivery address.")]
    if errors:
        raise ValidationError(errors)
    return Buyer(
        name=name[:150],
        phone=phone,
        email=email,
        fulfilment=buyer.fulfilment,
        address_line=" ".join(buyer.address_line.split())[:200] if buyer.fulfilment == "delivery" else "",
        address_commune=buyer.address_commune if buyer.fulfilment == "delivery" else None,
        note=buyer.note.strip()[:300],
        user=buyer.user if buyer.user and buyer.user.is_authenticated else None,
    )


def check_quantity(value) -> int:
    """A number of packs: a whole number from 1 to 1,000."""
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit():
            raise ValidationError(_("Enter the quantity as a whole number."))
        value = int(value)
    if value is None or value < 1:
        raise ValidationError(_("The quantity must be at least 1."))
    if value > MAX_PACKS:
        raise ValidationError(_("At most 1,000 of one product per order."))
    return value


def checkout(*, commune: Commune, lines: Iterable[tuple[int, int]], buyer: Buyer, payment: str) -> list[Order]:
    """Place the cart: one order per producer, each with its number and secret follow link. Nothing is
    created when anything is wrong (a bad quantity, not enough stock, no bank account for VietQR).

    The checks read outside the transaction (SQLite's write lock is held for the writes only); stock is
    still taken, where it is, by the conditional UPDATE inside it."""
    wanted: dict[int, int] = {}
    for offer_id, packs in lines:
        wanted[int(offer_id)] = wanted.get(int(offer_id), 0) + check_quantity(packs)
    if not wanted:
        raise ValidationError(_("Your cart is empty."))
    buyer = _check_buyer(buyer)
    if payment not in Order.Payment.values:
        raise ValidationError({"payment": _("Choose how you will pay.")})
    offers = {
        o.pk: o
        for o in Offer.objects.on_sale()
        .filter(commune=commune, pk__in=wanted)
        .select_related("shop__organisation", "product", "lot")
    }
    if len(offers) != len(wanted):
        raise ValidationError(_("A product in your cart is no longer on sale; remove it and try again."))
    by_shop = defaultdict(list)
    for offer_id, packs in wanted.items():
        offer = offers[offer_id]
        if packs > offer.packs_left:
            raise ValidationError(
                _("Not enough stock of %(product)s: %(left)s left, %(asked)s asked.")
                % {"product": offer.product.name, "left": offer.packs_left, "asked": packs},
                code="out_of_stock",
            )
        by_shop[offer.shop].append((offer, packs))
    if payment == Order.Payment.VIETQR:
        problems = [payments.bank_problem(shop.organisation) for shop in by_shop]
        problems = [p for p in problems if p]
        if problems:
            raise ValidationError(
                {"payment": [*problems, _("Choose cash on delivery for this order, or remove that product.")]}
            )
    return _place(commune, by_shop, buyer, payment)


@transaction.atomic
def _place(commune: Commune, by_shop: dict, buyer: Buyer, payment: str) -> list[Order]:
    now = timezone.now()
    cart = secrets.token_hex(11)
    placed = []
    for shop in sorted(by_shop, key=lambda s: s.pk):
        items = by_shop[shop]
        order = Order.objects.create(
            commune=commune,
            shop=shop,
            number=_next_number(commune, timezone.localdate().year),
            checkout=cart,
            token=Order.new_token(),
            buyer=buyer.user,
            buyer_name=buyer.name,
            buyer_phone=buyer.phone,
            buyer_email=buyer.email,
            fulfilment=buyer.fulfilment,
            address_line=buyer.address_line,
            address_commune=buyer.address_commune,
            note=buyer.note,
            payment=payment,
            total=sum(offer.price * packs for offer, packs in items),
            placed_at=now,
            answer_by=now + timedelta(days=shop.answer_within_days),
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    offer=offer,
                    product_name=offer.product.name,
                    pack_label=offer.pack_label,
                    packs=packs,
                    lot_quantity=offer.pack_size * packs,
                    unit_price=offer.price,
                    amount=offer.price * packs,
                )
                for offer, packs in items
            ]
        )
        OrderEvent.objects.create(order=order, status=Status.PLACED, at=now, by=buyer.user, source="buyer")
        if shop.auto_confirm:
            _take(order)
            order.status, order.confirmed_at, order.pay_by = Status.CONFIRMED, now, _pay_by(order, now)
            order.save(update_fields=["status", "confirmed_at", "pay_by"])
            OrderEvent.objects.create(order=order, status=Status.CONFIRMED, at=now, source="auto")
        _notify_buyer(order)
        _notify_producer(order)
        placed.append(order)
    return placed


def _pay_by(order: Order, confirmed_at: datetime) -> datetime | None:
    """The end of the time to pay a confirmed transfer order; cash is paid on delivery, with no deadline."""
    if order.payment != Order.Payment.VIETQR:
        return None
    return confirmed_at + timedelta(hours=order.shop.pay_within_hours)


# Changes by the producer ------------------------------------------------------------------------


def allowed_next(order: Order) -> list[str]:
    steps = list(NEXT[order.status])
    if order.payment == Order.Payment.VIETQR and order.status == Status.CONFIRMED:
        steps.remove(Status.PACKED)  # a transfer is confirmed before packing
    if order.payment == Order.Payment.COD:
        steps = [s for s in steps if s != Status.PAID]  # cash is paid on delivery
    return steps


@transaction.atomic
def order_advance(
    *, order: Order, to: str, by: User | None, reason: str = "", reference: str = "", source: str = "producer"
) -> Order:
    """Move an order one step on (or cancel it with a reason); anything out of order is refused."""
    order = Order.objects.select_for_update().select_related("shop__organisation", "commune").get(pk=order.pk)
    if to not in Status.values:
        raise ValidationError(_("Unknown order status."))
    if to not in allowed_next(order):
        steps = ", ".join(str(Status(s).label) for s in allowed_next(order)) or _("none")
        raise ValidationError(
            _("An order that is %(current)s cannot become %(next)s. Possible next steps: %(steps)s.")
            % {"current": order.get_status_display(), "next": Status(to).label, "steps": steps}
        )
    reason = " ".join(reason.split())
    if to == Status.CANCELLED and not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling; the buyer will read it.")})
    now = timezone.now()
    if to == Status.CONFIRMED:
        _take(order)
    elif to == Status.CANCELLED and order.status in HOLDING:
        _give_back(order)
    elif to == Status.SHIPPED:
        _ship(order, by)
    fields = ["status", STAMP[to]]
    setattr(order, STAMP[to], now)
    if to == Status.CONFIRMED:
        order.pay_by = _pay_by(order, now)
        fields.append("pay_by")
    if to == Status.CANCELLED:
        order.cancel_reason = reason[:300]
        fields.append("cancel_reason")
    if to == Status.PAID and reference:
        order.payment_reference = reference[:80]
        fields.append("payment_reference")
    if to == Status.DELIVERED and order.payment == Order.Payment.COD:
        order.paid_at = now
        fields.append("paid_at")
    order.status = to
    order.save(update_fields=fields)
    OrderEvent.objects.create(
        order=order, status=to, note=reason[:300] or reference[:300], by=by, at=now, source=source
    )
    _notify_buyer(order)
    return order


@transaction.atomic
def payment_record(*, commune: Commune, notice: payments.PaymentNotice, by: User | None = None) -> Order:
    """Record a transfer for an order (the producer's confirmation, or later a bank's notification)."""
    order = Order.objects.filter(commune=commune, number=notice.order_number.strip().upper()).first()
    if order is None:
        raise ValidationError(_("No order has the number %(number)s.") % {"number": notice.order_number})
    if order.payment != Order.Payment.VIETQR:
        raise ValidationError(_("This order is paid in cash on delivery, not by transfer."))
    if notice.amount != order.total:
        raise ValidationError(
            _("The transfer of %(amount)s does not match the order total of %(total)s.")
            % {"amount": _vnd(notice.amount), "total": _vnd(order.total)}
        )
    return order_advance(order=order, to=Status.PAID, by=by, reference=notice.reference, source=notice.source)
