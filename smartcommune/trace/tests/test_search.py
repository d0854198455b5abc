import importlib

import pytest
from django.apps import apps

from smartcommune.registry.models import Organisation
from smartcommune.trace import services
from smartcommune.trace.models import Lot, Product

from .conftest import GTIN13

pytestmark = pytest.mark.django_db


def test_the_search_key_folds_name_gtin_and_internal_code(product):
    assert product.search_key == f"gao dong lon {product.gtin} {product.internal_code}"
    assert Product.objects.get().search_key == product.search_key


def test_a_renamed_product_is_found_by_its_new_name(product):
    product.name = "Gạo Tám Xoan"
    services.product_save(product=product)
    assert list(Product.objects.search("tam xoan")) == [product]
    product.name = "Gạo Nàng Hương"
    product.save(update_fields=["name"])
    assert list(Product.objects.search("nang huong")) == [product]
    assert not Product.objects.search("tam xoan").exists()


def test_products_are_found_by_words_of_the_product_or_its_producer_and_by_whole_codes(product, commune):
    other = Organisation.objects.create(commune=commune, code="HTX-T02", name="HTX Rau Sạch", kind="htx")
    greens = services.product_save(product=Product(commune=commune, owner=other, name="Rau cải", unit="KGM"))
    assert list(Product.objects.search("gạo HTX")) == [product]  # "htx" is in the producer's key
    assert list(Product.objects.search(f"  {GTIN13}  ")) == [product]
    assert list(Product.objects.search(greens.internal_code.upper())) == [greens]
    assert list(Product.objects.search("rau sach").order_by("pk")) == [greens]
    assert set(Product.objects.search("   ")) == {product, greens}


def test_lots_are_found_by_code_or_by_their_product(lot):
    assert list(Lot.objects.search("l2506")) == [lot]
    assert list(Lot.objects.search("Gao Dong")) == [lot]
    assert not Lot.objects.search("rau").exists()


def test_the_migration_fills_the_keys_of_existing_products(product):
    migration = importlib.import_module("smartcommune.trace.migrations.0002_product_search_key")
    Product.objects.update(search_key="")
    migration.fill_search_keys(apps, None)
    product.refresh_from_db()
    assert product.search_key == f"gao dong lon {product.gtin} {product.internal_code}"
