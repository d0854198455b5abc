from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.core.forms import apply_errors
from smartcommune.places.models import Village

from .. import access, checklist
from ..forms import AssetForm, ChannelForm, CoverageForm, MemberForm, TeamForm, TickForm
from ..models import Asset, Coverage, DigitalTeam, SocialChannel
from ..services import infrastructure as services
from . import commune_for, day_from


def _map_points(assets) -> list[dict]:
    return [
        {
            "lat": float(a.latitude),
            "lng": float(a.longitude),
            "kind": a.kind,
            "label": f"{a.get_kind_display()}: {a.name}",
            "status": a.get_status_display(),
        }
        for a in assets
    ]


@login_required
def overview(request, commune_code: str):
    """The inventory on a map, and every village's progress on the smart-village checklist."""
    commune = commune_for(request, commune_code)
    on = day_from(request)
    assets = list(Asset.objects.filter(commune=commune).select_related("village"))
    progress = checklist.evaluate(commune, on)
    return render(
        request,
        "program/infrastructure.html",
        {
            "commune": commune,
            "on": on,
            "assets": assets,
            "points": _map_points(a for a in assets if a.status != Asset.Status.REMOVED),
            "progress": progress,
            "smart": sum(1 for p in progress if p.passes),
            "spec": checklist.checklist(),
            "teams": DigitalTeam.objects.filter(commune=commune).select_related("village"),
            "channels": SocialChannel.objects.filter(commune=commune).select_related("village"),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "can_manage": access.can_manage(request.user, commune),
        },
    )


@login_required
def asset_edit(request, commune_code: str, asset_id: int | None = None):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    asset = get_object_or_404(Asset, pk=asset_id, commune=commune) if asset_id else Asset(commune=commune)
    form = AssetForm(request.POST or None, instance=asset, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_save(asset=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("program:infrastructure", commune.code)
    return render(
        request,
        "program/form.html",
        {"commune": commune, "form": form, "title": _("Infrastructure item")},
        status=400 if form.errors else 200,
    )


@login_required
def coverage(request, commune_code: str):
    commune = commune_for(request, commune_code)
    form = CoverageForm(request.POST or None, commune=commune, initial={"as_of": timezone.localdate()})
    if request.method == "POST":
        access.require_manage(request.user, commune)
        if form.is_valid():
            try:
                services.coverage_record(**form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The coverage was recorded."))
                return redirect("program:coverage", commune.code)
    rows = Coverage.objects.filter(village__commune=commune).select_related("village")
    return render(
        request,
        "program/coverage.html",
        {"commune": commune, "rows": rows, "form": form, "can_manage": access.can_manage(request.user, commune)},
        status=400 if form.errors else 200,
    )


@login_required
def teams(request, commune_code: str):
    commune = commune_for(request, commune_code)
    form = TeamForm(request.POST or None, instance=DigitalTeam(commune=commune), commune=commune)
    if request.method == "POST":
        access.require_manage(request.user, commune)
        if form.is_valid():
            try:
                team = services.team_save(team=form.save(commit=False))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The team was saved."))
                return redirect("program:team", commune.code, team.pk)
    rows = DigitalTeam.objects.filter(commune=commune).select_related("village").prefetch_related("members")
    return render(
        request,
        "program/teams.html",
        {"commune": commune, "rows": rows, "form": form, "can_manage": access.can_manage(request.user, commune)},
        status=400 if form.errors else 200,
    )


@login_required
def team_detail(request, commune_code: str, team_id: int):
    commune = commune_for(request, commune_code)
    team = get_object_or_404(DigitalTeam.objects.select_related("village"), pk=team_id, commune=commune)
    team_form = TeamForm(instance=team, commune=commune)
    member_form = MemberForm()
    if request.method == "POST":
        access.require_manage(request.user, commune)
        if "full_name" in request.POST:
            member_form = MemberForm(request.POST)
            if member_form.is_valid():
                try:
                    services.member_add(team=team, **member_form.cleaned_data)
                except ValidationError as error:
                    apply_errors(member_form, error)
                else:
                    messages.success(request, _("The member was added."))
                    return redirect("program:team", commune.code, team.pk)
        else:
            team_form = TeamForm(request.POST, instance=team, commune=commune)
            if team_form.is_valid():
                try:
                    services.team_save(team=team_form.save(commit=False))
                except ValidationError as error:
                    apply_errors(team_form, error)
                else:
                    messages.success(request, _("The team was saved."))
                    return redirect("program:team", commune.code, team.pk)
    return render(
        request,
        "program/team_detail.html",
        {
            "commune": commune,
            "team": team,
            "members": team.members.all(),
            "team_form": team_form,
            "member_form": member_form,
            "can_manage": access.can_manage(request.user, commune),
        },
        status=400 if team_form.errors or member_form.errors else 200,
    )


@login_required
def channels(request, commune_code: str):
    commune = commune_for(request, commune_code)
    form = ChannelForm(request.POST or None, instance=SocialChannel(commune=commune), commune=commune)
    if request.method == "POST":
        access.require_manage(request.user, commune)
        if form.is_valid():
            try:
                services.channel_save(channel=form.save(commit=False))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The channel was saved."))
                return redirect("program:channels", commune.code)
    rows = SocialChannel.objects.filter(commune=commune).select_related("village")
    return render(
        request,
        "program/channels.html",
        {"commune": commune, "rows": rows, "form": form, "can_manage": access.can_manage(request.user, commune)},
        status=400 if form.errors else 200,
    )


@login_required
def village_checklist(request, commune_code: str, village_code: str):
    commune = commune_for(request, commune_code)
    village = get_object_or_404(Village, commune=commune, code=village_code)
    form = TickForm(request.POST or None, request.FILES or None, initial={"ticked_on": timezone.localdate()})
    if request.method == "POST":
        access.require_manage(request.user, commune)
        if form.is_valid():
            try:
                services.tick_set(village=village, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The checklist item was recorded."))
                return redirect("program:village", commune.code, village.code)
    on = day_from(request)
    progress = checklist.evaluate(commune, on, villages=[village])[0]
    return render(
        request,
        "program/village_checklist.html",
        {
            "commune": commune,
            "village": village,
            "progress": progress,
            "spec": checklist.checklist(),
            "on": on,
            "form": form,
            "can_manage": access.can_manage(request.user, commune),
        },
        status=400 if form.errors else 200,
    )
