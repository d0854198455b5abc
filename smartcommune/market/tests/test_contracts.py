"""Linkage contracts: deliveries tied to lots (and so to their traceability), fulfilment by volume and
value, late steps flagged, and the programme's count of cooperatives in active linkage models."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.core import metrics
from smartcommune.market import selectors
from smartcommune.market.models import Contract, Delivery
from smartcommune.market.services import contracts
from smartcommune.trace.models import Lot, TraceEvent

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(commune, organisation, product):
    return contracts.contract_create(
        commune=commune, seller=organisation, number="HĐLK-01/2025", buyer_name="Công ty TNHH Thu Mua Mẫu",
        buyer_tax_code="0100233488", starts_on=TODAY - timedelta(days=60), ends_on=TODAY + timedelta(days=300),
        signed_on=TODAY - timedelta(days=61),
        items=[contracts.ItemSpec(product, Decimal("1000"), 12_000)],
        schedule=[contracts.ScheduleSpec(product, TODAY - timedelta(days=30), Decimal("300")),
                  contracts.ScheduleSpec(product, TODAY + timedelta(days=30), Decimal("300"))],
        document=SimpleUploadedFile("hd.pdf", b"%PDF-1.4 mau", content_type="application/pdf"),
    )  # fmt: skip


def test_a_delivery_names_its_lot_ships_it_in_traceability_and_counts_towards_fulfilment(contract, lot):
    item = contract.items.get()
    delivery = contracts.delivery_record(contract=contract, delivered_on=TODAY, lines=[(item, lot, Decimal("200"))])
    assert Lot.objects.get(pk=lot.pk).remaining == Decimal("600")
    event = TraceEvent.objects.get(pk=delivery.trace_event_id)
    assert event.biz_step == "shipping" and lot in event.lots.all()
    progress = selectors.fulfilment(contract)
    assert (progress.items[0].delivered, progress.value_delivered, progress.value_agreed) == (
        200,
        2_400_000,
        12_000_000,
    )
    assert progress.value_pct == 20
    _step, missing, caught_up = progress.items[0].late[0]  # 300 were due 30 days ago; 200 came only today
    assert missing == Decimal("300") and caught_up is False


def test_an_earlier_full_delivery_is_on_time(contract, lot):
    item = contract.items.get()
    contracts.delivery_record(
        contract=contract, delivered_on=TODAY - timedelta(days=40), lines=[(item, lot, Decimal("300"))]
    )
    assert selectors.fulfilment(contract).late_count == 0


@pytest.mark.parametrize(
    ("quantity", "when", "message"),
    [
        (Decimal("0"), 0, "more than zero"),
        (Decimal("900"), 0, "left besides"),
        (Decimal("10"), 1, "future"),
        (Decimal("10"), -100, "before the contract starts"),
    ],
)
def test_bad_deliveries_are_refused_and_change_nothing(contract, lot, quantity, when, message):
    with pytest.raises(ValidationError, match=message):
        contracts.delivery_record(
            contract=contract, delivered_on=TODAY + timedelta(days=when), lines=[(contract.items.get(), lot, quantity)]
        )
    assert not Delivery.objects.exists() and Lot.objects.get(pk=lot.pk).remaining == Decimal("800")


def test_a_lot_of_another_product_cannot_be_delivered(contract, honey_lot):
    with pytest.raises(ValidationError, match="not a lot of"):
        contracts.delivery_record(contract=contract, delivered_on=TODAY, lines=[(contract.items.get(), honey_lot, 1)])


def test_contract_input_is_checked(commune, organisation, product, beekeepers):
    base = dict(
        commune=commune, seller=organisation, number="X-1", buyer_name="Mua", starts_on=TODAY,
        ends_on=TODAY + timedelta(days=10), items=[contracts.ItemSpec(product, Decimal("5"), 1000)],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="cannot end before"):
        contracts.contract_create(**{**base, "ends_on": TODAY - timedelta(days=1)})
    with pytest.raises(ValidationError, match="not a product of this producer"):
        contracts.contract_create(**{**base, "seller": beekeepers})
    with pytest.raises(ValidationError, match="must be a PDF"):
        contracts.contract_create(**{**base, "document": SimpleUploadedFile("a.pdf", b"<html>")})
    with pytest.raises(ValidationError, match="outside the contract's period"):
        contracts.contract_create(
            **base, schedule=[contracts.ScheduleSpec(product, TODAY + timedelta(days=99), Decimal("1"))]
        )
    with pytest.raises(ValidationError) as error:
        contracts.contract_create(**{**base, "buyer_tax_code": "0100233489"})
    assert "buyer_tax_code" in error.value.message_dict
    assert not Contract.objects.exists()


def test_a_draft_takes_no_delivery_and_counts_only_once_signed(commune, organisation, product, lot):
    draft = contracts.contract_create(
        commune=commune, seller=organisation, number="D-1", buyer_name="Mua", starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY + timedelta(days=10), items=[contracts.ItemSpec(product, Decimal("5"), 1000)],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Only a signed contract"):
        contracts.delivery_record(contract=draft, delivered_on=TODAY, lines=[(draft.items.get(), lot, 1)])
    assert metrics.read("market.linkage_cooperatives", commune, TODAY).value == 0
    contracts.contract_sign(contract=draft, signed_on=TODAY)
    reading = metrics.read("market.linkage_cooperatives", commune, TODAY)
    assert reading.value == 1 and "Đồng Lớn" in reading.detail
    assert metrics.read("market.linkage_cooperatives", commune, TODAY + timedelta(days=11)).value == 0
    contracts.contract_terminate(contract=draft, reason="Bên mua giải thể")
    assert metrics.read("market.active_contracts", commune, TODAY).value == 0


def test_the_metrics_are_registered_for_the_programme(commune):
    for key in ("linkage_cooperatives", "online_producers", "products_listed", "orders_month", "revenue_month",
                "active_contracts"):  # fmt: skip
        assert metrics.get(f"market.{key}") is not None
    assert metrics.read("market.linkage_cooperatives", commune, date(2025, 1, 1)) is None  # no contract at all


def test_the_contract_list_reads_fulfilment_in_the_same_queries_for_one_contract_or_five(
    contract, commune, organisation, product, lot, login, official, django_assert_max_num_queries
):
    from django.urls import reverse

    url = reverse("market:contracts", args=[commune.code])
    contracts.delivery_record(contract=contract, delivered_on=TODAY, lines=[(contract.items.get(), lot, Decimal("10"))])
    client = login(official)
    client.get(url)  # warm the session and the menu
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for n in range(2, 6):
        contracts.contract_create(
            commune=commune, seller=organisation, number=f"HĐLK-0{n}/2025", buyer_name="Công ty Mẫu",
            buyer_tax_code="0100233488", starts_on=TODAY - timedelta(days=60), ends_on=TODAY + timedelta(days=300),
            signed_on=TODAY - timedelta(days=61), items=[contracts.ItemSpec(product, Decimal("100"), 12_000)],
            schedule=[contracts.ScheduleSpec(product, TODAY - timedelta(days=30), Decimal("50"))],
        )  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
