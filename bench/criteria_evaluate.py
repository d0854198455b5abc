"""Benchmark: evaluating every household-derived New Rural indicator for a whole province.

    python -m bench.criteria_evaluate --size small|full [--database-url URL]

A province of 100 communes with 10 villages each and 1,000,000 households (size full; 10 communes
and 100,000 households at size small) gets one year of household figures. We time
`evaluation.registry_figures` — every registry-computed indicator of the QĐ 318 set for every commune
and village, the way the dashboards compute it on each request — against ONE hand-written SQL
aggregate computing the same numerators and denominators in the same run, and check that both give
the same numbers. ratio = our seconds ÷ the SQL's seconds (lower is better; aim ≤ 2, and < 10 s).

Full size is meant for PostgreSQL (default postgres://postgres@127.0.0.1:5432/xtm_bench_criteria,
created if missing); small runs on a fresh SQLite file unless a database URL is given.
The last line of output is one JSON object (DESIGN.md, "Quality bars").
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {"small": (10, 10_000), "full": (100, 10_000)}  # communes, households per commune
PROVINCE = "38"  # Thanh Hóa: 166 communes, enough for a 100-commune province
YEAR = 2025
SEED = 318
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/xtm_bench_criteria"

# The hand-written reference: the numerators and denominators of QĐ 318's household indicators.
REFERENCE_SQL = """
SELECT h.commune_id, h.village_id,
  COUNT(*) AS households,
  SUM(CASE WHEN y.safe_electricity THEN 1 ELSE 0 END) AS electricity_n,
  SUM(CASE WHEN y.safe_electricity IS NOT NULL THEN 1 ELSE 0 END) AS electricity_d,
  SUM(CASE WHEN y.housing = 'nha_tam' THEN 1 ELSE 0 END) AS temporary_n,
  SUM(CASE WHEN y.housing IN ('kien_co', 'ban_kien_co') THEN 1 ELSE 0 END) AS solid_n,
  SUM(CASE WHEN y.housing IS NOT NULL THEN 1 ELSE 0 END) AS housing_d,
  SUM(CASE WHEN y.income IS NOT NULL AND y.members IS NOT NULL THEN y.income END) AS income_n,
  SUM(CASE WHEN y.income IS NOT NULL AND y.members IS NOT NULL THEN y.members END) AS income_d,
  SUM(CASE WHEN y.poverty = 'ngheo' THEN 1 ELSE 0 END) AS poor_n,
  SUM(CASE WHEN y.poverty IS NOT NULL THEN 1 ELSE 0 END) AS poverty_d,
  SUM(CASE WHEN y.employed_members IS NOT NULL AND y.working_age_members IS NOT NULL THEN y.employed_members END) AS employed_n,
  SUM(CASE WHEN y.employed_members IS NOT NULL AND y.working_age_members IS NOT NULL THEN y.working_age_members END) AS employed_d,
  SUM(CASE WHEN y.trained_workers IS NOT NULL AND y.working_age_members IS NOT NULL THEN y.trained_workers END) AS trained_n,
  SUM(CASE WHEN y.trained_workers IS NOT NULL AND y.working_age_members IS NOT NULL THEN y.working_age_members END) AS trained_d,
  SUM(CASE WHEN y.certified_workers IS NOT NULL AND y.trained_workers IS NOT NULL THEN y.certified_workers END) AS certified_n,
  SUM(CASE WHEN y.certified_workers IS NOT NULL AND y.trained_workers IS NOT NULL THEN y.trained_workers END) AS certified_d,
  SUM(CASE WHEN y.insured_members IS NOT NULL AND y.members IS NOT NULL THEN y.insured_members END) AS insured_n,
  SUM(CASE WHEN y.insured_members IS NOT NULL AND y.members IS NOT NULL THEN y.members END) AS insured_d,
  SUM(CASE WHEN y.clean_water THEN 1 ELSE 0 END) AS water_n,
  SUM(CASE WHEN y.clean_water IS NOT NULL THEN 1 ELSE 0 END) AS water_d,
  SUM(CASE WHEN y.hygienic_latrine THEN 1 ELSE 0 END) AS latrine_n,
  SUM(CASE WHEN y.hygienic_latrine IS NOT NULL THEN 1 ELSE 0 END) AS latrine_d
