"""Orders past their deadline are cancelled like a producer's cancel: unpaid transfers after the shop's
hours to pay, unanswered orders after its days to answer; stock goes back once, the buyer is told why;
paid and cash orders wait; a second run changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from smartcommune.market import payments
from smartcommune.market.models import Offer, Order, OrderEvent, Status
from smartcommune.market.services import expiry, orders

from .conftest import place

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def left(offer) -> int:
    return Offer.objects.get(pk=offer.pk).packs_left


def confirmed_transfer(commune, buyer, offer, packs=4) -> Order:
    order = place(commune, buyer, (offer.pk, packs), payment="vietqr")[0]
    return orders.order_advance(order=order, to=Status.CONFIRMED, by=None)


def to_buyer() -> list:
    return [m for m in mail.outbox if m.to == ["mua@example.invalid"]]


def test_confirming_a_transfer_order_gives_it_the_shops_time_to_pay(commune, buyer, rice_offer):
    shop = rice_offer.shop
    shop.pay_within_hours = 6
    shop.save()
    order = confirmed_transfer(commune, buyer, rice_offer)
    assert order.pay_by == order.confirmed_at + timedelta(hours=6)
    assert order.answer_by == order.placed_at + timedelta(days=7)
    shop.pay_within_hours = 1
    shop.save()
    order.refresh_from_db()
    assert order.pay_by == order.confirmed_at + timedelta(hours=6)  # a deadline once given does not move


def test_a_shop_that_confirms_automatically_sets_the_time_to_pay_at_checkout(commune, buyer, rice_offer):
    rice_offer.shop.auto_confirm = True
    rice_offer.shop.save()
    transfer = place(commune, buyer, (rice_offer.pk, 1), payment="vietqr")[0]
    cash = place(commune, buyer, (rice_offer.pk, 1))[0]
    assert transfer.pay_by == transfer.confirmed_at + timedelta(hours=48)
    assert cash.status == Status.CONFIRMED and cash.pay_by is None


def test_an_unpaid_transfer_order_past_its_time_is_cancelled_its_stock_returned_and_the_buyer_told(
    commune, buyer, rice_offer, english_messages, django_capture_on_commit_callbacks
):
    order = confirmed_transfer(commune, buyer, rice_offer)
    assert left(rice_offer) == 96
    assert len(expiry.orders_expire(now=order.pay_by - MINUTE)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        expired = expiry.orders_expire(now=order.pay_by + MINUTE)
    assert [o.pk for o in expired.unpaid] == [order.pk] and expired.unanswered == []
    order.refresh_from_db()
    deadline = timezone.localtime(order.pay_by).strftime("%d/%m/%Y %H:%M")
    assert order.status == Status.CANCELLED
    assert order.cancel_reason == f"Payment overdue: no transfer was received by {deadline}."
    assert left(rice_offer) == 100
    event = order.events.last()
    assert (event.status, event.source, event.by) == (Status.CANCELLED, "expiry", None)
    [message] = to_buyer()
    assert order.number in message.subject and order.cancel_reason in message.body and order.token in message.body


def test_a_paid_transfer_order_and_a_confirmed_cash_order_do_not_expire(commune, buyer, rice_offer, honey_offer):
    paid = confirmed_transfer(commune, buyer, rice_offer, packs=2)
    orders.payment_record(commune=commune, notice=payments.PaymentNotice(paid.number, paid.total, "FT1"))
    cash = orders.order_advance(order=place(commune, buyer, (honey_offer.pk, 3))[0], to=Status.CONFIRMED, by=None)
    assert cash.pay_by is None
    assert len(expiry.orders_expire(now=timezone.now() + timedelta(days=365))) == 0
    assert set(Order.objects.values_list("status", flat=True)) == {Status.PAID, Status.CONFIRMED}
    assert (left(rice_offer), left(honey_offer)) == (98, 57)


def test_a_payment_recorded_after_the_run_found_the_order_is_not_cancelled(commune, buyer, rice_offer):
    order = confirmed_transfer(commune, buyer, rice_offer)
    orders.payment_record(commune=commune, notice=payments.PaymentNotice(order.number, order.total))
    stale = Order(pk=order.pk)  # as the run listed it, before the payment
    assert expiry.order_expire(order=stale, now=order.pay_by + MINUTE) is None
    assert Order.objects.get(pk=order.pk).status == Status.PAID and left(rice_offer) == 96


def test_an_order_the_producer_never_answers_is_cancelled_after_the_shops_days(
    commune, buyer, rice_offer, honey_offer, english_messages, django_capture_on_commit_callbacks
):
    honey_offer.shop.answer_within_days = 3
    honey_offer.shop.save()
    rice, honey = place(commune, buyer, (rice_offer.pk, 1), (honey_offer.pk, 1))
    assert len(expiry.orders_expire(now=honey.placed_at + timedelta(days=3) - MINUTE)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        expired = expiry.orders_expire(now=honey.placed_at + timedelta(days=3) + MINUTE)
    assert [o.pk for o in expired.unanswered] == [honey.pk]
    honey.refresh_from_db()
    assert honey.status == Status.CANCELLED
    assert honey.cancel_reason == "The producer did not confirm the order within 3 days."
    assert Order.objects.get(pk=rice.pk).status == Status.PLACED  # its shop gives 7 days
    assert (left(rice_offer), left(honey_offer)) == (100, 60)  # nothing was taken, nothing given back
    assert len(to_buyer()) == 1 and honey.cancel_reason in to_buyer()[0].body
    assert [o.pk for o in expiry.orders_expire(now=rice.placed_at + timedelta(days=7, minutes=1)).unanswered] == [
        rice.pk
    ]


def test_a_second_run_changes_nothing(commune, buyer, rice_offer, honey_offer, django_capture_on_commit_callbacks):
    unpaid = confirmed_transfer(commune, buyer, rice_offer, packs=5)
    place(commune, buyer, (honey_offer.pk, 2))
    later = timezone.now() + timedelta(days=8)
    assert len(expiry.orders_expire(now=later)) == 2
    assert left(rice_offer) == 100
    events, sent = OrderEvent.objects.count(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(expiry.orders_expire(now=later)) == 0
        assert expiry.order_expire(order=unpaid, now=later) is None
    assert (OrderEvent.objects.count(), len(mail.outbox), left(rice_offer)) == (events, sent, 100)
    assert Offer.objects.get(pk=rice_offer.pk).taken == 0


def test_the_command_prints_what_it_cancelled(commune, buyer, rice_offer, honey_offer):
    unpaid = confirmed_transfer(commune, buyer, rice_offer)
    unanswered = place(commune, buyer, (honey_offer.pk, 1))[0]
    waiting = place(commune, buyer, (honey_offer.pk, 1))[0]
    past = timezone.now() - MINUTE
    Order.objects.filter(pk=unpaid.pk).update(pay_by=past)
    Order.objects.filter(pk=unanswered.pk).update(answer_by=past)
    out = StringIO()
    call_command("market_expire_orders", stdout=out)
    assert out.getvalue().strip() == "2 order(s) cancelled: 1 not paid in time, 1 not answered in time."
    assert Order.objects.get(pk=waiting.pk).status == Status.PLACED
    call_command("market_expire_orders", "--commune", commune.code, stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("0 order(s) cancelled")
    with pytest.raises(CommandError):
        call_command("market_expire_orders", "--commune", "99999")
