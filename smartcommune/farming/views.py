import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role
from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import access, maps, selectors, services
from .forms import (
    DiaryEntryForm,
    DiaryInputFormSet,
    FarmSettingsForm,
    GrowingAreaForm,
    MembersForm,
    PlotForm,
    PlotImportForm,
    SeasonForm,
    StatusForm,
    VillagePointForm,
    cooperatives_for,
)
from .map_views import map_context
from .models import DiaryEntry, FarmSettings, GrowingArea, Plot, Season, VillagePoint


def _area(request, commune: Commune, area_id: int, *, edit: bool = False, diary: bool = False) -> GrowingArea:
    area = get_object_or_404(
        GrowingArea.objects.select_related("commune", "cooperative", "village"), pk=area_id, commune=commune
    )
    access.require_area(request.user, area, edit=edit, diary=diary)
    return area


# Growing areas ----------------------------------------------------------------------------------


@login_required
def area_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    areas = access.areas_for(request.user, commune)
    q, crop, status = request.GET.get("q", ""), request.GET.get("crop", ""), request.GET.get("status", "")
    rows = selectors.area_list(areas, q=q, crop=crop, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    farm = selectors.farm_settings(commune)
    for area in page:
        area.warnings = selectors.area_warnings(area, farm, plot_count=area.plot_count)
    query = request.GET.copy()
    query.pop("page", None)
    scope = scoping.scope_for(request.user)
    return render(
        request,
        "farming/area_list.html",
        {
            "commune": commune,
            "page": page,
            "q": q,
            "crop": crop,
            "status": status,
            "crops": selectors.crops(commune),
            "statuses": GrowingArea.Status.choices,
            "query": query.urlencode(),
            "can_create": scope.has_role(commune, *access.AREA_CREATORS),
            "can_settings": scope.has_role(commune, *access.SETTINGS_EDITORS),
        },
    )


@login_required
def area_detail(request, commune_code: str, area_id: int):
    commune = commune_or_404(commune_code)
    area = _area(request, commune, area_id)
    area = selectors.area_detail(GrowingArea.objects.filter(pk=area.pk), area.pk)
    sees_households = access.sees_households(request.user, commune)
    plots = list(area.plots.all())
    return render(
        request,
        "farming/area_detail.html",
        {
            "commune": commune,
            "area": area,
            "plots": plots,
            "seasons": list(area.seasons.all()),
            "warnings": selectors.area_warnings(area, selectors.farm_settings(commune), plot_count=len(plots)),
            "entries": selectors.diary_list(GrowingArea.objects.filter(pk=area.pk))[:20],
            "members": area.households.select_related("village").order_by("code")[:500] if sees_households else None,
            "sees_households": sees_households,
            "can_edit": access.can_edit(request.user, area),
            "can_diary": access.can_keep_diary(request.user, area),
            "changes": history_of(area),
            **map_context(
                commune,
                staff=True,
                inline=[
                    {
                        "label": _("Plots"),
                        "data": maps.area_features(GrowingArea.objects.filter(pk=area.pk), staff=sees_households),
                    }
                ],
            ),
        },
    )


@login_required
def area_edit(request, commune_code: str, area_id: int | None = None):
    commune = commune_or_404(commune_code)
    scope = scoping.scope_for(request.user)
    if area_id is None:
        scoping.require_role(request.user, commune, *access.AREA_CREATORS)
        area = GrowingArea(commune=commune)
    else:
        area = _area(request, commune, area_id, edit=True)
    own_only = not scope.has_role(commune, Role.COMMUNE_OFFICIAL)
    cooperatives = cooperatives_for(commune, scope.organisation_codes if own_only else None)
    form = GrowingAreaForm(request.POST or None, instance=area, commune=commune, cooperatives=cooperatives)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.area_save(area=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The growing area was saved."))
            return redirect("farming:area", commune.code, area.pk)
    return render(
        request,
        "farming/area_form.html",
        {"commune": commune, "form": form, "area": area},
        status=400 if form.errors else 200,
    )


@login_required
def area_status(request, commune_code: str, area_id: int):
    commune = commune_or_404(commune_code)
    scoping.require_role(request.user, commune, Role.COMMUNE_OFFICIAL)  # suspending a code is the commune's call
    area = _area(request, commune, area_id, edit=True)
    form = StatusForm(request.POST or None, initial={"status": area.status, "reason": area.status_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.area_status_set(area=area, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The status of the growing area was changed."))
            return redirect("farming:area", commune.code, area.pk)
    return render(
        request,
        "farming/simple_form.html",
        {"commune": commune, "form": form, "area": area, "title": _("Status of the growing area")},
        status=400 if form.errors else 200,
    )


@login_required
def area_members(request, commune_code: str, area_id: int):
    commune = commune_or_404(commune_code)
    area = _area(request, commune, area_id, edit=True)
    initial = "\n".join(area.households.order_by("code").values_list("code", flat=True))
    form = MembersForm(request.POST or None, initial={"members": initial})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.area_households_set(area=area, household_codes=form.cleaned_data["members"].split())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(count)s member households saved.") % {"count": count})
            return redirect("farming:area", commune.code, area.pk)
    return render(
        request,
        "farming/simple_form.html",
        {"commune": commune, "form": form, "area": area, "title": _("Member households")},
        status=400 if form.errors else 200,
    )


# Plots ------------------------------------------------------------------------------------------


@login_required
def plot_edit(request, commune_code: str, area_id: int, plot_id: int | None = None):
    commune = commune_or_404(commune_code)
    area = _area(request, commune, area_id, edit=True)
    plot = get_object_or_404(Plot, pk=plot_id, growing_area=area) if plot_id else None
    initial = {}
    if plot is not None:
        initial = {
            "name": plot.name,
            "household": plot.household.code if plot.household_id else "",
            "geojson": json.dumps(plot.geometry),
        }
    form = PlotForm(request.POST or None, initial=initial, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            services.plot_save(
                area=area,
                plot=plot,
                name=form.cleaned_data["name"],
                geojson=form.cleaned_data["geojson"],
                household=form.cleaned_data["household"],
                source=_("drawn on the map"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The plot was saved."))
            return redirect("farming:area", commune.code, area.pk)
    others = maps.area_features(GrowingArea.objects.filter(pk=area.pk), staff=False)
    if plot is not None:
        others["features"] = [f for f in others["features"] if f["properties"]["plot"] != plot.name]
    return render(
        request,
        "farming/plot_form.html",
        {
            "commune": commune,
            "area": area,
            "plot": plot,
            "form": form,
            **map_context(
                commune,
                staff=True,
                inline=[{"label": _("Other plots"), "data": others, "fit": False}],
                draw="id_geojson",
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def plot_delete(request, commune_code: str, area_id: int, plot_id: int):
    commune = commune_or_404(commune_code)
    area = _area(request, commune, area_id, edit=True)
    services.plot_delete(plot=get_object_or_404(Plot, pk=plot_id, growing_area=area))
    messages.success(request, _("The plot was deleted."))
    return redirect("farming:area", commune.code, area.pk)


@login_required
def plot_import(request, commune_code: str, area_id: int):
    commune = commune_or_404(commune_code)
    area = _area(request, commune, area_id, edit=True)
    form = PlotImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plots = services.plots_import(area=area, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("%(count)s plots imported.") % {"count": len(plots)})
            return redirect("farming:area", commune.code, area.pk)
    return render(
        request,
        "farming/simple_form.html",
        {"commune": commune, "form": form, "area": area, "title": _("Import plots from a file"), "multipart": True},
        status=400 if form.errors else 200,
    )


# Seasons ----------------------------------------------------------------------------------------


@login_required
def season_edit(request, commune_code: str, area_id: int, season_id: int | None = None):
    commune = commune_or_404(commune_code)
    area = _area(request, commune, area_id, edit=True)
    season = get_object_or_404(Season, pk=season_id, growing_area=area) if season_id else Season(growing_area=area)
    if not season.pk:
        season.variety = area.variety
    form = SeasonForm(request.POST or None, instance=season)
    if request.method == "POST" and form.is_valid():
        try:
            services.season_save(season=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The season was saved."))
            return redirect("farming:area", commune.code, area.pk)
    return render(
        request,
        "farming/simple_form.html",
        {"commune": commune, "form": form, "area": area, "title": _("Season")},
        status=400 if form.errors else 200,
    )


# Diary ------------------------------------------------------------------------------------------


@login_required
def diary_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    areas = access.areas_for(request.user, commune)
    area = None
    if request.GET.get("vung", "").isdigit():
        area = get_object_or_404(areas, pk=int(request.GET["vung"]))
    kind = request.GET.get("kind", "")
    rows = selectors.diary_list(areas, area=area, kind=kind)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = scoping.scope_for(request.user)
    return render(
        request,
        "farming/diary_list.html",
        {
            "commune": commune,
            "page": page,
            "area": area,
            "areas": areas.order_by("code"),
            "kind": kind,
            "kinds": DiaryEntry.Kind.choices,
            "query": query.urlencode(),
            "can_write": scope.has_role(commune, *access.DIARY_WRITERS),
            "can_delete": scope.has_role(commune, Role.COMMUNE_OFFICIAL),
        },
    )


@login_required
def diary_add(request, commune_code: str):
    """The diary entry form, made for a phone: one area, one piece of work, its inputs."""
    commune = commune_or_404(commune_code)
    areas = (
        access.areas_for(request.user, commune, diary=True).filter(status=GrowingArea.Status.ACTIVE).order_by("code")
    )
    initial = {}
    if request.GET.get("vung", "").isdigit():
        initial["area"] = int(request.GET["vung"])
    if request.GET.get("kind") in DiaryEntry.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = DiaryEntryForm(request.POST or None, initial=initial, areas=areas)
    inputs = DiaryInputFormSet(request.POST or None, prefix="inputs")
    if request.method == "POST" and form.is_valid() and inputs.is_valid():
        data = form.cleaned_data
        try:
            entry = services.diary_entry_add(
                area=data["area"],
                plot=data["plot"],
                kind=data["kind"],
                on=data["date"],
                performed_by=data["performed_by"],
                notes=data["notes"],
                quantity=data["quantity"],
                unit=data["unit"],
                inputs=[f.cleaned_data for f in inputs.forms if f.cleaned_data],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(work)s on %(area)s.")
                % {"work": entry.get_kind_display(), "area": entry.growing_area.code},
            )
            return redirect(f"{reverse('farming:diary', args=[commune.code])}?vung={entry.growing_area_id}")
    return render(
        request,
        "farming/diary_form.html",
        {"commune": commune, "form": form, "inputs": inputs, "has_areas": areas.exists()},
        status=400 if request.method == "POST" and (form.errors or inputs.total_error_count()) else 200,
    )


@login_required
@require_POST
def diary_delete(request, commune_code: str, entry_id: int):
    commune = commune_or_404(commune_code)
    scoping.require_role(request.user, commune, Role.COMMUNE_OFFICIAL)
    entry = get_object_or_404(
        DiaryEntry.objects.select_related("growing_area"), pk=entry_id, growing_area__commune=commune
    )
    try:
        services.diary_entry_delete(entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The diary entry was deleted."))
    return redirect(f"{reverse('farming:diary', args=[commune.code])}?vung={entry.growing_area_id}")


# Settings ---------------------------------------------------------------------------------------


@login_required
def settings_page(request, commune_code: str):
    commune = commune_or_404(commune_code)
    scoping.require_role(request.user, commune, *access.SETTINGS_EDITORS)
    farm = selectors.farm_settings(commune) or FarmSettings(commune=commune)
    form = FarmSettingsForm(request.POST if "save_settings" in request.POST else None, instance=farm)
    point_form = VillagePointForm(request.POST if "save_point" in request.POST else None, commune=commune)
    if request.method == "POST" and "save_settings" in request.POST and form.is_valid():
        farm = form.save(commit=False)
        farm.commune = commune
        farm.needs_verification = not form.cleaned_data["verified"]
        try:
            services.farm_settings_save(settings=farm)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The map settings were saved."))
            return redirect("farming:settings", commune.code)
    if request.method == "POST" and "save_point" in request.POST and point_form.is_valid():
        data = point_form.cleaned_data
        try:
            services.village_point_set(
                village=data["village"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                verified=data["verified"],
            )
        except ValidationError as error:
            apply_errors(point_form, error)
        else:
            messages.success(request, _("The village marker was saved."))
            return redirect("farming:settings", commune.code)
    return render(
        request,
        "farming/settings.html",
        {
            "commune": commune,
            "form": form,
            "point_form": point_form,
            "farm": farm,
            "points": VillagePoint.objects.filter(village__commune=commune)
            .select_related("village")
            .order_by("village__code"),
            "changes": history_of(farm) if farm.pk else [],
        },
        status=400 if form.errors or point_form.errors else 200,
    )