FROM registry_householdyear y JOIN registry_household h ON h.id = y.household_id
WHERE y.year = %s AND h.is_active AND h.commune_id IN ({ids})
GROUP BY h.commune_id, h.village_id
"""
# Which reference columns give each indicator's numerator and denominator (None: no denominator).
REFERENCE_COLUMNS = {
    "4.2": ("electricity_n", "electricity_d"),
    "9.1": ("temporary_n", None),
    "9.2": ("solid_n", "housing_d"),
    "10": ("income_n", "income_d"),
    "11": ("poor_n", "poverty_d"),
    "12.1": ("employed_n", "employed_d"),
    "12.2": ("trained_n", "trained_d"),
    "12.3": ("certified_n", "certified_d"),
    "15.1": ("insured_n", "insured_d"),
    "17.1": ("water_n", "water_d"),
    "17.6": ("latrine_n", "latrine_d"),
}


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


def build(communes_wanted: int, per_commune: int) -> list:
    """Villages and households with one year of figures; returns the communes. Skipped when present."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from smartcommune.places.models import Commune, Village
    from smartcommune.registry.models import Household, HouseholdYear

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0)
    call_command("load_criteria", verbosity=0)
    communes = list(Commune.objects.filter(province__code=PROVINCE).order_by("code")[:communes_wanted])
    expected = communes_wanted * per_commune
    if HouseholdYear.objects.filter(year=YEAR, household__commune__in=communes).count() == expected:
        return communes
    HouseholdYear.objects.all().delete()
    Household.objects.all().delete()
    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        for commune in communes:
            for v in range(10):
                Village.objects.get_or_create(commune=commune, code=f"B{v:02d}", defaults={"name": f"Thôn {v + 1}"})
        village_ids = {
            c: list(
                Village.objects.filter(commune_id=c, code__startswith="B").order_by("code").values_list("id", flat=True)
            )
            for c in [c.pk for c in communes]
        }
        now = "2025-12-31 00:00:00"
        for commune in communes:
            households = []
            for n in range(per_commune):
                code = f"B-{commune.code}-{n:06d}"
                households.append(
                    (
                        commune.pk,
                        village_ids[commune.pk][n % 10],
                        code,
                        "",
                        f"Hộ {n}",
                        "",
                        "",
                        "",
                        code.lower(),
                        True,
                        now,
                        now,
                    )
                )
            _bulk(connection, "registry_household",
                  "commune_id, village_id, code, address, head_name, head_id_number, head_id_digest, phone, search_key, is_active, created_at, updated_at",
                  households)  # fmt: skip
        ids = dict(Household.objects.values_list("code", "id"))
        years = []
        for household_id in ids.values():
            members = rng.randint(1, 7)
            working = rng.randint(0, members)
            trained = rng.randint(0, working)
            years.append(
                (household_id, YEAR, members, rng.choices(["ngheo", "can_ngheo", "khong"], [3, 4, 93])[0],
                 rng.choices(["kien_co", "ban_kien_co", "nha_tam"], [70, 29, 1])[0], rng.random() < 0.99,
                 rng.random() < 0.93, rng.random() < 0.9, rng.randint(0, members), working, rng.randint(0, working),
                 trained, rng.randint(0, trained), rng.randint(40, 90) * members * 1_000_000, rng.random() < 0.85,
                 rng.random() < 0.6, rng.random() < 0.6, "", now)
            )  # fmt: skip
            if len(years) >= 50_000:
                _bulk(connection, "registry_householdyear", YEAR_COLUMNS, years)
                years.clear()
        _bulk(connection, "registry_householdyear", YEAR_COLUMNS, years)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {expected:,} households in {time.perf_counter() - started:.1f} s", flush=True)
    return communes


YEAR_COLUMNS = (
    "household_id, year, members, poverty, housing, safe_electricity, clean_water, hygienic_latrine, insured_members, "
    "working_age_members, employed_members, trained_workers, certified_workers, income, smartphone, broadband, "
    "e_payment, digital_address, updated_at"
)


def _bulk(connection, table: str, columns: str, rows: list) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def reference(communes) -> tuple[dict, float]:
    from django.db import connection

    sql = REFERENCE_SQL.format(ids=", ".join(str(c.pk) for c in communes))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [YEAR])
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {(r["commune_id"], r["village_id"]): r for r in rows}, time.perf_counter() - started


def ours(communes, criteria_set) -> tuple[dict, float]:
    from smartcommune.criteria import evaluation

    started = time.perf_counter()
    figures = evaluation.registry_figures(communes, criteria_set, YEAR)
    return figures, time.perf_counter() - started


def compare(figures: dict, rows: dict) -> int:
    """Villages whose numerators or denominators differ between our evaluation and the SQL."""
    mismatched = 0
    for key, row in rows.items():
        mine = figures.get(key)
        for code, (n, d) in REFERENCE_COLUMNS.items():
            figure = mine[code]
            numerator_differs = int(figure.numerator or 0) != int(row[n] or 0)
            denominator_differs = (
                bool(d) and figure.denominator is not None and int(figure.denominator) != int(row[d] or 0)
            )
            mismatched += numerator_differs or denominator_differs
    return mismatched


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    scratch = None
    url = args.database_url or (DEFAULT_PG if args.size == "full" else None)
    if url is None:
        scratch = tempfile.mkdtemp(prefix="xtm-bench-criteria-")
        url = f"sqlite:///{scratch}/bench.sqlite3"
    elif url.startswith("postgres"):
        ensure_pg_database(url)
    try:
        configure(url)
        from django.db import connection

        from smartcommune.criteria.models import CriteriaSet

        communes_wanted, per_commune = SIZES[args.size]
        communes = build(communes_wanted, per_commune)
        criteria_set = CriteriaSet.objects.get(code="qd318-xa-ntm")
        ref_times, our_times = [], []
        for _ in range(args.repeat):
            rows, seconds = reference(communes)
            ref_times.append(seconds)
            figures, seconds = ours(communes, criteria_set)
            our_times.append(seconds)
        mismatched = compare(figures, rows)
        ours_s, ref_s = min(our_times), min(ref_times)
        households = sum(r["households"] for r in rows.values())
        print(f"{connection.vendor}: {len(communes)} communes, {len(rows)} villages, {households:,} households")
        print(f"evaluation (every registry indicator, every commune and village): {ours_s:.3f} s")
        print(f"hand-written SQL aggregate of the same numerators/denominators:   {ref_s:.3f} s")
        print(json.dumps({
            "bench": "criteria_evaluate", "value": round(ours_s, 3), "unit": "s", "reference": round(ref_s, 3),
            "ratio": round(ours_s / ref_s, 2), "database": connection.vendor, "communes": len(communes),
            "villages": len(rows), "households": households, "mismatched": mismatched,
        }))  # fmt: skip
        return 1 if mismatched else 0
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
