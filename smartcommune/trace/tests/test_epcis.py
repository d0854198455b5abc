"""EPCIS 2.0: what we export validates against GS1's JSON Schema; capture takes GS1's Digital Link
examples and refuses broken documents and unknown lots, storing all of a document or nothing."""

import copy
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from smartcommune.accounts import services as account_services
from smartcommune.trace import epcis, services
from smartcommune.trace.models import EventLot, Lot, Product, TraceEvent

from .conftest import TODAY

pytestmark = pytest.mark.django_db

EXAMPLES = sorted((Path(__file__).parent / "data" / "epcis-examples").glob("*.jsonld"))
CAPTURE = "/api/v1/trace/communes/21238/epcis/capture"

# The trading partners' products and lots that GS1's examples name. Capture refuses lots it does not
# know, so the commune registers them first, as it would before accepting a partner's events.
EXAMPLE_PRODUCTS = {
    "70614141123451": ["998877"],
    "04012345123456": ["998877"],
    "04012345987652": [],
    "04012345111118": ["4444"],  # urn:epc:class:lgtin:4012345.011111.4444
    "00614141777778": ["987"],
    "04012345666663": [],
    "04012345111224": [],  # urn:epc:id:sgtin:4012345.011122.25
    "04000001654321": [],  # urn:epc:id:sgtin:4000001.065432.99886655
    "04012345778892": [],  # urn:epc:id:sgtin:4012345.077889.25-28
}


@pytest.fixture
def partner_lots(commune, organisation):
    for gtin, lots in EXAMPLE_PRODUCTS.items():
        product = services.product_save(
            product=Product(commune=commune, owner=organisation, name=f"Đối tác {gtin}", gtin=gtin)
        )
        for code in lots:
            Lot.objects.create(
                product=product,
                code=code,
                quantity=1000,
                unit="KGM",
                remaining=1000,
                produced_on=TODAY,
                origin=Lot.Origin.OTHER,
            )


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def post(client, document, **headers) -> object:
    return client.post(CAPTURE, json.dumps(document), content_type="application/ld+json", **headers)


def test_the_examples_are_what_gs1_ships():
    assert [p.name[:13] for p in EXAMPLES] == ["Example_9.6.1", "Example_9.6.2", "Example_9.6.3", "Example_9.6.4"]
    for path in EXAMPLES:
        assert epcis.schema_errors(load(path)) == []


def test_a_lots_history_validates_against_the_epcis_schema(lot, organisation):
    cartons = services.lot_pack(lot=lot, cartons=1, per_carton=Decimal("10"))
    services.ship(
        organisation=organisation,
        containers=cartons,
        transaction_type="po",
        transaction_ref="HD-1",
        buyer_uri="https://id.gs1.org/414/8930000000019",
    )
    document = epcis.lot_document(lot)
    assert epcis.schema_errors(document) == []
    assert document["@context"][0] == epcis.GS1_CONTEXT and document["schemaVersion"] == "2.0"
    broken = copy.deepcopy(document)
    del broken["epcisBody"]["eventList"][0]["eventTimeZoneOffset"]
    assert epcis.schema_errors(broken)


def test_a_periods_events_validate_against_the_schema(login, official, lot):
    response = login(official).get(
        f"/api/v1/trace/communes/21238/epcis/events?start={TODAY - timedelta(days=1)}&end={TODAY}"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    document = response.json()
    assert epcis.schema_errors(document) == [] and len(document["epcisBody"]["eventList"]) == 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:13])
def test_gs1_digital_link_examples_go_through_capture(login, official, partner_lots, path):
    document = load(path)
    response = post(login(official), document)
    assert response.status_code == 201, response.json()
    events = document["epcisBody"]["eventList"]
    assert response.json()["captured"] == len(events)
    for event in events:
        stored = TraceEvent.objects.get(event_id=event["eventID"])
        assert stored.document == event and stored.source == "captured"
        assert stored.time_zone_offset == event["eventTimeZoneOffset"]


def test_captured_events_are_linked_to_their_lots(login, official, partner_lots):
    post(login(official), load(EXAMPLES[3]))  # the transformation: lot 4444 and lot 987 are inputs
    event = TraceEvent.objects.get()
    linked = set(EventLot.objects.filter(event=event).values_list("lot__code", "role"))
    assert linked == {("4444", "input"), ("987", "input")}


