"""Benchmark: household file import (CSV and XLSX) against a raw-SQL insert of the same rows.

    python -m bench.registry_import --size small|full [--database-url URL] [--repeat N]

A 100,000-household file (10,000 at --size small), one row per household, is written with
`tabular.write_csv` / `tabular.write_xlsx` from HOUSEHOLD_COLUMNS and imported through the real
`importing.import_file` into emptied tables. The reference inserts the same rows, already parsed,
checked and encrypted, with two plain `cursor.executemany` INSERTs (household, then household year)
on the same database in the same run. ratio = our seconds ÷ reference seconds (lower is better).

After every import the tables are counted against the file (`lost`, `duplicates`), and after the
first import of each format every stored value is compared with the generated row (`mismatched`).
Peak memory is the growth of resident memory while one child process imports a file, for a file
a tenth of the size and for the full file: a streamed import grows by the same amount for both.

The database is a fresh SQLite file in a temporary directory, or the one that `--database-url` or
DATABASE_URL names (PostgreSQL). The benchmark only ever holds households coded "BK-…" of Xã Vệ
Giang and refuses a database that holds any other household. The last line of output is one JSON
object (see DESIGN.md, "Quality bars").
"""

import argparse
import contextlib
import gc
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SIZES = {"small": 10_000, "full": 100_000}
REPEAT = {"small": 3, "full": 2}
COMMUNE = "21238"
CODE_PREFIX = "BK-"
SEED = 20250701


def configure(database_url: str | None) -> str | None:
    """Point Django at the benchmark database before it starts; returns a temp dir to remove."""
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory
    scratch = None
    if not database_url:
        scratch = tempfile.mkdtemp(prefix="xtm-bench-registry-")
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    return scratch


# The rows ---------------------------------------------------------------------------------------


def household_rows(count: int, villages: list[str]) -> Iterator[dict]:
    """`count` valid households with 2025 figures, the same for the same count (one seeded generator)."""
    from smartcommune.core import identifiers

    rng = random.Random(SEED)
    prefixes = sorted(identifiers.mobile_prefixes())[:20]
    surnames = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng")
    for n in range(1, count + 1):
        village = villages[n % len(villages)]
        members = rng.choices((1, 2, 3, 4, 5, 6, 7), weights=(7, 17, 22, 28, 15, 7, 4))[0]
        working = rng.randint(0, members)
        trained = rng.randint(0, working)
        female, born = rng.random() < 0.3, rng.randint(1940, 2002)
        poverty = rng.choices(("ngheo", "can_ngheo", "khong"), weights=(3, 3, 94))[0]
        yield {
            "code": f"{CODE_PREFIX}{n:06d}",
            "village": village,
            "address": f"Xóm {rng.randint(1, 9)}, thôn {village}",
            "head_name": f"{rng.choice(surnames)} {'Thị' if female else 'Văn'} Mẫu {n:06d}",
            "head_id_number": (
                f"051{(born - 1900) // 100 * 2 + female}{born % 100:02d}{n % 10**6:06d}" if rng.random() < 0.6 else None
            ),
            "phone": f"{rng.choice(prefixes)}{n % 10**7:07d}" if rng.random() < 0.7 else None,
            "year": 2025,
            "members": members,
            "poverty": poverty,
            "housing": rng.choices(("kien_co", "ban_kien_co", "nha_tam"), weights=(75, 24, 1))[0],
            "safe_electricity": rng.random() < 0.995,
            "clean_water": rng.random() < 0.92,
            "hygienic_latrine": rng.random() < 0.88,
            "insured_members": rng.randint(max(0, members - 1), members),
            "working_age_members": working,
            "employed_members": rng.randint(max(0, working - 1), working),
            "trained_workers": trained,
            "certified_workers": rng.randint(0, trained),
            "income": members * rng.randrange(12_000_000, 150_000_000, 100_000),
            "smartphone": rng.random() < 0.85,
            "broadband": rng.random() < 0.65,
            "e_payment": rng.random() < 0.6,
            "digital_address": None,
        }


