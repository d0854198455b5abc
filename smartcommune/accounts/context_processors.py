from django.urls import reverse
from django.utils.translation import gettext as _

from smartcommune.places.models import Commune

from . import navigation, scoping


def current_commune(request) -> Commune | None:
    """The commune a staff page is about: the one in the URL, else the user's first commune."""
    match = request.resolver_match
    code = match.kwargs.get("commune_code") if match else None
    scope = scoping.scope_for(request.user)
    if code:
        return scope.communes().filter(code=code).first()
    if scope.is_staff and not scope.is_global:
        return scope.communes().order_by("code").first()
    return None


def menu(request) -> dict:
    items = [{"url": reverse("portal:home"), "label": _("Portal"), "active": False}]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": items, "nav_groups": []}
    commune = current_commune(request)
    if commune is not None:
        current = request.resolver_match.view_name if request.resolver_match else ""
        roles = scoping.scope_for(user).roles_in(commune)
        return {
            "nav_items": items,
            "nav_groups": navigation.entries_for(roles, commune.code, current),
            "nav_commune": commune,
        }
    return {"nav_items": items, "nav_groups": [], "nav_commune": commune}
