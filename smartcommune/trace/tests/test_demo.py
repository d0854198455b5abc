"""The farming and traceability demo: growing areas near the commune, a season's diary, three
products (OCOP 3 and 4 stars), lots from harvests and one processed lot, all valid EPCIS."""

import pytest

from smartcommune.farming import demo as farming_demo
from smartcommune.farming import selectors as farm_selectors
from smartcommune.farming.models import DiaryEntry, GrowingArea, VillagePoint
from smartcommune.places import demo as places_demo
from smartcommune.registry import demo as registry_demo
from smartcommune.trace import demo, epcis
from smartcommune.trace.models import Lot, Product, TraceEvent

pytestmark = pytest.mark.django_db


def quiet(message: str) -> None:
    pass


@pytest.fixture
def demo_commune(places):
    commune = places_demo.run(log=quiet)
    registry_demo.run(commune=commune, log=quiet, households=300)
    farming_demo.run(commune=commune, log=quiet)
    demo.run(commune=commune, log=quiet)
    return commune


def test_the_demo_tells_the_whole_story(demo_commune, client):
    areas = GrowingArea.objects.filter(commune=demo_commune)
    assert set(areas.values_list("cooperative__code", flat=True)) == {"HTX-VG01", "HTX-VG02"}
    assert set(areas.values_list("crop", flat=True)) == {"Lúa", "Rau"}
    farm = farm_selectors.farm_settings(demo_commune)
    for area in areas:
        assert area.plots.count() >= 2 and area.households.exists()
        assert not any("declared" in w or "minimum" in w for w in farm_selectors.area_warnings(area, farm)), area.code
    assert VillagePoint.objects.filter(village__commune=demo_commune).count() == 12
    assert (
        DiaryEntry.objects.filter(kind="harvest").count() == 3 and DiaryEntry.objects.filter(kind="spraying").exists()
    )
    stars = sorted(r.stars for p in Product.objects.all() for r in p.ocop_ratings.all())
    assert Product.objects.count() == 3 and stars == [3, 4]
    processed = Lot.objects.get(origin="processing")
    assert processed.inputs.get().input.origin == "harvest"
    assert epcis.schema_errors(epcis.lot_document(processed)) == []
    page = client.get(f"/01/{processed.product.gtin}/10/{processed.code}")
    assert page.status_code == 200 and "VN-51-522-21238-01-25" in page.content.decode()


def test_a_second_run_changes_nothing(demo_commune):
    counts = (GrowingArea.objects.count(), DiaryEntry.objects.count(), Lot.objects.count(), TraceEvent.objects.count())
    farming_demo.run(commune=demo_commune, log=quiet)
    demo.run(commune=demo_commune, log=quiet)
    assert (
        GrowingArea.objects.count(),
        DiaryEntry.objects.count(),
        Lot.objects.count(),
        TraceEvent.objects.count(),
    ) == counts


def test_every_page_opens_on_the_demo_data(demo_commune, client, login):
    from conftest import make_user
    from smartcommune.accounts.models import Department, Role
    from smartcommune.farming.models import Plot, Season

    official = make_user("demo.official", Role.COMMUNE_OFFICIAL, commune=demo_commune, department=Department.ECONOMY)
    staff = login(official)
    area = GrowingArea.objects.first()
    plot, season = Plot.objects.filter(growing_area=area).first(), Season.objects.filter(growing_area=area).first()
    lot = Lot.objects.get(origin="processing")
    product = lot.product
    farming = [
        ("farming:areas", []), ("farming:area", [area.pk]), ("farming:area_edit", [area.pk]), ("farming:area_status", [area.pk]),
        ("farming:area_members", [area.pk]), ("farming:plot_create", [area.pk]), ("farming:plot_edit", [area.pk, plot.pk]),
        ("farming:plot_import", [area.pk]), ("farming:season_edit", [area.pk, season.pk]), ("farming:diary", []),
        ("farming:diary_add", []), ("farming:staff_map", []), ("farming:settings", []), ("farming:map", []),
        ("farming:layer_areas", []), ("farming:layer_areas_staff", []), ("farming:layer_villages", []),
    ]  # fmt: skip
    trace = [
        ("trace:products", []), ("trace:product", [product.pk]), ("trace:product_edit", [product.pk]),
        ("trace:ocop_add", [product.pk]), ("trace:certification_add", [product.pk]), ("trace:lots", []),
        ("trace:lot", [lot.pk]), ("trace:lot_from_harvests", []), ("trace:lot_process", []), ("trace:lot_pack", [lot.pk]),
        ("trace:lot_ship", [lot.pk]), ("trace:lot_labels", [lot.pk]), ("trace:exports", []),
    ]  # fmt: skip
    from django.urls import reverse

    for name, args in farming + trace:
        response = staff.get(reverse(name, args=[demo_commune.code, *args]))
        assert response.status_code == 200, name
    assert staff.get(reverse("farming:public_area", args=[demo_commune.code, area.code])).status_code == 200
    assert staff.get(reverse("trace:producer", args=[demo_commune.code, product.owner.code])).status_code == 200
    carton = lot.container_items.first().container
    assert staff.get(reverse("trace:carton", args=[carton.code])).status_code == 200
    greens = Lot.objects.filter(product__gtin="").exclude(origin="processing").first()
    assert staff.get(reverse("trace:public_lot", args=[greens.product.internal_code, greens.code])).status_code == 200
