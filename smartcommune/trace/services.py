"""Writes on products, OCOP ratings, lots, cartons and shipments. Each step of a lot is stored as an
EPCIS 2.0 event (see epcis.py); quantities taken from a harvest or a lot are checked under a row lock,
so two people using the same lot at once cannot take more than it holds."""

import calendar
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from smartcommune.accounts.models import User
from smartcommune.core import images, notify
from smartcommune.core.identifiers import normalize_gtin
from smartcommune.farming.models import DiaryEntry, GrowingArea
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation

from . import epcis, identifiers, versions
from .models import (
    MASS_UNITS,
    Certification,
    Container,
    ContainerItem,
    EventLot,
    Lot,
    LotHarvest,
    LotInput,
    OcopRating,
    Product,
    TraceEvent,
)

TRANSACTION_TYPES = ("po", "inv", "desadv", "bol", "recadv", "prodorder")


def _d(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _n(value: Decimal) -> str:
    return formats.number_format(value.normalize(), use_l10n=True, force_grouping=True)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _moment(day: date, when: datetime | None) -> datetime:
    """When an event happened: `when`, or now for today, or midday of a past day."""
    if when is not None:
        return when
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _bump_product(product: Product) -> None:
    Product.objects.filter(pk=product.pk).update(cache_version=F("cache_version") + 1)
    versions.changed()


# Products ---------------------------------------------------------------------------------------


@transaction.atomic
def product_save(*, product: Product, reason: str = "") -> Product:
    """Create or change a product. A GTIN is checked; once a product has lots its GTIN cannot change
    (printed labels carry it), though a product without one may get one at any time."""
    if product.owner.commune_id != product.commune_id:
        raise ValidationError({"owner": _("The producer does not belong to this commune.")})
    product.name = product.name.strip()
    product.gtin = normalize_gtin(product.gtin) if product.gtin.strip() else ""
    if product.gtin and Product.objects.filter(gtin=product.gtin).exclude(pk=product.pk).exists():
        raise ValidationError({"gtin": _("Another product already has this GTIN.")})
    if product.pk:
        before = Product.objects.select_for_update().get(pk=product.pk)
        if before.gtin and before.gtin != product.gtin and before.lots.exists():
            raise ValidationError(
                {"gtin": _("This product has lots whose labels carry its GTIN: the GTIN can no longer change.")}
            )
        product.cache_version = before.cache_version + 1
        product.save()
        versions.changed()
    else:
        product.internal_code = f"tmp-{uuid.uuid4().hex[:16]}"
        product.save()
        product.internal_code = f"{product.commune.code}-{product.pk}"
        product.search_key = Product.make_search_key(product.name, product.gtin, product.internal_code)
        Product.objects.filter(pk=product.pk).update(internal_code=product.internal_code, search_key=product.search_key)
    if reason:
        update_change_reason(product, reason)
    return product


@transaction.atomic
def product_photo_set(*, product: Product, upload) -> Product:
    cleaned = images.clean_image(upload)
    if product.photo:
        product.photo.delete(save=False)
    product.photo.save(cleaned.name, cleaned, save=False)
    product.cache_version += 1
    product.save(update_fields=["photo", "cache_version", "updated_at"])
    versions.changed()
    return product


def ocop_stars(total: Decimal) -> int:
    """Stars from the total score: 90–100 five, 70–89 four, 50–69 three, 30–49 two, below 30 one."""
    for floor, stars in ((90, 5), (70, 4), (50, 3), (30, 2)):
        if total >= floor:
            return stars
    return 1


@transaction.atomic
def ocop_save(*, rating: OcopRating) -> OcopRating:
    """Record an OCOP rating: the total and stars are computed, validity runs 36 months from the decision."""
    limits = {"score_a": OcopRating.MAX_A, "score_b": OcopRating.MAX_B, "score_c": OcopRating.MAX_C}
    for field, limit in limits.items():
        value = getattr(rating, field)
        if value is None or not (0 <= value <= limit):
            raise ValidationError({field: _("This score is between 0 and %(max)s.") % {"max": limit}})
    if rating.decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("The decision date cannot be in the future.")})
    rating.total = rating.score_a + rating.score_b + rating.score_c
    rating.stars = ocop_stars(rating.total)
    rating.valid_until = add_months(rating.decision_date, OcopRating.VALID_MONTHS)
    rating.save()
    _bump_product(rating.product)
    return rating


