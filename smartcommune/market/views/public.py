"""Public pages: the storefront, product and producer pages, 360° views, cart, checkout, the buyer's
order page (by its secret link) and the CSV product feed. No sign-in needed; no personal data shown
except the buyer's own order to whoever holds its link."""

import hashlib
import io
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core import pagecache, ratelimit, tabular
from smartcommune.core.forms import apply_errors
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from .. import feeds, payments, selectors
from ..forms import CartAddForm, CheckoutForm
from ..models import Category, Offer, Order, Panorama, Shop
from ..services import orders as order_services

STARS = (3, 4, 5)
VERSION_SECONDS = 3
# Orders from one address (a commune hall's connection serves many buyers): stock is held and producers are
# told of each order, so a flood is refused with a clear message.
CHECKOUT_LIMIT, CHECKOUT_WINDOW = 30, 600
CACHE_SECONDS = 300  # bounds how long a change the fingerprint misses (a producer's name) takes to show


def _cart_key(commune: Commune) -> str:
    return f"market_cart_{commune.code}"


def _cart(request, commune: Commune) -> dict[str, int]:
    return dict(request.session.get(_cart_key(commune), {}))


def _cart_count(request, commune: Commune) -> int:
    return sum(_cart(request, commune).values())


def index(request):
    communes = Commune.objects.filter(pk__in=Shop.objects.values("commune_id")).select_related("province")
    if communes.count() == 1:
        return redirect("market:storefront", communes.first().code)
    return render(request, "market/index.html", {"communes": communes})


def _version(commune: Commune) -> str:
    """The offers' fingerprint, re-read at most every VERSION_SECONDS: a busy storefront then answers from
    the cache without touching the database (stock shown may lag by that much; checkout checks it)."""
    key = f"market:version:{commune.pk}"
    version = cache.get(key)
    if version is None:
        version = selectors.storefront_version(commune)
        cache.set(key, version, VERSION_SECONDS)
    return version


def storefront(request, commune_code: str):
    """The product list: served whole from the cache to visitors with no session (core.pagecache), its grid
    cached for everyone else; both keyed by a fingerprint of the offers, so any change of price, stock,
    product or lot shows at once (CACHE_SECONDS bounds the rest)."""
    commune = cache.get(f"market:commune:{commune_code}")
    if commune is None:
        commune = commune_or_404(commune_code)
        cache.set(f"market:commune:{commune_code}", commune, CACHE_SECONDS)
    version = f"market:{commune.pk}:{_version(commune)}"
    return pagecache.serve(request, version, lambda: _storefront(request, commune, version), CACHE_SECONDS)


def _storefront(request, commune: Commune, version: str):
    q, category, producer = request.GET.get("q", "")[:100], request.GET.get("loai", ""), request.GET.get("co-so", "")
    stars = request.GET.get("sao", "")
    stars = int(stars) if stars.isdigit() and int(stars) in STARS else None
    category = category if category in Category.values else ""
    page_number = request.GET.get("trang", "1")[:6]
    params = urlencode({"q": q, "loai": category, "co-so": producer[:30], "sao": stars or "", "trang": page_number})
    key = f"{version}:grid:{get_language()}:{hashlib.sha1(params.encode()).hexdigest()}"
    grid = cache.get(key)
    if grid is None:
        offers = selectors.storefront(commune, q=q, category=category, producer=producer, stars=stars)
        page = Paginator(offers, selectors.PAGE).get_page(page_number)
        grid = render_to_string(
            "market/_grid.html",
            {
                "commune": commune,
                "offers": selectors.decorate(page.object_list),
                "page": page,
                "q": q,
                "category": category,
                "producer": producer,
                "stars": stars,
                "categories": Category.choices,
                "producers": selectors.producers(commune),
                "star_choices": STARS,
            },
        )
        cache.set(key, grid, CACHE_SECONDS)
    return render(
        request,
        "market/storefront.html",
        {"commune": commune, "grid": mark_safe(grid), "cart_count": _cart_count(request, commune)},
    )


def offer_detail(request, commune_code: str, offer_id: int):
    commune = commune_or_404(commune_code)
    offer = selectors.offer_detail(commune, offer_id)
    if offer is None:
        raise Http404(_("This product is not on sale."))
    return render(
        request,
        "market/offer.html",
        {
            "commune": commune,
            "offer": offer,
            "form": CartAddForm(),
            "on_sale": Offer.objects.on_sale().filter(pk=offer.pk).exists(),
            "panoramas": list(offer.shop.panoramas.all()[:4]),
            "cart_count": _cart_count(request, commune),
        },
    )


