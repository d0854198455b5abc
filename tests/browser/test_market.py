"""A buyer on a 360 px phone buys from two producers of the commune's storefront, gets one order per
producer with its VietQR code, and the cooperative's manager takes one order through to delivered.
The 360° view opens in the vendored viewer."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest

from conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def media(request, name: str):
    """Uploaded files from the test storage (in memory), which the site serves only with DEBUG on."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    return FileResponse(default_storage.open(name), content_type="image/jpeg")


def __getattr__(name):
    # This module is also the live server's URLconf for the 360° test: the site plus /media/.
    if name == "urlpatterns":
        from django.urls import path

        from config.urls import urlpatterns as site

        return [path("media/<path:name>", media), *site]
    raise AttributeError(name)


def log_in(page, live, username, next_url):
    page.goto(f"{live}/tai-khoan/dang-nhap/?next={quote(next_url)}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-Test-12345")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"**{next_url.split('?')[0]}**")


@pytest.fixture
def two_producers(commune, villages):
    from smartcommune.accounts.models import Role
    from smartcommune.market.models import Category, Offer
    from smartcommune.market.services import catalogue
    from smartcommune.registry.models import Organisation
    from smartcommune.trace import services
    from smartcommune.trace.models import Lot, Product
    from smartcommune.trace.tests.conftest import TODAY

    shops = []
    for code, name, bank, product_name, unit, price in [
        ("HTX-T01", "Hợp tác xã Đồng Lớn", ("970405", "3600205123456", "HTX DONG LON"), "Gạo Đồng Lớn", "BG", 150_000),
        ("HTX-T02", "Hợp tác xã Rau An Hòa", ("970418", "5801000123456", "HTX RAU AN HOA"), "Rau cải An Hòa", "KGM", 20_000),
    ]:  # fmt: skip
        org = Organisation.objects.create(
            commune=commune, village=villages[0], code=code, name=name, kind="htx",
            bank_bin=bank[0], bank_account=bank[1], bank_account_name=bank[2],
        )  # fmt: skip
        product = services.product_save(product=Product(commune=commune, owner=org, name=product_name, unit=unit))
        lot = Lot.objects.create(
            product=product, code=f"L-{code}", quantity=Decimal("100"), remaining=Decimal("100"), unit=unit,
            produced_on=TODAY - timedelta(days=2), origin=Lot.Origin.OTHER,
        )  # fmt: skip
        shops.append(
            catalogue.offer_save(
                offer=Offer(shop=catalogue.shop_for(org)),
                lot=lot,
                category=Category.RICE,
                pack_label="gói",
                pack_size=Decimal("1"),
                price=price,
                stock=50,
            )
        )
    make_user("htx", Role.COOP_MANAGER, commune=commune, organisation_code="HTX-T01")
    return shops


def test_a_phone_buyer_gets_two_orders_with_vietqr_and_the_producer_delivers_one(
    browser, phone_page, live, settings, commune, two_producers
):
    from smartcommune.core import vietqr
    from smartcommune.market.models import Order

    settings.SITE_URL = live
    page = phone_page
    for offer in two_producers:
        page.goto(f"{live}/cho/{commune.code}/")
        page.locator(f"a[href$='/sp/{offer.pk}/']").first.click()
        page.locator("#id_quantity").fill("2")
        page.locator("form[action$='/them/'] button[type=submit]").click()
        page.wait_for_url("**/gio-hang/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(f"a[href$='/{commune.code}/dat-hang/']").click()
    page.locator("#id_name").fill("Trần Thị Mua")
    page.locator("#id_phone").fill("0912 345 678")
    page.locator("#id_address_line").fill("Số 3, thôn Đồng Lớn")
    page.locator("input[name=payment][value=vietqr]").check()
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/gio-da-dat/**")
    assert page.locator(".mk-order").count() == 2
    assert page.locator(".mk-qr-img svg").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for order in Order.objects.all():
        text = page.locator(f"[data-order='{order.number}'] .mk-payload").text_content()
        decoded = vietqr.decode(text.strip())
        assert (decoded.amount, decoded.purpose, decoded.crc_ok) == (order.total, order.number, True)
    order = Order.objects.get(shop__organisation__code="HTX-T01")
    assert order.address_commune_id == commune.pk

    staff = browser.new_page()
    log_in(staff, live, "htx", f"/cho/{commune.code}/quan-ly/")
    staff.locator(f"a:text-is('{order.number}')").click()
    staff.locator("button[name=step][value=confirmed]").click()
    staff.locator("#id_reference").fill("FT2611")
    staff.locator("form[action$='/da-tra/'] button[type=submit]").click()
    for step in ("packed", "shipped", "delivered"):
        staff.locator(f"button[name=step][value={step}]").click()
        staff.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == "delivered" and order.payment_reference == "FT2611"
    other = Order.objects.get(shop__organisation__code="HTX-T02")
    staff.goto(f"{live}/cho/{commune.code}/quan-ly/")
    assert other.number not in staff.content()
    staff.close()
    page.goto(f"{live}/cho/don/{order.token}/")
    assert order.number in page.content() and page.locator(".mk-order ol li").count() == 6  # the six steps


def test_the_360_view_opens_in_the_viewer_and_links_to_the_product(phone_page, live, settings, commune, two_producers):
    settings.ROOT_URLCONF = __name__
    from django.core.files.uploadedfile import SimpleUploadedFile

    from smartcommune.market import demo
    from smartcommune.market.services import catalogue

    offer = two_producers[0]
    photo = SimpleUploadedFile("p.jpg", demo.panorama_jpeg(1024), content_type="image/jpeg")
    panorama = catalogue.panorama_add(shop=offer.shop, title="Cánh đồng", upload=photo)
    catalogue.hotspot_add(panorama=panorama, offer=offer, yaw=Decimal("0"), pitch=Decimal("0"))
    page = phone_page
    page.goto(f"{live}/cho/{commune.code}/co-so/HTX-T01/")
    assert page.locator("script[src*=pannellum]").count() == 0
    page.locator(f"a[href$='/360/{panorama.pk}/']").click()
    page.wait_for_function("window.marketPanorama && window.marketPanorama.isLoaded()")
    yaw = page.evaluate("window.marketPanorama.getYaw()")
    page.mouse.move(180, 300)
    page.mouse.down()
    page.mouse.move(60, 300, steps=8)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert page.evaluate("window.marketPanorama.getYaw()") != yaw
    assert page.locator(".pnlm-hotspot").count() == 1
