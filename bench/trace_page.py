"""Benchmark: the public trace page of a lot with a full history, under concurrent load, against a
minimal view served by the same server.

    python -m bench.trace_page --size small|full [--database-url URL]

The database (a fresh SQLite file in a temporary directory, or the one --database-url names) gets the
demo's Vệ Giang farming and traceability data: a growing area with its season's diary, a paddy lot
from its harvest, a rice lot processed from it, 20 cartons packed and 10 shipped (24 EPCIS events).
gunicorn (2 sync workers, the venv's) serves the real site on 127.0.0.1:8103 with one extra URL,
/bench/minimal/, a view that returns "ok" through the same middleware: the reference. Its URLconf
is this module, chosen by the XTM_BENCH_URLCONF environment variable that `application()` below
reads when gunicorn loads it (config/ is not touched).

Client processes request the processed lot's Digital Link (/01/{GTIN}/10/{lot}) and the minimal view
in alternating rounds of fixed length; value = requests per second of the trace page (median of
rounds), reference = the same for the minimal view, ratio = value ÷ reference (aim ≥ 0.7). Every
trace request is also a counted scan: `lost` is the scans the server was sent but did not count,
`duplicates` the scans it counted twice. Page weight = the HTML plus the CSS and JS it links, before
map tiles and photos, raw and gzip-compressed (as WhiteNoise serves them; aim < 60 KB).
The last line of output is one JSON object (DESIGN.md, "Quality bars").
"""

import argparse
import gzip
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PORT = 8103
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
SIZES = {"small": {"seconds": 4.0, "rounds": 3, "clients": 4}, "full": {"seconds": 10.0, "rounds": 5, "clients": 8}}
MINIMAL = "/bench/minimal/"


# The server side: gunicorn loads `bench.trace_page:application()` ------------------------------


def minimal(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def __getattr__(name):
    # This module is also the bench server's URLconf: the site's URLs plus the minimal reference view.
    if name == "urlpatterns":
        from django.urls import path

        from config.urls import urlpatterns as site

        return [path(MINIMAL.strip("/") + "/", minimal), *site]
    raise AttributeError(name)


def application():
    """The WSGI app for gunicorn, with ROOT_URLCONF taken from XTM_BENCH_URLCONF."""
    import django
    from django.conf import settings

    django.setup(set_prefix=False)
    if os.environ.get("XTM_BENCH_URLCONF"):
        settings.ROOT_URLCONF = os.environ["XTM_BENCH_URLCONF"]
    if os.environ.get("XTM_BENCH_CONN_MAX_AGE"):  # --conn-max-age: what persistent connections would change
        settings.DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["XTM_BENCH_CONN_MAX_AGE"])
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()


# The load --------------------------------------------------------------------------------------


def _client(args: tuple[str, float]) -> tuple[int, int]:
    """Request `path` again and again for `seconds`; (responses with 200, other outcomes)."""
    path, seconds = args
    ok = bad = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        try:
            connection.request("GET", path, headers={"Accept": "text/html", "Accept-Encoding": "identity"})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
            else:
                bad += 1
        except OSError:
            bad += 1
        finally:
            connection.close()
    return ok, bad


def load(pool, path: str, seconds: float, clients: int) -> tuple[float, int, int]:
    started = time.perf_counter()
    results = pool.map(_client, [(path, seconds)] * clients)
    elapsed = time.perf_counter() - started
    ok = sum(r[0] for r in results)
    bad = sum(r[1] for r in results)
    return ok / elapsed, ok, bad


# Setting up ------------------------------------------------------------------------------------


def configure(database_url: str | None) -> tuple[str | None, str]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["SITE_URL"] = f"http://{HOST}:{PORT}"
    scratch = None
    if not database_url:
        scratch = tempfile.mkdtemp(prefix="xtm-bench-trace-")
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    return scratch, database_url


