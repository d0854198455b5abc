import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
import segno
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from smartcommune.registry.models import Organisation
from smartcommune.trace import services
from smartcommune.trace.models import Lot, OcopRating, Product

from .conftest import GTIN13, GTIN14, TODAY

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"trace:{name}", args=["21238", *args])


def test_an_official_adds_a_product_and_a_wrong_gtin_changes_nothing(login, official, organisation):
    client = login(official)
    bad = GTIN13[:-1] + str((int(GTIN13[-1]) + 3) % 10)
    data = {"name": "Gạo", "owner": organisation.pk, "gtin": bad, "unit": "KGM", "scan_alert_per_day": 200}
    response = client.post(url("product_create"), data)
    assert response.status_code == 400 and not Product.objects.exists()
    response = client.post(url("product_create"), data | {"gtin": GTIN13})
    assert response.status_code == 302 and Product.objects.get().gtin == GTIN14


def test_a_product_photo_is_cleaned(login, official, organisation):
    image = io.BytesIO()
    Image.new("RGB", (2400, 1200), "green").save(image, "JPEG")
    image.seek(0)
    image.name = "gao.jpg"
    data = {
        "name": "Gạo",
        "owner": organisation.pk,
        "gtin": "",
        "unit": "KGM",
        "scan_alert_per_day": 200,
        "photo_upload": image,
    }
    assert login(official).post(url("product_create"), data).status_code == 302
    photo = Product.objects.get().photo
    with Image.open(photo) as stored:
        assert max(stored.size) == 1600


def test_an_official_records_an_ocop_rating(login, official, coop_manager, product):
    data = {
        "sector": "food",
        "product_set": "Gạo",
        "score_a": "32",
        "score_b": "20,5",
        "score_c": "25",
        "decision_number": "12/QĐ-UBND",
        "decision_date": "2024-06-01",
        "status": "valid",
    }
    assert login(coop_manager).post(url("ocop_add", product.pk), data).status_code == 403
    assert login(official).post(url("ocop_add", product.pk), data | {"score_b": "30"}).status_code == 400
    assert login(official).post(url("ocop_add", product.pk), data).status_code == 302
    rating = OcopRating.objects.get()
    assert rating.total == Decimal("77.5") and rating.stars == 4
    assert "4★" in login(official).get(url("product", product.pk)).content.decode()


def test_a_lot_is_made_from_harvests_on_its_page(login, coop_manager, product, harvest):
    client = login(coop_manager)
    form = client.get(url("lot_from_harvests")).content.decode()
    assert f"harvest_{harvest.pk}" in form
    data = {"product": product.pk, "code": "L1", "produced_on": TODAY.isoformat(), f"harvest_{harvest.pk}": "1.001"}
    response = client.post(url("lot_from_harvests"), data)
    assert response.status_code == 400 and not Lot.objects.exists()  # 1,001 kg asked of a 1,000 kg harvest
    response = client.post(url("lot_from_harvests"), data | {f"harvest_{harvest.pk}": "600"})
    assert response.status_code == 302
    assert Lot.objects.get().quantity == Decimal("600")


def test_the_lot_page_shows_its_qr_code_and_digital_link(login, official, lot):
    page = login(official).get(url("lot", lot.pk)).content.decode()
    assert f"/01/{GTIN14}/10/L2506A" in page and "<svg" in page


def test_label_sheets_carry_the_qr_code_and_the_lot(login, official, lot):
    client = login(official)
    for layout, per_page in (("3x8", 24), ("2x5", 10), ("4x10", 40)):
        response = client.get(url("lot_labels", lot.pk), {"layout": layout, "count": per_page + 1, "skip": 0})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) == 2
        text = reader.pages[0].extract_text()
        assert "Gạo Đồng Lớn" in text and "L2506A" in text
        assert len(reader.pages[0].images) == 1  # one QR image, placed on every label
        assert reader.pages[0].get_contents().get_data().count(b" Do") == per_page
    response = client.get(url("lot_labels", lot.pk), {"layout": "2x5", "count": 3, "skip": 12})
    assert response.status_code == 400


def test_the_qr_image_holds_the_digital_link(login, official, lot, settings):
    response = login(official).get(url("lot_qr", lot.pk, "png"))
    assert response.status_code == 200
    expected = io.BytesIO()
    segno.make(f"{settings.SITE_URL}/01/{GTIN14}/10/L2506A", error="m").save(expected, kind="png", scale=12, border=2)
    assert response.content == expected.getvalue()


def test_processing_packing_and_shipping_through_the_pages(login, official, lot, commune, organisation):
    bags = services.product_save(product=Product(commune=commune, owner=organisation, name="Gạo túi", unit="BG"))
    client = login(official)
    data = {
        "product": bags.pk,
        "code": "T1",
        "quantity": "100",
        "produced_on": TODAY.isoformat(),
        f"input_{lot.pk}": "900",
    }
    assert client.post(url("lot_process"), data).status_code == 400
    response = client.post(url("lot_process"), data | {f"input_{lot.pk}": "500"})
    assert response.status_code == 302
    made = Lot.objects.get(code="T1")
    assert client.post(url("lot_pack", made.pk), {"cartons": 2, "per_carton": "20"}).status_code == 302
    carton = made.container_items.first().container
    response = client.post(
        url("lot_ship", made.pk), {"cartons": [carton.pk], "transaction_type": "po", "transaction_ref": "HD-7"}
    )
    assert response.status_code == 302
    carton.refresh_from_db()
    assert carton.shipped_at is not None


