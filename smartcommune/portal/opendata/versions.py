"""Versions of open datasets: the content as it stood, kept so that earlier figures stay downloadable.

A version is recorded when an official asks, by the daily `portal_snapshot` command, or by the demo,
and only when the content differs from the latest version. The live download is always current; its
update date is the latest version's when the content has not changed since."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from smartcommune.places.models import Commune

from ..models import DatasetVersion
from . import registry


def digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Current:
    dataset: registry.Dataset
    content: dict
    digest: str
    modified: datetime
    version: int | None  # the recorded version equal to the current content, if any

    @property
    def rows(self) -> list[dict]:
        return registry.rows_of(self.content)


CACHE_SECONDS = int(getattr(settings, "PORTAL_DASHBOARD_CACHE_SECONDS", 60))


def _produced(dataset: registry.Dataset, commune: Commune) -> tuple[dict, str]:
    """The dataset's content and digest, kept as long as the dashboard's figures: the catalogue and the
    dataset pages show ten datasets, and producing them all costs most of a second."""
    key = f"portal:dataset:{commune.pk}:{dataset.slug}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        content = registry.produce(dataset, commune)
        cached = (content, digest(content))
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def current(dataset: registry.Dataset, commune: Commune) -> Current:
    content, now_digest = _produced(dataset, commune)
    latest = DatasetVersion.objects.filter(commune=commune, dataset=dataset.slug).order_by("-number").first()
    if latest is not None and latest.digest == now_digest:
        return Current(dataset, content, now_digest, latest.created_at, latest.number)
    return Current(dataset, content, now_digest, timezone.now(), None)


def history(commune: Commune, slug: str):
    return DatasetVersion.objects.filter(commune=commune, dataset=slug).defer("content").order_by("-number")


def version(commune: Commune, slug: str, number: int) -> DatasetVersion | None:
    return DatasetVersion.objects.filter(commune=commune, dataset=slug, number=number).first()


def record(commune: Commune, dataset: registry.Dataset) -> tuple[DatasetVersion, bool]:
    """Record the current content as a new version unless it equals the latest; (version, created)."""
    content = registry.produce(dataset, commune)
    now_digest = digest(content)
    for _attempt in range(3):
        latest = DatasetVersion.objects.filter(commune=commune, dataset=dataset.slug).order_by("-number").first()
        if latest is not None and latest.digest == now_digest:
            return latest, False
        try:
            with transaction.atomic():
                created = DatasetVersion.objects.create(
                    commune=commune,
                    dataset=dataset.slug,
                    number=(latest.number + 1) if latest else 1,
                    digest=now_digest,
                    content=content,
                    row_count=len(registry.rows_of(content)),
                )
            return created, True
        except IntegrityError:  # another process recorded the same number first: look again
            continue
    raise RuntimeError("could not record a dataset version")


def record_all(commune: Commune) -> list[tuple[str, int, bool]]:
    out = []
    for dataset in registry.all_datasets():
        recorded, created = record(commune, dataset)
        out.append((dataset.slug, recorded.number, created))
    return out
