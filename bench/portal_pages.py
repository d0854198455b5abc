"""Benchmark: the portal's public pages under concurrent load, against a minimal view served by the same
server, and their weight.

    python -m bench.portal_pages --size small|full [--database-url URL]

The database (a fresh SQLite file in a temporary directory, or the one --database-url names) gets Vệ
Giang's demo (see prepare()). gunicorn (2 sync workers) serves the real site on 127.0.0.1:8110 plus
/bench/minimal/, a view that returns "ok" through the same middleware: the reference (its URLconf is
this module, chosen by XTM_BENCH_URLCONF; config/ is not touched).

Client processes request the commune home (/xa/21238/), the transparency dashboard (/xa/21238/minh-bach/)
and the minimal view in alternating rounds of fixed length. value = the dashboard's requests per second
(median of rounds; it computes every figure on each request), reference = the minimal view's, ratio =
value ÷ reference (higher is better); the home page's rate and ratio are reported too. Page weight =
each page's HTML plus the CSS it links, raw and gzip-compressed, before photos (aim < 100 KB).
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

PORT = 8110
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
SIZES = {"small": {"seconds": 4.0, "rounds": 3, "clients": 4}, "full": {"seconds": 10.0, "rounds": 5, "clients": 8}}
MINIMAL = "/bench/minimal/"


# The server side: gunicorn loads `bench.portal_pages:application()` ------------------------------


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
        scratch = tempfile.mkdtemp(prefix="xtm-bench-portal-")
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    return scratch, database_url


def prepare(size: str):
    """Vệ Giang with the portal's demo: the whole demo (11,000 households) at size full; at size small the
    places, a 600-household registry, the officials, criteria, programme and portal content."""
    import io

    from django.core.management import call_command

    from smartcommune.places import demo as places_demo
    from smartcommune.places.models import Commune
    from smartcommune.portal import content_demo

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0, stdout=io.StringIO())
    quiet = lambda *_: None  # noqa: E731
    if size == "full":
        from smartcommune.portal import demo as portal_demo

        portal_demo.run(password="bench-pass-12345", log=quiet)
    else:
        from smartcommune.accounts import demo as accounts_demo
        from smartcommune.criteria import demo as criteria_demo
        from smartcommune.feedback import demo as feedback_demo
        from smartcommune.program import demo as program_demo
        from smartcommune.registry import demo as registry_demo

        commune = places_demo.run(log=quiet)
        registry_demo.run(commune=commune, log=quiet, households=600)
        accounts_demo.run(commune=commune, password="bench-pass-12345", log=quiet)
        criteria_demo.run(commune=commune, log=quiet)
        feedback_demo.run(commune=commune, log=quiet)
        program_demo.run(commune=commune, log=quiet)
    commune = Commune.objects.select_related("province").get(code=places_demo.COMMUNE_CODE)
    content_demo.run(commune=commune, log=quiet)
    return commune


def start_server(database_url: str, scratch: str | None, conn_max_age: int | None = None) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XTM_BENCH_URLCONF": "bench.portal_pages",
        "PYTHONPATH": str(ROOT),
        **({"XTM_BENCH_CONN_MAX_AGE": str(conn_max_age)} if conn_max_age is not None else {}),
    }
    log = open(Path(scratch or tempfile.gettempdir()) / "gunicorn-portal-bench.log", "w")  # noqa: SIM115 -- closed with the process
    server = subprocess.Popen(
        [str(gunicorn), "bench.portal_pages:application()", "--bind", f"{HOST}:{PORT}", "--workers", "2",
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


PAGES = {"home": "/xa/21238/", "dashboard": "/xa/21238/minh-bach/"}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--conn-max-age", type=int, help="serve with this CONN_MAX_AGE instead of the configured one")
    args = parser.parse_args(argv)
    plan = SIZES[args.size]
    scratch, database_url = configure(args.database_url)
    from django.db import connection

    server = None
    weights, results, errors = {}, {"minimal": [], "home": [], "dashboard": []}, 0
    try:
        commune = prepare(args.size)
        connection.close()
        server = start_server(database_url, scratch, args.conn_max_age)
        for name, path in PAGES.items():
            status, html = fetch(path)
            if status != 200 or commune.name.encode() not in html:
                raise SystemExit(f"{path} answered {status}")
            weights[name] = page_weight(html)
        with multiprocessing.get_context("spawn").Pool(plan["clients"]) as pool:
            for path in (MINIMAL, *PAGES.values()):  # warm every worker's caches and connections
                errors += load(pool, path, 1.0, plan["clients"])[2]
            for _round in range(plan["rounds"]):
                for name, path in (("minimal", MINIMAL), *PAGES.items()):
                    rate, _ok, bad = load(pool, path, plan["seconds"], plan["clients"])
                    results[name].append(rate)
                    errors += bad
    finally:
        if server is not None:
            stop_server(server)
    reference = statistics.median(results["minimal"])
    dashboard, home = statistics.median(results["dashboard"]), statistics.median(results["home"])
    result = {
        "bench": "portal_pages",
        "value": round(dashboard),
        "unit": "req/s",
        "reference": round(reference),
        "ratio": round(dashboard / reference, 3),
        "home_rps": round(home),
        "home_ratio": round(home / reference, 3),
        "size": args.size,
        "database": connection.vendor,
        "workers": 2,
        "clients": plan["clients"],
        "home_kb": weights["home"]["page_weight_kb"],
        "home_gzip_kb": weights["home"]["page_weight_gzip_kb"],
        "dashboard_kb": weights["dashboard"]["page_weight_kb"],
        "dashboard_gzip_kb": weights["dashboard"]["page_weight_gzip_kb"],
        "errors": errors,
    }
    print()
    print(f"Portal pages of {commune.name}, {connection.vendor}, gunicorn 2 workers, {plan['clients']} clients:")
    for name in ("dashboard", "home", "minimal"):
        rounds = ", ".join(f"{r:.0f}" for r in results[name])
        print(f"  {name:<12} {statistics.median(results[name]):8.0f} req/s   (rounds: {rounds})")
    for name, weight in weights.items():
        print(f"  {name:<12} {weight['page_weight_kb']} KB raw, {weight['page_weight_gzip_kb']} KB gzip (aim < 100 KB)")
    print(json.dumps(result, ensure_ascii=False))
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


if __name__ == "__main__":
    main()
