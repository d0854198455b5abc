"""Benchmark: 200 concurrent buyers on a lot holding 100 units, and the storefront list's throughput
against a minimal view served by the same server.

    python -m bench.market_orders --size small|full [--database-url URL]

The database (a fresh SQLite file in a temporary directory, or the one --database-url names) gets the
demo's Vệ Giang farming and traceability data; the bagged rice lot is put on sale, 100 bags.

1. Buyers at once: 200 processes (buyers) each check out one bag at the same moment from a shop that
   confirms automatically, so stock is taken inside each checkout. Exactly 100 must be confirmed and
   100 refused with "not enough stock"; the offer must end at 0 left, never below. Then the same with a
   shop that confirms by hand: 200 orders placed, then 200 confirmations at once by the producer's
   workers; again exactly 100 confirmed. `value` = seconds for the 200 concurrent checkouts.
2. Storefront: gunicorn (2 sync workers) serves the site plus /bench/minimal/ (bench.trace_page's
   server, port 8103); clients request the storefront list (24 products on a page) and the minimal
   view in alternating rounds. `storefront_ratio` = storefront req/s ÷ minimal req/s (aim ≥ 0.5).

The last line is one JSON object (DESIGN.md, "Quality bars"); ratio = storefront ÷ minimal.
"""

import argparse
import multiprocessing
import os
import statistics
import time
from decimal import Decimal

from bench import trace_page

# 200 buyers at once, served by `procs` processes (a site's worker count; more only queue on the lock).
SIZES = {"small": {"buyers": 200, "units": 100, "procs": 8}, "full": {"buyers": 200, "units": 100, "procs": 16}}
LOAD = {"small": {"seconds": 3.0, "rounds": 3, "clients": 4}, "full": {"seconds": 8.0, "rounds": 5, "clients": 8}}


def prepare():
    """The demo's products; the rice lot on sale (100 bags) and 23 more products so a page is full."""
    from smartcommune.market.models import Category, Offer
    from smartcommune.market.services import catalogue
    from smartcommune.registry.models import Organisation
    from smartcommune.trace import services as trace_services
    from smartcommune.trace.models import Lot, Product

    lot = trace_page.prepare()  # the processed rice lot (bags)
    vg01 = Organisation.objects.get(code="HTX-VG01", commune__code="21238")
    Organisation.objects.filter(pk=vg01.pk).update(
        bank_bin="970405", bank_account="4300205000101", bank_account_name="HTX NONG NGHIEP MAU VE GIANG"
    )
    shop = catalogue.shop_for(vg01)
    offer = Offer.objects.filter(lot=lot).first() or catalogue.offer_save(
        offer=Offer(shop=shop), lot=lot, category=Category.RICE, pack_label="túi 5 kg",
        pack_size=Decimal("1"), price=150_000, stock=100,
    )  # fmt: skip
    for number in range(23):
        name = f"Sản phẩm mẫu {number + 1:02d}"
        product = Product.objects.filter(owner=vg01, name=name).first() or trace_services.product_save(
            product=Product(commune=vg01.commune, owner=vg01, name=name, unit="BG")
        )
        extra = Lot.objects.filter(product=product).first() or Lot.objects.create(
            product=product, code=f"B{number:02d}", quantity=50, remaining=50, unit="BG",
            produced_on=lot.produced_on, origin=Lot.Origin.OTHER,
        )  # fmt: skip
        if not Offer.objects.filter(lot=extra).exists():
            catalogue.offer_save(
                offer=Offer(shop=shop), lot=extra, category=Category.PROCESSED, pack_label="gói",
                pack_size=Decimal("1"), price=50_000 + number * 1000, stock=40,
            )  # fmt: skip
    return offer


def reset(offer, units: int, auto: bool) -> None:
    from smartcommune.market.models import Offer, Order, OrderEvent, OrderLine

    OrderEvent.objects.all().delete()
    OrderLine.objects.all().delete()
    Order.objects.all().delete()
    Offer.objects.filter(pk=offer.pk).update(stock=units, taken=0)
    type(offer.shop).objects.filter(pk=offer.shop_id).update(auto_confirm=auto)


def _buy(args) -> str:
    """One buyer: check out one bag. Returns "ok", "refused" (not enough stock) or the error."""
    offer_id, start_at = args
    from django.core.exceptions import ValidationError
    from django.db import connections

    from smartcommune.market.services import orders
    from smartcommune.places.models import Commune

    commune = Commune.objects.get(code="21238")
    buyer = orders.Buyer(name="Khách Mẫu", phone="0912345678", fulfilment="pickup")
    while time.time() < start_at:
        time.sleep(0.001)
    try:
        orders.checkout(commune=commune, lines=[(offer_id, 1)], buyer=buyer, payment="vietqr")
        return "ok"
    except ValidationError as error:
        return "refused" if getattr(error, "code", None) == "out_of_stock" else repr(error)
    except Exception as error:
        return repr(error)
    finally:
        connections.close_all()


def _confirm(args) -> str:
    order_id, start_at = args
    from django.core.exceptions import ValidationError
    from django.db import connections

    from smartcommune.market.models import Order, Status
    from smartcommune.market.services import orders

    while time.time() < start_at:
        time.sleep(0.001)
    try:
        orders.order_advance(order=Order(pk=order_id), to=Status.CONFIRMED, by=None)
        return "ok"
    except ValidationError as error:
        return "refused" if getattr(error, "code", None) == "out_of_stock" else repr(error)
    except Exception as error:
        return repr(error)
    finally:
        connections.close_all()


