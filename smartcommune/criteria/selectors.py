"""Reads for criteria pages: which sets apply, and years with data."""

from django.db.models import Q
from django.utils import timezone

from smartcommune.registry.selectors import household_years

from .models import CriteriaSet


def sets_for_year(year: int) -> list[CriteriaSet]:
    """Sets in force in that year, the national New Rural set first."""
    sets = CriteriaSet.objects.filter(valid_from__year__lte=year).filter(
        Q(valid_to__isnull=True) | Q(valid_to__year__gte=year)
    )
    order = {
        CriteriaSet.Kind.NTM: 0,
        CriteriaSet.Kind.ADVANCED: 1,
        CriteriaSet.Kind.SMART: 2,
        CriteriaSet.Kind.MODEL: 3,
    }
    return sorted(sets, key=lambda s: (order.get(s.kind, 9), s.code))


def default_year(commune) -> int:
    years = household_years(commune)
    return years[0] if years else timezone.localdate().year


def choose_set(code: str | None, year: int) -> CriteriaSet | None:
    if code:
        return CriteriaSet.objects.filter(code=code).first()
    candidates = sets_for_year(year)
    return candidates[0] if candidates else CriteriaSet.objects.first()
