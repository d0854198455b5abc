"""Benchmark: the programme's budget summary, and disbursements racing for the same allocations.

    python -m bench.program_budget --size small|full [--database-url URL]

One commune holds a year's budget: 200 lines with 10,000 disbursements (size small) or 2,000 lines with
100,000 disbursements (size full), spread over the funding sources and spending categories. We time
`selectors.budget_summary` — what the budget page, the .xlsx reports, the API and the progress report
compute on each request — against ONE hand-written SQL aggregate of the same planned / allocated /
disbursed sums by source and category, measured in the same run, and check that both give the same
numbers (`mismatched`). ratio = our seconds ÷ the SQL's seconds (lower is better).

Then 8 threads fire 400 disbursements at 10 allocations that can take only part of them, through
`services.budget.disbursement_create`; afterwards no allocation may be overspent (`overspent`), and every
accepted disbursement must be stored once (`lost`, `duplicates`).

Full size is meant for PostgreSQL (default postgres://postgres@127.0.0.1:5432/xtm_bench_program, created
if missing); small runs on a fresh SQLite file unless a database URL is given. The last line of output is
one JSON object (DESIGN.md, "Quality bars").
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

SIZES = {"small": (200, 50), "full": (2000, 50)}  # budget lines, disbursements per line
COMMUNE = "21238"
YEAR = 2025
UNTIL = date(2025, 6, 30)
SEED = 924
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/xtm_bench_program"
RACE_THREADS, RACE_ATTEMPTS, RACE_ALLOCATIONS = 8, 50, 10  # 8 × 50 attempts at 10 allocations

REFERENCE_SQL = """
SELECT l.source_id, l.category_id, SUM(l.planned), SUM(COALESCE(a.allocated, 0)), SUM(COALESCE(d.paid, 0))
FROM program_budgetline l
LEFT JOIN (SELECT line_id, SUM(amount) AS allocated FROM program_allocation GROUP BY line_id) a ON a.line_id = l.id
LEFT JOIN (
    SELECT al.line_id, SUM(di.amount) AS paid
    FROM program_disbursement di JOIN program_allocation al ON al.id = di.allocation_id
    WHERE di.paid_on <= %s GROUP BY al.line_id
) d ON d.line_id = l.id
WHERE l.commune_id = %s AND l.year = %s
GROUP BY l.source_id, l.category_id
"""


def configure(database_url: str) -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_TESTING="1", DJANGO_DEBUG="0")
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def ensure_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0]
    found = subprocess.run(
        ["psql", f"{base}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != "1":
        subprocess.run(["psql", f"{base}/postgres", "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)


def build(lines_wanted: int, per_line: int):
    """The commune's plan, tasks and budget; rebuilt unless already there at this size."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from smartcommune.places.models import Commune
    from smartcommune.program.models import (
        Allocation,
        BudgetLine,
        Disbursement,
        FundingSource,
        Objective,
        Plan,
        Settlement,
        SpendingCategory,
        Task,
    )

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0)
    commune = Commune.objects.get(code=COMMUNE)
    wanted = lines_wanted * per_line
    if (
        BudgetLine.objects.filter(commune=commune, year=YEAR).count() == lines_wanted
        and Disbursement.objects.count() == wanted
    ):
        return commune
    Settlement.objects.all().delete()
    Disbursement.objects.all().delete()
    Allocation.objects.all().delete()
    BudgetLine.objects.all().delete()
    Task.objects.all().delete()
    Objective.objects.all().delete()
    Plan.objects.all().delete()
    rng = random.Random(SEED)
    started = time.perf_counter()
    sources = [s for s in FundingSource.objects.filter(is_active=True) if not s.children.exists()]
    categories = list(SpendingCategory.objects.filter(is_active=True))
    with transaction.atomic():
        plan = Plan.objects.create(
            commune=commune, number="BENCH/KH", issued_on=date(2025, 1, 2), title="Bench",
            period_from=date(2025, 1, 1), period_to=date(2025, 12, 31),
        )  # fmt: skip
        objective = Objective.objects.create(plan=plan, number=1, title="Bench")
        tasks = Task.objects.bulk_create(
            Task(commune=commune, objective=objective, code=f"NV-{n:05d}", title=f"Nhiệm vụ {n}", unit_kind="front",
                 start_on=date(2025, 1, 1), deadline=date(2025, 12, 31))
            for n in range(lines_wanted + RACE_ALLOCATIONS)
        )  # fmt: skip
        lines = BudgetLine.objects.bulk_create(
            BudgetLine(commune=commune, year=YEAR, source=rng.choice(sources), category=rng.choice(categories),
                       content=f"Dòng {n}", planned=rng.randint(50, 900) * 1_000_000)
            for n in range(lines_wanted)
        )  # fmt: skip
        allocations = Allocation.objects.bulk_create(
            Allocation(line=line, task=tasks[n], amount=line.planned - rng.randint(0, 10) * 1_000_000,
                       allocated_on=date(2025, 1, 5))
            for n, line in enumerate(lines)
        )  # fmt: skip
        batch = []
        for allocation in allocations:
            each = allocation.amount // (per_line * 2)
            for k in range(per_line):
                batch.append(
                    Disbursement(allocation=allocation, paid_on=date(2025, 1 + (k * 11) // per_line, 1 + k % 28),
                                 amount=rng.randint(1, max(1, each)), document_number=f"PC {k}")
                )  # fmt: skip
            if len(batch) >= 20_000:
                Disbursement.objects.bulk_create(batch)
                batch.clear()
        Disbursement.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"built {lines_wanted:,} lines and {wanted:,} disbursements in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return commune


def reference(commune) -> tuple[dict, float]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, [UNTIL, commune.pk, YEAR])
        rows = cursor.fetchall()
    return {(s, c): (int(p), int(a), int(d)) for s, c, p, a, d in rows}, time.perf_counter() - started