def _init(database_url: str) -> None:
    trace_page.configure(database_url)
    from django.urls import reverse

    from smartcommune.market.services import orders  # noqa: F401 -- imported before the clock starts

    reverse("market:index")  # loads the URLconf, as a server does at start


def concurrent(pool, func, items: list, procs: int) -> tuple[float, dict]:
    """Run func on every item from all processes, starting together; (seconds from the start, outcomes)."""
    start_at = time.time() + 1.0
    outcomes = pool.map(func, [(item, start_at) for item in items], chunksize=max(1, len(items) // procs))
    elapsed = time.time() - start_at
    counts: dict = {}
    for outcome in outcomes:
        key = outcome if outcome in ("ok", "refused") else "errors"
        counts[key] = counts.get(key, 0) + 1
    counts["error_samples"] = [o for o in outcomes if o not in ("ok", "refused")][:3]
    return elapsed, counts


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args(argv)
    plan, load_plan = SIZES[args.size], LOAD[args.size]
    scratch, database_url = trace_page.configure(args.database_url)
    from django.db import connection, connections

    from smartcommune.market.models import Offer, Order, Status

    offer = prepare()
    context = multiprocessing.get_context("spawn")
    # 1. Buyers at once, auto-confirming shop.
    reset(offer, plan["units"], auto=True)
    connections.close_all()
    with context.Pool(plan["procs"], initializer=_init, initargs=(database_url,)) as pool:
        checkout_seconds, auto = concurrent(pool, _buy, [offer.pk] * plan["buyers"], plan["procs"])
        auto_offer = Offer.objects.get(pk=offer.pk)
        auto_confirmed = Order.objects.filter(status=Status.CONFIRMED).count()
        auto_stored = Order.objects.count()
        # 2. Shop confirming by hand: 200 placed, then 200 confirmations at once.
        reset(offer, plan["units"], auto=False)
        connections.close_all()
        _elapsed, placed = concurrent(pool, _buy, [offer.pk] * plan["buyers"], plan["procs"])
        ids = list(Order.objects.values_list("pk", flat=True))
        connections.close_all()
        confirm_seconds, manual = concurrent(pool, _confirm, ids, plan["procs"])
    manual_offer = Offer.objects.get(pk=offer.pk)
    manual_confirmed = Order.objects.filter(status=Status.CONFIRMED).count()
    # 3. Storefront throughput.
    connection.close()
    server = trace_page.start_server(database_url, scratch)
    path = "/cho/21238/"
    try:
        status, html = trace_page.fetch(path)
        if status != 200 or b"Gao" not in html.replace("Gạo".encode(), b"Gao"):
            raise SystemExit(f"the storefront {path} answered {status}")
        rates = {"minimal": [], "storefront": []}
        errors = 0
        with context.Pool(load_plan["clients"]) as pool:
            for _warm in range(2):
                errors += trace_page.load(pool, path, 1.0, load_plan["clients"])[2]
                errors += trace_page.load(pool, trace_page.MINIMAL, 1.0, load_plan["clients"])[2]
            for _round in range(load_plan["rounds"]):
                rate, _ok, bad = trace_page.load(pool, trace_page.MINIMAL, load_plan["seconds"], load_plan["clients"])
                rates["minimal"].append(rate)
                errors += bad
                rate, _ok, bad = trace_page.load(pool, path, load_plan["seconds"], load_plan["clients"])
                rates["storefront"].append(rate)
                errors += bad
    finally:
        trace_page.stop_server(server)
    value, reference = statistics.median(rates["storefront"]), statistics.median(rates["minimal"])
    weight = trace_page.page_weight(html)
    result = {
        "bench": "market_orders",
        "value": round(checkout_seconds, 2),
        "unit": "s for 200 concurrent checkouts",
        "reference": round(reference),
        "ratio": round(value / reference, 2),
        "storefront_rps": round(value),
        "minimal_rps": round(reference),
        "storefront_ratio": round(value / reference, 2),
        "storefront_kb": weight["page_weight_kb"],
        "storefront_gzip_kb": weight["page_weight_gzip_kb"],
        "size": args.size,
        "database": connection.vendor,
        "buyers": plan["buyers"],
        "units": plan["units"],
        "confirmed": auto_confirmed,
        "refused": auto.get("refused", 0),
        "orders_stored": auto_stored,
        "final_stock": auto_offer.stock - auto_offer.taken,
        "oversold": max(0, auto_offer.taken - auto_offer.stock),
        "manual_placed": placed.get("ok", 0),
        "manual_confirmed": manual_confirmed,
        "manual_refused": manual.get("refused", 0),
        "manual_final_stock": manual_offer.stock - manual_offer.taken,
        "confirm_seconds": round(confirm_seconds, 2),
        "errors": auto.get("errors", 0) + placed.get("errors", 0) + manual.get("errors", 0) + errors,
        "error_samples": auto["error_samples"] + manual["error_samples"],
        "lost": max(0, plan["units"] - auto_confirmed) + max(0, plan["units"] - manual_confirmed),
        "duplicates": max(0, auto_confirmed - plan["units"]) + max(0, manual_confirmed - plan["units"]),
    }
    if scratch:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(main(), ensure_ascii=False))
