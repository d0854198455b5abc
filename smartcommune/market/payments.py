"""Payment of orders: the NAPAS VietQR code a buyer scans, and the one door through which a payment is
recorded. Today the producer confirms a transfer they saw in their bank app; a bank or payment
gateway notification (webhook, statement import) would build the same `PaymentNotice` and call
`orders.payment_record`, with its own `source`, and nothing else would change.
"""

from dataclasses import dataclass
from datetime import datetime

import segno
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from smartcommune.core import identifiers, vietqr
from smartcommune.registry.models import Organisation

from .models import Order


@dataclass(frozen=True)
class PaymentNotice:
    """A transfer seen for an order: by the producer, or later by a bank's notification."""

    order_number: str
    amount: int
    reference: str = ""
    paid_at: datetime | None = None
    source: str = "producer"  # "producer", or the name of a bank / gateway integration


def bank_problem(organisation: Organisation) -> str:
    """Why this producer cannot be paid by VietQR (an empty string when it can)."""
    if not organisation.has_bank_account:
        return _("%(name)s has not registered a bank account for transfers.") % {"name": organisation.name}
    if identifiers.bank_by_bin(organisation.bank_bin) is None:
        return _("The bank code (BIN) of %(name)s is not a known Vietnamese bank.") % {"name": organisation.name}
    try:
        identifiers.normalize_bank_account(organisation.bank_account)
    except ValidationError:
        return _("The bank account number of %(name)s is not valid.") % {"name": organisation.name}
    return ""


def accepts_vietqr(organisation: Organisation) -> bool:
    return not bank_problem(organisation)


def purpose(order: Order) -> str:
    """The transfer's purpose (62/08): the order number, which the producer matches in their statement."""
    return order.number[: vietqr.PURPOSE_MAX]


def order_payload(order: Order) -> str:
    organisation = order.shop.organisation
    problem = bank_problem(organisation)
    if problem:
        raise ValidationError(problem)
    account = identifiers.normalize_bank_account(organisation.bank_account)
    return vietqr.payload(bin=organisation.bank_bin, account=account, amount=order.total, purpose=purpose(order))


def qr_svg(text: str, *, scale: int = 4) -> str:
    """The QR code as an inline SVG element (no file, no request)."""
    return segno.make(text, error="m", micro=False).svg_inline(scale=scale, border=4, title="VietQR")


def bank_name(organisation: Organisation) -> str:
    bank = identifiers.bank_by_bin(organisation.bank_bin)
    return (bank.get("short_name") or bank.get("name") or "") if bank else ""
