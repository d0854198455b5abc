"""Public pages: the GS1 Digital Link resolver (`/01/{GTIN}/10/{lot}`), the internal-identifier form for
products without a GTIN, and the producer's page. No sign-in, no personal data, light for slow phones.

The lot page is cached per lot and language; the key carries the lot's and the product's versions,
which every change to the lot, its events or the product increments (versions.py: how a scanned
address finds them, and how soon a change shows). Every human (HTML) visit, cached or not, is a
counted scan (scans.count: no write on the visit itself).
"""

import json
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smartcommune.core.identifiers import normalize_gtin
from smartcommune.places.shortcuts import commune_or_404
from smartcommune.registry.models import Organisation

from . import epcis, scans, selectors, versions
from .models import Container, Lot, Product

CACHE_SECONDS = 600  # bounds how long a change upstream (a growing area, an organisation) takes to show
HTML, JSONLD, JSON = "text/html", "application/ld+json", "application/json"


def _machine(request) -> bool:
    """Whether a machine asks (?format=jsonld or json, or an Accept that prefers JSON-LD or JSON)."""
    if "format=" in request.META.get("QUERY_STRING", "") and request.GET.get("format") in ("jsonld", "json"):
        return True
    if "json" not in request.META.get("HTTP_ACCEPT", ""):  # a phone's browser: skip weighing the Accept header
        return False
    return request.get_preferred_type([HTML, JSONLD, JSON]) in (JSONLD, JSON)


# The one query a cached page needs, written out: building it with the ORM took longer than running it.
_LOOKUP = """
SELECT l.id, l.cache_version, p.cache_version, p.scan_alert_per_day
FROM {lot} l JOIN {product} p ON p.id = l.product_id WHERE p.{key} = %s AND l.code = %s
"""


def _lookup(key: str, value: str, lot_code: str) -> tuple | None:
    """(lot id, lot version, product version, scan threshold) of the lot named by (GTIN or internal code, lot
    code); lot codes are unique per product, so one row at most."""
    if key not in ("gtin", "internal_code"):
        raise ValueError(key)

    def find() -> tuple | None:
        sql = _LOOKUP.format(lot=Lot._meta.db_table, product=Product._meta.db_table, key=key)
        with connection.cursor() as cursor:
            cursor.execute(sql, [value, lot_code])
            return cursor.fetchone()

    return versions.lookup(f"{key}\x00{value}\x00{lot_code}", find)


def serve_lot(request, lot_id: int, lot_version: int, product_version: int, threshold: int):
    """The lot's page (or its EPCIS document for machines) from the cache; a human's visit is a counted scan."""
    machine = _machine(request)
    key = f"trace:lot:{lot_id}:{lot_version}:{product_version}:{get_language()}:{'j' if machine else 'h'}"
    body = cache.get(key)
    if body is None:
        lot = Lot.objects.select_related("product", "product__owner__commune").get(pk=lot_id)
        if machine:
            body = json.dumps(epcis.lot_document(lot, public=True), ensure_ascii=False)
        else:
            page = selectors.public_lot(lot)
            body = render_to_string(
                "trace/public_lot.html",
                {
                    "page": page,
                    "map_data": {
                        "plots": page.plots,
                        "tiles": settings.MAP_TILE_URL,
                        "attribution": settings.MAP_TILE_ATTRIBUTION,
                    }
                    if page.plots
                    else None,
                },
            )
        cache.set(key, body, CACHE_SECONDS)
    if not machine and request.method == "GET":
        scans.count(lot_id=lot_id, threshold=threshold)
    response = HttpResponse(body, content_type=f"{JSONLD if machine else HTML}; charset=utf-8")
    response["Vary"] = "Accept, Cookie"
    response["Cache-Control"] = "no-cache"  # every scan reaches us, to be counted
    return response


def not_found(request, *, title: str, message: str, product: Product | None = None):
    if _machine(request):
        return HttpResponse(
            json.dumps({"detail": message}, ensure_ascii=False), status=404, content_type=f"{JSON}; charset=utf-8"
        )
    return render(request, "trace/not_found.html", {"title": title, "message": message, "product": product}, status=404)


def _bad_gtin(request, gtin: str, error: ValidationError):
    return not_found(
        request,
        title=_("This is not a valid product code"),
        message=_(
            "The code %(gtin)s in this address is not a valid GTIN: %(reason)s Scan the QR code again, or type the "
            "digits under the barcode carefully."
        )
        % {"gtin": gtin[:20], "reason": " ".join(error.messages)},
    )


