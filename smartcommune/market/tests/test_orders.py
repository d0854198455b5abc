"""Checkout and the order's life: split per producer, stock taken on confirmation and given back on
cancellation, steps in order only, the buyer told at each change, bad input changing nothing."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from smartcommune.market import payments
from smartcommune.market.models import Offer, Order, OrderEvent, Status
from smartcommune.market.services import orders
from smartcommune.trace.models import Lot, TraceEvent

from .conftest import place

pytestmark = pytest.mark.django_db


def left(offer) -> int:
    offer.refresh_from_db()
    return offer.packs_left


def test_a_cart_with_two_producers_becomes_two_numbered_orders(commune, buyer, rice_offer, honey_offer):
    placed = place(commune, buyer, (rice_offer.pk, 2), (honey_offer.pk, 3))
    assert len(placed) == 2 and len({o.number for o in placed}) == 2
    assert {o.shop.organisation.code: o.total for o in placed} == {"HTX-T01": 300_000, "HTX-T02": 360_000}
    assert all(o.status == Status.PLACED and o.buyer_phone == "0912345678" for o in placed)
    assert placed[0].checkout == placed[1].checkout
    assert (left(rice_offer), left(honey_offer)) == (100, 60)  # not taken before confirmation


def test_confirming_takes_the_stock_and_cancelling_gives_it_back(commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 4))[0]
    orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
    assert left(rice_offer) == 96
    orders.order_advance(order=order, to=Status.CANCELLED, by=None, reason="Hết xe giao hàng")
    assert left(rice_offer) == 100
    order.refresh_from_db()
    assert order.status == Status.CANCELLED and order.cancel_reason == "Hết xe giao hàng"


def test_cancelling_an_unconfirmed_order_gives_back_nothing(commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 4))[0]
    orders.order_advance(order=order, to=Status.CANCELLED, by=None, reason="Khách gọi huỷ")
    assert left(rice_offer) == 100 and Offer.objects.get(pk=rice_offer.pk).taken == 0


def test_a_shop_that_confirms_automatically_takes_stock_at_checkout(commune, buyer, rice_offer):
    rice_offer.shop.auto_confirm = True
    rice_offer.shop.save()
    order = place(commune, buyer, (rice_offer.pk, 100))[0]
    assert order.status == Status.CONFIRMED and left(rice_offer) == 0
    with pytest.raises(ValidationError, match="Not enough stock"):
        place(commune, buyer, (rice_offer.pk, 1))
    assert Order.objects.count() == 1


def test_confirming_more_than_is_left_is_refused_and_changes_nothing(commune, buyer, rice_offer):
    first = place(commune, buyer, (rice_offer.pk, 80))[0]
    second = place(commune, buyer, (rice_offer.pk, 30))[0]
    orders.order_advance(order=first, to=Status.CONFIRMED, by=None)
    with pytest.raises(ValidationError, match="20 left, 30 asked"):
        orders.order_advance(order=second, to=Status.CONFIRMED, by=None)
    second.refresh_from_db()
    assert second.status == Status.PLACED and left(rice_offer) == 20


@pytest.mark.parametrize(
    ("packs", "message"),
    [(0, "at least 1"), (-2, "at least 1"), (101, "Not enough stock"), ("2,5", "whole number"), (5000, "At most")],
)
def test_bad_quantities_are_refused_with_nothing_created(commune, buyer, rice_offer, packs, message):
    with pytest.raises(ValidationError, match=message):
        orders.checkout(commune=commune, lines=[(rice_offer.pk, packs)], buyer=buyer, payment="cod")
    assert not Order.objects.exists() and left(rice_offer) == 100


@pytest.mark.parametrize("phone", ["+1 202 555 0123", "0123", "0812 34", "09abc12345"])
def test_a_phone_number_that_is_not_vietnamese_is_refused(commune, buyer, rice_offer, phone):
    bad = orders.Buyer(**{**buyer.__dict__, "phone": phone})
    with pytest.raises(ValidationError) as error:
        place(commune, bad, (rice_offer.pk, 1))
    assert "phone" in error.value.message_dict and not Order.objects.exists()


def test_delivery_needs_an_address_in_vietnams_units_and_pickup_does_not(commune, buyer, rice_offer):
    nowhere = orders.Buyer(**{**buyer.__dict__, "address_commune": None})
    with pytest.raises(ValidationError) as error:
        place(commune, nowhere, (rice_offer.pk, 1))
    assert "address_commune" in error.value.message_dict
    pickup = orders.Buyer(**{**buyer.__dict__, "address_commune": None, "fulfilment": "pickup"})
    assert place(commune, pickup, (rice_offer.pk, 1))[0].address == ""


def test_vietqr_for_a_producer_without_a_bank_account_is_refused_but_cash_still_works(
    commune, buyer, rice_offer, honey_offer
):
    with pytest.raises(ValidationError) as error:
        place(commune, buyer, (rice_offer.pk, 1), (honey_offer.pk, 1), payment="vietqr")
    messages = error.value.message_dict["payment"]
    assert any("Ong Mật An Hòa has not registered a bank account" in m for m in messages)
    assert any("cash on delivery" in m for m in messages)
    assert not Order.objects.exists()
    assert len(place(commune, buyer, (rice_offer.pk, 1), (honey_offer.pk, 1), payment="cod")) == 2


def test_steps_out_of_order_are_refused_and_change_nothing(commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 1), payment="vietqr")[0]
    with pytest.raises(ValidationError, match="placed cannot become shipped"):
        orders.order_advance(order=order, to=Status.SHIPPED, by=None)
    orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
    with pytest.raises(ValidationError, match="cannot become packed"):  # a transfer is paid before packing
        orders.order_advance(order=order, to=Status.PACKED, by=None)
    with pytest.raises(ValidationError) as error:
        orders.order_advance(order=order, to=Status.CANCELLED, by=None, reason="  ")
    assert "reason" in error.value.message_dict
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED and left(rice_offer) == 99


def test_a_transfer_order_runs_to_delivered_and_ships_from_its_lot(commune, buyer, rice_offer, lot):
    order = place(commune, buyer, (rice_offer.pk, 2), payment="vietqr")[0]
    remaining = Lot.objects.get(pk=lot.pk).remaining
    orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
    with pytest.raises(ValidationError, match="does not match the order total"):
        orders.payment_record(commune=commune, notice=payments.PaymentNotice(order.number, 299_000))
    orders.payment_record(commune=commune, notice=payments.PaymentNotice(order.number, 300_000, "FT123"))
    for step in (Status.PACKED, Status.SHIPPED, Status.DELIVERED):
        orders.order_advance(order=order, to=step, by=None)
    order.refresh_from_db()
    assert order.status == Status.DELIVERED and order.payment_reference == "FT123" and order.paid_at
    assert Lot.objects.get(pk=lot.pk).remaining == remaining - Decimal("10")  # 2 bags of 5 kg left the lot
    shipping = TraceEvent.objects.get(biz_step="shipping", lots=lot)
    assert order.number in shipping.document["bizTransactionList"][0]["bizTransaction"]
    rice_offer.refresh_from_db()
    assert (rice_offer.stock, rice_offer.taken) == (98, 0)
    assert list(OrderEvent.objects.filter(order=order).values_list("status", flat=True)) == [
        "placed", "confirmed", "paid", "packed", "shipped", "delivered",
    ]  # fmt: skip


def test_cash_orders_skip_paid_and_are_paid_on_delivery(commune, buyer, rice_offer):
    order = orders.order_advance(order=place(commune, buyer, (rice_offer.pk, 1))[0], to=Status.CONFIRMED, by=None)
    assert orders.allowed_next(order) == [Status.PACKED, Status.CANCELLED]
    for step in (Status.PACKED, Status.SHIPPED, Status.DELIVERED):
        order = orders.order_advance(order=order, to=step, by=None)
    assert order.paid_at is not None
    with pytest.raises(ValidationError, match="cash on delivery"):
        orders.payment_record(commune=commune, notice=payments.PaymentNotice(order.number, order.total))


def test_the_buyer_is_told_of_every_change_with_the_follow_link(
    commune, buyer, rice_offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(commune, buyer, (rice_offer.pk, 1))[0]
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
    to_buyer = [m for m in mail.outbox if m.to == ["mua@example.invalid"]]
    assert len(to_buyer) == 2
    assert order.number in to_buyer[1].subject and order.token in to_buyer[1].body


def test_a_recalled_lot_cannot_be_confirmed(commune, buyer, rice_offer, lot):
    order = place(commune, buyer, (rice_offer.pk, 1))[0]
    Lot.objects.filter(pk=lot.pk).update(status=Lot.Status.RECALLED)
    with pytest.raises(ValidationError, match="recalled"):
        orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
