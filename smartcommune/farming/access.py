"""Who may read and change growing areas and diaries; every view and endpoint asks here.

- Commune officials manage every growing area of their commune; province officials read them.
- A cooperative manager reads and manages the areas of their own organisation.
- A village head reads the areas of their village and keeps their diaries.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role, User
from smartcommune.places.models import Commune

from .models import GrowingArea

READERS = (Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.COOP_MANAGER, Role.VILLAGE_HEAD)
DIARY_WRITERS = (Role.COMMUNE_OFFICIAL, Role.COOP_MANAGER, Role.VILLAGE_HEAD)
AREA_EDITORS = (Role.COMMUNE_OFFICIAL, Role.COOP_MANAGER)
AREA_CREATORS = (Role.COMMUNE_OFFICIAL, Role.COOP_MANAGER)
SETTINGS_EDITORS = (Role.COMMUNE_OFFICIAL,)
WHOLE_COMMUNE_READERS = (Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICIAL)


def _limited(user: User, commune: Commune, roles: frozenset[str], *, diary: bool) -> Q:
    """The areas a cooperative manager (their organisation's) or a village head (their village's) reaches."""
    scope = scoping.scope_for(user)
    condition = Q(pk__in=[])
    if Role.COOP_MANAGER in roles:
        condition |= Q(cooperative__code__in=scope.organisation_codes)
    if Role.VILLAGE_HEAD in roles and diary:
        condition |= Q(village_id__in=scope.village_limits.get(commune.pk, frozenset()))
    return condition


def areas_for(user: User, commune: Commune, *, edit: bool = False, diary: bool = False) -> QuerySet[GrowingArea]:
    """The growing areas of `commune` this user may read (or edit, or keep the diary of)."""
    scope = scoping.scope_for(user)
    roles = scope.roles_in(commune)
    base = GrowingArea.objects.filter(commune=commune)
    if edit:
        allowed = AREA_EDITORS
    elif diary:
        allowed = DIARY_WRITERS
    else:
        allowed = READERS
    if not roles & set(allowed):
        raise PermissionDenied(_("Your role does not allow this in this commune."))
    if Role.COMMUNE_OFFICIAL in roles or (not (edit or diary) and Role.PROVINCE_OFFICIAL in roles):
        return base
    return base.filter(_limited(user, commune, roles, diary=diary or not edit))


def require_area(user: User, area: GrowingArea, *, edit: bool = False, diary: bool = False) -> None:
    if not areas_for(user, area.commune, edit=edit, diary=diary).filter(pk=area.pk).exists():
        raise PermissionDenied(_("This growing area is not among those you manage."))


def can_edit(user: User, area: GrowingArea) -> bool:
    try:
        require_area(user, area, edit=True)
    except PermissionDenied:
        return False
    return True


def can_keep_diary(user: User, area: GrowingArea) -> bool:
    try:
        require_area(user, area, diary=True)
    except PermissionDenied:
        return False
    return True


def sees_households(user: User, commune: Commune) -> bool:
    """Member households and plot holders are personal data: commune officials and the area's managers only."""
    return scoping.scope_for(user).has_role(commune, Role.COMMUNE_OFFICIAL, Role.COOP_MANAGER, Role.VILLAGE_HEAD)
