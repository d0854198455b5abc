"""From the field to the consumer's phone: a harvest recorded in the diary on a phone becomes a lot, its QR
label is printed, and scanning it (opening the Digital Link on a 360 px phone) shows the trace page
with the growing area drawn on the map."""

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
import segno
from django.contrib.staticfiles import finders
from PIL import Image
from pypdf import PdfReader

from conftest import make_user
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live, username, next_url):
    page.goto(f"{live}/tai-khoan/dang-nhap/?next={quote(next_url)}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-Test-12345")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"**{next_url.split('?')[0]}**")


@pytest.fixture
def served_leaflet(settings):
    """Leaflet is served from xstatic-leaflet; until the integrator adds it to STATICFILES_DIRS, add it here."""
    if not finders.find("xstatic/leaflet/leaflet.js"):
        import xstatic.pkg.leaflet

        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("xstatic/leaflet", xstatic.pkg.leaflet.BASE_DIR)]
    assert finders.find("xstatic/leaflet/leaflet.js")


def test_a_harvest_becomes_a_labelled_lot_whose_qr_shows_the_growing_area(
    browser, phone_page, live, settings, served_leaflet, commune, villages
):
    from smartcommune.accounts.models import Role
    from smartcommune.farming import services as farm_services
    from smartcommune.farming.models import DiaryEntry, GrowingArea
    from smartcommune.farming.tests.conftest import square
    from smartcommune.registry.models import Organisation
    from smartcommune.trace import services
    from smartcommune.trace.models import Lot, Product, ScanDay
    from smartcommune.trace.tests.conftest import GTIN13, GTIN14, TODAY

    settings.SITE_URL = live
    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests: the polygon is drawn on a blank map
    coop = Organisation.objects.create(
        commune=commune, village=villages[0], code="HTX-T01", name="Hợp tác xã Đồng Lớn", kind="htx"
    )
    make_user("htx", Role.COOP_MANAGER, commune=commune, organisation_code="HTX-T01")
    area = farm_services.area_save(
        area=GrowingArea(
            commune=commune,
            village=villages[0],
            code="VN-51-522-21238-09-25",
            name="Cánh đồng Đồng Lớn",
            crop="Lúa",
            cooperative=coop,
        )
    )
    farm_services.plot_save(area=area, name="Thửa 1", geojson=square(120))
    farm_services.diary_entry_add(
        area=area,
        kind="spraying",
        on=TODAY - timedelta(days=20),
        by=None,
        inputs=[
            {"kind": "pesticide", "product": "Regent 800WG", "active_ingredient": "Fipronil", "pre_harvest_days": 14}
        ],
    )
    services.product_save(product=Product(commune=commune, owner=coop, name="Gạo Đồng Lớn", gtin=GTIN13, unit="KGM"))

    # 1. The cooperative manager records the harvest from a phone.
    log_in(phone_page, live, "htx", f"/nong-nghiep/21238/nhat-ky/ghi/?vung={area.pk}&kind=harvest")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.locator("#id_date").fill(TODAY.isoformat())
    phone_page.locator("#id_quantity").fill("1.200")
    phone_page.locator("#id_unit").select_option("KGM")
    phone_page.locator("form.diary-form button[type=submit]").click()
    phone_page.wait_for_url("**/nhat-ky/?vung=*")
    harvest = DiaryEntry.objects.get(kind="harvest")
    assert harvest.quantity_kg == 1200

    # 2. The harvest becomes a lot.
    phone_page.goto(f"{live}/truy-xuat/21238/lo/tu-thu-hoach/")
    phone_page.locator("#id_product").select_option(label="Gạo Đồng Lớn")
    phone_page.locator("#id_code").fill("L-BT1")
    phone_page.locator(f"#id_harvest_{harvest.pk}").fill("1.000")
    phone_page.locator("main form button[type=submit]").click()
    phone_page.wait_for_url("**/truy-xuat/21238/lo/*/")
    lot = Lot.objects.get(code="L-BT1")
    link = f"{live}/01/{GTIN14}/10/L-BT1"
    assert phone_page.locator("#digital-link").inner_text() == link

    # 3. Its QR labels are printed: the PDF's QR image is the Digital Link's QR code.
    response = phone_page.request.get(f"{live}/truy-xuat/21238/lo/{lot.pk}/tem/?layout=3x8&count=24&skip=0")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    assert "L-BT1" in pdf.pages[0].extract_text()
    printed = pdf.pages[0].images[0].image.convert("L")
    expected = Image.open(io.BytesIO(_png(link))).convert("L")
    assert printed.size == expected.size and printed.tobytes() == expected.tobytes()

    # 4. A consumer scans it: a phone opens the Digital Link.
    consumer = browser.new_context(locale="vi-VN", **PHONE)
    scan = consumer.new_page()
    scan.goto(link)
    assert scan.locator("h1").inner_text() == "Gạo Đồng Lớn"
    assert area.code in scan.locator("main").inner_text()
    assert scan.locator("#trace-map svg path").count() == 1  # the outline shows before Leaflet loads
    scan.locator("#trace-map").scroll_into_view_if_needed()  # Leaflet is fetched when the map comes into view
    scan.locator("#trace-map.leaflet-container").wait_for()
    polygon = scan.locator("#trace-map .leaflet-overlay-pane path")
    polygon.first.wait_for()
    assert polygon.count() == 1
    box = polygon.first.bounding_box()
    assert box["width"] > 20 and box["height"] > 20
    assert scan.evaluate("document.documentElement.scrollWidth") <= 360
    assert "Regent 800WG" in scan.content()
    consumer.close()
    assert ScanDay.objects.get(lot=lot).count == 1


def _png(uri: str) -> bytes:
    out = io.BytesIO()
    segno.make(uri, error="m", micro=False).save(out, kind="png", scale=10, border=2)
    return out.getvalue()