def producer(request, commune_code: str, organisation_code: str):
    commune = commune_or_404(commune_code)
    shop = get_object_or_404(
        Shop.objects.select_related("organisation__village"), commune=commune, organisation__code=organisation_code
    )
    offers = selectors.decorate(selectors.storefront(commune, producer=organisation_code))
    return render(
        request,
        "market/producer.html",
        {
            "commune": commune,
            "shop": shop,
            "organisation": shop.organisation,
            "offers": offers,
            "panoramas": list(shop.panoramas.all()),
            "cart_count": _cart_count(request, commune),
        },
    )


def panorama_view(request, commune_code: str, panorama_id: int):
    """The 360° viewer: the only page that loads the viewer's script and the full-size photo."""
    commune = commune_or_404(commune_code)
    panorama = get_object_or_404(
        Panorama.objects.select_related("shop__organisation"), pk=panorama_id, shop__commune=commune
    )
    hotspots = [
        {
            "pitch": float(h.pitch),
            "yaw": float(h.yaw),
            "type": "info",
            "text": f"{h.offer.product.name} — {h.offer.pack_label}",
            "URL": reverse("market:offer", args=[commune.code, h.offer_id]),
        }
        for h in panorama.hotspots.select_related("offer__product").filter(offer__is_active=True)
    ]
    config = {
        "type": "equirectangular",
        "panorama": panorama.image.url,
        "autoLoad": True,
        "showZoomCtrl": True,
        "orientationOnByDefault": False,
        "hotSpots": hotspots,
        "strings": {
            "loadingLabel": _("Loading…"),
            "loadButtonLabel": _("Click to load the 360° view"),
            "bylineLabel": "",
            "noPanoramaError": _("No 360° photo was given."),
            "fileAccessError": _("The photo %s could not be opened."),
            "malformedURLError": _("The photo address is wrong."),
            "iOS8WebGLError": _("Your phone's browser cannot show this view."),
            "genericWebGLError": _("Your browser cannot show 360° views (WebGL is off)."),
            "textureSizeError": _("This photo is too large for your device."),
            "unknownError": _("The view could not be shown."),
        },
    }
    return render(
        request,
        "market/panorama.html",
        {"commune": commune, "panorama": panorama, "config": json.dumps(config, ensure_ascii=False)},
    )


# Cart and checkout ------------------------------------------------------------------------------


@require_POST
def cart_add(request, commune_code: str, offer_id: int):
    commune = commune_or_404(commune_code)
    offer = get_object_or_404(Offer.objects.on_sale().select_related("product"), pk=offer_id, commune=commune)
    form = CartAddForm(request.POST)
    cart = _cart(request, commune)
    if form.is_valid():
        packs = cart.get(str(offer.pk), 0) + form.cleaned_data["quantity"]
        if packs > offer.packs_left:
            messages.error(
                request,
                _("Not enough stock of %(product)s: %(left)s left, %(asked)s asked.")
                % {"product": offer.product.name, "left": offer.packs_left, "asked": packs},
            )
            return redirect("market:offer", commune.code, offer.pk)
        cart[str(offer.pk)] = packs
        request.session[_cart_key(commune)] = cart
        messages.success(request, _("%(product)s is in your cart.") % {"product": offer.product.name})
        return redirect("market:cart", commune.code)
    for error in form.errors.get("quantity", []):
        messages.error(request, error)
    return redirect("market:offer", commune.code, offer.pk)


def _cart_groups(request, commune: Commune) -> tuple[list[dict], int]:
    cart = _cart(request, commune)
    offers = {
        o.pk: o
        for o in Offer.objects.on_sale()
        .filter(commune=commune, pk__in=[int(k) for k in cart])
        .select_related("product", "shop__organisation")
    }
    groups: dict[int, dict] = {}
    total = 0
    for key, packs in cart.items():
        offer = offers.get(int(key))
        if offer is None:
            continue
        shop = offer.shop
        group = groups.setdefault(
            shop.pk, {"shop": shop, "lines": [], "total": 0, "vietqr": payments.accepts_vietqr(shop.organisation)}
        )
        amount = offer.price * packs
        group["lines"].append({"offer": offer, "packs": packs, "amount": amount})
        group["total"] += amount
        total += amount
    return list(groups.values()), total