def ours(commune):
    from smartcommune.program import selectors

    started = time.perf_counter()
    summary = selectors.budget_summary(commune, YEAR, until=UNTIL)
    return summary, time.perf_counter() - started


def compare(summary, rows: dict) -> int:
    """Sources, categories and the total whose sums differ between the summary and the SQL."""
    from smartcommune.program.models import FundingSource, SpendingCategory

    mismatched = 0
    codes = dict(FundingSource.objects.values_list("pk", "code"))
    by_source, by_category, total = {}, {}, [0, 0, 0]
    for (source_id, category_id), values in rows.items():
        for key, bucket in ((codes[source_id], by_source), (category_id, by_category)):
            bucket[key] = [x + y for x, y in zip(bucket.get(key, [0, 0, 0]), values, strict=True)]
        total = [x + y for x, y in zip(total, values, strict=True)]
    for row in summary.by_source:
        if row.level == 1 or not any(r.code.startswith(row.code + ".") for r in summary.by_source):
            want = by_source.get(row.code, [0, 0, 0])
            mismatched += [row.amounts.planned, row.amounts.allocated, row.amounts.disbursed] != want
    categories = dict(SpendingCategory.objects.values_list("code", "pk"))
    for row in summary.by_category:
        if row.level == 1:
            want = by_category.get(categories[row.code], [0, 0, 0])
            mismatched += [row.amounts.planned, row.amounts.allocated, row.amounts.disbursed] != want
    t = summary.total
    mismatched += [t.planned, t.allocated, t.disbursed] != total
    return mismatched