def write_files(directory: Path, count: int, villages: list[str]) -> dict[str, Path]:
    from smartcommune.core import tabular
    from smartcommune.registry import importing

    paths = {"csv": directory / f"households-{count}.csv", "xlsx": directory / f"households-{count}.xlsx"}
    with paths["csv"].open("w", encoding="utf-8", newline="") as out:
        tabular.write_csv(importing.HOUSEHOLD_COLUMNS, household_rows(count, villages), out)
    with paths["xlsx"].open("wb") as out:
        tabular.write_xlsx(importing.HOUSEHOLD_COLUMNS, household_rows(count, villages), out)
    return paths


# The database -----------------------------------------------------------------------------------


def prepare_database():
    """Migrate, load the administrative units and the demo villages; refuse data that is not ours."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from smartcommune.places import demo as places_demo
    from smartcommune.places.models import Commune
    from smartcommune.registry.models import Household

    has_table = Household._meta.db_table in connection.introspection.table_names()
    if has_table and Household.objects.exclude(code__startswith=CODE_PREFIX).exists():  # before touching anything
        sys.exit("This database holds households that the benchmark did not make: give it an empty database.")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):  # a re-run skips post-migrate work
        call_command("migrate", verbosity=0)
    if not Commune.objects.filter(code=COMMUNE).exists():
        call_command("load_places", verbosity=0, stdout=io.StringIO())
    commune = places_demo.run(log=lambda message: None)
    villages = sorted(commune.villages.values_list("code", flat=True))
    return commune, villages


def empty(commune) -> None:
    """Remove the benchmark's households, yearly records and their history, in plain SQL."""
    from django.db import connection

    from smartcommune.registry.models import Household, HouseholdYear

    tables = {
        "household": Household._meta.db_table,
        "year": HouseholdYear._meta.db_table,
        "household_history": Household.history.model._meta.db_table,
        "year_history": HouseholdYear.history.model._meta.db_table,
    }
    ours = f"SELECT id FROM {tables['household_history']} WHERE code LIKE %s"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tables['year_history']} WHERE household_id IN ({ours})", [CODE_PREFIX + "%"])
        cursor.execute(f"DELETE FROM {tables['household_history']} WHERE code LIKE %s", [CODE_PREFIX + "%"])
        cursor.execute(
            f"DELETE FROM {tables['year']} WHERE household_id IN (SELECT id FROM {tables['household']} WHERE commune_id = %s)",
            [commune.pk],
        )
        cursor.execute(f"DELETE FROM {tables['household']} WHERE commune_id = %s", [commune.pk])
        if connection.vendor == "postgresql":  # reclaim the dead rows so every run starts alike
            for table in tables.values():
                cursor.execute(f"VACUUM ANALYZE {table}")


def counts(commune, expected: int) -> dict[str, int]:
    """lost: file rows missing from the tables; duplicates: rows stored more than once."""
    from smartcommune.registry.models import Household, HouseholdYear

    households = Household.objects.in_commune(commune)
    years = HouseholdYear.objects.filter(household__commune=commune, year=2025)
    distinct_households = households.values("code").distinct().count()
    distinct_years = years.values("household_id").distinct().count()
    return {
        "lost": max(0, expected - distinct_households) + max(0, expected - distinct_years),
        "duplicates": (households.count() - distinct_households) + (years.count() - distinct_years),
    }


def mismatches(commune, count: int, villages: list[str]) -> int:
    """Stored rows whose values differ from the generated row (or that the file did not hold)."""
    from smartcommune.registry import importing
    from smartcommune.registry.models import HouseholdYear

    fields = ["household__code", "household__village__code", "household__address", "household__head_name"]
    fields += ["household__head_id_number", "household__phone", "year", *importing.YEAR_FIELDS]
    stored = {
        row[0]: row
        for row in HouseholdYear.objects.filter(household__commune=commune).values_list(*fields).iterator(5000)
    }
    wrong = 0
    for row in household_rows(count, villages):
        expected = (row["code"], row["village"], row["address"], row["head_name"], row["head_id_number"] or "")
        expected += (row["phone"] or "", row["year"], *[row[f] for f in importing.YEAR_FIELDS[:-1]], "")
        wrong += stored.pop(row["code"], None) != expected
    return wrong + len(stored)


