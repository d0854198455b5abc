import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from smartcommune.farming import services as farm_services
from smartcommune.farming.models import DiaryEntry, GrowingArea
from smartcommune.registry.models import Organisation
from smartcommune.trace import epcis, scans, services
from smartcommune.trace.models import Container, EventLot, Lot, OcopRating, Product, ScanDay, TraceEvent

from .conftest import GTIN13, GTIN14, TODAY

pytestmark = pytest.mark.django_db


def messages(error) -> str:
    return " ".join(error.value.messages)


# Products and OCOP ------------------------------------------------------------------------------


def test_a_gtin_is_stored_as_14_digits(product):
    assert product.gtin == GTIN14 and product.internal_code == f"21238-{product.pk}"


def test_a_wrong_check_digit_is_refused(commune, organisation):
    bad = GTIN13[:-1] + str((int(GTIN13[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        services.product_save(product=Product(commune=commune, owner=organisation, name="X", gtin=bad))
    assert "check digit" in messages(error)
    assert not Product.objects.exists()


def test_two_products_cannot_share_a_gtin(product, commune, organisation):
    with pytest.raises(ValidationError):
        services.product_save(product=Product(commune=commune, owner=organisation, name="Y", gtin=GTIN13))


def test_the_gtin_of_a_product_with_lots_cannot_change(product, lot):
    product.gtin = "4006381333931"
    with pytest.raises(ValidationError):
        services.product_save(product=product)
    product.refresh_from_db()
    assert product.gtin == GTIN14


def test_a_product_without_gtin_may_get_one_later(commune, organisation):
    product = services.product_save(product=Product(commune=commune, owner=organisation, name="Rau cải", unit="KGM"))
    code = product.internal_code
    product.gtin = "4006381333931"
    services.product_save(product=product)
    product.refresh_from_db()
    assert product.gtin == "04006381333931" and product.internal_code == code


def test_the_producer_must_be_of_the_commune(commune, other_commune):
    stranger = Organisation.objects.create(commune=other_commune, code="HTX-X", name="Ngoài", kind="htx")
    with pytest.raises(ValidationError):
        services.product_save(product=Product(commune=commune, owner=stranger, name="X"))


@pytest.mark.parametrize(
    ("scores", "stars"),
    [
        ((40, 25, 35), 5),
        ((36, 22, 32), 5),
        ((35, 22, 32.9), 4),
        ((30, 15, 25), 4),
        ((30, 15, 24.5), 3),
        ((20, 10, 20), 3),
        ((20, 10, 19), 2),
        ((10, 10, 10), 2),
        ((10, 9, 10), 1),
    ],
)
def test_stars_follow_the_score_bands(product, scores, stars):
    a, b, c = (Decimal(str(s)) for s in scores)
    rating = services.ocop_save(
        rating=OcopRating(
            product=product,
            sector="food",
            product_set="Gạo",
            score_a=a,
            score_b=b,
            score_c=c,
            decision_number="1/QĐ-UBND",
            decision_date=date(2024, 5, 10),
        )
    )
    assert rating.stars == stars and rating.total == a + b + c


@pytest.mark.parametrize(("field", "value"), [("score_a", 41), ("score_b", 26), ("score_c", 36), ("score_a", -1)])
def test_scores_above_their_part_maximum_are_refused(product, field, value):
    data = {"score_a": Decimal(30), "score_b": Decimal(20), "score_c": Decimal(30), field: Decimal(value)}
    with pytest.raises(ValidationError):
        services.ocop_save(
            rating=OcopRating(
                product=product,
                sector="food",
                product_set="Gạo",
                decision_number="1",
                decision_date=date(2024, 1, 1),
                **data,
            )
        )
    assert not OcopRating.objects.exists()


@pytest.mark.parametrize(
    ("decided", "until"),
    [
        (date(2023, 2, 28), date(2026, 2, 28)),
        (date(2024, 2, 29), date(2027, 2, 28)),
        (date(2024, 10, 31), date(2027, 10, 31)),
    ],
)
def test_a_recognition_lasts_36_months(product, decided, until):
    rating = services.ocop_save(
        rating=OcopRating(
            product=product,
            sector="food",
            product_set="Gạo",
            score_a=30,
            score_b=20,
            score_c=25,
            decision_number="9/QĐ-UBND",
            decision_date=decided,
        )
    )
    assert rating.valid_until == until


def test_producers_are_warned_once_90_days_before_the_end(product, organisation):
    organisation.email = "htx@example.invalid"
    organisation.save()
    decided = services.add_months(TODAY, -36) + timedelta(days=60)  # ends in 60 days
    rating = services.ocop_save(
        rating=OcopRating(
            product=product,
            sector="food",
            product_set="Gạo",
            score_a=30,
            score_b=20,
            score_c=25,
            decision_number="9/QĐ-UBND",
            decision_date=decided,
        )
    )
    assert rating.expires_soon
    assert services.ocop_expiry_warn() == 1
    assert services.ocop_expiry_warn() == 0
    assert len(mail.outbox) == 1 and "OCOP" in mail.outbox[0].subject


# Lots from harvests -----------------------------------------------------------------------------


def test_a_lot_from_a_harvest_is_commissioned_as_an_epcis_object_event(lot, harvest):
    event = TraceEvent.objects.get()
    document = event.document
    assert document["type"] == "ObjectEvent" and document["action"] == "ADD" and document["bizStep"] == "commissioning"
    assert document["eventTimeZoneOffset"] == "+07:00" and document["eventTime"].endswith("+07:00")
    assert document["eventID"].startswith("urn:uuid:")
    assert document["quantityList"] == [
        {"epcClass": f"https://id.gs1.org/01/{GTIN14}/10/L2506A", "quantity": 800.0, "uom": "KGM"}
    ]
    assert document["ilmd"]["ntm:growingAreaCodes"] == [harvest.growing_area.code]
    assert document["readPoint"]["id"].endswith(f"/nong-nghiep/21238/vung/{harvest.growing_area.code}/")
    assert lot.quantity == lot.remaining == Decimal("800")


def test_a_harvest_cannot_give_more_than_it_yielded(lot, product, harvest):
    with pytest.raises(ValidationError) as error:
        services.lot_from_harvests(product=product, code="L2", parts=[(harvest, Decimal("201"))], produced_on=TODAY)
    assert "Only 200 kg are left" in messages(error)
    second = services.lot_from_harvests(
        product=product, code="L2", parts=[(harvest, Decimal("200"))], produced_on=TODAY
    )
    assert second.quantity == 200 and Lot.objects.count() == 2


def test_a_lot_code_is_unique_per_product_and_usable_in_a_uri(lot, product, harvest):
    for code in ("L2506A", "l2506a", "LÔ 1", "a/b", "X" * 21):
        with pytest.raises(ValidationError):
            services.lot_from_harvests(product=product, code=code, parts=[(harvest, Decimal("1"))], produced_on=TODAY)
    assert Lot.objects.count() == 1


def test_harvests_of_another_organisation_or_a_suspended_code_are_refused(product, harvest, area, commune):
    other = Organisation.objects.create(commune=commune, code="HTX-T02", name="HTX khác", kind="htx")
    foreign = services.product_save(product=Product(commune=commune, owner=other, name="Gạo khác", unit="KGM"))
    with pytest.raises(ValidationError) as error:
        services.lot_from_harvests(product=foreign, code="L1", parts=[(harvest, Decimal("10"))], produced_on=TODAY)
    assert "belongs to" in messages(error)
    farm_services.area_status_set(area=area, status=GrowingArea.Status.SUSPENDED, reason="Kiểm dịch")
    with pytest.raises(ValidationError) as error:
        services.lot_from_harvests(product=product, code="L1", parts=[(harvest, Decimal("10"))], produced_on=TODAY)
    assert "cannot be labelled" in messages(error)
    assert not Lot.objects.exists()


def test_lots_from_harvests_are_weighed_and_not_older_than_their_harvest(product, harvest):
    with pytest.raises(ValidationError):
        services.lot_from_harvests(
            product=product, code="L1", parts=[(harvest, Decimal("10"))], produced_on=harvest.date - timedelta(days=1)
        )
    product.unit = "H87"
    with pytest.raises(ValidationError):
        services.lot_from_harvests(product=product, code="L1", parts=[(harvest, Decimal("10"))], produced_on=TODAY)
    with pytest.raises(ValidationError):
        services.lot_from_harvests(product=product, code="L1", parts=[], produced_on=TODAY)


def test_a_diary_entry_used_by_a_lot_cannot_be_deleted(lot, harvest):
    with pytest.raises(ValidationError):
        farm_services.diary_entry_delete(entry=harvest)
    assert DiaryEntry.objects.filter(pk=harvest.pk).exists()


# Processing, packing, shipping ------------------------------------------------------------------


@pytest.fixture
def bags(commune, organisation):
    return services.product_save(product=Product(commune=commune, owner=organisation, name="Gạo túi 5 kg", unit="BG"))


def process(lot, bags, amount, code="T2506A"):
    return services.lot_process(
        commune=lot.product.commune,
        inputs=[(lot, Decimal(amount))],
        outputs=[{"product": bags, "code": code, "quantity": Decimal("100"), "produced_on": TODAY}],
    )


def test_processing_consumes_its_inputs_and_records_a_transformation(lot, bags):
    made = process(lot, bags, "500")
    lot.refresh_from_db()
    assert lot.remaining == Decimal("300") and made[0].remaining == Decimal("100")
    event = TraceEvent.objects.get(event_type="TransformationEvent")
    assert event.document["inputQuantityList"][0]["quantity"] == 500.0
    assert event.document["outputQuantityList"][0]["epcClass"].endswith(f"/truy-xuat/sp/{bags.internal_code}/lo/T2506A")
    assert set(EventLot.objects.filter(event=event).values_list("role", flat=True)) == {"input", "output"}


def test_inputs_cannot_exceed_what_is_left(lot, bags):
    with pytest.raises(ValidationError) as error:
        process(lot, bags, "801")
    assert "has only 800" in messages(error)
    process(lot, bags, "800")
    with pytest.raises(ValidationError):
        process(lot, bags, "1", code="T2")
    lot.refresh_from_db()
    assert lot.remaining == 0 and Lot.objects.count() == 2


def test_outputs_cannot_be_older_than_their_inputs(lot, bags):
    with pytest.raises(ValidationError):
        services.lot_process(
            commune=lot.product.commune,
            inputs=[(lot, Decimal("1"))],
            outputs=[
                {"product": bags, "code": "T1", "quantity": Decimal("1"), "produced_on": TODAY - timedelta(days=3)}
            ],
        )


def test_packing_makes_cartons_with_check_digits_and_aggregation_events(lot):
    from biip.sscc import Sscc

    cartons = services.lot_pack(lot=lot, cartons=3, per_carton=Decimal("20"))
    assert len({c.code for c in cartons}) == 3
    for carton in cartons:
        assert len(carton.code) == 18 and Sscc.parse(carton.code).value == carton.code
    lot.refresh_from_db()
    assert lot.remaining == Decimal("740")
    events = TraceEvent.objects.filter(event_type="AggregationEvent")
    assert events.count() == 3 and all(
        e.document["parentID"].endswith(f"/truy-xuat/thung/{e.document['parentID'][-18:]}") for e in events
    )
    with pytest.raises(ValidationError):
        services.lot_pack(lot=lot, cartons=100, per_carton=Decimal("10"))


def test_shipping_cartons_records_the_business_transaction(lot, organisation):
    cartons = services.lot_pack(lot=lot, cartons=2, per_carton=Decimal("20"))
    event = services.ship(
        organisation=organisation, containers=cartons, transaction_type="po", transaction_ref="HD-2025-014"
    )
    document = event.document
    assert (
        document["bizStep"] == "shipping"
        and document["disposition"] == "in_transit"
        and document["action"] == "OBSERVE"
    )
    assert document["bizTransactionList"][0]["type"] == "po" and document["bizTransactionList"][0][
        "bizTransaction"
    ].endswith("/giao-dich/HD-2025-014")
    assert Container.objects.filter(shipped_at__isnull=False).count() == 2
    assert EventLot.objects.filter(event=event, lot=lot, role="shipped").exists()
    with pytest.raises(ValidationError):
        services.ship(organisation=organisation, containers=cartons, transaction_type="po", transaction_ref="HD-2")


def test_a_shipment_needs_a_document_number(lot, organisation):
    with pytest.raises(ValidationError):
        services.ship(
            organisation=organisation, lot_quantities=[(lot, Decimal("10"))], transaction_type="po", transaction_ref=" "
        )
    with pytest.raises(ValidationError):
        services.ship(
            organisation=organisation,
            lot_quantities=[(lot, Decimal("10"))],
            transaction_type="xx",
            transaction_ref="A1",
        )
    assert not TraceEvent.objects.filter(biz_step="shipping").exists()


def test_every_recorded_document_validates_against_the_epcis_schema(lot, bags, organisation):
    made = process(lot, bags, "400")
    cartons = services.lot_pack(lot=made[0], cartons=2, per_carton=Decimal("10"))
    services.ship(organisation=organisation, containers=cartons, transaction_type="inv", transaction_ref="HĐ 0001")
    document = epcis.lot_document(made[0])
    assert epcis.schema_errors(document) == []
    types = [e["type"] for e in document["epcisBody"]["eventList"]]
    assert types == ["ObjectEvent", "TransformationEvent", "AggregationEvent", "AggregationEvent", "ObjectEvent"]
    assert (
        document["epcisHeader"]["epcisMasterData"]["vocabularyList"][0]["type"] == "urn:epcglobal:epcis:vtype:EPCClass"
    )


# Scans ------------------------------------------------------------------------------------------


def test_scans_are_counted_per_day_and_an_unusual_number_is_reported_once(lot, organisation):
    organisation.email = "htx@example.invalid"
    organisation.save()
    for _n in range(12):
        scans.record(lot_id=lot.pk, threshold=10)
    assert ScanDay.objects.get(lot=lot).count == 12
    assert len(mail.outbox) == 1 and lot.code in mail.outbox[0].subject
    assert ScanDay.objects.get(lot=lot).alerted_at is not None


def test_scans_a_failed_flush_could_not_write_wait_for_the_next(lot, settings, monkeypatch):
    settings.TRACE_SCAN_FLUSH_SECONDS = 60
    for _n in range(3):
        scans.count(lot_id=lot.pk, threshold=100)
    record = scans.record

    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(scans, "record", busy)
    scans.flush()
    assert not ScanDay.objects.exists()
    monkeypatch.setattr(scans, "record", record)
    scans.flush()
    assert ScanDay.objects.get(lot=lot).count == 3


@pytest.mark.django_db(transaction=True)
def test_tallied_scans_reach_the_database_within_the_flush_delay(lot, settings):
    settings.TRACE_SCAN_FLUSH_SECONDS = 0.05
    for _n in range(5):
        scans.count(lot_id=lot.pk, threshold=100)
    threads = [threading.Thread(target=scans.count, kwargs={"lot_id": lot.pk, "threshold": 100}) for _n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _wait in range(100):  # the background flush writes them without any further request
        if ScanDay.objects.filter(lot=lot, count=10).exists():
            break
        time.sleep(0.05)
    assert ScanDay.objects.get(lot=lot).count == 10


# Concurrency ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_processings_at_once_cannot_overspend_a_lot(places, commune, villages, organisation):
    from smartcommune.farming.tests.conftest import square

    area = farm_services.area_save(
        area=GrowingArea(commune=commune, code="VT-C", name="C", crop="Lúa", cooperative=organisation)
    )
    farm_services.plot_save(area=area, name="A", geojson=square(100))
    harvest = farm_services.diary_entry_add(
        area=area, kind="harvest", on=TODAY, by=None, quantity=Decimal("100"), unit="KGM"
    )
    rice = services.product_save(product=Product(commune=commune, owner=organisation, name="Lúa", unit="KGM"))
    bags = services.product_save(product=Product(commune=commune, owner=organisation, name="Túi", unit="BG"))
    source = services.lot_from_harvests(product=rice, code="S1", parts=[(harvest, Decimal("100"))], produced_on=TODAY)
    barrier = threading.Barrier(2)
    outcomes = []

    def worker(code):
        barrier.wait()
        try:
            for _attempt in range(50):
                try:
                    services.lot_process(
                        commune=commune,
                        inputs=[(Lot.objects.get(pk=source.pk), Decimal("60"))],
                        outputs=[{"product": bags, "code": code, "quantity": Decimal("12"), "produced_on": TODAY}],
                    )
                    outcomes.append("made")
                    return
                except OperationalError:  # SQLite's in-memory test database reports a lock instead of waiting
                    time.sleep(0.02)
            outcomes.append("locked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()  # the thread's own connection: left open, the test database could not be dropped

    threads = [threading.Thread(target=worker, args=(code,)) for code in ("P1", "P2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    source.refresh_from_db()
    assert sorted(outcomes) == ["made", "refused"]
    assert source.remaining == Decimal("40") and Lot.objects.filter(product=bags).count() == 1
