"""GS1 Digital Link URIs on our own domain, mounted at /01/ (AI 01 = GTIN): /01/{GTIN-14}[/10/{lot}[/21/{serial}]]."""

from django.urls import path

from . import public

app_name = "resolver"

urlpatterns = [
    path("<str:gtin>", public.resolve_product, name="product"),
    path("<str:gtin>/10/<str:lot>", public.resolve_lot, name="lot"),
    path("<str:gtin>/10/<str:lot>/21/<str:serial>", public.resolve_lot, name="item"),
]
