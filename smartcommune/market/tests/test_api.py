"""The API: public products and figures without personal data; orders, steps and payment notices scoped."""

import pytest

from smartcommune.market.models import Order, Status

from .conftest import place

pytestmark = pytest.mark.django_db


def test_public_products_carry_no_personal_data(client, commune, buyer, rice_offer):
    place(commune, buyer, (rice_offer.pk, 1))
    body = client.get(f"/api/v1/market/communes/{commune.code}/products").json()
    assert body[0]["product"] == "Gạo Đồng Lớn" and body[0]["price_vnd"] == 150_000
    text = str(body)
    assert "0912345678" not in text and "Nguyễn Thị Mua" not in text and "0905123456" not in text


def test_the_figures_count_producers_products_orders_and_revenue(client, commune, buyer, rice_offer, honey_offer):
    from smartcommune.market.services import orders

    order = place(commune, buyer, (rice_offer.pk, 2))[0]
    orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
    figures = client.get(f"/api/v1/market/communes/{commune.code}/figures").json()
    assert (figures["online_producers"], figures["products_listed"], figures["orders"], figures["revenue"]) == (
        2, 2, 1, 300_000,
    )  # fmt: skip
    assert client.get(f"/api/v1/market/communes/{commune.code}/figures?month=13").status_code == 400


def test_a_payment_notice_marks_the_order_paid_through_the_same_door(login, coop_manager, commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 1), payment="vietqr")[0]
    client = login(coop_manager)
    url = f"/api/v1/market/communes/{commune.code}/orders/{order.number}/status"
    assert client.post(url, {"to": "shipped"}, content_type="application/json").status_code == 400
    assert client.post(url, {"to": "confirmed"}, content_type="application/json").json()["status"] == "confirmed"
    paid = client.post(
        f"/api/v1/market/communes/{commune.code}/payments",
        {"order_number": order.number, "amount": 150_000, "reference": "FT26", "source": "bank-test"},
        content_type="application/json",
    )
    assert paid.json()["status"] == "paid" and Order.objects.get().events.last().source == "bank-test"


def test_another_cooperatives_manager_gets_no_order_through_the_api(login, other_manager, commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 1))[0]
    client = login(other_manager)
    assert client.get(f"/api/v1/market/communes/{commune.code}/orders").json() == []
    url = f"/api/v1/market/communes/{commune.code}/orders/{order.number}/status"
    assert client.post(url, {"to": "confirmed"}, content_type="application/json").status_code == 404
