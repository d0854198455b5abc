from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core.forms import apply_errors
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import scoping, services
from .forms import RoleFields, TokenForm, UserCreateForm
from .models import ApiToken, Role, RoleAssignment, User


@login_required
def home(request):
    """After login: the staff home of the user's commune, a commune chooser, or the portal."""
    scope = scoping.scope_for(request.user)
    if not scope.is_staff:
        return redirect("portal:home")
    communes = scope.communes().select_related("province").order_by("code")
    if not scope.is_global and communes.count() == 1:
        return redirect("portal:staff_home", communes.first().code)
    return render(request, "accounts/choose_commune.html", {"communes": communes[:500]})


@login_required
def profile(request):
    tokens = ApiToken.objects.filter(user=request.user)
    roles = request.user.roles.select_related("commune", "village", "province")
    return render(request, "accounts/profile.html", {"tokens": tokens, "roles": roles, "token_form": TokenForm()})


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "key": key})
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/profile.html", {"tokens": tokens, "token_form": form}, status=400)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.token_revoke(user=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


def _managed_commune(request, commune_code: str) -> Commune:
    commune = commune_or_404(commune_code)
    scoping.require_role(request.user, commune, Role.COMMUNE_OFFICIAL)
    return commune


@login_required
def user_list(request, commune_code: str):
    commune = _managed_commune(request, commune_code)
    form = UserCreateForm(commune=commune)
    if request.method == "POST":
        form = UserCreateForm(request.POST, commune=commune)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_create(by=request.user, commune=commune, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("User %(name)s was created.") % {"name": user.username})
                return redirect("accounts:users", commune.code)
    users = services.users_of_commune(commune)
    return render(
        request,
        "accounts/user_list.html",
        {"commune": commune, "users": users, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def user_detail(request, commune_code: str, user_id: int):
    commune = _managed_commune(request, commune_code)
    member = get_object_or_404(services.users_of_commune(commune), pk=user_id)
    form = RoleFields(commune=commune)
    if request.method == "POST":
        form = RoleFields(request.POST, commune=commune)
        if form.is_valid():
            try:
                services.role_assign(by=request.user, user=member, commune=commune, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The role was added."))
                return redirect("accounts:user_detail", commune.code, member.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "commune": commune,
            "member": member,
            "roles": member.roles.filter(commune=commune).select_related("village"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def role_remove(request, commune_code: str, assignment_id: int):
    commune = _managed_commune(request, commune_code)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, commune=commune)
    try:
        services.role_remove(by=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was removed."))
    return redirect("accounts:user_detail", commune.code, assignment.user_id)


@login_required
@require_POST
def user_set_active(request, commune_code: str, user_id: int):
    commune = _managed_commune(request, commune_code)
    member = get_object_or_404(User, pk=user_id)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(by=request.user, user=member, commune=commune, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The account was activated.") if active else _("The account was deactivated."))
    return redirect("accounts:user_detail", commune.code, member.pk)
