"""The web harness of the page benchmarks (trace_page, portal_pages): gunicorn serving the real site plus a
minimal reference view, client processes that load one path for a fixed time, and the page weight.

gunicorn loads `bench._web:application()`; this module is also its URLconf (the site's URLs plus
/bench/minimal/, a view that returns "ok" through the same middleware), chosen by the XTM_BENCH_URLCONF
environment variable that `application()` reads, so config/ is not touched.
"""

import gzip
import http.client
import os
import re
import signal
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


# The server side: gunicorn loads `bench._web:application()` ------------------------------


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


def configure(database_url: str | None, *, prefix: str = "xtm-bench-web-") -> tuple[str | None, str]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["SITE_URL"] = f"http://{HOST}:{PORT}"
    os.environ.setdefault("TRACE_SCAN_FLUSH_SECONDS", "2")  # as in production (the tests write each scan at once)
    scratch = None
    if not database_url:
        scratch = tempfile.mkdtemp(prefix=prefix)
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    return scratch, database_url


def start_server(database_url: str, scratch: str | None, conn_max_age: int | None = None) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XTM_BENCH_URLCONF": "bench._web",
        "PYTHONPATH": str(ROOT),
        **({"XTM_BENCH_CONN_MAX_AGE": str(conn_max_age)} if conn_max_age is not None else {}),
    }
    log = open(Path(scratch or tempfile.gettempdir()) / "gunicorn-bench.log", "w")  # noqa: SIM115 -- closed with the process
    server = subprocess.Popen(
        [str(gunicorn), "bench._web:application()", "--bind", f"{HOST}:{PORT}", "--workers", "2",
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