# The runs ---------------------------------------------------------------------------------------


def import_seconds(commune, path: Path) -> float:
    from smartcommune.registry import importing

    gc.collect()
    with path.open("rb") as fileobj:
        started = time.perf_counter()
        result = importing.import_file(kind="households", commune=commune, fileobj=fileobj)
        seconds = time.perf_counter() - started
    if not result.ok:
        sys.exit(f"The import of {path.name} was refused: {result.errors[:5]}")
    return seconds


def reference_seconds(commune, count: int, villages: list[str], *, copy: bool = False) -> float:
    """The same rows, already parsed, checked and encrypted, by two plain executemany INSERTs
    (or, with `copy`, two PostgreSQL COPYs: the fastest way in, shown for comparison)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from smartcommune.core import crypto
    from smartcommune.registry import importing
    from smartcommune.registry.models import Household, HouseholdYear

    village_ids = dict(commune.villages.values_list("code", "id"))
    now = timezone.now()
    households, years = [], []
    for row in household_rows(count, villages):
        cccd = row["head_id_number"] or ""
        sealed = (crypto.encrypt(cccd), crypto.digest(cccd)) if cccd else ("", "")
        search_key = Household.make_search_key(row["code"], row["head_name"], row["address"])
        place = (commune.pk, row["code"], village_ids[row["village"]], row["address"])
        households.append((*place, row["head_name"], *sealed, row["phone"] or "", search_key, True, now, now))
        years.append((row["code"], row["year"], *[row[f] for f in importing.YEAR_FIELDS[:-1]], "", now))
    household_columns = ["commune_id", "code", *importing.HOUSEHOLD_FIELDS, "is_active", "created_at", "updated_at"]
    year_columns = ["household_id", "year", *importing.YEAR_FIELDS, "updated_at"]
    gc.collect()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _write(cursor, Household, household_columns, households, copy)
        cursor.execute(f"SELECT code, id FROM {Household._meta.db_table} WHERE commune_id = %s", [commune.pk])
        ids = dict(cursor.fetchall())
        _write(cursor, HouseholdYear, year_columns, [(ids[code], *rest) for code, *rest in years], copy)
    return time.perf_counter() - started


def _write(cursor, model, attnames: list[str], rows: list[tuple], copy: bool) -> None:
    from django.db import connection

    column = {f.attname: f.column for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(column[name]) for name in attnames)
    if copy:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(attnames))})", rows)


def peak_memory_mb(path: Path, warm_up: Path, database_url: str) -> float:
    """Growth of resident memory while a fresh process imports `path` (run with --probe), after it
    imported the small `warm_up` file, so that first-use costs (imports, catalogues) do not count."""
    command = [sys.executable, "-m", "bench.registry_import", "--probe", str(path), "--warm-up", str(warm_up)]
    command += ["--database-url", database_url]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, capture_output=True, text=True, cwd=root)
    if done.returncode != 0:
        sys.exit(f"The memory probe of {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])["peak_mb"]


def probe(path: Path, warm_up: Path) -> None:
    """Child process of peak_memory_mb: import one file into the (emptied) tables, print the growth."""
    from smartcommune.places.models import Commune

    commune = Commune.objects.get(code=COMMUNE)
    import_seconds(commune, warm_up)
    empty(commune)
    gc.collect()
    # Reset the kernel's high-water mark to the present size, so that it counts from here; without
    # /proc the peak since start counts, which start-up keeps below an import's.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    baseline = _memory_kb("VmRSS")
    import_seconds(commune, path)
    print(json.dumps({"peak_mb": round((_memory_kb("VmHWM") - baseline) / 1024, 1)}))


def _memory_kb(key: str) -> int:
    """Resident memory now (VmRSS) or at its peak (VmHWM), in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # no /proc: the peak is all there is


