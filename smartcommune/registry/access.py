"""Who may read and change the registries; every view and endpoint asks here, through accounts.scoping."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role, User
from smartcommune.places.models import Commune

from .models import Household, Organisation

HOUSEHOLD_READERS = (Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.VILLAGE_HEAD)
HOUSEHOLD_EDITORS = (Role.COMMUNE_OFFICIAL, Role.VILLAGE_HEAD)
ORGANISATION_EDITORS = (Role.COMMUNE_OFFICIAL,)
IMPORTERS = (Role.COMMUNE_OFFICIAL,)


def households_for(user: User, commune: Commune, *, edit: bool = False):
    """The households of `commune` this user may see (or change), already narrowed to their villages."""
    scoping.require_role(user, commune, *(HOUSEHOLD_EDITORS if edit else HOUSEHOLD_READERS))
    return scoping.scope_for(user).filter(Household.objects.filter(commune=commune), village="village")


def require_household(user: User, household: Household, *, edit: bool = False) -> None:
    scoping.require_village(user, household.village, *(HOUSEHOLD_EDITORS if edit else HOUSEHOLD_READERS))


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    scope = scoping.scope_for(user)
    if scope.has_role(organisation.commune, *ORGANISATION_EDITORS):
        return True
    return scope.has_role(organisation.commune, Role.COOP_MANAGER) and organisation.code in scope.organisation_codes


def require_organisation_edit(user: User, organisation: Organisation) -> None:
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied(_("Your role does not allow changing this organisation."))


def is_staff_of(user: User, commune: Commune) -> bool:
    return scoping.scope_for(user).can_view(commune)
