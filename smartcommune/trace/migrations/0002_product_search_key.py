"""Products get a stored, accent-free search key (see core.text.fold); existing rows are filled here."""

from django.db import migrations, models

from smartcommune.core.text import fold


def fill_search_keys(apps, schema_editor):
    # The key as Product.make_search_key builds it today, written out so that later changes to the
    # model do not change what this migration did.
    Product = apps.get_model("trace", "Product")
    products = list(Product.objects.only("name", "gtin", "internal_code"))
    for product in products:
        product.search_key = fold(f"{product.name} {product.gtin} {product.internal_code}")[:300]
    Product.objects.bulk_update(products, ["search_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("trace", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_key",
            field=models.CharField(default="", editable=False, max_length=300),
            preserve_default=False,
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
    ]
