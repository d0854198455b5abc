"""The resolver and the public trace page: what a consumer sees after scanning a QR label."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, translation

from smartcommune.trace import epcis, scans, services
from smartcommune.trace.models import Lot, OcopRating, Product, ScanDay

from .conftest import GTIN13, GTIN14, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def lot_url(gtin=GTIN14, lot="L2506A"):
    return f"/01/{gtin}/10/{lot}"


@pytest.fixture
def rated(product):
    return services.ocop_save(
        rating=OcopRating(
            product=product,
            sector="food",
            product_set="Gạo",
            score_a=32,
            score_b=20,
            score_c=25,
            decision_number="123/QĐ-UBND",
            decision_date=date(2024, 6, 1),
        )
    )


def vi_date(value) -> str:
    with translation.override("vi"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")


def test_scanning_a_label_shows_the_whole_story(client, lot, rated, harvest, households, organisation):
    area = harvest.growing_area
    plot = area.plots.get()
    plot.household = households[0]
    plot.save()
    area.households.set(households)
    response = client.get(lot_url())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Gạo Đồng Lớn" in page and "L2506A" in page and "★★★★☆" in page
    assert organisation.name in page and area.code in page and "Cánh đồng lúa Đồng Lớn" in page
    assert "Regent 800WG" in page and vi_date(harvest.date) in page
    assert 'id="trace-map"' in page and "trace-map-data" in page and "xstatic/leaflet/leaflet.js" in page
    # No personal data: no household, no representative, no phone number.
    for secret in ("Nguyễn Văn Đồng", "H001", organisation.representative, organisation.phone):
        assert secret not in page
    assert ScanDay.objects.get(lot=lot).count == 1


def test_the_page_is_light(client, lot, rated):
    page = client.get(lot_url()).content
    assert len(page) < 20_000
    assert b"css/site.css" not in page  # the page carries its own few lines of CSS


def test_a_short_gtin_is_redirected_to_its_14_digit_form(client, lot):
    response = client.get(lot_url(gtin=GTIN13))
    assert response.status_code == 301 and response["Location"] == lot_url()


def test_a_gtin_with_a_wrong_check_digit_gets_a_helpful_404(client, lot):
    bad = GTIN14[:-1] + str((int(GTIN14[-1]) + 1) % 10)
    response = client.get(lot_url(gtin=bad))
    assert response.status_code == 404
    assert bad in response.content.decode() and b"<main>" in response.content


def test_an_unknown_lot_of_a_known_product_names_the_product(client, lot):
    response = client.get(lot_url(lot="L9999"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Gạo Đồng Lớn" in page and "L9999" in page
    assert not ScanDay.objects.exists()


def test_an_unknown_gtin_gets_a_404(client, lot):
    assert client.get(lot_url(gtin="04006381333931")).status_code == 404
    assert client.get("/01/abc/10/x").status_code == 404


def test_machines_get_json_ld_by_content_negotiation(client, lot):
    response = client.get(lot_url(), HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    document = response.json()
    assert epcis.schema_errors(document) == []
    master = document["epcisHeader"]["epcisMasterData"]["vocabularyList"][0]["vocabularyElementList"][0]
    assert master["id"] == f"https://id.gs1.org/01/{GTIN14}/10/L2506A"
    assert client.get(lot_url(), HTTP_ACCEPT="application/json").json()["type"] == "EPCISDocument"
    assert not ScanDay.objects.exists()  # machines are not counted as scans
    missing = client.get(lot_url(lot="NOPE"), HTTP_ACCEPT="application/json")
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]


def test_the_page_is_cached_and_refreshed_when_the_lot_changes(client, lot, settings, django_assert_max_num_queries):
    settings.TRACE_SCAN_FLUSH_SECONDS = 60
    client.get(lot_url())
    # The versions that make the cache key are found in the cache too; the scan is tallied, written later.
    with django_assert_max_num_queries(0):
        page = client.get(lot_url()).content.decode()
    assert "Gạo Đồng Lớn" in page
    assert not ScanDay.objects.exists()
    scans.flush()
    assert ScanDay.objects.get(lot=lot).count == 2
    settings.TRACE_SCAN_FLUSH_SECONDS = 0
    services.lot_pack(lot=lot, cartons=1, per_carton=Decimal("10"))
    page = client.get(lot_url()).content.decode()
    assert page.count("<li>") >= 2  # the packing event now shows in the chain
    Product.objects.filter(pk=lot.product_id).update(name="Gạo Đồng Lớn mới")
    services.product_save(product=Product.objects.get(pk=lot.product_id))
    assert "Gạo Đồng Lớn mới" in client.get(lot_url()).content.decode()


def test_a_recalled_lot_says_so_at_once_though_its_page_was_cached(client, lot):
    assert 'role="alert"' not in client.get(lot_url()).content.decode()  # page and address lookup cached
    Lot.objects.filter(pk=lot.pk).update(status=Lot.Status.RECALLED)
    epcis.touch(lot_ids=[lot.pk])
    assert 'role="alert"' in client.get(lot_url()).content.decode()


def test_labels_printed_before_a_gtin_keep_working(client, commune, organisation, harvest):
    product = services.product_save(product=Product(commune=commune, owner=organisation, name="Lúa tươi", unit="KGM"))
    lot = services.lot_from_harvests(product=product, code="R1", parts=[(harvest, Decimal("100"))], produced_on=TODAY)
    old = reverse("trace:public_lot", args=[product.internal_code, "R1"])
    assert client.get(old).status_code == 200
    product.gtin = "4006381333931"
    services.product_save(product=product)
    assert client.get(old).status_code == 200
    assert client.get(lot_url(gtin="04006381333931", lot="R1")).status_code == 200
    assert ScanDay.objects.get(lot=lot).count == 3


def test_the_product_page_and_the_producer_page(client, lot, rated, organisation):
    page = client.get(f"/01/{GTIN14}").content.decode()
    assert "Gạo Đồng Lớn" in page and "L2506A" in page
    producer = client.get(reverse("trace:producer", args=["21238", organisation.code])).content.decode()
    assert organisation.name in producer and "Gạo Đồng Lớn" in producer
    assert organisation.phone not in producer and organisation.representative not in producer


def test_a_carton_page_lists_its_lots(client, lot):
    carton = services.lot_pack(lot=lot, cartons=1, per_carton=Decimal("5"))[0]
    page = client.get(reverse("trace:carton", args=[carton.code])).content.decode()
    assert lot_url() in page


def test_processed_lots_show_their_inputs_and_the_growing_area(client, lot, commune, organisation, harvest):
    bags = services.product_save(product=Product(commune=commune, owner=organisation, name="Gạo túi 5 kg", unit="BG"))
    services.lot_process(
        commune=commune,
        inputs=[(lot, Decimal("500"))],
        outputs=[
            {
                "product": bags,
                "code": "T1",
                "quantity": Decimal("100"),
                "produced_on": TODAY,
                "expires_on": TODAY + timedelta(days=300),
            }
        ],
    )
    page = client.get(reverse("trace:public_lot", args=[bags.internal_code, "T1"])).content.decode()
    assert (
        "Gạo Đồng Lớn" in page and "L2506A" in page and harvest.growing_area.code in page and "trace-map-data" in page
    )


def test_a_serialised_item_shows_its_lot(client, lot):
    assert client.get(f"{lot_url()}/21/000123").status_code == 200


def test_the_reminder_command_runs(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("ocop_reminders", stdout=out)
    assert "0" in out.getvalue()


def test_the_public_json_ld_leaves_out_buyers_and_orders(client, lot, organisation):
    cartons = services.lot_pack(lot=lot, cartons=1, per_carton=Decimal("5"))
    services.ship(
        organisation=organisation,
        containers=cartons,
        transaction_type="po",
        transaction_ref="HD-BÍ-MẬT",
        buyer_uri="https://buyer.example.com/1",
    )
    body = client.get(lot_url(), HTTP_ACCEPT="application/ld+json").content.decode()
    assert "buyer.example.com" not in body and "giao-dich" not in body and '"shipping"' in body
    assert epcis.schema_errors(client.get(lot_url(), HTTP_ACCEPT="application/ld+json").json()) == []
