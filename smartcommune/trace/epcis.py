"""EPCIS 2.0 in JSON-LD: building events and documents, checking them against GS1's JSON Schema,
and capturing documents from other systems (all or nothing).

The schema is GS1's EPCIS-JSON-Schema.json (a copy ships in data/). Its `date-time` and `uri` formats
are checked by two small functions registered below, so that a bad eventTime or an unprefixed
extension key is refused without pulling in jsonschema's optional format packages.
"""

import json
import re
import uuid
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import jsonschema
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.places.models import Commune

from . import identifiers, versions
from .models import Container, EventLot, Lot, Product, TraceEvent

GS1_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SCHEMA_PATH = Path(__file__).parent / "data" / "EPCIS-JSON-Schema.json"
MAX_EVENTS = 5000

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")

_formats = jsonschema.FormatChecker(formats=())


@_formats.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        raise ValueError("not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


@_formats.checks("uri")
def _uri(value) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


@cache
def _validator() -> jsonschema.Draft7Validator:
    with SCHEMA_PATH.open(encoding="utf-8") as f:
        schema = json.load(f)
    return jsonschema.Draft7Validator(schema, format_checker=_formats)


def namespace() -> str:
    """Our own JSON-LD prefix `ntm:` for fields the CBV has no word for (harvest dates, growing areas)."""
    return f"{settings.SITE_URL.rstrip('/')}/ns/truy-xuat#"


def schema_errors(document) -> list[str]:
    """Where and why a document breaks GS1's EPCIS 2.0 JSON Schema (at most 20 messages)."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    messages = []
    for error in errors[:20]:
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        messages.append(f"{where}: {_explain(error)}")
    return messages


def _explain(error: jsonschema.ValidationError) -> str:
    # The schema nests everything in if/then/anyOf; the deepest reason is the readable one.
    best = jsonschema.exceptions.best_match([error, *error.context]) if error.context else error
    return best.message[:300]


# Building events -------------------------------------------------------------------------------


def time_fields(when: datetime) -> dict:
    """eventTime with its offset, and eventTimeZoneOffset, in the commune's time zone (+07:00)."""
    local = timezone.localtime(when).replace(microsecond=0)
    offset = local.strftime("%z")
    return {"eventTime": local.isoformat(), "eventTimeZoneOffset": f"{offset[:3]}:{offset[3:]}"}


def quantity(epc_class: str, amount: Decimal, unit: str | None) -> dict:
    item = {"epcClass": epc_class, "quantity": float(amount)}
    if unit and unit not in ("H87",):  # a count needs no unit of measure
        item["uom"] = unit
    return item


def lot_class(lot: Lot) -> str:
    product = lot.product
    return identifiers.epc_class(gtin=product.gtin, internal_code=product.internal_code, lot=lot.code)


def organisation_uri(organisation) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/truy-xuat/{organisation.commune.code}/co-so/{organisation.code}"


def area_uri(area) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/nong-nghiep/{area.commune.code}/vung/{area.code}/"


def new_event(kind: str, when: datetime, **fields) -> dict:
    event = {"type": kind, "eventID": f"urn:uuid:{uuid.uuid4()}", **time_fields(when)}
    event.update({k: v for k, v in fields.items() if v not in (None, [], {}, "")})
    return event


def document(events: list[dict], *, master_data: list[dict] | None = None) -> dict:
    doc = {
        "@context": [GS1_CONTEXT, {"ntm": namespace()}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": time_fields(timezone.now())["eventTime"],
        "epcisBody": {"eventList": events},
    }
    if master_data:
        doc["epcisHeader"] = {"epcisMasterData": {"vocabularyList": master_data}}
    return doc


def lot_master_data(lots: list[Lot]) -> list[dict]:
    """EPCClass master data for lots: product name, lot number, dates, producer (CBV master-data attributes)."""
    elements = []
    for lot in lots:
        attributes = [
            {"id": "urn:epcglobal:cbv:mda#descriptionShort", "attribute": lot.product.name},
            {"id": "urn:epcglobal:cbv:mda#lotNumber", "attribute": lot.code},
            {"id": "urn:epcglobal:cbv:mda#tradeItemCountryOfOrigin", "attribute": "VN"},
            {"id": f"{namespace()}productionDate", "attribute": lot.produced_on.isoformat()},
            {"id": f"{namespace()}producer", "attribute": lot.product.owner.name},
        ]
        if lot.expires_on:
            attributes.append(
                {"id": "urn:epcglobal:cbv:mda#itemExpirationDate", "attribute": lot.expires_on.isoformat()}
            )
        if lot.product.brand:
            attributes.append({"id": "urn:epcglobal:cbv:mda#brandName", "attribute": lot.product.brand})
        elements.append({"id": lot_class(lot), "attributes": attributes})
    return [{"type": "urn:epcglobal:epcis:vtype:EPCClass", "vocabularyElementList": elements}] if elements else []


@transaction.atomic
def store(
    *,
    commune: Commune,
    event: dict,
    links: list[tuple[Lot, str]],
    by: User | None,
    source: str = TraceEvent.Source.RECORDED,
) -> TraceEvent:
    """Keep one event and link it to its lots; the lots' public pages are re-rendered next time."""
    row = TraceEvent.objects.create(
        commune=commune,
        event_id=event["eventID"],
        event_type=event["type"],
        action=event.get("action", ""),
        biz_step=event.get("bizStep", ""),
        disposition=event.get("disposition", ""),
        event_time=datetime.fromisoformat(event["eventTime"].replace("Z", "+00:00")),
        time_zone_offset=event["eventTimeZoneOffset"],
        read_point=(event.get("readPoint") or {}).get("id", "")[:300],
        biz_location=(event.get("bizLocation") or {}).get("id", "")[:300],
        document=event,
        source=source,
        recorded_by=by,
    )
    pairs = {(lot.pk, role) for lot, role in links}
    EventLot.objects.bulk_create([EventLot(event=row, lot_id=lot_id, role=role) for lot_id, role in sorted(pairs)])
    touch(lot_ids={lot_id for lot_id, _role in pairs})
    return row


def touch(*, lot_ids) -> None:
    """New cache version for these lots' public pages (the cache key carries the version)."""
    if lot_ids:
        Lot.objects.filter(pk__in=list(lot_ids)).update(cache_version=F("cache_version") + 1)
        versions.changed()


# Exporting -------------------------------------------------------------------------------------


def lot_lineage(lot: Lot, *, depth: int = 20) -> list[Lot]:
    """The lot and every lot it was made from, nearest first."""
    seen, frontier, ordered = {lot.pk}, [lot.pk], [lot]
    for _step in range(depth):
        parents = list(
            Lot.objects.filter(uses__output_id__in=frontier)
            .exclude(pk__in=seen)
            .select_related("product__owner")
            .distinct()
        )
        if not parents:
            break
        frontier = [p.pk for p in parents]
        seen.update(frontier)
        ordered += parents
    return ordered


def lot_events(lot: Lot) -> list[TraceEvent]:
    lineage = lot_lineage(lot)
    return list(
        TraceEvent.objects.filter(lot_links__lot__in=[lot.pk for lot in lineage])
        .distinct()
        .order_by("event_time", "pk")
    )


# Trading details a consumer has no need of: who bought, under which order or invoice.
COMMERCIAL_FIELDS = ("bizTransactionList", "sourceList", "destinationList")


def lot_document(lot: Lot, *, public: bool = False) -> dict:
    """A lot's history as an EPCIS document; the public version leaves out the trading partners and documents."""
    lineage = lot_lineage(lot)
    events = [e.document for e in lot_events(lot)]
    if public:
        events = [{k: v for k, v in event.items() if k not in COMMERCIAL_FIELDS} for event in events]
    return document(events, master_data=lot_master_data(lineage))


def period_document(*, commune: Commune, start: datetime, end: datetime, organisation_codes=None) -> dict:
    events = TraceEvent.objects.filter(commune=commune, event_time__gte=start, event_time__lt=end)
    if organisation_codes is not None:
        events = events.filter(lot_links__lot__product__owner__code__in=organisation_codes).distinct()
    return document([e.document for e in events.order_by("event_time", "pk").iterator(chunk_size=500)])


# Capturing -------------------------------------------------------------------------------------

EPC_FIELDS = {
    "epcList": EventLot.Role.OBJECT,
    "childEPCs": EventLot.Role.CHILD,
    "inputEPCList": EventLot.Role.INPUT,
    "outputEPCList": EventLot.Role.OUTPUT,
}
QUANTITY_FIELDS = {
    "quantityList": EventLot.Role.OBJECT,
    "childQuantityList": EventLot.Role.CHILD,
    "inputQuantityList": EventLot.Role.INPUT,
    "outputQuantityList": EventLot.Role.OUTPUT,
}


def _identifiers(event: dict) -> list[tuple[str, str]]:
    found = []
    for field, role in EPC_FIELDS.items():
        found += [(uri, role) for uri in event.get(field) or []]
    for field, role in QUANTITY_FIELDS.items():
        found += [(item["epcClass"], role) for item in event.get(field) or []]
    if event.get("parentID"):
        found.append((event["parentID"], EventLot.Role.OBJECT))
    return found


class _Resolver:
    """Finds the lots, products and cartons an event names, within one commune (and an organisation's reach)."""

    def __init__(self, commune: Commune, organisation_codes):
        self.commune, self.organisation_codes = commune, organisation_codes
        products = Product.objects.filter(commune=commune).select_related("owner")
        self.by_gtin = {p.gtin: p for p in products if p.gtin}
        self.by_internal = {p.internal_code: p for p in products}

    def product(self, epc: identifiers.Epc) -> Product | None:
        return self.by_gtin.get(epc.gtin) if epc.gtin else self.by_internal.get(epc.internal_code)

    def lots(self, uri: str) -> tuple[list[Lot], str | None]:
        """The lots an identifier names, or a reason to refuse the document."""
        try:
            epc = identifiers.parse(uri)
        except ValidationError as error:
            return [], f"{uri}: {' '.join(error.messages)}"
        if epc.kind in ("other", "carton"):
            if epc.kind == "carton":
                carton = Container.objects.filter(code=epc.carton, commune=self.commune).first()
                if carton is not None:
                    return list(Lot.objects.filter(container_items__container=carton).distinct()), None
            return [], None  # locations, other parties' pallets and schemes we do not track are kept as written
        product = self.product(epc)
        if product is None:
            return [], _("%(uri)s: no product with this identifier is registered in this commune.") % {"uri": uri}
        if self.organisation_codes is not None and product.owner.code not in self.organisation_codes:
            return [], _("%(uri)s: this product belongs to another organisation.") % {"uri": uri}
        if epc.kind == "lot" or (epc.kind == "item" and epc.lot):
            lot = Lot.objects.filter(product=product, code=epc.lot).first()
            if lot is None:
                return [], _("%(uri)s: lot %(lot)s of %(product)s is not registered.") % {
                    "uri": uri,
                    "lot": epc.lot,
                    "product": product.name,
                }
            return [lot], None
        return [], None  # a product class or a serialised item of a registered product: no lot to link


@transaction.atomic
def capture(*, commune: Commune, document: dict, by: User, organisation_codes=None) -> list[TraceEvent]:
    """Store every event of an EPCIS 2.0 JSON document, or none: the whole document is checked first."""
    if not isinstance(document, dict):
        raise ValidationError(_("The body is not a JSON object."))
    errors = schema_errors(document)
    if errors:
        raise ValidationError([_("The document does not follow the EPCIS 2.0 JSON schema:"), *errors])
    if document.get("type") != "EPCISDocument":
        raise ValidationError(_("Send an EPCISDocument."))
    events = document["epcisBody"]["eventList"]
    if not events:
        raise ValidationError(_("The document holds no event."))
    if len(events) > MAX_EVENTS:
        raise ValidationError(_("A document may hold at most %(max)s events.") % {"max": MAX_EVENTS})
    resolver = _Resolver(commune, organisation_codes)
    ids = [event.get("eventID") for event in events if event.get("eventID")]
    existing = dict(TraceEvent.objects.filter(event_id__in=ids).values_list("event_id", "document"))
    problems, prepared, seen = [], [], set()
    for number, event in enumerate(events, start=1):
        event = dict(event)
        event.setdefault("eventID", f"urn:uuid:{uuid.uuid4()}")
        if event["eventID"] in seen:
            problems.append(_("Event %(n)s repeats the event ID %(id)s.") % {"n": number, "id": event["eventID"]})
            continue
        seen.add(event["eventID"])
        if event["eventID"] in existing:
            if existing[event["eventID"]] != event:
                problems.append(
                    _("Event %(n)s: another event was already captured with the ID %(id)s.")
                    % {"n": number, "id": event["eventID"]}
                )
            continue  # the same event sent again: nothing to do
        links = []
        for uri, role in _identifiers(event):
            lots, problem = resolver.lots(uri)
            if problem:
                problems.append(_("Event %(n)s: %(problem)s") % {"n": number, "problem": problem})
            links += [(lot, role) for lot in lots]
        prepared.append((event, links))
    if problems:
        raise ValidationError([_("Nothing was captured:"), *problems[:50]])
    return [
        store(commune=commune, event=event, links=links, by=by, source=TraceEvent.Source.CAPTURED)
        for event, links in prepared
    ]
