"""Writes on growing areas, plots, seasons and diaries. Every rule that refuses something lives here."""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from smartcommune.accounts.models import User
from smartcommune.core import geo
from smartcommune.places.models import Village
from smartcommune.registry.models import Household

from . import geometry, selectors
from .models import DiaryEntry, DiaryInput, FarmSettings, GrowingArea, Plot, Season, VillagePoint

# Opaque, but usable in a URL and on a label: no spaces or slashes.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
DOMESTIC_HINT = re.compile(r"^VN-\d{2}-\d{3}-\d{5}-\d+-\d{2}$")
EXPORT_HINT = re.compile(r"^VN-[A-Z]{2,4}(OR|PH)-\d{4}$")


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# Settings ---------------------------------------------------------------------------------------


@transaction.atomic
def farm_settings_save(*, settings: FarmSettings) -> FarmSettings:
    settings.full_clean(exclude=["commune"])
    settings.save()
    return settings


@transaction.atomic
def village_point_set(*, village: Village, latitude: Decimal, longitude: Decimal, verified: bool) -> VillagePoint:
    if not geo.in_vietnam(latitude, longitude):
        raise ValidationError(_("This point is outside Vietnam."))
    place = selectors.place_of(village.commune)
    if place is not None:
        geometry.check_geometry(_tiny_square(float(longitude), float(latitude)), place=place, name=village.name)
    point, _created = VillagePoint.objects.update_or_create(
        village=village, defaults={"latitude": latitude, "longitude": longitude, "needs_verification": not verified}
    )
    return point


def _tiny_square(lon: float, lat: float) -> dict:
    d = 0.00005
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    return {"type": "Polygon", "coordinates": [ring]}


# Growing areas ----------------------------------------------------------------------------------


def code_hint(code: str) -> str:
    """Which official layout a code follows, for the form's help (never a reason to refuse)."""
    if DOMESTIC_HINT.match(code):
        return "domestic"
    if EXPORT_HINT.match(code):
        return "export"
    return ""


@transaction.atomic
def area_save(*, area: GrowingArea, by: User | None = None, reason: str = "") -> GrowingArea:
    """Create or change a growing area after checking its code and its links to the commune."""
    area.code = area.code.strip()
    if not CODE_PATTERN.match(area.code):
        raise ValidationError(
            {"code": _("A growing area code has 2 to 40 letters, digits, dots, dashes or underscores, without spaces.")}
        )
    if GrowingArea.objects.filter(code__iexact=area.code).exclude(pk=area.pk).exists():
        raise ValidationError({"code": _("Another growing area already has this code.")})
    if area.village_id and area.village.commune_id != area.commune_id:
        raise ValidationError({"village": _("The village does not belong to this commune.")})
    if area.cooperative_id and area.cooperative.commune_id != area.commune_id:
        raise ValidationError({"cooperative": _("The organisation does not belong to this commune.")})
    if area.certificate_expires_on and area.issued_on and area.certificate_expires_on < area.issued_on:
        raise ValidationError(
            {"certificate_expires_on": _("The certificate cannot expire before the code was issued.")}
        )
    if area.declared_area_ha is not None and area.declared_area_ha <= 0:
        raise ValidationError({"declared_area_ha": _("The declared area must be more than zero.")})
    if area.status == GrowingArea.Status.ACTIVE:
        area.status_reason = ""
    area.save()
    if reason:
        update_change_reason(area, reason)
    return area


@transaction.atomic
def area_status_set(*, area: GrowingArea, status: str, reason: str) -> GrowingArea:
    if status not in GrowingArea.Status.values:
        raise ValidationError(_("Unknown status."))
    reason = reason.strip()
    if status != GrowingArea.Status.ACTIVE and not reason:
        raise ValidationError({"reason": _("Give the reason for suspending or revoking the code.")})
    area.status, area.status_reason = status, reason if status != GrowingArea.Status.ACTIVE else ""
    area.save(update_fields=["status", "status_reason", "updated_at"])
    update_change_reason(area, reason or _("Reactivated"))
    return area


@transaction.atomic
def area_households_set(*, area: GrowingArea, household_codes: Iterable[str]) -> int:
    """Replace the member households by code; every code must be a household of the area's commune."""
    codes = {code.strip().upper() for code in household_codes if code.strip()}
    found = dict(Household.objects.filter(commune=area.commune, code__in=codes).values_list("code", "id"))
    unknown = sorted(codes - set(found))
    if unknown:
        raise ValidationError(_("Unknown household codes: %(codes)s.") % {"codes": ", ".join(unknown[:20])})
    area.households.set(found.values())
    return len(found)


# Plots ------------------------------------------------------------------------------------------


