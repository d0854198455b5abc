"""Many confirmations of one lot at once: exactly what the stock holds is confirmed, never more.

PostgreSQL: threads on the test database. SQLite: the same threads in a child process on a file copy
of the test database (WAL mode, as in production)."""

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from smartcommune.market.models import Offer, Order, Status
from smartcommune.market.services import orders

from .conftest import place

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
THREADS = 8


def confirm_all() -> dict:
    """Confirm every placed order from THREADS threads at once; count the outcomes."""
    pending = list(Order.objects.filter(status=Status.PLACED).values_list("pk", flat=True))
    connections.close_all()
    barrier, confirmed, refused, errors = threading.Barrier(THREADS), [], [], []
    lock = threading.Lock()

    def work(ids):
        try:
            barrier.wait()
            for pk in ids:
                try:
                    orders.order_advance(order=Order(pk=pk), to=Status.CONFIRMED, by=None)
                    with lock:
                        confirmed.append(pk)
                except Exception as error:
                    with lock:
                        (refused if getattr(error, "code", None) == "out_of_stock" else errors).append(repr(error))
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work, args=(pending[i::THREADS],)) for i in range(THREADS)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    offer = Offer.objects.get()
    return {"confirmed": len(confirmed), "refused": len(refused), "errors": errors[:3], "taken": offer.taken,
            "stock": offer.stock, "stored": Order.objects.filter(status=Status.CONFIRMED).count()}  # fmt: skip


def test_forty_confirmations_of_a_lot_holding_twenty_confirm_exactly_twenty(commune, buyer, rice_offer, tmp_path):
    Offer.objects.filter(pk=rice_offer.pk).update(stock=20)
    for _ in range(40):
        place(commune, buyer, (rice_offer.pk, 1))
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        output = subprocess.run(
            [sys.executable, "-m", "smartcommune.market.tests.concurrent_confirm", str(path)],
            capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        assert output.returncode == 0, output.stderr[-2000:]
        result = json.loads(output.stdout.strip().splitlines()[-1])
    else:
        result = confirm_all()
    assert result["errors"] == []
    assert (result["confirmed"], result["refused"], result["taken"], result["stored"]) == (20, 20, 20, 20)
