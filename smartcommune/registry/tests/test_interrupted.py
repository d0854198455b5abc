"""A process killed half-way through an import leaves the database exactly as it was."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from smartcommune.registry import importing

from .conftest import csv_bytes, household_row

ROOT = Path(__file__).resolve().parents[3]


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, **kwargs
    )


def test_killing_an_import_half_way_leaves_nothing_behind(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_TESTING": "1"}
    manage(env, "migrate", "-v0")
    manage(env, "load_places")
    villages = csv_bytes([{"code": "T01", "name": "Thôn Một"}], importing.VILLAGE_COLUMNS)
    (tmp_path / "villages.csv").write_bytes(villages)
    manage(env, "import_data", "villages", "21238", str(tmp_path / "villages.csv"))
    (tmp_path / "small.csv").write_bytes(csv_bytes([household_row(f"OLD{i}") for i in range(3)]))
    manage(env, "import_data", "households", "21238", str(tmp_path / "small.csv"))

    big = tmp_path / "big.csv"
    big.write_bytes(csv_bytes([household_row(f"NEW{i:06d}", head_name=f"Hộ {i}") for i in range(20_000)]))
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_data", "households", "21238", str(big)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    # Progress is reported every 2,000 rows, after each batch is written: wait for three batches.
    seen, deadline = b"", time.monotonic() + 60
    while seen.count(b"\r") < 3:
        seen += os.read(process.stderr.fileno(), 256)
        assert time.monotonic() < deadline and process.poll() is None, seen
    process.send_signal(signal.SIGKILL)
    process.wait()

    check = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from smartcommune.registry.models import Household, HouseholdYear;"
        "print(Household.objects.count(), HouseholdYear.objects.count(), Household.objects.filter(code__startswith='NEW').count())",
        text=True,
    )
    assert check.stdout.split() == ["3", "3", "0"]
