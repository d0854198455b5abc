"""Benchmark: the portal's public pages under concurrent load, against a minimal view served by the same
server, and their weight.

    python -m bench.portal_pages --size small|full [--database-url URL]

The database (a fresh SQLite file in a temporary directory, or the one --database-url names) gets Vệ
Giang's demo (see prepare()). gunicorn (2 sync workers) serves the real site plus /bench/minimal/, a view
that returns "ok" through the same middleware: the reference (the harness is bench/_web.py, shared with
trace_page).

Client processes request the commune home (/xa/21238/), the transparency dashboard (/xa/21238/minh-bach/)
and the minimal view in alternating rounds of fixed length. value = the dashboard's requests per second
(median of rounds; its figures are cached for PORTAL_DASHBOARD_CACHE_SECONDS), reference = the minimal view's, ratio =
value ÷ reference (higher is better); the home page's rate and ratio are reported too. Page weight =
each page's HTML plus the CSS it links, raw and gzip-compressed, before photos (aim < 100 KB).
The last line of output is one JSON object (DESIGN.md, "Quality bars").
"""

import argparse
import json
import multiprocessing
import os
import shutil
import statistics

from bench._web import MINIMAL, SIZES, configure, fetch, load, page_weight, start_server, stop_server


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


PAGES = {"home": "/xa/21238/", "dashboard": "/xa/21238/minh-bach/"}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--conn-max-age", type=int, help="serve with this CONN_MAX_AGE instead of the configured one")
    args = parser.parse_args(argv)
    plan = SIZES[args.size]
    scratch, database_url = configure(args.database_url, prefix="xtm-bench-portal-")
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
