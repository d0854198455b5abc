from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role
from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of
from smartcommune.places.shortcuts import commune_or_404

from . import services
from .forms import CommuneSettingsForm, VillageCreateForm, VillageMergeForm, VillageRenameForm, VillageRetireForm
from .models import Village


@login_required
def village_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    scope = scoping.require_view(request.user, commune)
    can_manage = scope.has_role(commune, Role.COMMUNE_OFFICIAL)
    form = VillageCreateForm()
    if request.method == "POST":
        scoping.require_role(request.user, commune, Role.COMMUNE_OFFICIAL)
        form = VillageCreateForm(request.POST)
        if form.is_valid():
            try:
                village = services.village_create(commune=commune, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Village %(name)s was added.") % {"name": village.name})
                return redirect("places:villages", commune.code)
    villages = scope.villages(commune).select_related("merged_into")
    return render(
        request,
        "places/village_list.html",
        {"commune": commune, "villages": villages, "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


def _village_for(request, commune_code: str, village_id: int) -> Village:
    village = get_object_or_404(Village.objects.select_related("commune"), pk=village_id, commune__code=commune_code)
    scoping.require_village(request.user, village, *scoping.STAFF_ROLES)
    return village


@login_required
def village_detail(request, commune_code: str, village_id: int):
    village = _village_for(request, commune_code, village_id)
    can_manage = scoping.scope_for(request.user).has_role(village.commune, Role.COMMUNE_OFFICIAL)
    forms = {
        "rename": VillageRenameForm(initial={"name": village.name}),
        "merge": VillageMergeForm(village=village),
        "retire": VillageRetireForm(),
    }
    if request.method == "POST":
        scoping.require_role(request.user, village.commune, Role.COMMUNE_OFFICIAL)
        action = request.POST.get("action")
        if action not in forms:
            return redirect("places:village", commune_code, village.pk)
        form = (
            VillageMergeForm(request.POST, village=village) if action == "merge" else type(forms[action])(request.POST)
        )
        forms[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "rename":
                    services.village_rename(village=village, name=data["name"], reason=data["reason"])
                elif action == "merge":
                    services.village_merge(sources=[village], into=data["into"], on=data["on"], reason=data["reason"])
                else:
                    services.village_retire(village=village, on=data["on"], reason=data["reason"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The village was updated."))
                return redirect("places:village", commune_code, village.pk)
    return render(
        request,
        "places/village_detail.html",
        {
            "commune": village.commune,
            "village": village,
            "forms": forms,
            "can_manage": can_manage and village.status == Village.Status.ACTIVE,
            "changes": history_of(village),
        },
        status=400 if any(f.errors for f in forms.values()) else 200,
    )


@login_required
def commune_settings(request, commune_code: str):
    commune = commune_or_404(commune_code)
    scoping.require_role(request.user, commune, Role.COMMUNE_OFFICIAL)
    form = CommuneSettingsForm(instance=commune)
    if request.method == "POST":
        form = CommuneSettingsForm(request.POST, instance=commune)
        if form.is_valid():
            data = form.cleaned_data
            services.commune_update_settings(
                commune=commune, region=data["region"], group=data["group"], introduction=data["introduction"]
            )
            messages.success(request, _("The commune settings were saved."))
            return redirect("places:commune_settings", commune.code)
    return render(
        request,
        "places/commune_settings.html",
        {"commune": commune, "form": form, "predecessors": commune.predecessors.all(), "changes": history_of(commune)},
        status=400 if form.errors else 200,
    )
