"""Linkage contracts (hợp đồng liên kết) between a producer and a buyer organisation, and the deliveries
made under them. Each delivery names the lots delivered; it is stored in traceability as a shipping
event under the contract (so every lot's history shows where it went) and the lots' remaining
quantities go down by what left."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.core import identifiers
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation
from smartcommune.trace import services as trace_services
from smartcommune.trace.models import Lot, Product

from ..models import Contract, ContractItem, Delivery, DeliveryLine, Offer, ScheduledDelivery

PDF_MAX_BYTES = 10 * 2**20


@dataclass(frozen=True)
class ItemSpec:
    product: Product
    quantity: Decimal
    unit_price: int


@dataclass(frozen=True)
class ScheduleSpec:
    product: Product
    due_on: date
    quantity: Decimal


def check_pdf(upload) -> None:
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError({"document": _("The document is larger than 10 MB.")})
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"document": _("The signed contract must be a PDF file.")})


@transaction.atomic
def contract_create(
    *,
    commune: Commune,
    seller: Organisation,
    number: str,
    buyer_name: str,
    starts_on: date,
    ends_on: date,
    items: list[ItemSpec],
    schedule: list[ScheduleSpec] = (),
    buyer_tax_code: str = "",
    signed_on: date | None = None,
    notes: str = "",
    document=None,
) -> Contract:
    """A contract with its products and delivery schedule; signed when it has a signing date."""
    errors: dict[str, list] = {}
    if seller.commune_id != commune.pk:
        errors["seller"] = [_("The producer does not belong to this commune.")]
    number, buyer_name = number.strip(), " ".join(buyer_name.split())
    if not number:
        errors["number"] = [_("Give the contract number.")]
    if not buyer_name:
        errors["buyer_name"] = [_("Give the buyer organisation.")]
    if buyer_tax_code.strip():
        try:
            buyer_tax_code = identifiers.normalize_tax_code(buyer_tax_code)
        except ValidationError as error:
            errors["buyer_tax_code"] = error.messages
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The contract cannot end before it starts.")]
    if signed_on and signed_on > timezone.localdate():
        errors["signed_on"] = [_("The signing date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    if not items:
        raise ValidationError(_("A contract names at least one product with its volume and price."))
    products = [spec.product.pk for spec in items]
    if len(set(products)) != len(products):
        raise ValidationError(_("A product is listed twice in the contract."))
    for spec in items:
        if spec.product.owner_id != seller.pk:
            raise ValidationError(_("%(product)s is not a product of this producer.") % {"product": spec.product})
        if spec.quantity is None or spec.quantity <= 0:
            raise ValidationError(_("The volume agreed must be more than zero."))
        if spec.unit_price is None or spec.unit_price <= 0:
            raise ValidationError(_("The price must be more than zero."))
    if document is not None:
        check_pdf(document)
    contract = Contract(
        commune=commune,
        seller=seller,
        number=number[:60],
        buyer_name=buyer_name[:200],
        buyer_tax_code=buyer_tax_code,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        status=Contract.Status.SIGNED if signed_on else Contract.Status.DRAFT,
        notes=notes.strip(),
    )
    if document is not None:
        contract.document.save(f"{number[:40]}.pdf", document, save=False)
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as error:
        raise ValidationError({"number": _("Another contract of this commune has this number.")}) from error
    made = {
        spec.product.pk: ContractItem.objects.create(
            contract=contract, product=spec.product, quantity=spec.quantity, unit_price=spec.unit_price
        )
        for spec in items
    }
    for step in schedule:
        item = made.get(step.product.pk)
        if item is None:
            raise ValidationError(_("The schedule names a product that is not in the contract."))
        if not starts_on <= step.due_on <= ends_on:
            raise ValidationError(_("A scheduled delivery falls outside the contract's period."))
        if step.quantity is None or step.quantity <= 0:
            raise ValidationError(_("A scheduled delivery needs a quantity above zero."))
        ScheduledDelivery.objects.create(item=item, due_on=step.due_on, quantity=step.quantity)
    return contract


@transaction.atomic
def contract_sign(*, contract: Contract, signed_on: date, document=None) -> Contract:
    if contract.status != Contract.Status.DRAFT:
        raise ValidationError(_("Only a draft contract can be signed."))
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    if document is not None:
        check_pdf(document)
        contract.document.save(f"{contract.number[:40]}.pdf", document, save=False)
    contract.status, contract.signed_on = Contract.Status.SIGNED, signed_on
    contract.save()
    return contract


@transaction.atomic
def contract_terminate(*, contract: Contract, reason: str) -> Contract:
    if contract.status != Contract.Status.SIGNED:
        raise ValidationError(_("Only a signed contract can be terminated."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for terminating the contract.")})
    contract.status = Contract.Status.TERMINATED
    contract.notes = (contract.notes + "\n" if contract.notes else "") + _("Terminated: %(reason)s") % {
        "reason": reason.strip()
    }
    contract.save(update_fields=["status", "notes"])
    return contract


@transaction.atomic
def delivery_record(
    *,
    contract: Contract,
    delivered_on: date,
    lines: list[tuple[ContractItem, Lot, Decimal]],
    note_number: str = "",
    by: User | None = None,
) -> Delivery:
    """Record a delivery of lots under a signed contract, and ship them in traceability."""
    contract = Contract.objects.select_for_update().select_related("seller").get(pk=contract.pk)
    if contract.status != Contract.Status.SIGNED:
        raise ValidationError(_("Only a signed contract takes deliveries."))
    if delivered_on is None or delivered_on < contract.starts_on:
        raise ValidationError({"delivered_on": _("The delivery cannot come before the contract starts.")})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})
    if not lines:
        raise ValidationError(_("Name at least one lot delivered."))
    seen = set()
    for item, lot, quantity in lines:
        if item.contract_id != contract.pk:
            raise ValidationError(_("A product delivered is not in this contract."))
        if lot.product_id != item.product_id:
            raise ValidationError(
                _("Lot %(lot)s is not a lot of %(product)s.") % {"lot": lot.code, "product": item.product.name}
            )
        if quantity is None or quantity <= 0:
            raise ValidationError(_("The quantity delivered must be more than zero."))
        if lot.pk in seen:
            raise ValidationError(_("A lot is listed twice."))
        seen.add(lot.pk)
        offer = Offer.objects.filter(lot=lot).first()
        on_sale = offer.stock * offer.pack_size if offer else Decimal("0")
        if quantity > lot.remaining - on_sale:
            raise ValidationError(
                _("Lot %(lot)s has %(free)s left besides what is on sale in the shop; %(asked)s were asked.")
                % {
                    "lot": lot.code,
                    "free": f"{max(Decimal(0), lot.remaining - on_sale).normalize():f}".replace(".", ","),
                    "asked": f"{quantity.normalize():f}".replace(".", ","),
                }
            )
    reference = note_number.strip() or contract.number
    event = trace_services.ship(
        organisation=contract.seller,
        lot_quantities=[(lot, quantity) for _item, lot, quantity in lines],
        transaction_type="desadv" if note_number.strip() else "po",
        transaction_ref=reference,
        when=None
        if delivered_on >= timezone.localdate()
        else timezone.make_aware(datetime.combine(delivered_on, time(12, 0))),
        by=by,
    )
    delivery = Delivery.objects.create(
        contract=contract,
        delivered_on=delivered_on,
        note_number=note_number.strip()[:60],
        trace_event=event,
        recorded_by=by,
    )
    DeliveryLine.objects.bulk_create(
        [DeliveryLine(delivery=delivery, item=item, lot=lot, quantity=quantity) for item, lot, quantity in lines]
    )
    return delivery
