"""Benchmark: the public trace page of a lot with a full history, under concurrent load, against a
minimal view served by the same server.

    python -m bench.trace_page --size small|full [--database-url URL]

The database (a fresh SQLite file in a temporary directory, or the one --database-url names) gets the
demo's Vệ Giang farming and traceability data: a growing area with its season's diary, a paddy lot
from its harvest, a rice lot processed from it, 20 cartons packed and 10 shipped (24 EPCIS events).
gunicorn (2 sync workers, the venv's) serves the real site on 127.0.0.1:8103 with one extra URL,
/bench/minimal/, a view that returns "ok" through the same middleware: the reference (the harness is
bench/_web.py, shared with portal_pages; config/ is not touched).

Client processes request the processed lot's Digital Link (/01/{GTIN}/10/{lot}) and the minimal view
in alternating rounds of fixed length; value = requests per second of the trace page (median of
rounds), reference = the same for the minimal view, ratio = value ÷ reference (aim ≥ 0.7). Every
trace request is also a counted scan: `lost` is the scans the server was sent but did not count,
`duplicates` the scans it counted twice. Page weight = the HTML plus the CSS and JS it links, before
map tiles and photos, raw and gzip-compressed (as WhiteNoise serves them; aim < 60 KB).
The last line of output is one JSON object (DESIGN.md, "Quality bars").
"""

import argparse
import json
import multiprocessing
import os
import shutil
import statistics

from bench._web import MINIMAL, SIZES, configure, fetch, load, page_weight, start_server, stop_server


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
    scratch, database_url = configure(args.database_url, prefix="xtm-bench-trace-")
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
