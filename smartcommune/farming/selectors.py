"""Reads of growing areas and diaries for pages, the map, the API and the traceability part."""

import json
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db.models import Count, Prefetch, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from smartcommune.places.models import Commune

from .geometry import Place
from .models import CropType, DiaryEntry, DiaryInput, FarmSettings, GrowingArea, Plot

DATA = Path(__file__).parent / "data"
AREA_MISMATCH = Decimal("0.10")  # measured and declared areas differing by more than 10 % warn
CERTIFICATE_WARNING_DAYS = 60


@cache
def _reference_points() -> dict:
    with (DATA / "reference_points.json").open(encoding="utf-8") as f:
        return {k: v for k, v in json.load(f).items() if not k.startswith("_")}


def farm_settings(commune: Commune) -> FarmSettings | None:
    """The commune's saved settings, else an unsaved default from data/reference_points.json, else None."""
    saved = FarmSettings.objects.filter(commune=commune).first()
    if saved is not None:
        return saved
    point = _reference_points().get(commune.code)
    if point is None:
        return None
    return FarmSettings(
        commune=commune,
        latitude=Decimal(str(point["latitude"])),
        longitude=Decimal(str(point["longitude"])),
        needs_verification=True,
        source=point.get("source", ""),
    )


def place_of(commune: Commune) -> Place | None:
    """Where the commune's plots must lie; None when no reference point is known (only Vietnam is checked)."""
    settings = farm_settings(commune)
    if settings is None:
        return None
    return Place(float(settings.latitude), float(settings.longitude), float(settings.max_distance_km))


def area_list(areas: QuerySet[GrowingArea], *, q: str = "", crop: str = "", status: str = "") -> QuerySet[GrowingArea]:
    qs = areas.select_related("cooperative", "village").annotate(plot_count=Count("plots", distinct=True))
    if q:
        qs = qs.filter(pk__in=GrowingArea.objects.search(q).values("pk"))
    if crop:
        qs = qs.filter(crop__iexact=crop)
    if status in GrowingArea.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("code")


def crops(commune: Commune) -> list[str]:
    return sorted(set(GrowingArea.objects.in_commune(commune).values_list("crop", flat=True)))


def area_warnings(area: GrowingArea, settings: FarmSettings | None, *, plot_count: int | None = None) -> list[str]:
    """Things an official should look at; none of them stops work."""
    warnings = []
    plot_count = area.plots.count() if plot_count is None else plot_count
    measured = area.measured_area_ha or Decimal("0")
    if not plot_count:
        warnings.append(_("No plot has been drawn or imported yet."))
    else:
        if settings is not None:
            minimum = settings.min_area_ha(area.crop_type)
            if measured < minimum:
                warnings.append(
                    _("The measured area (%(area)s ha) is below the minimum of %(min)s ha for a %(type)s growing area.")
                    % {"area": _num(measured), "min": _num(minimum), "type": CropType(area.crop_type).label}
                )
        if area.declared_area_ha and abs(measured - area.declared_area_ha) > area.declared_area_ha * AREA_MISMATCH:
            warnings.append(
                _(
                    "The measured area (%(measured)s ha) differs from the declared area (%(declared)s ha) by more than 10 %%."
                )
                % {"measured": _num(measured), "declared": _num(area.declared_area_ha)}
            )
    if area.standard not in (GrowingArea.Standard.NONE, "") and not area.certificate_number:
        warnings.append(_("The standard is declared without a certificate number."))
    if area.certificate_expires_on:
        today = timezone.localdate()
        if area.certificate_expires_on < today:
            warnings.append(_("The certificate has expired."))
        elif area.certificate_expires_on <= today + timedelta(days=CERTIFICATE_WARNING_DAYS):
            warnings.append(_("The certificate expires within %(days)s days.") % {"days": CERTIFICATE_WARNING_DAYS})
    return warnings


def _num(value: Decimal) -> str:
    return formats.number_format(round(value, 2).normalize(), use_l10n=True, force_grouping=True)


def area_detail(areas: QuerySet[GrowingArea], pk: int) -> GrowingArea:
    return (
        areas.select_related("cooperative", "village", "commune")
        .prefetch_related(Prefetch("plots", queryset=Plot.objects.select_related("household")), "seasons")
        .get(pk=pk)
    )


def diary_list(
    areas: QuerySet[GrowingArea], *, area: GrowingArea | None = None, kind: str = ""
) -> QuerySet[DiaryEntry]:
    qs = (
        DiaryEntry.objects.filter(growing_area__in=areas)
        .select_related("growing_area", "plot", "season", "recorded_by")
        .prefetch_related("inputs")
    )
    if area is not None:
        qs = qs.filter(growing_area=area)
    if kind in DiaryEntry.Kind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-date", "-pk")


def harvests(areas: QuerySet[GrowingArea]) -> QuerySet[DiaryEntry]:
    """Harvest entries of these areas, newest first, for making product lots."""
    return (
        DiaryEntry.objects.harvests()
        .filter(growing_area__in=areas)
        .select_related("growing_area", "plot", "season")
        .order_by("-date", "-pk")
    )


def inputs_before(*, area_ids: list[int], until: date, days: int = 180) -> list[DiaryInput]:
    """The inputs applied on these areas in the `days` before `until` (the public diary summary)."""
    return list(
        DiaryInput.objects.filter(
            entry__growing_area_id__in=area_ids, entry__date__lte=until, entry__date__gte=until - timedelta(days=days)
        )
        .select_related("entry", "entry__growing_area")
        .order_by("entry__date", "pk")
    )


def work_before(*, area_ids: list[int], until: date, days: int = 180) -> list[DiaryEntry]:
    """The diary entries (no personal fields are read by callers) of these areas before `until`."""
    return list(
        DiaryEntry.objects.filter(growing_area_id__in=area_ids, date__lte=until, date__gte=until - timedelta(days=days))
        .select_related("growing_area")
        .order_by("date", "pk")
    )
