"""Benchmark: community reports — the public map data, the public list and Open311 GET requests.json
with 100,000 reports, against minimal views returning the same rows in the same server; then 2,000
reports submitted over HTTP (Open311 POST) by 50 concurrent clients: none lost, numbers unique.

    python -m bench.feedback_reports --size small|full [--database-url URL] [--rounds N]

100,000 reports of Xã Vệ Giang (10,000 at --size small) spread over the last year are written with
bulk_create. Gunicorn (two sync workers, 127.0.0.1:8102) serves the real URLs and, from this module
used as the URL configuration (XTM_BENCH_ROOT_URLCONF, read by `application` below, not by config/),
three minimal views that fetch the same rows with raw SQL (the list also counts, as the page does) and
dump them with json.dumps or an f-string:

- map:     GET /phan-anh/21238/ban-do.geojson (public reports of the last 90 days, at most 5,000)
- list:    GET /phan-anh/21238/ (the public list page: 30 reports and the count)
- open311: GET /open311/v2/requests.json (the default 90-day window, at most 1,000)

Each pair is requested in alternation, one request at a time, after a warm-up; the median latency
counts. ratio = ours ÷ minimal (lower is better; the aim is 2 or less). Then 2,000 Open311 POSTs (500
at the small size) from 50 threads (20): `lost` counts reports answered or sent but not stored,
`duplicates` numbers given twice, `errors` answers other than 200.

The database is a fresh SQLite file in a temporary directory, or the one `--database-url` or
DATABASE_URL names (PostgreSQL); the benchmark refuses a database holding reports it did not make,
and removes its own at the end. The last line of output is one JSON object (DESIGN.md, "Quality bars").
"""

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

SIZES = {"small": (10_000, 500, 20), "full": (100_000, 2_000, 50)}
ROUNDS = {"small": 15, "full": 25}
COMMUNE = "21238"
PORT = 8102
HOST = "127.0.0.1"
MARK = "[bench] "  # every benchmark report's description starts with it
URLCONF_VARIABLE = "XTM_BENCH_ROOT_URLCONF"
ROOT = Path(__file__).resolve().parent.parent
SEED = 6102


