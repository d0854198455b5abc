"""Many confirmations of one lot at once: exactly what the stock holds is confirmed, never more. Two
expiry runs at once: each overdue order is cancelled, and its stock given back, exactly once.

PostgreSQL: threads on the test database. SQLite: the same threads in a child process on a file copy
of the test database (WAL mode, as in production)."""

import json
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from smartcommune.core.testing import at_once
from smartcommune.market.models import Offer, Order, OrderEvent, Status
from smartcommune.market.services import expiry, orders

from .conftest import place

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
THREADS = 8


def confirm_all() -> dict:
    """Confirm every placed order from THREADS threads at once; count the outcomes."""
    pending = list(Order.objects.filter(status=Status.PLACED).values_list("pk", flat=True))
    connections.close_all()

    def work(i):
        outcomes = []
        for pk in pending[i::THREADS]:
            try:
                orders.order_advance(order=Order(pk=pk), to=Status.CONFIRMED, by=None)
                outcomes.append("confirmed")
            except Exception as error:
                outcomes.append("refused" if getattr(error, "code", None) == "out_of_stock" else repr(error))
        return outcomes

    outcomes = []
    for each in at_once(work, THREADS):  # a thread's list of outcomes, or what stopped it
        outcomes += each if isinstance(each, list) else [repr(each)]
    errors = [o for o in outcomes if o not in ("confirmed", "refused")]
    offer = Offer.objects.get()
    return {"confirmed": outcomes.count("confirmed"), "refused": outcomes.count("refused"), "errors": errors[:3],
            "taken": offer.taken, "stock": offer.stock,
            "stored": Order.objects.filter(status=Status.CONFIRMED).count()}  # fmt: skip


def expire_at_once(runs: int = 2) -> dict:
    """Run the expiry from `runs` threads at once, a month from now; count what each run cancelled."""
    later = timezone.now() + timedelta(days=30)
    connections.close_all()
    outcomes = at_once(lambda _i: len(expiry.orders_expire(now=later)), runs)
    errors = [repr(o) for o in outcomes if isinstance(o, Exception)]
    return {"cancelled": sum(o for o in outcomes if isinstance(o, int)), "errors": errors[:3],
            "taken": Offer.objects.get().taken,
            "events": OrderEvent.objects.filter(status=Status.CANCELLED).count()}  # fmt: skip


def run(work, tmp_path) -> dict:
    """`work` in this process on PostgreSQL; on SQLite in a child process, on a file copy of the database."""
    if connection.vendor != "sqlite":
        return work()
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    output = subprocess.run(
        [sys.executable, "-m", "smartcommune.market.tests.concurrent_confirm", str(path), work.__name__],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert output.returncode == 0, output.stderr[-2000:]
    return json.loads(output.stdout.strip().splitlines()[-1])


def test_forty_confirmations_of_a_lot_holding_twenty_confirm_exactly_twenty(commune, buyer, rice_offer, tmp_path):
    Offer.objects.filter(pk=rice_offer.pk).update(stock=20)
    for _ in range(40):
        place(commune, buyer, (rice_offer.pk, 1))
    result = run(confirm_all, tmp_path)
    assert result["errors"] == []
    assert (result["confirmed"], result["refused"], result["taken"], result["stored"]) == (20, 20, 20, 20)


def test_two_expiry_runs_at_once_cancel_each_overdue_order_once(commune, buyer, rice_offer, tmp_path):
    for _ in range(20):
        order = place(commune, buyer, (rice_offer.pk, 2), payment="vietqr")[0]
        orders.order_advance(order=order, to=Status.CONFIRMED, by=None)
    assert Offer.objects.get().taken == 40
    result = run(expire_at_once, tmp_path)
    assert result["errors"] == []
    assert (result["cancelled"], result["events"], result["taken"]) == (20, 20, 0)
