"""Loading the budget's reference data (program/data/catalogue.yaml): funding sources and spending categories.

Idempotent: rows are matched on their code; a second load changes nothing. Codes that left the file are
kept but marked not in use, since budget lines may point to them."""

from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from .models import FundingSource, SpendingCategory

DATA_FILE = Path(__file__).parent / "data" / "catalogue.yaml"


@cache
def _read(path: Path = DATA_FILE) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _sources(data: dict):
    position = 0
    for group in data["funding_sources"]:
        position += 10
        yield group, None, position
        for child in group.get("children", []):
            position += 1
            yield child, group["code"], position


def _categories(data: dict):
    position = 0
    for kind in (SpendingCategory.Kind.INVESTMENT, SpendingCategory.Kind.RECURRENT):
        for item in data["spending_categories"][kind]:
            position += 1
            yield item, kind, position


@transaction.atomic
def load(path: Path = DATA_FILE) -> dict[str, int]:
    """Create or update every source and category of the file; returns how many rows changed."""
    data = _read(path)
    changed = 0
    existing = {s.code: s for s in FundingSource.objects.all()}
    seen = set()
    for item, parent_code, position in _sources(data):
        values = {
            "name": item["name"],
            "parent": existing.get(parent_code) if parent_code else None,
            "kind": item.get("kind", FundingSource.Kind.CASH),
            "position": position,
            "is_active": item.get("active", True),
            "note": item.get("note", ""),
        }
        source = existing.get(item["code"])
        if source is None:
            source = existing[item["code"]] = FundingSource.objects.create(code=item["code"], **values)
            changed += 1
        elif any(getattr(source, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(source, k, v)
            source.save()
            changed += 1
        seen.add(item["code"])
    changed += FundingSource.objects.exclude(code__in=seen).filter(is_active=True).update(is_active=False)

    categories = {c.code: c for c in SpendingCategory.objects.all()}
    seen = set()
    for item, kind, position in _categories(data):
        values = {"name": item["name"], "kind": kind, "position": position, "is_active": True}
        category = categories.get(item["code"])
        if category is None:
            SpendingCategory.objects.create(code=item["code"], **values)
            changed += 1
        elif any(getattr(category, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(category, k, v)
            category.save()
            changed += 1
        seen.add(item["code"])
    changed += SpendingCategory.objects.exclude(code__in=seen).filter(is_active=True).update(is_active=False)
    return {"changed": changed}


def on_post_migrate(sender, **kwargs) -> None:
    """Keep the reference data in every database (also after a test flush), like Django's content types."""
    from django.db import connections

    using = kwargs.get("using", "default")
    if using != "default" or FundingSource._meta.db_table not in connections[using].introspection.table_names():
        return  # another database, or migrated backwards
    load()
