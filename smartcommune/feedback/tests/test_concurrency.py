"""Report numbers under concurrent submissions: none lost, none given twice (real database, threads).

On PostgreSQL the threads write to the test database. SQLite's test database lives in memory, where
threads share one cache that fails with "table is locked" instead of waiting, so there the same threads
run in a child process against a file copy of the test database, in WAL mode as in production."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from smartcommune.core.testing import at_once
from smartcommune.feedback import services
from smartcommune.feedback.models import Report, ReportCounter

from .conftest import HERE

pytestmark = pytest.mark.django_db(transaction=True)
THREADS, PER_THREAD = 8, 5
ROOT = Path(__file__).resolve().parents[3]


def check(numbers: list[str], errors: list, stored: int, counter: int) -> None:
    total = THREADS * PER_THREAD
    assert errors == []
    assert len(numbers) == len(set(numbers)) == total
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, total + 1))
    assert stored == counter == total


def test_concurrent_submissions_get_unique_consecutive_numbers(commune, categories, tmp_path):
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        command = [sys.executable, "-m", "smartcommune.feedback.tests.concurrent_numbers", str(path)]
        output = subprocess.run([*command, str(THREADS), str(PER_THREAD)], capture_output=True, text=True, cwd=ROOT)
        assert output.returncode == 0, output.stderr[-2000:]
        result = json.loads(output.stdout.strip().splitlines()[-1])
        check(result["numbers"], result["errors"], result["stored"], result["counter"])
        return
    lighting = categories["DIEN-CS"]
    numbers = []  # every number given, even by a thread that failed later

    def work(_i):
        for _ in range(PER_THREAD):
            report = services.report_submit(
                commune=commune,
                category=lighting,
                description="Đèn đường tắt cả dãy phố.",
                latitude=HERE[0],
                longitude=HERE[1],
            )
            numbers.append(report.number)

    errors = [o for o in at_once(work, THREADS) if isinstance(o, Exception)]
    check(numbers, errors, Report.objects.count(), ReportCounter.objects.get().last)
