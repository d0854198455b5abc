"""Orders nobody finishes: a bank-transfer order confirmed but never paid holds its stock, and an order
the producer never answers waits in the inbox. Past their deadline (`Order.pay_by`, `Order.answer_by`)
both are cancelled the way a producer cancels, through `orders.order_advance`: the stock goes back,
the buyer is told why, and the history shows the change.

Run from cron (`manage.py market_expire_orders`). Each order is locked and read again before it is
cancelled, so two runs at once, or a payment recorded meanwhile, never cancel twice or cancel a paid
order.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smartcommune.places.models import Commune

from ..models import Order, Status
from . import orders

SOURCE = "expiry"


@dataclass
class Expired:
    """What one run cancelled."""

    unpaid: list[Order] = field(default_factory=list)
    unanswered: list[Order] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.unpaid) + len(self.unanswered)


def _reason(order: Order, now: datetime) -> str:
    """Why the order is overdue now, or "" when it no longer is (paid, answered or cancelled meanwhile)."""
    unpaid = order.status == Status.CONFIRMED and order.payment == Order.Payment.VIETQR
    if unpaid and order.pay_by and order.pay_by < now:
        return _("Payment overdue: no transfer was received by %(deadline)s.") % {
            "deadline": orders.local_time(order.pay_by)
        }
    if order.status == Status.PLACED and order.answer_by and order.answer_by < now:
        days = max(1, (order.answer_by - order.placed_at).days)
        return ngettext(
            "The producer did not confirm the order within %(days)s day.",
            "The producer did not confirm the order within %(days)s days.",
            days,
        ) % {"days": days}
    return ""


@transaction.atomic
def order_expire(*, order: Order, now: datetime | None = None) -> Order | None:
    """Cancel one order if it is past its deadline; None when it is not (or no longer) overdue."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().filter(pk=order.pk).first()
    reason = _reason(order, now) if order else ""
    if not reason:
        return None
    return orders.order_advance(order=order, to=Status.CANCELLED, by=None, reason=reason, source=SOURCE)


def orders_expire(*, now: datetime | None = None, commune: Commune | None = None) -> Expired:
    """Cancel every order past its time to pay or to be answered, each in its own transaction."""
    now = now or timezone.now()
    expired = Expired()
    for overdue, found in (
        (Order.objects.unpaid_after(now), expired.unpaid),
        (Order.objects.unanswered_after(now), expired.unanswered),
    ):
        if commune:
            overdue = overdue.filter(commune=commune)
        for pk in list(overdue.order_by("pk").values_list("pk", flat=True)):
            cancelled = order_expire(order=Order(pk=pk), now=now)
            if cancelled:
                found.append(cancelled)
    return expired