@transaction.atomic
def certification_save(*, certification: Certification) -> Certification:
    if certification.issued_on and certification.expires_on and certification.expires_on < certification.issued_on:
        raise ValidationError({"expires_on": _("A certificate cannot expire before it was issued.")})
    certification.save()
    _bump_product(certification.product)
    return certification


def ocop_expiry_warn(*, today: date | None = None) -> int:
    """Tell each producer, once, that an OCOP recognition ends within 90 days. Returns how many were sent."""
    today = today or timezone.localdate()
    due = OcopRating.objects.filter(
        status=OcopRating.Status.VALID,
        expiry_warned_on__isnull=True,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=OcopRating.WARNING_DAYS),
    ).select_related("product__owner")
    sent = 0
    for rating in due:
        if not OcopRating.objects.filter(pk=rating.pk, expiry_warned_on__isnull=True).update(expiry_warned_on=today):
            continue  # another run got there first
        owner = rating.product.owner
        notify.send(
            notify.Message(
                subject=_("OCOP recognition ends on %(date)s") % {"date": _d(rating.valid_until)},
                body=_(
                    "The %(stars)s-star OCOP recognition of %(product)s (decision %(decision)s) ends on %(date)s. "
                    "Apply for re-evaluation in time."
                )
                % {
                    "stars": rating.stars,
                    "product": rating.product.name,
                    "decision": rating.decision_number,
                    "date": _d(rating.valid_until),
                },
                email=owner.email,
                phone=owner.phone,
            )
        )
        sent += 1
    return sent


# Lots from harvests -----------------------------------------------------------------------------


def harvest_used(harvest_ids: Iterable[int]) -> dict[int, Decimal]:
    rows = (
        LotHarvest.objects.filter(harvest_id__in=list(harvest_ids))
        .values("harvest_id")
        .annotate(used=Sum("quantity_kg"))
    )
    return {row["harvest_id"]: row["used"] for row in rows}


def _check_lot(product: Product, code: str, produced_on: date, expires_on: date | None) -> str:
    code = identifiers.check_lot_code(code)
    if Lot.objects.filter(product=product, code__iexact=code).exists():
        raise ValidationError({"code": _("This product already has a lot with this code.")})
    if produced_on > timezone.localdate():
        raise ValidationError({"produced_on": _("The production date cannot be in the future.")})
    if expires_on and expires_on < produced_on:
        raise ValidationError({"expires_on": _("The expiry date cannot come before the production date.")})
    return code


def _ilmd(lot: Lot, **extra) -> dict:
    ilmd = {"cbvmda:lotNumber": lot.code, "ntm:productionDate": lot.produced_on.isoformat()}
    if lot.expires_on:
        ilmd["cbvmda:itemExpirationDate"] = lot.expires_on.isoformat()
    ilmd.update({f"ntm:{k}": v for k, v in extra.items()})
    return ilmd


def _create_lot(**fields) -> Lot:
    try:
        with transaction.atomic():
            return Lot.objects.create(**fields)
    except IntegrityError as error:
        raise ValidationError({"code": _("This product already has a lot with this code.")}) from error


