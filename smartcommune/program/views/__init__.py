"""The programme's pages, one module per area. Every view finds the commune and checks the viewer's scope
through `commune_for` (or access.*) before anything else."""

from datetime import date

from django.http import Http404
from django.utils import timezone

from smartcommune.accounts import scoping
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from ..forms import ReportDateForm


def commune_for(request, code: str) -> Commune:
    commune = commune_or_404(code)
    scoping.require_view(request.user, commune)
    return commune


def day_from(request, default: date | None = None) -> date:
    """The date a page describes: ?on=dd/mm/yyyy (or yyyy-mm-dd), else `default`, else today."""
    form = ReportDateForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("on"):
        return form.cleaned_data["on"]
    return default or timezone.localdate()


def plan_day(request, plan) -> date:
    """A plan's figures are shown as of today, or as of its last day once it has ended."""
    today = timezone.localdate()
    return day_from(request, min(today, plan.period_to) if plan else today)


def year_from(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    if not 2000 <= year <= 2100:
        raise Http404
    return year
