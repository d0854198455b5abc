"""The product feed other marketplaces import, and the sales report: rows for core.tabular.

The feed uses the field names of the Google Merchant Center product data specification (id, title,
description, link, image_link, availability, price, brand, gtin…), which Shopee, Lazada and most
Vietnamese marketplaces' bulk-upload tools map directly; it carries no personal data."""

from django.conf import settings
from django.urls import reverse

from smartcommune.core import tabular
from smartcommune.places.models import Commune

from . import selectors

FEED_COLUMNS = [
    tabular.Column("id", "id"),
    tabular.Column("title", "title"),
    tabular.Column("description", "description"),
    tabular.Column("link", "link"),
    tabular.Column("image_link", "image_link"),
    tabular.Column("availability", "availability"),
    tabular.Column("quantity", "quantity"),
    tabular.Column("price", "price"),
    tabular.Column("brand", "brand"),
    tabular.Column("gtin", "gtin"),
    tabular.Column("product_type", "product_type"),
    tabular.Column("unit", "unit_pricing_measure"),
    tabular.Column("producer", "seller"),
    tabular.Column("ocop", "ocop_stars"),
    tabular.Column("lot", "lot_number"),
    tabular.Column("trace", "traceability_link"),
]

SALES_COLUMNS = [
    tabular.Column("month", "Tháng"),
    tabular.Column("producer", "Cơ sở"),
    tabular.Column("product", "Sản phẩm"),
    tabular.Column("pack", "Quy cách"),
    tabular.Column("orders", "Số đơn", tabular.parse_int),
    tabular.Column("packs", "Số lượng", tabular.parse_int),
    tabular.Column("amount", "Doanh thu (đồng)", tabular.parse_int),
]


def _absolute(path: str) -> str:
    return path if path.startswith("http") else settings.SITE_URL + path


def feed_rows(commune: Commune) -> list[dict]:
    rows = []
    for offer in selectors.decorate(selectors.storefront(commune)):
        product = offer.product
        rows.append(
            {
                "id": f"{commune.code}-{offer.pk}",
                "title": f"{product.name} — {offer.pack_label}",
                "description": product.description or product.name,
                "link": _absolute(reverse("market:offer", args=[commune.code, offer.pk])),
                "image_link": _absolute(product.photo.url) if product.photo else "",
                "availability": "in_stock" if offer.packs_left > 0 else "out_of_stock",
                "quantity": offer.packs_left,
                "price": f"{offer.price} VND",
                "brand": product.brand,
                "gtin": product.gtin.lstrip("0") if product.gtin else "",
                "product_type": offer.get_category_display(),
                "unit": f"{offer.pack_size.normalize():f} {product.get_unit_display()}",
                "producer": offer.shop.organisation.name,
                "ocop": offer.rating.stars if offer.rating else "",
                "lot": offer.lot.code,
                "trace": _absolute(offer.trace_url),
            }
        )
    return rows