@transaction.atomic
def lot_from_harvests(
    *,
    product: Product,
    code: str,
    parts: list[tuple[DiaryEntry, Decimal]],
    produced_on: date,
    expires_on: date | None = None,
    when: datetime | None = None,
    by: User | None = None,
) -> Lot:
    """A lot made from harvests (kg taken from each): stored with an ObjectEvent ADD, bizStep commissioning."""
    if product.unit not in MASS_UNITS:
        raise ValidationError(
            _("Lots made from harvests are weighed: give the product a unit of weight (kg or tonne).")
        )
    if not parts:
        raise ValidationError(_("Choose at least one harvest."))
    code = _check_lot(product, code, produced_on, expires_on)
    ids = [harvest.pk for harvest, _qty in parts]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("A harvest is listed twice."))
    locked = {
        h.pk: h
        for h in DiaryEntry.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, kind=DiaryEntry.Kind.HARVEST)
        .select_related("growing_area__commune", "growing_area__cooperative")
    }
    used = harvest_used(ids)
    total = Decimal("0")
    for harvest, amount in parts:
        current = locked.get(harvest.pk)
        if current is None:
            raise ValidationError(_("This diary entry is not a harvest."))
        area: GrowingArea = current.growing_area
        if area.commune_id != product.commune_id:
            raise ValidationError(_("The harvest of %(area)s is from another commune.") % {"area": area.code})
        if area.cooperative_id and area.cooperative_id != product.owner_id:
            raise ValidationError(
                _("The growing area %(area)s belongs to %(owner)s, not to the producer of this product.")
                % {"area": area.code, "owner": area.cooperative.name}
            )
        if area.status != GrowingArea.Status.ACTIVE:
            raise ValidationError(
                _("The growing area code %(area)s is %(status)s: its harvests cannot be labelled.")
                % {"area": area.code, "status": area.get_status_display()}
            )
        if current.date > produced_on:
            raise ValidationError(
                {
                    "produced_on": _("The lot cannot be made before the harvest of %(date)s.")
                    % {"date": _d(current.date)}
                }
            )
        if amount is None or amount <= 0:
            raise ValidationError(_("Give the quantity taken from each harvest."))
        left = current.quantity_kg - used.get(current.pk, Decimal("0"))
        if amount > left:
            raise ValidationError(
                _("Only %(left)s kg are left of the harvest of %(date)s on %(area)s; %(asked)s kg were asked.")
                % {"left": _n(left), "date": _d(current.date), "area": area.code, "asked": _n(amount)}
            )
        total += amount
    quantity = (total / MASS_UNITS[product.unit]).quantize(Decimal("0.001"))
    lot = _create_lot(
        product=product,
        code=code,
        quantity=quantity,
        unit=product.unit,
        remaining=quantity,
        produced_on=produced_on,
        expires_on=expires_on,
        origin=Lot.Origin.HARVEST,
        created_by=by,
    )
    LotHarvest.objects.bulk_create(
        [LotHarvest(lot=lot, harvest_id=harvest.pk, quantity_kg=amount) for harvest, amount in parts]
    )
    areas = list(dict.fromkeys(locked[h.pk].growing_area for h, _a in parts))
    event = epcis.new_event(
        "ObjectEvent",
        _moment(produced_on, when),
        action="ADD",
        bizStep="commissioning",
        disposition="active",
        quantityList=[epcis.quantity(epcis.lot_class(lot), quantity, product.unit)],
        readPoint={"id": epcis.area_uri(areas[0])},
        bizLocation={"id": epcis.organisation_uri(product.owner)},
        ilmd=_ilmd(
            lot,
            harvestDates=sorted({locked[h.pk].date.isoformat() for h, _a in parts}),
            growingAreaCodes=[a.code for a in areas],
        ),
    )
    epcis.store(commune=product.commune, event=event, links=[(lot, EventLot.Role.OBJECT)], by=by)
    return lot


# Processing -------------------------------------------------------------------------------------


def _lock_inputs(inputs: list[tuple[Lot, Decimal]], commune: Commune) -> dict[int, Lot]:
    ids = [lot.pk for lot, _q in inputs]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("An input lot is listed twice."))
    # Locked in id order, so that two processings of the same lots wait for each other instead of deadlocking.
    locked = {
        lot.pk: lot
        for lot in Lot.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("product")
        .order_by("pk")
    }
    for lot, amount in inputs:
        current = locked.get(lot.pk)
        if current is None or current.product.commune_id != commune.pk:
            raise ValidationError(_("An input lot is not a lot of this commune."))
        if current.status != Lot.Status.ACTIVE:
            raise ValidationError(_("Lot %(lot)s is recalled and cannot be used.") % {"lot": current.code})
        if amount is None or amount <= 0:
            raise ValidationError(_("Give the quantity used of each input lot."))
        if amount > current.remaining:
            raise ValidationError(
                _("Lot %(lot)s has only %(left)s %(unit)s left; %(asked)s were asked.")
                % {
                    "lot": current.code,
                    "left": _n(current.remaining),
                    "unit": current.get_unit_display(),
                    "asked": _n(amount),
                }
            )
    return locked


