"""Whole pages from the cache: only for visitors with nothing of their own, never a page with a token."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from smartcommune.core import pagecache


def serve(request, body: str, renders: list, token: bool = False):
    def render():
        renders.append(1)
        return HttpResponse(f"{body} {get_token(request) if token else ''}")

    return pagecache.serve(request, "v1", render, 60)


def test_a_visitor_without_a_session_gets_the_stored_page():
    renders = []
    first = serve(RequestFactory().get("/cho/21238/?trang=2"), "page", renders)
    again = serve(RequestFactory().get("/cho/21238/?trang=2"), "other", renders)
    assert again.content == first.content and len(renders) == 1 and "Cookie" in again["Vary"]
    assert serve(RequestFactory().get("/cho/21238/?trang=3"), "page 3", renders).content.startswith(b"page 3")


def test_a_visitor_with_a_session_or_messages_gets_their_own_page():
    renders = []
    serve(RequestFactory().get("/cho/21238/"), "shared", renders)
    for cookie in ("sessionid", "messages"):
        request = RequestFactory().get("/cho/21238/")
        request.COOKIES[cookie] = "x"
        assert serve(request, "own", renders).content.startswith(b"own")
    assert len(renders) == 3


def test_a_page_holding_a_csrf_token_is_never_stored():
    renders = []
    serve(RequestFactory().get("/dat-hang/"), "form", renders, token=True)
    serve(RequestFactory().get("/dat-hang/"), "form", renders, token=True)
    assert len(renders) == 2
