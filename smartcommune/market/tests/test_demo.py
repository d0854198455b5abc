"""The market demo: Vệ Giang's storefront, orders in every state, two linkage contracts with deliveries
tied to lots, a 360° photo; a second run changes nothing."""

from datetime import date

import pytest

from smartcommune.accounts import demo as accounts_demo
from smartcommune.core import metrics
from smartcommune.farming import demo as farming_demo
from smartcommune.market import demo
from smartcommune.market.models import Contract, Delivery, Offer, Order, Panorama, Status
from smartcommune.places import demo as places_demo
from smartcommune.registry import demo as registry_demo
from smartcommune.trace import demo as trace_demo

pytestmark = pytest.mark.django_db


def quiet(message: str) -> None:
    pass


@pytest.fixture
def demo_commune(places):
    commune = places_demo.run(log=quiet)
    registry_demo.run(commune=commune, log=quiet, households=300)
    farming_demo.run(commune=commune, log=quiet)
    trace_demo.run(commune=commune, log=quiet)
    accounts_demo.run(commune=commune, password="Demo-pw-12345", log=quiet)
    demo.run(commune=commune, log=quiet)
    return commune


def test_the_demo_tells_the_whole_story(demo_commune, client):
    assert Offer.objects.filter(commune=demo_commune).count() == 2
    states = set(Order.objects.filter(commune=demo_commune).values_list("status", flat=True))
    assert states == set(Status.values)
    contracts = Contract.objects.filter(commune=demo_commune)
    assert contracts.count() == 2 and all(c.document for c in contracts)
    assert Delivery.objects.filter(contract__in=contracts, trace_event__isnull=False).count() == 4
    assert metrics.read("market.linkage_cooperatives", demo_commune, date(2025, 12, 31)).value == 2
    panorama = Panorama.objects.get()
    assert panorama.width == 2 * panorama.height and panorama.hotspots.exists()
    page = client.get(f"/cho/{demo_commune.code}/")
    assert page.status_code == 200 and "Gạo Mẫu Vệ Giang" in page.content.decode()
    counts = (
        Order.objects.count(),
        Delivery.objects.count(),
        Offer.objects.get(shop__organisation__code="HTX-VG01").taken,
    )
    demo.run(commune=demo_commune, log=quiet)
    assert (
        Order.objects.count(),
        Delivery.objects.count(),
        Offer.objects.get(shop__organisation__code="HTX-VG01").taken,
    ) == counts