def _unknown_product(request, code: str):
    return not_found(
        request,
        title=_("Product not found"),
        message=_("No product with the code %(code)s is registered on this site.") % {"code": code[:40]},
    )


def _unknown_lot(request, product: Product, lot: str):
    return not_found(
        request,
        title=_("Lot not found"),
        message=_(
            "%(product)s is registered here, but lot %(lot)s is not. Check the lot number printed next to the QR "
            "code; if it is right, the label may not be genuine: tell the producer."
        )
        % {"product": product.name, "lot": lot[:40]},
        product=product,
    )


def resolve_lot(request, gtin: str, lot: str, serial: str | None = None):
    """`/01/{GTIN}/10/{lot}[/21/{serial}]`: the lot's public trace page (a serial shows its lot).

    Stored GTINs are valid 14-digit ones, so a lot found is served at once; only a miss is checked."""
    found = _lookup("gtin", gtin, lot)
    if found is not None:
        return serve_lot(request, *found)
    try:
        canonical = normalize_gtin(gtin)
    except ValidationError as error:
        return _bad_gtin(request, gtin, error)
    if canonical != gtin:
        target = reverse("resolver:lot", args=[canonical, lot])
        return HttpResponsePermanentRedirect(target + (f"?{request.GET.urlencode()}" if request.GET else ""))
    product = Product.objects.filter(gtin=gtin).first()
    return _unknown_lot(request, product, lot) if product else _unknown_product(request, gtin)


def resolve_product(request, gtin: str):
    """`/01/{GTIN}`: the product (its class), with its latest lots."""
    try:
        canonical = normalize_gtin(gtin)
    except ValidationError as error:
        return _bad_gtin(request, gtin, error)
    if canonical != gtin:
        return HttpResponsePermanentRedirect(reverse("resolver:product", args=[canonical]))
    product = Product.objects.filter(gtin=gtin).select_related("owner", "commune").first()
    if product is None:
        return _unknown_product(request, gtin)
    return _product_page(request, product)


def internal_lot(request, internal_code: str, lot: str):
    """`/truy-xuat/sp/{code}/lo/{lot}`: labels printed before the product had a GTIN keep working."""
    found = _lookup("internal_code", internal_code, lot)
    if found is None:
        product = Product.objects.filter(internal_code=internal_code).first()
        return _unknown_lot(request, product, lot) if product else _unknown_product(request, internal_code)
    return serve_lot(request, *found)


def internal_product(request, internal_code: str):
    product = Product.objects.filter(internal_code=internal_code).select_related("owner", "commune").first()
    if product is None:
        return _unknown_product(request, internal_code)
    return _product_page(request, product)


def _product_page(request, product: Product):
    lots = list(product.lots.order_by("-produced_on", "-pk")[:20])
    for lot in lots:
        lot.link = selectors.digital_link(lot)
    return render(
        request,
        "trace/public_product.html",
        {
            "product": product,
            "rating": selectors.current_rating(product.ocop_ratings.all()),
            "certifications": list(product.certifications.all()),
            "lots": lots,
        },
    )


def producer(request, commune_code: str, organisation_code: str):
    """A producer's public page: public registry fields and their products (no representative or phone)."""
    commune = commune_or_404(commune_code)
    organisation = get_object_or_404(
        Organisation.objects.select_related("village"), commune=commune, code=organisation_code
    )
    products = list(Product.objects.filter(owner=organisation).prefetch_related("ocop_ratings").order_by("name"))
    for product in products:
        product.rating = selectors.current_rating(product.ocop_ratings.all())
        product.link = (
            reverse("resolver:product", args=[product.gtin])
            if product.gtin
            else reverse("trace:public_product", args=[quote(product.internal_code, safe="")])
        )
    return render(
        request, "trace/public_producer.html", {"commune": commune, "organisation": organisation, "products": products}
    )


def carton(request, code: str):
    """What a carton holds (its lots), for whoever scans the carton's code."""
    container = get_object_or_404(Container.objects.select_related("organisation"), code=code)
    lots = list(Lot.objects.filter(container_items__container=container).select_related("product").distinct())
    for lot in lots:
        lot.link = selectors.digital_link(lot)
    return render(request, "trace/public_carton.html", {"container": container, "lots": lots})