@transaction.atomic
def lot_process(
    *,
    commune: Commune,
    inputs: list[tuple[Lot, Decimal]],
    outputs: list[Mapping],
    when: datetime | None = None,
    by: User | None = None,
) -> list[Lot]:
    """Process input lots into output lots: the inputs' remaining quantities go down by what was used
    (never below zero), and one TransformationEvent records the step."""
    if not inputs:
        raise ValidationError(_("Choose at least one input lot."))
    if not outputs:
        raise ValidationError(_("Describe at least one output lot."))
    locked = _lock_inputs(inputs, commune)
    latest_input = max(lot.produced_on for lot in locked.values())
    made = []
    for spec in outputs:
        product: Product = spec["product"]
        if product.commune_id != commune.pk:
            raise ValidationError(_("The output product is not a product of this commune."))
        quantity = spec.get("quantity")
        if quantity is None or quantity <= 0:
            raise ValidationError({"quantity": _("Give the quantity of the output lot.")})
        code = _check_lot(product, spec["code"], spec["produced_on"], spec.get("expires_on"))
        if spec["produced_on"] < latest_input:
            raise ValidationError(
                {
                    "produced_on": _("The output cannot be made before its inputs (%(date)s).")
                    % {"date": _d(latest_input)}
                }
            )
        made.append(
            _create_lot(
                product=product,
                code=code,
                quantity=quantity,
                unit=spec.get("unit") or product.unit,
                remaining=quantity,
                produced_on=spec["produced_on"],
                expires_on=spec.get("expires_on"),
                origin=Lot.Origin.PROCESSING,
                created_by=by,
            )
        )
    for lot, amount in inputs:
        Lot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - amount)
    if len(made) == 1:
        ilmd = _ilmd(made[0])
    else:
        ilmd = {"ntm:outputLots": [{"epcClass": epcis.lot_class(lot), **_ilmd(lot)} for lot in made]}
    first_owner = made[0].product.owner
    event = epcis.new_event(
        "TransformationEvent",
        _moment(made[0].produced_on, when),
        inputQuantityList=[
            epcis.quantity(epcis.lot_class(locked[lot.pk]), amount, locked[lot.pk].unit) for lot, amount in inputs
        ],
        outputQuantityList=[epcis.quantity(epcis.lot_class(lot), lot.quantity, lot.unit) for lot in made],
        bizStep="commissioning",
        disposition="active",
        readPoint={"id": epcis.organisation_uri(first_owner)},
        bizLocation={"id": epcis.organisation_uri(first_owner)},
        ilmd=ilmd,
    )
    links = [(locked[lot.pk], EventLot.Role.INPUT) for lot, _a in inputs] + [
        (lot, EventLot.Role.OUTPUT) for lot in made
    ]
    row = epcis.store(commune=commune, event=event, links=links, by=by)
    LotInput.objects.bulk_create(
        [LotInput(output=out, input_id=lot.pk, quantity=amount, event=row) for out in made for lot, amount in inputs]
    )
    return made


# Packing and shipping ---------------------------------------------------------------------------


@transaction.atomic
def lot_pack(
    *, lot: Lot, cartons: int, per_carton: Decimal, when: datetime | None = None, by: User | None = None
) -> list[Container]:
    """Pack part of a lot into cartons with SSCC-like codes: one AggregationEvent (ADD, packing) per carton."""
    if cartons < 1 or cartons > 1000:
        raise ValidationError({"cartons": _("Pack 1 to 1,000 cartons at a time.")})
    if per_carton is None or per_carton <= 0:
        raise ValidationError({"per_carton": _("Give the quantity in each carton.")})
    current = _lock_inputs([(lot, per_carton * cartons)], lot.product.commune)[lot.pk]
    owner = Organisation.objects.select_for_update().get(pk=current.product.owner_id)  # one packer numbers at a time
    start = Container.objects.filter(organisation=owner).count() + 1
    made = []
    moment = when or timezone.now()
    for number in range(start, start + cartons):
        code = identifiers.carton_code(commune_code=owner.commune.code, serial=owner.pk * 10**7 + number)
        container = Container.objects.create(commune=owner.commune, organisation=owner, code=code)
        ContainerItem.objects.create(container=container, lot=current, quantity=per_carton)
        event = epcis.new_event(
            "AggregationEvent",
            moment,
            action="ADD",
            parentID=identifiers.carton_uri(code),
            childQuantityList=[epcis.quantity(epcis.lot_class(current), per_carton, current.unit)],
            bizStep="packing",
            disposition="in_progress",
            readPoint={"id": epcis.organisation_uri(owner)},
        )
        epcis.store(commune=owner.commune, event=event, links=[(current, EventLot.Role.CHILD)], by=by)
        made.append(container)
    Lot.objects.filter(pk=current.pk).update(remaining=F("remaining") - per_carton * cartons)
    return made