def _refresh_area(area: GrowingArea) -> None:
    total = area.plots.aggregate(total=Sum("area_ha"))["total"] or Decimal("0")
    GrowingArea.objects.filter(pk=area.pk).update(measured_area_ha=total, updated_at=timezone.now())
    area.measured_area_ha = total


def _check_household(area: GrowingArea, household: Household | None) -> None:
    if household is not None and household.commune_id != area.commune_id:
        raise ValidationError({"household": _("The household does not belong to this commune.")})


def _checked(area: GrowingArea, data, name: str) -> geometry.Shape:
    return geometry.check_geometry(data, place=selectors.place_of(area.commune), name=name)


@transaction.atomic
def plot_save(
    *,
    area: GrowingArea,
    plot: Plot | None = None,
    name: str,
    geojson,
    household: Household | None = None,
    source: str = "",
) -> Plot:
    """Add a plot to an area (or change one) from a GeoJSON geometry, checked and measured."""
    GrowingArea.objects.select_for_update().filter(pk=area.pk).first()
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the plot a name.")})
    if plot is not None and plot.growing_area_id != area.pk:
        raise ValidationError(_("This plot belongs to another growing area."))
    if area.plots.filter(name__iexact=name).exclude(pk=getattr(plot, "pk", None)).exists():
        raise ValidationError({"name": _("This growing area already has a plot with this name.")})
    _check_household(area, household)
    checked = _checked(area, geojson, name)
    plot = plot or Plot(growing_area=area)
    plot.name, plot.household, plot.source = name, household, source[:100]
    plot.geometry, plot.area_ha = checked.geometry, checked.area_ha
    plot.centroid_lat, plot.centroid_lon = (Decimal(str(v)) for v in checked.centroid)
    plot.save()
    _refresh_area(area)
    return plot


@transaction.atomic
def plot_delete(*, plot: Plot) -> None:
    area = plot.growing_area
    plot.delete()
    _refresh_area(area)


@transaction.atomic
def plots_import(*, area: GrowingArea, upload) -> list[Plot]:
    """Every polygon of a GeoJSON or KML file becomes a plot; one bad polygon and nothing is saved."""
    items = geometry.read_file(upload)
    if len(items) > 500:
        raise ValidationError(_("A file may hold at most 500 plots."))
    taken = {name.lower() for name in area.plots.values_list("name", flat=True)}
    plots, errors = [], []
    next_number = area.plots.count() + 1
    for number, (name, data) in enumerate(items, start=1):
        if not name:
            while _("Plot %(n)s") % {"n": next_number} in taken:
                next_number += 1
            name = _("Plot %(n)s") % {"n": next_number}
        if name.lower() in taken:
            errors.append(_("Polygon %(n)s: a plot named %(name)s already exists.") % {"n": number, "name": name})
            continue
        try:
            checked = _checked(area, data, name)
        except ValidationError as error:
            errors.append(_("Polygon %(n)s: %(reason)s") % {"n": number, "reason": " ".join(error.messages)})
            continue
        taken.add(name.lower())
        plots.append(
            Plot(
                growing_area=area,
                name=name,
                geometry=checked.geometry,
                area_ha=checked.area_ha,
                centroid_lat=Decimal(str(checked.centroid[0])),
                centroid_lon=Decimal(str(checked.centroid[1])),
                source=(upload.name or "")[:100],
            )
        )
    if errors:
        raise ValidationError(errors)
    for plot in plots:
        plot.save()  # one by one, so that the history records each plot
    _refresh_area(area)
    return plots


# Seasons ----------------------------------------------------------------------------------------


@transaction.atomic
def season_save(*, season: Season) -> Season:
    if season.expected_harvest_on and season.expected_harvest_on < season.starts_on:
        raise ValidationError({"expected_harvest_on": _("The harvest cannot come before the season starts.")})
    for field in ("area_ha", "expected_yield_t", "actual_yield_t"):
        value = getattr(season, field)
        if value is not None and value < 0:
            raise ValidationError({field: _("Enter a number of zero or more.")})
    season.save()
    return season


# Diary ------------------------------------------------------------------------------------------


