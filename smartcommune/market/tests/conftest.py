from datetime import timedelta
from decimal import Decimal

import pytest

from conftest import make_user
from smartcommune.accounts.models import Role
from smartcommune.farming.tests.conftest import area  # noqa: F401
from smartcommune.market.models import Category, Offer
from smartcommune.market.services import catalogue, orders
from smartcommune.registry.models import Organisation
from smartcommune.registry.tests.conftest import organisation  # noqa: F401
from smartcommune.trace import services as trace_services
from smartcommune.trace.models import Product
from smartcommune.trace.tests.conftest import TODAY, english_messages, harvest, lot, product  # noqa: F401


@pytest.fixture
def beekeepers(commune, villages):
    """A second producer, with no bank account: its buyers can only pay cash."""
    return Organisation.objects.create(
        commune=commune, village=villages[1], code="HTX-T02", name="Hợp tác xã Ong Mật An Hòa",
        kind=Organisation.Kind.COOPERATIVE, phone="0935000111", email="ong@example.invalid",
    )  # fmt: skip


@pytest.fixture
def honey_lot(commune, beekeepers, lot):  # noqa: F811
    honey = trace_services.product_save(
        product=Product(commune=commune, owner=beekeepers, name="Mật ong hoa cà phê", unit="LTR")
    )
    return trace_services.lot_process(
        commune=commune,
        inputs=[(lot, Decimal("10"))],
        outputs=[{"product": honey, "code": "MO-01", "quantity": Decimal("50"), "produced_on": TODAY}],
    )[0]


@pytest.fixture
def rice_offer(organisation, lot):  # noqa: F811
    return catalogue.offer_save(
        offer=Offer(shop=catalogue.shop_for(organisation)), lot=lot, category=Category.RICE,
        pack_label="túi 5 kg", pack_size=Decimal("5"), price=150_000, stock=100,
    )  # fmt: skip


@pytest.fixture
def honey_offer(beekeepers, honey_lot):
    return catalogue.offer_save(
        offer=Offer(shop=catalogue.shop_for(beekeepers)), lot=honey_lot, category=Category.PROCESSED,
        pack_label="chai 500 ml", pack_size=Decimal("0.5"), price=120_000, stock=60,
    )  # fmt: skip


@pytest.fixture
def buyer(commune):
    return orders.Buyer(
        name="Nguyễn Thị Mua", phone="0912 345 678", email="mua@example.invalid",
        fulfilment="delivery", address_line="Số 3, thôn Đồng Lớn", address_commune=commune,
    )  # fmt: skip


@pytest.fixture
def other_manager(commune):
    return make_user("coop2", Role.COOP_MANAGER, commune=commune, organisation_code="HTX-T02")


def place(commune, buyer, *lines, payment="cod"):
    return orders.checkout(commune=commune, lines=list(lines), buyer=buyer, payment=payment)


__all__ = ["TODAY", "timedelta"]