def test_exports_for_the_national_portal_and_epcis(login, official, lot):
    client = login(official)
    period = {"start": (TODAY - timedelta(days=2)).isoformat(), "end": TODAY.isoformat()}
    csv_text = client.get(url("exports"), period | {"what": "portal.csv"}).content.decode("utf-8-sig")
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("Tên sản phẩm,Mã GTIN") and "Hạn sử dụng" in header
    assert "Gạo Đồng Lớn" in row and "L2506A" in row and "Hợp tác xã Đồng Lớn" in row
    rows = json.loads(client.get(url("exports"), period | {"what": "portal.json"}).content)
    assert rows[0]["lot"] == "L2506A" and rows[0]["expiry_date"] == str(TODAY + timedelta(days=365))
    document = json.loads(client.get(url("exports"), period | {"what": "epcis"}).content)
    assert document["type"] == "EPCISDocument" and len(document["epcisBody"]["eventList"]) == 1
    api = client.get(f"/api/v1/trace/communes/21238/portal-export?start={period['start']}").json()
    assert api[0]["producer_name"] == "Hợp tác xã Đồng Lớn"


def test_an_outsider_sees_and_changes_nothing(login, outsider, lot, product, harvest):
    client = login(outsider)
    for response in [
        client.get(url("products")),
        client.get(url("product", product.pk)),
        client.get(url("product_edit", product.pk)),
        client.get(url("product_create")),
        client.post(url("ocop_add", product.pk), {}),
        client.post(url("certification_add", product.pk), {}),
        client.get(url("lots")),
        client.get(url("lot", lot.pk)),
        client.get(url("lot_labels", lot.pk), {"layout": "3x8", "count": 1}),
        client.get(url("lot_qr", lot.pk, "png")),
        client.get(url("lot_epcis", lot.pk)),
        client.post(url("lot_pack", lot.pk), {"cartons": 1, "per_carton": "1"}),
        client.post(url("lot_ship", lot.pk), {"transaction_type": "po", "transaction_ref": "x", "quantity": "1"}),
        client.post(url("lot_status", lot.pk), {"status": "recalled"}),
        client.post(
            url("lot_from_harvests"),
            {"product": product.pk, "code": "X", "produced_on": TODAY.isoformat(), f"harvest_{harvest.pk}": "1"},
        ),
        client.get(url("lot_process")),
        client.get(url("exports"), {"what": "portal.csv", "start": "2020-01-01", "end": "2030-01-01"}),
    ]:
        assert response.status_code == 403, response.request["PATH_INFO"]
    lot.refresh_from_db()
    assert lot.status == "active" and lot.remaining == Decimal("800") and Lot.objects.count() == 1


def test_searching_ignores_accents_and_case_on_the_product_and_lot_pages(login, official, lot, commune):
    other = Organisation.objects.create(commune=commune, code="HTX-T02", name="HTX Rau Sạch", kind="htx")
    services.product_save(product=Product(commune=commune, owner=other, name="Rau cải ngọt", unit="KGM"))
    client = login(official)
    for q in ["gao dong", "dong lon", "GẠO ĐỒNG", GTIN13]:
        page = client.get(url("products"), {"q": q}).content.decode()
        assert "Gạo Đồng Lớn" in page and "Rau cải ngọt" not in page, q
    page = client.get(url("products"), {"q": "rau sach"}).content.decode()  # the producer's name
    assert "Rau cải ngọt" in page and "Gạo Đồng Lớn" not in page
    for q in ["gao dong", "l2506a"]:
        page = client.get(url("lots"), {"q": q}).content.decode()
        assert "L2506A" in page, q
    assert "L2506A" not in client.get(url("lots"), {"q": "rau cai"}).content.decode()


def test_an_outsider_searching_finds_nothing(login, outsider, lot, other_commune):
    client = login(outsider)
    assert client.get(url("products"), {"q": "gao dong"}).status_code == 403
    assert client.get(url("lots"), {"q": "gao dong"}).status_code == 403
    own = [
        client.get(reverse(f"trace:{name}", args=[other_commune.code]), {"q": "gao dong"})
        for name in ("products", "lots")
    ]
    assert [r.status_code for r in own] == [200, 200]
    assert not any("Gạo Đồng Lớn" in r.content.decode() or "L2506A" in r.content.decode() for r in own)


def test_a_coop_manager_reaches_only_their_organisations_products(login, coop_manager, product, lot, commune):
    other = Organisation.objects.create(commune=commune, code="HTX-T02", name="HTX Khác", kind="htx")
    foreign = services.product_save(product=Product(commune=commune, owner=other, name="Sản phẩm khác", unit="KGM"))
    client = login(coop_manager)
    page = client.get(url("products")).content.decode()
    assert "Gạo Đồng Lớn" in page and "Sản phẩm khác" not in page
    assert client.get(url("product", foreign.pk)).status_code == 403
    assert client.get(url("lot", lot.pk)).status_code == 200
    form = client.get(url("product_create")).content.decode()
    assert "HTX Khác" not in form


def test_a_village_head_has_no_access_to_products(login, village_head, product):
    assert login(village_head).get(url("products")).status_code == 403


def test_the_public_product_list_in_the_api(client, product):
    data = client.get("/api/v1/trace/communes/21238/products").json()
    assert data[0]["gtin"] == GTIN14 and data[0]["ocop_stars"] is None
