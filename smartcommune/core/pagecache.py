"""Whole public pages from the cache, for visitors whose page holds nothing of their own.

A visitor with no session cookie is signed out, has an empty cart and no flash messages waiting (no
messages cookie either), so the page depends only on its address, its language and the data: `serve`
keeps the rendered page under a key the view builds from what the data's version is, and answers the next
such visitor without rendering. Anyone else gets the page rendered for them. A page that sets a cookie
(a CSRF token, a session) is never stored: middleware sets those cookies after the view, so `serve`
looks at what rendering asked for.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


def shareable(request) -> bool:
    """Whether this request's page would be the same for every visitor of the address."""
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def serve(request, version: str, render: Callable[[], HttpResponse], seconds: int) -> HttpResponse:
    """The page of this address and language at `version` from the cache, or `render()` (stored when
    shareable). The key holds the full path, so every filter and page number is a page of its own."""
    if not shareable(request):
        return _vary(render())
    path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    key = f"page:{version}:{get_language()}:{path}"
    cached = cache.get(key)
    if cached is not None:
        content_type, body = cached
        return _vary(HttpResponse(body, content_type=content_type))
    response = render()
    if response.status_code == 200 and not response.streaming and not _personal(request, response):
        cache.set(key, (response["Content-Type"], response.content), seconds)
    return _vary(response)


def _personal(request, response: HttpResponse) -> bool:
    """Whether rendering gave this visitor something of their own: a cookie, a CSRF token, a session."""
    session = getattr(request, "session", None)
    return bool(
        response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or (session is not None and session.modified)
    )


def _vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["Cookie"])  # a shared cache must not give a visitor's cart to another
    return response