def cart(request, commune_code: str):
    commune = commune_or_404(commune_code)
    if request.method == "POST":
        cart = _cart(request, commune)
        errors = []
        for key in list(cart):
            value = request.POST.get(f"qty-{key}", str(cart[key])).strip()
            if value == "0" or request.POST.get("remove") == key:
                del cart[key]
                continue
            try:
                cart[key] = order_services.check_quantity(value)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            for error in errors:
                messages.error(request, error)
        else:
            request.session[_cart_key(commune)] = cart
            messages.success(request, _("Your cart is updated."))
        return redirect("market:cart", commune.code)
    groups, total = _cart_groups(request, commune)
    return render(request, "market/cart.html", {"commune": commune, "groups": groups, "total": total})


def checkout(request, commune_code: str):
    commune = commune_or_404(commune_code)
    groups, total = _cart_groups(request, commune)
    if not groups:
        messages.info(request, _("Your cart is empty."))
        return redirect("market:storefront", commune.code)
    initial = {"province": commune.province.code, "commune": commune.name}
    if request.user.is_authenticated:
        initial.update(name=request.user.full_name, email=request.user.email)
    form = CheckoutForm(request.POST or None, initial=initial)
    flooded = request.method == "POST" and not ratelimit.hit(
        "market:checkout", ratelimit.client_key(request), limit=CHECKOUT_LIMIT, window=CHECKOUT_WINDOW
    )
    if flooded:
        form.is_valid()
        form.add_error(None, _("Too many orders from this connection in a short time. Wait ten minutes and try again."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        buyer = order_services.Buyer(
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            fulfilment=data["fulfilment"],
            address_line=data["address_line"],
            address_commune=data["address_commune"],
            note=data["note"],
            user=request.user if request.user.is_authenticated else None,
        )
        lines = [(int(k), v) for k, v in _cart(request, commune).items()]
        try:
            placed = order_services.checkout(commune=commune, lines=lines, buyer=buyer, payment=data["payment"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[_cart_key(commune)] = {}
            request.session["market_orders"] = [o.token for o in placed] + request.session.get("market_orders", [])[:20]
            return redirect("market:placed", placed[0].checkout)
    province = form["province"].value() or commune.province.code
    return render(
        request,
        "market/checkout.html",
        {
            "commune": commune,
            "form": form,
            "groups": groups,
            "total": total,
            "any_without_vietqr": any(not g["vietqr"] for g in groups),
            "communes": Commune.objects.filter(province__code=province).order_by("name").values_list("name", flat=True),
        },
        status=429 if flooded else 400 if form.errors else 200,
    )


def _order_context(order: Order) -> dict:
    context = {"order": order, "lines": list(order.lines.all()), "events": list(order.events.all())}
    if order.payment == Order.Payment.VIETQR and order.status not in ("cancelled",) and not order.paid_at:
        try:
            text = payments.order_payload(order)
        except ValidationError as error:
            context["qr_error"] = error.messages[0]
        else:
            context.update(qr_text=text, qr_svg=payments.qr_svg(text), bank=payments.bank_name(order.shop.organisation))
    return context


def placed(request, cart: str):
    """The orders of one checkout, with their VietQR codes; only for the browser that placed them."""
    tokens = set(request.session.get("market_orders", []))
    orders = [
        o
        for o in Order.objects.filter(checkout=cart).select_related("shop__organisation", "commune")
        if o.token in tokens
    ]
    if not orders:
        raise Http404(_("No order here."))
    return render(
        request,
        "market/placed.html",
        {"commune": orders[0].commune, "orders": [_order_context(o) for o in orders]},
    )


def order_follow(request, token: str):
    order = get_object_or_404(
        Order.objects.select_related("shop__organisation", "commune", "address_commune__province"), token=token
    )
    return render(request, "market/order_follow.html", {"commune": order.commune, **_order_context(order)})


@login_required
def my_orders(request):
    orders = Order.objects.filter(buyer=request.user).select_related("shop__organisation", "commune")[:100]
    return render(request, "market/my_orders.html", {"orders": orders})


def product_feed(request, commune_code: str):
    """The products on sale as a CSV feed that marketplaces import (Google Merchant field names)."""
    commune = commune_or_404(commune_code)
    out = io.StringIO()
    tabular.write_csv(feeds.FEED_COLUMNS, feeds.feed_rows(commune), out)
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="san-pham-{commune.code}.csv"'
    return response
