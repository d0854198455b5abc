"""Figures for the portal and the staff home, gathered through each part's own selectors."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q

from smartcommune.places.models import Commune, Province, Village
from smartcommune.registry import selectors as registry_selectors


def commune_key_figures(commune: Commune) -> dict[str, int | None]:
    """Villages, households and organisations, kept as long as the dashboard's figures (a minute)."""
    key = f"portal:key-figures:{commune.pk}"
    figures = cache.get(key)
    if figures is None:
        figures = {
            "villages": Village.objects.in_commune(commune).active().count(),
            **registry_selectors.commune_household_figures(commune),
            "organisations": registry_selectors.commune_organisation_figures(commune),
        }
        cache.set(key, figures, int(getattr(settings, "PORTAL_DASHBOARD_CACHE_SECONDS", 60)))
    return figures


def provinces_with_counts():
    return Province.objects.annotate(
        commune_count=Count("communes", distinct=True),
        active_communes=Count("communes", filter=Q(communes__villages__isnull=False), distinct=True),
    ).order_by("code")


def communes_of_province(province: Province):
    return (
        Commune.objects.filter(province=province)
        .annotate(village_count=Count("villages", filter=Q(villages__status=Village.Status.ACTIVE)))
        .order_by("name")
    )


def active_communes():
    """Communes that run the platform (they have villages entered)."""
    return (
        Commune.objects.filter(villages__isnull=False)
        .select_related("province")
        .distinct()
        .order_by("province__code", "code")
    )
