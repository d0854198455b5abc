"""Pages: the public storefront, cart and checkout, the buyer's order page, and the producer's side,
each scoped (another commune's official and another cooperative's manager see nothing)."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from smartcommune.market import demo
from smartcommune.market.models import Offer, Order, Panorama, Status
from smartcommune.market.services import orders

from .conftest import place

pytestmark = pytest.mark.django_db


def test_the_storefront_shows_products_with_price_stock_producer_and_trace_link(
    client, commune, rice_offer, honey_offer
):
    response = client.get(reverse("market:storefront", args=[commune.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gạo Đồng Lớn" in html and "150.000 đ" in html and "Hợp tác xã Đồng Lớn" in html
    assert "/01/" in html and "/10/L2506A" in html  # the lot's Digital Link
    assert "0905123456" not in html and "Phạm Văn Đại Diện" not in html  # no personal data
    assert len(response.content) < 60_000


def test_search_and_filters(client, commune, rice_offer, honey_offer):
    url = reverse("market:storefront", args=[commune.code])
    assert "Mật ong" not in client.get(url, {"q": "gao dong"}).content.decode()
    assert "Gạo Đồng Lớn" not in client.get(url, {"loai": "processed"}).content.decode()
    assert "Gạo Đồng Lớn" not in client.get(url, {"co-so": "HTX-T02"}).content.decode()
    assert "Mật ong" not in client.get(url, {"sao": "3"}).content.decode()


def test_the_storefront_list_takes_a_fixed_number_of_queries(client, commune, rice_offer, honey_offer,
                                                             django_assert_max_num_queries):  # fmt: skip
    with django_assert_max_num_queries(8):
        client.get(reverse("market:storefront", args=[commune.code]))


def test_a_visitor_with_nothing_of_their_own_gets_the_cached_page_and_sees_changes_at_once(
    client, commune, rice_offer, honey_offer, django_assert_max_num_queries
):
    url = reverse("market:storefront", args=[commune.code])
    first = client.get(url)
    assert "csrfmiddlewaretoken" not in first.content.decode() and not first.cookies  # nothing of the visitor's
    with django_assert_max_num_queries(0):  # the whole page, from the cache
        again = client.get(url)
    assert again.content == first.content and "Cookie" in again["Vary"]
    rice_offer.price = 175_000
    rice_offer.save()
    cache.delete(f"market:version:{commune.pk}")  # the offers' fingerprint is re-read every VERSION_SECONDS
    assert "175.000 đ" in client.get(url).content.decode()


def test_a_visitor_with_a_cart_sees_their_own_count_not_the_cached_page(client, commune, rice_offer):
    url = reverse("market:storefront", args=[commune.code])
    client.get(url)  # stored for visitors without a session
    client.post(reverse("market:cart_add", args=[commune.code, rice_offer.pk]), {"quantity": "2"})
    assert "<b>2</b>" in client.get(url).content.decode()
    assert "<b>2</b>" not in Client().get(url).content.decode()


def test_a_buyer_without_an_account_orders_and_follows_the_order(client, commune, rice_offer, honey_offer):
    client.post(reverse("market:cart_add", args=[commune.code, rice_offer.pk]), {"quantity": "2"})
    client.post(reverse("market:cart_add", args=[commune.code, honey_offer.pk]), {"quantity": "1"})
    data = {
        "name": "Trần Văn Mua", "phone": "0912345678", "fulfilment": "delivery", "province": commune.province.code,
        "commune": "vệ giang", "address_line": "Số 3", "payment": "vietqr",
    }  # fmt: skip
    response = client.post(reverse("market:checkout", args=[commune.code]), data)
    assert response.status_code == 400 and "chưa đăng ký tài khoản ngân hàng" in response.content.decode()
    response = client.post(reverse("market:checkout", args=[commune.code]), {**data, "payment": "cod"}, follow=True)
    assert response.status_code == 200 and Order.objects.count() == 2
    assert Order.objects.filter(address_commune=commune).count() == 2
    order = Order.objects.get(shop__organisation__code="HTX-T01")
    page = client.get(reverse("market:order_follow", args=[order.token])).content.decode()
    assert order.number in page and "300.000" in page


def test_checkout_refuses_a_commune_outside_the_province_and_a_foreign_phone(client, commune, rice_offer):
    client.post(reverse("market:cart_add", args=[commune.code, rice_offer.pk]), {"quantity": "1"})
    response = client.post(
        reverse("market:checkout", args=[commune.code]),
        {"name": "A", "phone": "+44 20 7946 0958", "fulfilment": "delivery", "province": commune.province.code,
         "commune": "Atlantis", "address_line": "1", "payment": "cod"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400 and "Atlantis" in html and not Order.objects.exists()


def test_adding_more_than_the_stock_or_zero_is_refused(client, commune, rice_offer):
    url = reverse("market:cart_add", args=[commune.code, rice_offer.pk])
    for quantity in ("101", "0", "-1", "abc"):
        client.post(url, {"quantity": quantity})
    assert client.session.get(f"market_cart_{commune.code}", {}) == {}


def test_the_placed_page_shows_a_vietqr_code_per_order(client, commune, rice_offer):
    client.post(reverse("market:cart_add", args=[commune.code, rice_offer.pk]), {"quantity": "1"})
    response = client.post(
        reverse("market:checkout", args=[commune.code]),
        {"name": "A", "phone": "0912345678", "fulfilment": "pickup", "payment": "vietqr"},
        follow=True,
    )
    html = response.content.decode()
    assert "<svg" in html and "000201010212" in html and Order.objects.get().number in html


def test_the_csv_feed_lists_products_for_marketplaces(client, commune, rice_offer):
    body = client.get(reverse("market:feed", args=[commune.code])).content.decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert header.startswith("id,title,description,link,image_link,availability")
    assert "150000 VND" in row and "in_stock" in row and "L2506A" in row


def test_the_producers_page_links_its_360_view_and_the_view_loads_the_viewer(client, commune, rice_offer):
    from smartcommune.market.services import catalogue

    photo = SimpleUploadedFile("p.jpg", demo.panorama_jpeg(1024), content_type="image/jpeg")
    panorama = catalogue.panorama_add(shop=rice_offer.shop, title="Cánh đồng", upload=photo)
    catalogue.hotspot_add(panorama=panorama, offer=rice_offer, yaw=Decimal("10"), pitch=Decimal("0"))
    page = client.get(reverse("market:producer", args=[commune.code, "HTX-T01"])).content.decode()
    assert "pannellum" not in page and reverse("market:panorama", args=[commune.code, panorama.pk]) in page
    view = client.get(reverse("market:panorama", args=[commune.code, panorama.pk])).content.decode()
    assert "pannellum.js" in view and "Gạo Đồng Lớn" in view


def test_a_360_photo_must_be_a_2_to_1_jpeg(login, coop_manager, commune, rice_offer):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1200, 900)).save(out, "JPEG")
    response = login(coop_manager).post(
        reverse("market:shop_edit", args=[commune.code, "HTX-T01"]),
        {"action": "panorama", "title": "Sai", "image": SimpleUploadedFile("x.jpg", out.getvalue())},
    )
    assert "chiều rộng gấp đôi chiều cao" in response.content.decode() and not Panorama.objects.exists()


# Producer's side ----------------------------------------------------------------------------------


def test_the_manager_moves_an_order_to_delivered(login, coop_manager, commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 1))[0]
    client = login(coop_manager)
    for step in ("confirmed", "packed", "shipped", "delivered"):
        client.post(reverse("market:order_advance", args=[commune.code, order.pk]), {"to": step})
    order.refresh_from_db()
    assert order.status == Status.DELIVERED


def test_an_out_of_order_step_shows_a_clear_message(login, coop_manager, commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 1))[0]
    response = login(coop_manager).post(
        reverse("market:order_advance", args=[commune.code, order.pk]), {"to": "delivered"}, follow=True
    )
    assert "Possible next steps" in response.content.decode() or "Bước tiếp theo" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.PLACED


def test_the_price_takes_vietnamese_separators_and_refuses_nonsense(login, coop_manager, commune, rice_offer, lot):
    client = login(coop_manager)
    url = reverse("market:offer_edit", args=[commune.code, "HTX-T01", rice_offer.pk])
    data = {"lot": lot.pk, "category": "rice", "pack_label": "túi 5 kg", "pack_size": "5", "stock": "100",
            "is_active": "on"}  # fmt: skip
    assert client.post(url, {**data, "price": "1.23.4"}).status_code == 400
    assert client.post(url, {**data, "price": "-5"}).status_code == 400
    assert Offer.objects.get(pk=rice_offer.pk).price == 150_000
    assert client.post(url, {**data, "price": "165.000 đ"}).status_code == 302
    assert Offer.objects.get(pk=rice_offer.pk).price == 165_000
    assert client.post(url, {**data, "price": "1", "stock": "161"}).status_code == 400  # 805 kg > 800 kg left


def test_the_sales_report_has_products_by_month(login, coop_manager, commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 3))[0]
    orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
    response = login(coop_manager).get(reverse("market:sales_report", args=[commune.code]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert (
        rows[0][:3] == ("Tháng", "Cơ sở", "Sản phẩm") and rows[1][2] == "Gạo Đồng Lớn" and rows[1][5:] == (3, 450_000)
    )


def test_another_cooperatives_manager_sees_none_of_these_orders(
    login, other_manager, commune, buyer, rice_offer, honey_offer
):
    mine, theirs = place(commune, buyer, (rice_offer.pk, 1), (honey_offer.pk, 1))
    client = login(other_manager)
    inbox = client.get(reverse("market:inbox", args=[commune.code])).content.decode()
    assert theirs.number in inbox and mine.number not in inbox
    assert client.get(reverse("market:order", args=[commune.code, mine.pk])).status_code == 404
    client.post(reverse("market:order_advance", args=[commune.code, mine.pk]), {"to": "confirmed"})
    mine.refresh_from_db()
    assert mine.status == Status.PLACED
    assert client.get(reverse("market:shop_edit", args=[commune.code, "HTX-T01"])).status_code == 404
    report = client.get(reverse("market:sales_report", args=[commune.code]))
    assert b"G\xe1\xba\xa1o" not in report.content


def test_another_communes_official_sees_nothing(login, outsider, commune, buyer, rice_offer):
    order = place(commune, buyer, (rice_offer.pk, 1))[0]
    client = login(outsider)
    for name, args in [
        ("market:inbox", [commune.code]),
        ("market:order", [commune.code, order.pk]),
        ("market:offers", [commune.code]),
        ("market:contracts", [commune.code]),
        ("market:figures", [commune.code]),
        ("market:sales_report", [commune.code]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.get(f"/api/v1/market/communes/{commune.code}/orders").status_code == 403


def test_the_commune_official_sees_every_producers_orders(login, official, commune, buyer, rice_offer, honey_offer):
    placed = place(commune, buyer, (rice_offer.pk, 1), (honey_offer.pk, 1))
    inbox = login(official).get(reverse("market:inbox", args=[commune.code])).content.decode()
    assert all(o.number in inbox for o in placed)


def test_a_resident_cannot_open_the_inbox(login, resident, commune):
    assert login(resident).get(reverse("market:inbox", args=[commune.code])).status_code == 403


def test_listings_elsewhere_are_checked_and_shown_on_the_product_page(
    login, coop_manager, commune, rice_offer, product
):
    client = login(coop_manager)
    url = reverse("market:shop_edit", args=[commune.code, "HTX-T01"])
    bad = client.post(url, {"action": "listing", "product": product.pk, "marketplace": "postmart", "url": "postmart"})
    assert bad.status_code == 400 and not product.listings.exists()
    data = {"action": "listing", "product": product.pk, "marketplace": "postmart", "url": "https://postmart.vn/sp/123"}
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("market:offer", args=[commune.code, rice_offer.pk])).content.decode()
    assert "https://postmart.vn/sp/123" in page and "Postmart" in page


def test_a_contract_is_recorded_from_the_form_and_the_outsider_cannot_open_it(
    login, coop_manager, outsider, commune, product
):
    from smartcommune.market.models import Contract

    response = login(coop_manager).post(
        reverse("market:contract_create", args=[commune.code]),
        {"seller": product.owner.pk, "number": "HĐ-01", "buyer_name": "Công ty Mẫu", "starts_on": "01/08/2025",
         "ends_on": "31/12/2026", "signed_on": "25/07/2025", "item_0_product": product.pk, "item_0_quantity": "1.500",
         "item_0_price": "12.000", "due_0_product": product.pk, "due_0_on": "30/09/2025", "due_0_quantity": "500"},
    )  # fmt: skip
    contract = Contract.objects.get()
    assert response.status_code == 302 and contract.items.get().quantity == 1500 and contract.status == "signed"
    assert login(outsider).get(reverse("market:contract", args=[commune.code, contract.pk])).status_code == 403


def test_a_flood_of_orders_from_one_connection_is_refused_with_a_clear_message(
    client, commune, rice_offer, monkeypatch
):
    from smartcommune.market.views import public

    monkeypatch.setattr(public, "CHECKOUT_LIMIT", 1)
    data = {"name": "Trần Văn Mua", "phone": "0912345678", "fulfilment": "pickup", "payment": "cod"}
    url = reverse("market:checkout", args=[commune.code])
    client.post(reverse("market:cart_add", args=[commune.code, rice_offer.pk]), {"quantity": "1"})
    assert client.post(url, data).status_code == 302 and Order.objects.count() == 1
    client.post(reverse("market:cart_add", args=[commune.code, rice_offer.pk]), {"quantity": "1"})
    response = client.post(url, data)
    assert response.status_code == 429 and "Quá nhiều đơn hàng" in response.content.decode()
    assert Order.objects.count() == 1


# Deadlines --------------------------------------------------------------------------------------


def test_the_buyers_page_shows_the_time_to_pay_a_confirmed_transfer_until_it_is_paid(client, commune, buyer,
                                                                                    rice_offer, honey_offer):  # fmt: skip
    from django.utils import timezone

    from smartcommune.market import payments

    transfer = place(commune, buyer, (rice_offer.pk, 1), payment="vietqr")[0]
    url = reverse("market:order_follow", args=[transfer.token])
    assert "mk-pay-by" not in client.get(url).content.decode()  # not confirmed yet: no deadline
    transfer = orders.order_advance(order=transfer, to=Status.CONFIRMED, by=None)
    deadline = timezone.localtime(transfer.pay_by).strftime("%d/%m/%Y %H:%M")
    assert deadline in client.get(url).content.decode()
    cash = orders.order_advance(order=place(commune, buyer, (honey_offer.pk, 1))[0], to=Status.CONFIRMED, by=None)
    assert "mk-pay-by" not in client.get(reverse("market:order_follow", args=[cash.token])).content.decode()
    orders.payment_record(commune=commune, notice=payments.PaymentNotice(transfer.number, transfer.total))
    assert deadline not in client.get(url).content.decode()


SHOP_FORM = {"action": "shop", "is_open": "on", "pay_within_hours": "24", "answer_within_days": "3",
             "pickup_address": "Kho HTX", "delivery_note": ""}  # fmt: skip


def test_the_manager_sets_the_shops_deadlines(login, coop_manager, commune, rice_offer):
    url = reverse("market:shop_edit", args=[commune.code, "HTX-T01"])
    assert login(coop_manager).post(url, SHOP_FORM).status_code == 302
    rice_offer.shop.refresh_from_db()
    assert (rice_offer.shop.pay_within_hours, rice_offer.shop.answer_within_days) == (24, 3)


@pytest.mark.parametrize(
    ("field", "value"),
    [("pay_within_hours", "0"), ("pay_within_hours", "721"), ("pay_within_hours", "-5"),
     ("pay_within_hours", "40000"), ("answer_within_days", "31"), ("answer_within_days", "0")],
)  # fmt: skip
def test_deadlines_out_of_range_are_refused_with_the_range_and_change_nothing(
    login, coop_manager, commune, rice_offer, field, value
):
    from django.utils import translation

    from smartcommune.market.models import Shop

    response = login(coop_manager).post(
        reverse("market:shop_edit", args=[commune.code, "HTX-T01"]), {**SHOP_FORM, field: value}
    )
    with translation.override("vi"):
        expected = str(Shop._meta.get_field(field).validators[0].message)
    assert response.status_code == 400 and expected in response.content.decode()
    shop = Shop.objects.get(pk=rice_offer.shop.pk)
    assert (shop.pay_within_hours, shop.answer_within_days, shop.pickup_address) == (48, 7, "")


def test_a_deadline_that_is_not_a_number_is_refused_in_vietnamese(login, coop_manager, commune, rice_offer):
    response = login(coop_manager).post(
        reverse("market:shop_edit", args=[commune.code, "HTX-T01"]), {**SHOP_FORM, "pay_within_hours": "hai ngày"}
    )
    assert response.status_code == 400 and "Hãy nhập số nguyên." in response.content.decode()
    rice_offer.shop.refresh_from_db()
    assert rice_offer.shop.pay_within_hours == 48


def test_no_one_outside_the_shop_changes_its_deadlines(login, outsider, other_manager, commune, rice_offer):
    url = reverse("market:shop_edit", args=[commune.code, "HTX-T01"])
    assert login(outsider).post(url, SHOP_FORM).status_code == 403
    assert login(other_manager).post(url, SHOP_FORM).status_code == 404
    rice_offer.shop.refresh_from_db()
    assert (rice_offer.shop.pay_within_hours, rice_offer.shop.answer_within_days) == (48, 7)
