"""Public pages: the GS1 Digital Link resolver (`/01/{GTIN}/10/{lot}`), the internal-identifier form for
products without a GTIN, and the producer's page. No sign-in, no personal data, light for slow phones.

The lot page is cached per lot and language; the key carries the lot's and the product's versions,
which every change to the lot, its events or the product increments, so a change shows at once on
every server. Scans are counted on every human (HTML) request, cached or not.
"""

import json
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smartcommune.core.identifiers import normalize_gtin
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation

from . import epcis, scans, selectors
from .models import Container, Lot, Product

CACHE_SECONDS = 600  # bounds how long a change upstream (a growing area, an organisation) takes to show
HTML, JSONLD, JSON = "text/html", "application/ld+json", "application/json"


def _machine(request) -> bool:
    if request.GET.get("format") in ("jsonld", "json"):
        return True
    return request.get_preferred_type([HTML, JSONLD, JSON]) in (JSONLD, JSON)


LOOKUP = ("pk", "cache_version", "product__cache_version", "product__scan_alert_per_day")


def _lookup(**filters) -> tuple | None:
    """(lot id, lot version, product version, scan threshold): the one query a cached page needs."""
    rows = list(Lot.objects.filter(**filters).order_by().values_list(*LOOKUP)[:1])
    return rows[0] if rows else None


def serve_lot(request, lot_id: int, lot_version: int, product_version: int, threshold: int, *, counted: bool = False):
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
    if not machine and request.method == "GET" and not counted:
        scans.scan_record(lot_id=lot_id, threshold=threshold)
    response = HttpResponse(body, content_type=f"{JSONLD if machine else HTML}; charset=utf-8")
    response["Vary"] = "Accept, Cookie"
    response["Cache-Control"] = "no-cache"  # every scan reaches us, to be counted
    return response


def _serve(request, found: tuple, counted: bool):
    return serve_lot(request, *found, counted=counted)


def _find(request, key: str, value: str, lot: str):
    """(lot id, versions, threshold) and whether this visit was already counted; one statement for a scan."""
    if request.method == "GET" and not _machine(request):
        found = scans.scan_lookup(key=key, value=value, lot_code=lot)
        if found is not None:
            return found, True
    return _lookup(**{f"product__{key}": value, "code": lot}), False


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
    """`/01/{GTIN}/10/{lot}[/21/{serial}]`: the lot's public trace page (a serial shows its lot)."""
    try:
        canonical = normalize_gtin(gtin)
    except ValidationError as error:
        return _bad_gtin(request, gtin, error)
    if canonical != gtin:
        target = reverse("resolver:lot", args=[canonical, lot])
        return HttpResponsePermanentRedirect(target + (f"?{request.GET.urlencode()}" if request.GET else ""))
    found, counted = _find(request, "gtin", gtin, lot)
    if found is None:
        product = Product.objects.filter(gtin=gtin).first()
        return _unknown_lot(request, product, lot) if product else _unknown_product(request, gtin)
    return _serve(request, found, counted)


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
    found, counted = _find(request, "internal_code", internal_code, lot)
    if found is None:
        product = Product.objects.filter(internal_code=internal_code).first()
        return _unknown_lot(request, product, lot) if product else _unknown_product(request, internal_code)
    return _serve(request, found, counted)


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
    commune = get_object_or_404(Commune.objects.select_related("province"), code=commune_code)
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