def configure(database_url: str | None) -> str | None:
    """Point Django at the benchmark database before it starts; returns a temp dir to remove."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"
    os.environ["DJANGO_DEBUG"] = "0"
    scratch = None
    if not database_url:
        scratch = tempfile.mkdtemp(prefix="xtm-bench-feedback-")
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    return scratch


# The minimal views (served only by the benchmark's server) ----------------------------------------


def _commune_id() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM places_commune WHERE code = %s", [COMMUNE])
        return cursor.fetchone()[0]


def _ninety_days():
    from django.utils import timezone

    end = timezone.now()
    return end - timedelta(days=90), end


def minimal_map(request):
    from django.db import connection
    from django.http import HttpResponse

    start, _end = _ninety_days()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.number, r.latitude, r.longitude, r.status, r.created_at, c.name, c.code "
            "FROM feedback_report r JOIN feedback_category c ON c.id = r.category_id "
            "WHERE r.commune_id = %s AND r.is_public = %s AND r.created_at >= %s AND r.latitude IS NOT NULL "
            "ORDER BY r.created_at DESC LIMIT 5000",
            [_commune_id(), True, start],
        )
        rows = cursor.fetchall()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(long, 3), round(lat, 3)]},
            "properties": {"number": n, "category": name, "category_code": code, "status": s, "date": str(at)[:10]},
        }
        for n, lat, long, s, at, name, code in rows
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/geo+json")


def minimal_list(request):
    from django.db import connection
    from django.http import HttpResponse
    from django.utils.html import escape

    commune_id = _commune_id()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM feedback_report WHERE commune_id = %s AND is_public = %s", [commune_id, True]
        )
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT r.number, c.name, r.status, r.description, r.created_at, v.name FROM feedback_report r "
            "JOIN feedback_category c ON c.id = r.category_id LEFT JOIN places_village v ON v.id = r.village_id "
            "WHERE r.commune_id = %s AND r.is_public = %s ORDER BY r.created_at DESC, r.id DESC LIMIT 30",
            [commune_id, True],
        )
        rows = cursor.fetchall()
    items = "".join(
        f"<li>{escape(n)} {escape(c)} {escape(s)}<div>{escape(d[:160])}</div>{at:%d/%m/%Y} {escape(v or '')}</li>"
        for n, c, s, d, at, v in rows
    )
    return HttpResponse(f"<!doctype html><title>list</title><p>{count}</p><ul>{items}</ul>")


def minimal_requests(request):
    from django.db import connection
    from django.http import HttpResponse

    start, end = _ninety_days()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.number, r.status, r.status_notes, c.name, c.code, r.description, r.unit, r.created_at, "
            "r.updated_at, r.closed_at, r.deadline, v.name, v.code, r.latitude, r.longitude, r.media_url "
            "FROM feedback_report r JOIN feedback_category c ON c.id = r.category_id "
            "LEFT JOIN places_village v ON v.id = r.village_id "
            "WHERE r.commune_id = %s AND r.is_public = %s AND r.created_at BETWEEN %s AND %s "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT 1000",
            [_commune_id(), True, start, end],
        )
        rows = cursor.fetchall()
    data = [
        {
            "service_request_id": n,
            "status": "open" if s in ("received", "assigned", "in_progress") else "closed",
            "status_notes": notes or None,
            "service_name": name,
            "service_code": code,
            "description": d or None,
            "agency_responsible": unit,
            "requested_datetime": str(created),
            "updated_datetime": str(closed or updated),
            "expected_datetime": str(deadline),
            "address": village,
            "address_id": village_code,
            "lat": None if lat is None else round(lat, 3),
            "long": None if long is None else round(long, 3),
            "media_url": media or None,
        }
        for n, s, notes, name, code, d, unit, created, updated, closed, deadline, village, village_code, lat, long, media in rows
    ]
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8")


def _urlpatterns():
    from django.urls import include, path

    return [
        path("bench/minimal/map.geojson", minimal_map),
        path("bench/minimal/list/", minimal_list),
        path("bench/minimal/requests.json", minimal_requests),
        path("", include("config.urls")),
    ]


_application = None


def __getattr__(name: str):
    """Lazy module attributes: `urlpatterns` (this module as a URLconf) and `application` (for gunicorn)."""
    global _application
    if name == "urlpatterns":
        return _urlpatterns()
    if name == "application":
        if _application is None:
            import django
            from django.conf import settings

            django.setup()
            settings.ROOT_URLCONF = os.environ.get(URLCONF_VARIABLE, settings.ROOT_URLCONF)
            from django.core.wsgi import get_wsgi_application

            _application = get_wsgi_application()
        return _application
    raise AttributeError(name)


# The data -----------------------------------------------------------------------------------------


def prepare_database():
    """Migrate, load the administrative units, the demo villages and the starting categories."""
    from django.core.management import call_command

    from smartcommune.feedback import services
    from smartcommune.feedback.models import Report
    from smartcommune.places import demo as places_demo
    from smartcommune.places.models import Commune

    call_command("migrate", verbosity=0)
    if not Commune.objects.filter(code=COMMUNE).exists():
        call_command("load_places", verbosity=0)
    if Report.objects.exclude(description__startswith=MARK).exists():
        sys.exit("This database holds reports that the benchmark did not make: give it an empty database.")
    commune = places_demo.run(log=lambda message: None)
    services.categories_load_defaults(commune=commune)
    return commune


def empty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        ours = "SELECT id FROM feedback_report WHERE description LIKE %s"
        for table in ("feedback_reportupdate", "feedback_reportphoto"):
            cursor.execute(f"DELETE FROM {table} WHERE report_id IN ({ours})", [MARK + "%"])
        cursor.execute("DELETE FROM feedback_report WHERE description LIKE %s", [MARK + "%"])
        cursor.execute("DELETE FROM feedback_reportcounter")
        cursor.execute("DELETE FROM feedback_apikey WHERE name LIKE %s", [MARK + "%"])


def fill(commune, count: int) -> None:
    """`count` reports over the last year: 90 % public, most closed, points around the commune."""
    from django.utils import timezone

    from smartcommune.feedback.models import CLOSED_STATUSES, Category, Report, ReportCounter, Status

    rng = random.Random(SEED)
    categories = list(Category.objects.filter(commune=commune))
    villages = list(commune.villages.all())
    now = timezone.now()
    per_year: dict[int, int] = {}
    batch = []
    moments = sorted((now - timedelta(seconds=rng.randrange(365 * 86400))) for _ in range(count))
    statuses = (
        [Status.RESOLVED] * 70 + [Status.IN_PROGRESS] * 10 + [Status.RECEIVED] * 10 + list(CLOSED_STATUSES[1:]) * 2
    )
    for moment in moments:
        year = timezone.localtime(moment).year
        per_year[year] = per_year.get(year, 0) + 1
        category, village = rng.choice(categories), rng.choice(villages)
        status = rng.choice(statuses)
        closed = moment + timedelta(hours=rng.randint(4, 200)) if status in CLOSED_STATUSES else None
        batch.append(
            Report(
                commune=commune,
                number=f"PA-{year}-{per_year[year]:06d}",
                category=category,
                description=f"{MARK}Phản ánh mẫu số {len(batch) + 1} về {category.name.lower()}.",
                latitude=15.03 + rng.uniform(-0.03, 0.03),
                longitude=108.80 + rng.uniform(-0.03, 0.03),
                village=village,
                reporter_name="Người Dân Mẫu",
                reporter_phone="0912345678",
                token=secrets.token_urlsafe(32),
                status=status,
                unit=category.unit if category.unit != "village" else f"village:{village.code}",
                is_public=category.is_public and rng.random() < 0.95,
                status_notes="Đã xử lý xong." if closed else "",
                deadline=moment + timedelta(days=5),
                closed_at=closed,
                created_at=moment,
                updated_at=closed or moment,
            )
        )
    Report.objects.bulk_create(batch, batch_size=2000)
    for year, last in per_year.items():  # new reports continue the numbering
        ReportCounter.objects.update_or_create(commune=commune, year=year, defaults={"last": last})


# The server and the clients -----------------------------------------------------------------------


def start_server(database_url: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings")
    env |= {"DJANGO_TESTING": "1", "DJANGO_DEBUG": "0", URLCONF_VARIABLE: "bench.feedback_reports"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--bind", f"{HOST}:{PORT}", "--workers", "2", "--timeout", "120"]
    command += ["--log-level", "warning", "bench.feedback_reports:application"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get("/open311/v2/discovery.json")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit(f"gunicorn did not answer on {HOST}:{PORT}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def get(path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def post(path: str, fields: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    try:
        body = urllib.parse.urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def latency(pairs: dict[str, tuple[str, str]], rounds: int) -> dict[str, tuple[float, float, int, int]]:
    """Median milliseconds of ours and of the minimal view for each pair, requested in alternation."""
    times = {name: ([], []) for name in pairs}
    sizes = {}
    for name, (ours, minimal) in pairs.items():
        for path in (ours, minimal):  # warm-up, and a check that both answer
            status, body = get(path)
            if status != 200:
                sys.exit(f"{path} answered {status}: {body[:300]!r}")
        sizes[name] = (_rows(name, get(ours)[1], True), _rows(name, get(minimal)[1], False))
    for _ in range(rounds):
        for name, (ours, minimal) in pairs.items():
            for index, path in enumerate((ours, minimal)):
                started = time.perf_counter()
                status, _body = get(path)
                times[name][index].append((time.perf_counter() - started) * 1000)
                if status != 200:
                    sys.exit(f"{path} answered {status}")
    return {
        name: (statistics.median(ours), statistics.median(minimal), *sizes[name])
        for name, (ours, minimal) in times.items()
    }


def _rows(name: str, body: bytes, ours: bool) -> int:
    if name == "map":
        return len(json.loads(body)["features"])
    if name == "open311":
        return len(json.loads(body))
    return body.count(b'<div class="meta">') if ours else body.count(b"<li>")


def submit_all(api_key: str, total: int, clients: int) -> tuple[list[str], int, float]:
    """`total` Open311 POSTs from `clients` threads; (numbers answered, errors, seconds)."""
    numbers, errors, lock = [], [0], threading.Lock()
    rng = random.Random(SEED)
    jobs = [
        {
            "api_key": api_key,
            "jurisdiction_id": COMMUNE,
            "service_code": "DIEN-CS",
            "lat": f"{15.03 + rng.uniform(-0.02, 0.02):.6f}",
            "long": f"{108.80 + rng.uniform(-0.02, 0.02):.6f}",
            "description": f"{MARK}Đèn đường số {n} không sáng.",
            "phone": "0912345678",
        }
        for n in range(total)
    ]

    def send(fields: dict) -> None:
        status, body = post("/open311/v2/requests.json", fields)
        with lock:
            if status == 200:
                numbers.append(json.loads(body)[0]["service_request_id"])
            else:
                errors[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(send, jobs))
    return numbers, errors[0], time.perf_counter() - started


# Main ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rounds", type=int, help="timed requests of each kind; the median counts")
    args = parser.parse_args(argv)
    scratch = configure(args.database_url)
    try:
        return run(args, os.environ["DATABASE_URL"])
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, database_url: str) -> dict:
    from django.db import connection

    from smartcommune.feedback import services
    from smartcommune.feedback.models import Report

    count, total, clients = SIZES[args.size]
    rounds = args.rounds or ROUNDS[args.size]
    commune = prepare_database()
    empty()
    started = time.perf_counter()
    fill(commune, count)
    print(f"{count:,} reports written in {time.perf_counter() - started:.1f} s ({connection.vendor}).")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE feedback_report")
    api_key, clear = services.api_key_create(commune=commune, name=f"{MARK}load", hourly_limit=1_000_000, by=None)
    connection.close()  # the server's workers open their own
    server = start_server(database_url)
    try:
        pairs = {
            "map": (f"/phan-anh/{COMMUNE}/ban-do.geojson", "/bench/minimal/map.geojson"),
            "list": (f"/phan-anh/{COMMUNE}/", "/bench/minimal/list/"),
            "open311": ("/open311/v2/requests.json", "/bench/minimal/requests.json"),
        }
        timings = latency(pairs, rounds)
        numbers, errors, seconds = submit_all(clear, total, clients)
    finally:
        stop_server(server)
    stored = list(Report.objects.filter(api_key=api_key).values_list("number", flat=True))
    integrity = {
        "submitted": total,
        "stored": len(stored),
        "lost": (total - len(stored)) + len(set(numbers) - set(stored)),
        "duplicates": (len(numbers) - len(set(numbers))) + (len(stored) - len(set(stored))),
        "errors": errors,
    }
    all_numbers = Report.objects.filter(commune=commune).values_list("number", flat=True)
    integrity["duplicates"] += all_numbers.count() - all_numbers.distinct().count()
    empty()

    print()
    print(f"Community reports, {count:,} in the database, {connection.vendor}, median of {rounds} requests:")
    print(f"  {'':<34}{'ours ms':>9}{'minimal ms':>12}{'ratio':>8}{'rows':>12}")
    labels = {
        "map": "map layer (GeoJSON, 90 days)",
        "list": "public list page",
        "open311": "Open311 requests.json (90 d)",
    }
    for name, (ours, minimal, ours_rows, minimal_rows) in timings.items():
        print(f"  {labels[name]:<34}{ours:9.1f}{minimal:12.1f}{ours / minimal:8.2f}{ours_rows:>6}/{minimal_rows:<5}")
    print(
        f"  {total:,} Open311 POSTs from {clients} clients in {seconds:.1f} s ({total / seconds:,.0f}/s): "
        f"stored {integrity['stored']:,}, lost {integrity['lost']}, duplicates {integrity['duplicates']}, "
        f"errors {integrity['errors']}"
    )
    ours, minimal = timings["open311"][:2]
    result = {
        "bench": "feedback_reports",
        "value": round(ours, 1),
        "unit": "ms",
        "reference": round(minimal, 1),
        "ratio": round(ours / minimal, 2),
        "size": args.size,
        "database": connection.vendor,
        "reports": count,
        **{f"{name}_ms": round(t[0], 1) for name, t in timings.items()},
        **{f"{name}_reference_ms": round(t[1], 1) for name, t in timings.items()},
        **{f"{name}_ratio": round(t[0] / t[1], 2) for name, t in timings.items()},
        **{f"{name}_rows": t[2] for name, t in timings.items()},
        **integrity,
        "submit_seconds": round(seconds, 1),
        "submit_per_s": round(total / seconds, 1),
        "clients": clients,
    }
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