def _clean_inputs(kind: str, inputs: Iterable[Mapping]) -> list[DiaryInput]:
    cleaned = []
    for number, data in enumerate(inputs, start=1):
        product = (data.get("product") or "").strip()
        if not product:
            continue
        input_kind = data.get("kind") or DiaryInput.Kind.OTHER
        if input_kind not in DiaryInput.Kind.values:
            raise ValidationError(_("Input %(n)s: unknown kind of input.") % {"n": number})
        days = data.get("pre_harvest_days")
        if input_kind == DiaryInput.Kind.PESTICIDE and days in (None, ""):
            raise ValidationError(
                _("Input %(n)s (%(product)s): give the pre-harvest interval printed on the pesticide's label.")
                % {"n": number, "product": product}
            )
        if days not in (None, "") and not (0 <= int(days) <= 365):
            raise ValidationError(_("Input %(n)s: the pre-harvest interval is 0 to 365 days.") % {"n": number})
        dose = data.get("dose")
        if dose not in (None, "") and Decimal(dose) < 0:
            raise ValidationError(_("Input %(n)s: the dose cannot be negative.") % {"n": number})
        cleaned.append(
            DiaryInput(
                kind=input_kind,
                product=product[:150],
                active_ingredient=(data.get("active_ingredient") or "").strip()[:150],
                dose=None if dose in (None, "") else Decimal(dose),
                dose_unit=(data.get("dose_unit") or "").strip()[:30],
                pre_harvest_days=None if days in (None, "") else int(days),
            )
        )
    if kind in (DiaryEntry.Kind.SPRAYING, DiaryEntry.Kind.FERTILISING) and not cleaned:
        raise ValidationError(_("Name the product applied (with its dose)."))
    return cleaned


def harvest_block(*, area: GrowingArea, plot: Plot | None, on: date) -> DiaryInput | None:
    """The input whose pre-harvest interval still runs on `on` and ends last, or None when harvest is safe.

    An input applied to the whole area (no plot) binds every plot; an input on one plot binds that
    plot and a harvest of the whole area."""
    candidates = DiaryInput.objects.filter(
        entry__growing_area=area, entry__date__lte=on, pre_harvest_days__gt=0
    ).select_related("entry")
    if plot is not None:
        candidates = candidates.filter(Q(entry__plot__isnull=True) | Q(entry__plot=plot))
    blocking = [i for i in candidates if i.safe_from > on]
    return max(blocking, key=lambda i: (i.safe_from, i.pk), default=None)


@transaction.atomic
def diary_entry_add(
    *,
    area: GrowingArea,
    kind: str,
    on: date,
    by: User | None,
    plot: Plot | None = None,
    season: Season | None = None,
    performed_by: str = "",
    notes: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
    inputs: Iterable[Mapping] = (),
) -> DiaryEntry:
    """Record one piece of work. A harvest inside a pesticide's pre-harvest interval is refused."""
    # One writer per area at a time: a harvest and a spraying recorded together cannot both slip through.
    GrowingArea.objects.select_for_update().filter(pk=area.pk).first()
    if kind not in DiaryEntry.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of work.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("The diary records work already done: the date cannot be in the future.")})
    if plot is not None and plot.growing_area_id != area.pk:
        raise ValidationError({"plot": _("This plot belongs to another growing area.")})
    if season is not None and season.growing_area_id != area.pk:
        raise ValidationError({"season": _("This season belongs to another growing area.")})
    cleaned_inputs = _clean_inputs(kind, inputs)
    if kind == DiaryEntry.Kind.HARVEST:
        if quantity is None or quantity <= 0:
            raise ValidationError({"quantity": _("Give the quantity harvested.")})
        if unit not in DiaryEntry.Unit.values:
            raise ValidationError({"unit": _("Choose the unit of the quantity harvested.")})
        block = harvest_block(area=area, plot=plot, on=on)
        if block is not None:
            raise ValidationError(
                {
                    "date": _(
                        "A harvest on %(date)s is not allowed: %(product)s was applied on %(applied)s with a "
                        "pre-harvest interval of %(days)s days. The earliest safe harvest date is %(safe)s."
                    )
                    % {
                        "date": _date(on),
                        "product": block.product,
                        "applied": _date(block.entry.date),
                        "days": block.pre_harvest_days,
                        "safe": _date(block.safe_from),
                    }
                }
            )
    else:
        quantity, unit = None, ""
    if season is None:
        season = area.seasons.filter(starts_on__lte=on).order_by("-starts_on").first()
    entry = DiaryEntry.objects.create(
        growing_area=area,
        plot=plot,
        season=season,
        date=on,
        kind=kind,
        performed_by=performed_by.strip()[:150],
        notes=notes.strip(),
        quantity=quantity,
        unit=unit,
        recorded_by=by,
    )
    for item in cleaned_inputs:
        item.entry = entry
    DiaryInput.objects.bulk_create(cleaned_inputs)
    return entry


@transaction.atomic
def diary_entry_delete(*, entry: DiaryEntry) -> None:
    try:
        entry.delete()
    except ProtectedError as error:
        raise ValidationError(_("This harvest is the source of a product lot and cannot be deleted.")) from error