# Main -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--repeat", type=int, help="timed runs of each kind; the best counts")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm-up", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    scratch = configure(args.database_url)
    if args.probe:
        probe(args.probe, args.warm_up)
        return {}
    try:
        return run(args, os.environ["DATABASE_URL"])
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, database_url: str) -> dict:
    from django.db import connection

    count, repeat = SIZES[args.size], args.repeat or REPEAT[args.size]
    commune, villages = prepare_database()
    directory = Path(tempfile.mkdtemp(prefix="xtm-bench-registry-files-"))
    try:
        started = time.perf_counter()
        files = write_files(directory, count, villages)
        small = write_files(directory, count // 10, villages)
        tiny = write_files(directory, 100, villages)
        print(f"Files of {count:,} rows written in {time.perf_counter() - started:.1f} s "
              f"(CSV {files['csv'].stat().st_size / 2**20:.1f} MB, XLSX {files['xlsx'].stat().st_size / 2**20:.1f} MB).")  # fmt: skip
        kinds = ["csv", "xlsx", "reference"] + (["copy"] if connection.vendor == "postgresql" else [])
        best = dict.fromkeys(kinds, float("inf"))
        integrity = {"lost": 0, "duplicates": 0, "mismatched": 0}
        for attempt in range(repeat):
            for kind in best:
                empty(commune)
                if kind in ("reference", "copy"):
                    seconds = reference_seconds(commune, count, villages, copy=kind == "copy")
                else:
                    seconds = import_seconds(commune, files[kind])
                best[kind] = min(best[kind], seconds)
                for key, value in counts(commune, count).items():
                    integrity[key] += value
                if attempt == 0:
                    integrity["mismatched"] += mismatches(commune, count, villages)
                print(f"  run {attempt + 1}/{repeat} {kind:<9} {seconds:6.2f} s  {count / seconds:9,.0f} rows/s")
        memory = {"csv": {}, "xlsx": {}}
        for rows, paths in ((count // 10, small), (count, files)):
            for kind in memory:
                empty(commune)
                memory[kind][str(rows)] = peak_memory_mb(paths[kind], tiny[kind], database_url)
                for key, value in counts(commune, rows).items():
                    integrity[key] += value
        empty(commune)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    rate = {kind: count / seconds for kind, seconds in best.items()}
    result = {
        "bench": "registry_import",
        "value": round(rate["csv"]),
        "unit": "rows/s",
        "reference": round(rate["reference"]),
        "ratio": round(best["csv"] / best["reference"], 2),
        "size": args.size,
        "database": connection.vendor,
        "rows": count,
        **integrity,
        "xlsx_rows_per_s": round(rate["xlsx"]),
        "xlsx_ratio": round(best["xlsx"] / best["reference"], 2),
        **({"copy_rows_per_s": round(rate["copy"])} if "copy" in rate else {}),
        "seconds": {kind: round(seconds, 3) for kind, seconds in best.items()},
        "peak_mb_csv": memory["csv"],
        "peak_mb_xlsx": memory["xlsx"],
    }
    print()
    print(f"Household import, {count:,} rows, {connection.vendor} (best of {repeat}):")
    print(f"  {'':<22}{'seconds':>9}{'rows/s':>11}{'× reference':>13}")
    labels = {
        "csv": "import_file, CSV",
        "xlsx": "import_file, XLSX",
        "reference": "raw executemany",
        "copy": "raw COPY",
    }
    for kind, label in labels.items():
        if kind not in best:
            continue
        print(f"  {label:<22}{best[kind]:9.2f}{rate[kind]:11,.0f}{best[kind] / best['reference']:13.2f}")
    for kind in memory:
        growth = ", ".join(f"{int(rows):,} rows {mb:.1f} MB" for rows, mb in memory[kind].items())
        print(f"  peak memory growth, {kind.upper():<4} {growth}")
    print(f"  lost {integrity['lost']}, duplicates {integrity['duplicates']}, mismatched {integrity['mismatched']}")
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