def _transaction_uri(commune: Commune, reference: str) -> str:
    reference = reference.strip()
    if ":" in reference and " " not in reference:
        return reference  # already a URI
    return f"{settings.SITE_URL.rstrip('/')}/truy-xuat/{commune.code}/giao-dich/{quote(reference, safe='')}"


@transaction.atomic
def ship(
    *,
    organisation: Organisation,
    containers: Iterable[Container] = (),
    lot_quantities: Iterable[tuple[Lot, Decimal]] = (),
    transaction_type: str,
    transaction_ref: str,
    buyer_uri: str = "",
    when: datetime | None = None,
    by: User | None = None,
) -> TraceEvent:
    """Ship cartons and/or quantities of lots under a business transaction: ObjectEvent OBSERVE, bizStep shipping."""
    containers, lot_quantities = list(containers), list(lot_quantities)
    if not containers and not lot_quantities:
        raise ValidationError(_("Choose the cartons or the lot quantities to ship."))
    if transaction_type not in TRANSACTION_TYPES:
        raise ValidationError({"transaction_type": _("Unknown kind of business document.")})
    if not transaction_ref.strip():
        raise ValidationError({"transaction_ref": _("Give the number of the order, invoice or delivery note.")})
    commune = organisation.commune
    cartons = list(Container.objects.select_for_update().filter(pk__in=[c.pk for c in containers]).order_by("pk"))
    for carton in cartons:
        if carton.organisation_id != organisation.pk:
            raise ValidationError(_("Carton %(code)s was packed by another organisation.") % {"code": carton.code})
        if carton.shipped_at:
            raise ValidationError(_("Carton %(code)s was already shipped.") % {"code": carton.code})
    locked = _lock_inputs(lot_quantities, commune) if lot_quantities else {}
    for lot in locked.values():
        if lot.product.owner_id != organisation.pk:
            raise ValidationError(_("Lot %(lot)s belongs to another organisation.") % {"lot": lot.code})
    moment = when or timezone.now()
    event = epcis.new_event(
        "ObjectEvent",
        moment,
        action="OBSERVE",
        bizStep="shipping",
        disposition="in_transit",
        epcList=[identifiers.carton_uri(c.code) for c in cartons],
        quantityList=[
            epcis.quantity(epcis.lot_class(locked[lot.pk]), amount, locked[lot.pk].unit)
            for lot, amount in lot_quantities
        ],
        readPoint={"id": epcis.organisation_uri(organisation)},
        bizTransactionList=[{"type": transaction_type, "bizTransaction": _transaction_uri(commune, transaction_ref)}],
        sourceList=[{"type": "owning_party", "source": epcis.organisation_uri(organisation)}],
        destinationList=[{"type": "owning_party", "destination": buyer_uri.strip()}] if buyer_uri.strip() else None,
    )
    packed = Lot.objects.filter(container_items__container__in=cartons).distinct()
    links = [(lot, EventLot.Role.SHIPPED) for lot in packed] + [
        (locked[lot.pk], EventLot.Role.OBJECT) for lot, _a in lot_quantities
    ]
    row = epcis.store(commune=commune, event=event, links=links, by=by)
    Container.objects.filter(pk__in=[c.pk for c in cartons]).update(shipped_at=moment)
    for lot, amount in lot_quantities:
        Lot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - amount)
    return row