def race(commune) -> dict:
    """Threads disbursing from the same few allocations at once: nothing overspent, lost or duplicated."""
    from django.core.exceptions import ValidationError
    from django.db import OperationalError, close_old_connections
    from django.db.models import Sum

    from smartcommune.program.models import Allocation, BudgetLine, Disbursement, FundingSource, SpendingCategory, Task
    from smartcommune.program.services import budget

    source = FundingSource.objects.get(code="II.2")
    category = SpendingCategory.objects.get(code="sn-dao-tao")
    Disbursement.objects.filter(allocation__line__content__startswith="Đua ").delete()
    Allocation.objects.filter(line__content__startswith="Đua ").delete()
    BudgetLine.objects.filter(content__startswith="Đua ").delete()
    spare = list(Task.objects.filter(commune=commune).order_by("-code")[:RACE_ALLOCATIONS])
    allocations = []
    for n, task in enumerate(spare):
        line = BudgetLine.objects.create(commune=commune, year=YEAR, source=source, category=category,
                                         content=f"Đua {n}", planned=10_000_000)  # fmt: skip
        allocations.append(
            Allocation.objects.create(line=line, task=task, amount=10_000_000, allocated_on=date(2025, 2, 1))
        )
    accepted, refused, busy = [], [], []
    barrier = threading.Barrier(RACE_THREADS)

    def work(n: int) -> None:
        rng = random.Random(SEED + n)
        try:
            barrier.wait(timeout=30)
            for k in range(RACE_ATTEMPTS):
                allocation = rng.choice(allocations)
                number = f"R{n}-{k}"
                try:
                    budget.disbursement_create(allocation=allocation, paid_on=date(2025, 3, 1), amount=1_000_000,
                                               document_number=number, by=None)  # fmt: skip
                    accepted.append(number)
                except ValidationError:
                    refused.append(number)
                except OperationalError:
                    busy.append(number)
        finally:
            close_old_connections()

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(RACE_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    stored = list(Disbursement.objects.filter(allocation__in=allocations).values_list("document_number", flat=True))
    overspent = sum(
        1 for a in Allocation.objects.filter(pk__in=[a.pk for a in allocations]).annotate(paid=Sum("disbursements__amount"))
        if (a.paid or 0) > a.amount
    )  # fmt: skip
    return {
        "race_attempts": RACE_THREADS * RACE_ATTEMPTS,
        "race_accepted": len(accepted),
        "race_busy": len(busy),
        "race_seconds": round(seconds, 3),
        "overspent": overspent,
        "lost": len(set(accepted) - set(stored)),
        "duplicates": len(stored) - len(set(stored)) + len(set(stored) - set(accepted)),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    scratch = None
    url = args.database_url or (DEFAULT_PG if args.size == "full" else None)
    if url is None:
        scratch = tempfile.mkdtemp(prefix="xtm-bench-program-")
        url = f"sqlite:///{scratch}/bench.sqlite3"
    elif url.startswith("postgres"):
        ensure_pg_database(url)
    try:
        configure(url)
        from django.db import connection

        lines_wanted, per_line = SIZES[args.size]
        commune = build(lines_wanted, per_line)
        ref_times, our_times = [], []
        for _ in range(args.repeat):
            rows, seconds = reference(commune)
            ref_times.append(seconds)
            summary, seconds = ours(commune)
            our_times.append(seconds)
        mismatched = compare(summary, rows)
        integrity = race(commune)
        ours_s, ref_s = min(our_times), min(ref_times)
        print(f"{connection.vendor}: {len(summary.lines):,} budget lines, {lines_wanted * per_line:,} disbursements")
        print(f"budget summary (by line, source and category, to 30/06): {ours_s:.3f} s")
        print(f"hand-written SQL aggregate of the same sums:            {ref_s:.3f} s")
        print(
            f"race: {integrity['race_attempts']} disbursements from {RACE_THREADS} threads, "
            f"{integrity['race_accepted']} accepted (10 allocations × 10 fit), {integrity['overspent']} overspent"
        )
        print(json.dumps({
            "bench": "program_budget", "value": round(ours_s, 4), "unit": "s", "reference": round(ref_s, 4),
            "ratio": round(ours_s / ref_s, 2), "database": connection.vendor, "lines": len(summary.lines),
            "disbursements": lines_wanted * per_line, "mismatched": mismatched, **integrity,
        }))  # fmt: skip
        failed = mismatched or integrity["overspent"] or integrity["lost"] or integrity["duplicates"]
        return 1 if failed else 0
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