def test_sending_a_document_again_changes_nothing(login, official, partner_lots):
    client = login(official)
    assert post(client, load(EXAMPLES[0])).status_code == 201
    assert post(client, load(EXAMPLES[0])).status_code == 201
    assert TraceEvent.objects.count() == 2


def test_a_different_event_under_a_known_id_is_refused(login, official, partner_lots):
    client = login(official)
    post(client, load(EXAMPLES[0]))
    document = load(EXAMPLES[0])
    document["epcisBody"]["eventList"][0]["bizStep"] = "receiving"
    assert post(client, document).status_code == 400


def test_a_document_naming_an_unknown_lot_is_refused_entirely(login, official, partner_lots):
    document = load(EXAMPLES[1])
    first = copy.deepcopy(load(EXAMPLES[0])["epcisBody"]["eventList"][0])
    second = document["epcisBody"]["eventList"][0]
    second["quantityList"][0]["epcClass"] = "https://id.gs1.org/01/70614141123451/10/NOPE"
    document["epcisBody"]["eventList"] = [first, second]
    response = post(login(official), document)
    assert response.status_code == 400
    assert any("NOPE" in e["message"] for e in response.json()["errors"])
    assert not TraceEvent.objects.exists()


def test_a_document_naming_an_unknown_product_is_refused(login, official):
    response = post(login(official), load(EXAMPLES[1]))
    assert response.status_code == 400 and not TraceEvent.objects.exists()


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("@context"),
        lambda d: d["epcisBody"]["eventList"][0].pop("eventTimeZoneOffset"),
        lambda d: d["epcisBody"]["eventList"][0].__setitem__("eventTime", "hôm qua"),
        lambda d: d["epcisBody"]["eventList"][0].__setitem__("action", "SHOUT"),
        lambda d: d["epcisBody"]["eventList"][0].__setitem__("unprefixedField", 1),
        lambda d: d["epcisBody"]["eventList"][0]["quantityList"][0].__setitem__("uom", "kilograms"),
        lambda d: d.__setitem__("schemaVersion", None),
    ],
)
def test_documents_that_break_the_schema_are_refused(login, official, partner_lots, breakage):
    document = load(EXAMPLES[1])
    breakage(document)
    response = post(login(official), document)
    assert response.status_code == 400, response.content
    assert not TraceEvent.objects.exists()


def test_a_body_that_is_not_json_is_refused(login, official):
    response = login(official).post(CAPTURE, "{nope", content_type="application/json")
    assert response.status_code == 400


def test_capture_takes_a_staff_token_and_refuses_outsiders(official, outsider, partner_lots):
    _token, key = account_services.token_create(user=official, name="HTX system")
    response = post(Client(), load(EXAMPLES[0]), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
    _token, outsider_key = account_services.token_create(user=outsider, name="x")
    response = post(Client(), load(EXAMPLES[1]), HTTP_AUTHORIZATION=f"Bearer {outsider_key}")
    assert response.status_code == 403
    assert post(Client(), load(EXAMPLES[1])).status_code == 401
    assert TraceEvent.objects.count() == 2


def test_a_coop_manager_captures_only_for_their_organisation(login, coop_manager, commune, partner_lots):
    from smartcommune.registry.models import Organisation

    other = Organisation.objects.create(commune=commune, code="HTX-T09", name="Khác", kind="htx")
    Product.objects.filter(gtin="70614141123451").update(owner=other)
    assert post(login(coop_manager), load(EXAMPLES[0])).status_code == 400
    assert not TraceEvent.objects.exists()


def test_our_own_exported_document_can_be_captured_elsewhere_and_back(login, official, lot):
    document = epcis.lot_document(lot)
    TraceEvent.objects.all().delete()
    assert post(login(official), document).status_code == 201
    assert EventLot.objects.filter(lot=lot).exists()


def test_the_lot_history_endpoint_is_scoped(login, official, outsider, lot):
    assert login(official).get(f"/api/v1/trace/lots/{lot.pk}/epcis").status_code == 200
    assert login(outsider).get(f"/api/v1/trace/lots/{lot.pk}/epcis").status_code == 403
    assert (
        login(outsider).get(f"/api/v1/trace/communes/21238/epcis/events?start={TODAY}&end={TODAY}").status_code == 403
    )
