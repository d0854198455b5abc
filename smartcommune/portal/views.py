"""Public pages: the platform's home, a province, a commune's home, and the staff home."""

import functools
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from smartcommune.accounts import scoping
from smartcommune.places.models import Commune, Province, Village
from smartcommune.places.shortcuts import commune_or_404

from . import access, dashboard, news, selectors
from .models import Category


def home(request):
    return render(
        request,
        "portal/home.html",
        {"provinces": selectors.provinces_with_counts(), "communes": selectors.active_communes()[:50]},
    )


def province(request, province_code: str):
    province = get_object_or_404(Province, code=province_code)
    return render(
        request,
        "portal/province.html",
        {"province": province, "communes": selectors.communes_of_province(province)},
    )


def _quick_links(commune: Commune) -> list[dict]:
    links = [
        {"url": reverse("feedback:new", args=[commune.code]), "label": _("Report a problem")},
        {"url": reverse("surveys:answer"), "label": _("Answer a survey")},
    ]
    links.append({"url": reverse("market:storefront", args=[commune.code]), "label": _("Local products")})
    links.append({"url": reverse("portal:scan", args=[commune.code]), "label": _("Scan a QR code")})
    return links


def commune(request, commune_code: str):
    commune = commune_or_404(commune_code)
    articles = list(news.public_articles(commune)[:8])
    announcements = [a for a in articles if a.category == Category.ANNOUNCEMENT][:3]
    latest = [a for a in articles if a.category != Category.ANNOUNCEMENT][:5]
    return render(
        request,
        "portal/commune.html",
        {
            "commune": commune,
            # Called by the template only when its figures fragment is not in the cache.
            "figures": functools.cache(lambda: selectors.commune_key_figures(commune)),
            "criteria": functools.cache(lambda: dashboard.everything(commune)["criteria"]),
            "villages": Village.objects.in_commune(commune).active(),
            "cache_seconds": dashboard.CACHE_SECONDS,
            "latest": latest,
            "announcements": announcements,
            "quick_links": _quick_links(commune),
        },
    )


def scan(request, commune_code: str):
    """Where a QR code leads when the phone's camera cannot open it: paste the link or type the code."""
    commune = commune_or_404(commune_code)
    error = ""
    code = (request.GET.get("ma") or "").strip()
    if code:
        target = _trace_path(code)
        if target:
            return redirect(target)
        error = _("This code is not a product or lot code of the platform. Check it and try again.")
    return render(request, "portal/scan.html", {"commune": commune, "error": error, "code": code[:200]})


def _trace_path(code: str) -> str:
    path = urlsplit(code).path if code.lower().startswith(("http://", "https://")) else ""
    if not path:
        digits = code.replace(" ", "")
        path = f"/01/{digits.zfill(14)}" if digits.isdigit() and 8 <= len(digits) <= 14 else ""
    if not path:
        return ""
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return path if match.namespace in ("trace", "resolver") else ""


@login_required
def staff_home(request, commune_code: str):
    commune = commune_or_404(commune_code)
    scope = scoping.require_view(request.user, commune)
    return render(
        request,
        "portal/staff_home.html",
        {
            "commune": commune,
            "figures": selectors.commune_key_figures(commune),
            "roles": scope.roles_in(commune),
            "can_write": access.can_write(request.user, commune),
            "can_publish": access.can_publish(request.user, commune),
            "in_review": news.staff_articles(commune, status="review").count(),
        },
    )