def prepare():
    """The demo's farm and trace data of Vệ Giang; returns the processed lot (the longest history)."""
    import io

    from django.core.management import call_command

    from smartcommune.farming import demo as farming_demo
    from smartcommune.places import demo as places_demo
    from smartcommune.registry.models import Organisation
    from smartcommune.trace import demo as trace_demo
    from smartcommune.trace.models import Lot

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0, stdout=io.StringIO())
    commune = places_demo.run(log=lambda message: None)
    for code, name in (
        ("HTX-VG01", "Hợp tác xã Nông nghiệp Mẫu Vệ Giang"),
        ("HTX-VG02", "Hợp tác xã Mẫu Rau an toàn Nghĩa Hiệp"),
    ):
        Organisation.objects.get_or_create(
            commune=commune,
            code=code,
            defaults={"name": name, "kind": Organisation.Kind.COOPERATIVE, "address": "Thôn mẫu"},
        )
    farming_demo.run(commune=commune, log=lambda message: None)
    trace_demo.run(commune=commune, log=lambda message: None)
    return Lot.objects.select_related("product").get(origin=Lot.Origin.PROCESSING)


def start_server(database_url: str, scratch: str | None, conn_max_age: int | None = None) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XTM_BENCH_URLCONF": "bench.trace_page",
        "PYTHONPATH": str(ROOT),
        **({"XTM_BENCH_CONN_MAX_AGE": str(conn_max_age)} if conn_max_age is not None else {}),
    }
    log = open(Path(scratch or tempfile.gettempdir()) / "gunicorn-trace-bench.log", "w")  # noqa: SIM115 -- closed with the process
    server = subprocess.Popen(
        [str(gunicorn), "bench.trace_page:application()", "--bind", f"{HOST}:{PORT}", "--workers", "2",
         "--log-level", "warning", "--chdir", str(ROOT)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    for _attempt in range(100):
        time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start; see {log.name}")
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", MINIMAL)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            continue
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{PORT}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    connection.request("GET", path, headers={"Accept": "text/html"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def _static_file(url: str) -> Path | None:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    name = url.removeprefix(settings.STATIC_URL)
    found = finders.find(name)
    if found is None and name.startswith("xstatic/leaflet/"):  # not yet in STATICFILES_DIRS
        import xstatic.pkg.leaflet

        found = str(Path(xstatic.pkg.leaflet.BASE_DIR) / name.removeprefix("xstatic/leaflet/"))
    return Path(found) if found and Path(found).exists() else None


def _weigh(urls: list[str]) -> tuple[int, int, list[str]]:
    raw = packed = 0
    missing = []
    for url in urls:
        path = _static_file(url)
        if path is None:
            missing.append(url)
            continue
        content = path.read_bytes()
        raw, packed = raw + len(content), packed + len(gzip.compress(content, 9))
    return raw, packed, missing


def page_weight(html: bytes) -> dict:
    """What a phone downloads before map tiles and photos, raw and gzip-compressed (as WhiteNoise serves it):
    the HTML with its inline CSS and the scripts it links; then Leaflet's JS and CSS, which the page
    fetches only when its map comes into view."""
    text = html.decode()
    linked = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text) + re.findall(r'<script src="([^"]+)"', text)
    on_view = re.findall(r'data-leaflet-(?:js|css)="([^"]+)"', text)
    raw, packed, missing = _weigh(linked)
    raw, packed = raw + len(html), packed + len(gzip.compress(html, 9))
    map_raw, map_packed, map_missing = _weigh(on_view)
    return {
        "html_kb": round(len(html) / 1024, 1),
        "page_weight_kb": round(raw / 1024, 1),
        "page_weight_gzip_kb": round(packed / 1024, 1),
        "with_map_kb": round((raw + map_raw) / 1024, 1),
        "with_map_gzip_kb": round((packed + map_packed) / 1024, 1),
        "assets": len(linked),
        "missing_assets": missing + map_missing,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="serve with this CONN_MAX_AGE instead of the configured one (DB_CONN_MAX_AGE, 60 s by default)",
    )
    args = parser.parse_args(argv)
    plan = SIZES[args.size]
    scratch, database_url = configure(args.database_url)
    from django.db import connection

    from smartcommune.trace import selectors
    from smartcommune.trace.models import ScanDay, TraceEvent

    server = None
    try:
        lot = prepare()
        path = selectors.digital_link(lot).removeprefix(os.environ["SITE_URL"])
        ScanDay.objects.filter(lot=lot).delete()  # a reused database keeps no scans from an earlier run
        events = (
            TraceEvent.objects.filter(lot_links__lot__in=[lot.pk, *lot.inputs.values_list("input_id", flat=True)])
            .distinct()
            .count()
        )
        connection.close()
        server = start_server(database_url, scratch, args.conn_max_age)
        status, html = fetch(path)
        if status != 200 or lot.product.name.encode() not in html:
            raise SystemExit(f"the trace page {path} answered {status}")
        served = 1  # trace pages answered 200: each is one scan the server must count
        weight = page_weight(html)
        results = {"minimal": [], "trace": []}
        errors = 0
        with multiprocessing.get_context("spawn").Pool(plan["clients"]) as pool:
            for _warm in range(2):  # fills every worker's cache and connections
                _rate, ok, bad = load(pool, path, 1.0, plan["clients"])
                served, errors = served + ok, errors + bad
                _rate, _ok, bad = load(pool, MINIMAL, 1.0, plan["clients"])
                errors += bad
            for _round in range(plan["rounds"]):
                rate, _ok, bad = load(pool, MINIMAL, plan["seconds"], plan["clients"])
                results["minimal"].append(rate)
                errors += bad
                rate, ok, bad = load(pool, path, plan["seconds"], plan["clients"])
                results["trace"].append(rate)
                served, errors = served + ok, errors + bad
    finally:
        if server is not None:
            stop_server(server)
    counted = sum(ScanDay.objects.filter(lot=lot).values_list("count", flat=True))
    value, reference = statistics.median(results["trace"]), statistics.median(results["minimal"])
    result = {
        "bench": "trace_page",
        "value": round(value),
        "unit": "req/s",
        "reference": round(reference),
        "ratio": round(value / reference, 2),
        "size": args.size,
        "database": connection.vendor,
        "workers": 2,
        "conn_max_age": args.conn_max_age if args.conn_max_age is not None else "configured",
        "clients": plan["clients"],
        "events": events,
        **{k: v for k, v in weight.items() if k != "missing_assets"},
        "errors": errors,
        "scans": counted,
        "lost": max(0, served - counted),
        "duplicates": max(0, counted - served),
    }
    print()
    print(
        f"Public trace page of lot {lot.code} ({events} EPCIS events), {connection.vendor}, gunicorn 2 workers, {plan['clients']} clients:"
    )
    print(f"  trace page     {value:8.0f} req/s   (rounds: {', '.join(f'{r:.0f}' for r in results['trace'])})")
    print(f"  minimal view   {reference:8.0f} req/s   (rounds: {', '.join(f'{r:.0f}' for r in results['minimal'])})")
    print(f"  ratio          {value / reference:8.2f}   (aim ≥ 0.70)")
    print(
        f"  page weight    {weight['page_weight_kb']} KB raw, {weight['page_weight_gzip_kb']} KB gzip "
        f"(HTML {weight['html_kb']} KB with its CSS + {weight['assets']} script; aim < 60 KB)"
    )
    print(
        f"  with the map   {weight['with_map_kb']} KB raw, {weight['with_map_gzip_kb']} KB gzip "
        "(Leaflet's JS and CSS, fetched when the map comes into view; tiles not counted)"
    )
    if weight["missing_assets"]:
        print(f"  not found: {', '.join(weight['missing_assets'])}")
    print(f"  trace pages served {served}, scans counted {counted}; errors {errors}")
    print(json.dumps(result, ensure_ascii=False))
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


if __name__ == "__main__":
    main()
