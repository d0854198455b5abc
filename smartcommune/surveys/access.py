"""Who may run, read and feed surveys; every view and endpoint asks here, through accounts.scoping.

- The satisfaction survey is the Fatherland Front's: only a commune-level Front officer creates,
  edits, opens, closes and publishes it, and moderates its comments.
- General questionnaires may also be run by commune officials.
- Slips are printed and paper forms entered by the Front officer of the commune (any village), and by
  village Front officers and village heads for their own village.
- Results (aggregates only) are read by the commune's officials, Front officers, village heads and
  the province's officials.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role, RoleAssignment, User
from smartcommune.places.models import Commune, Village

from .models import Campaign

READERS = (Role.COMMUNE_OFFICIAL, Role.FRONT_OFFICER, Role.PROVINCE_OFFICIAL, Role.VILLAGE_HEAD)
GENERAL_MANAGERS = (Role.FRONT_OFFICER, Role.COMMUNE_OFFICIAL)
VILLAGE_WORKERS = (Role.FRONT_OFFICER, Role.VILLAGE_HEAD)


def campaigns_for(user: User, commune: Commune) -> QuerySet[Campaign]:
    scoping.require_role(user, commune, *READERS)
    return scoping.scope_for(user).filter(Campaign.objects.all()).filter(commune=commune)


def require_reader(user: User, campaign: Campaign) -> None:
    scoping.require_role(user, campaign.commune, *READERS)


def _is_commune_front_officer(user: User, commune: Commune) -> bool:
    scope = scoping.scope_for(user)
    if scope.is_global:
        return True
    if not scope.has_role(commune, Role.FRONT_OFFICER):
        return False
    return commune.pk in _commune_front_offices(user)


def _commune_front_offices(user: User) -> frozenset[int]:
    """The communes where the user is a Front officer for the whole commune (not for one village).

    Read once and kept on the user object, like the scope, so a page asks the database once."""
    cached = getattr(user, "_surveys_front_communes", None)
    if cached is None:
        assignments = RoleAssignment.objects.filter(user=user, role=Role.FRONT_OFFICER, village__isnull=True)
        cached = frozenset(assignments.values_list("commune_id", flat=True))
        user._surveys_front_communes = cached
    return cached


def can_create(user: User, commune: Commune, kind: str) -> bool:
    if _is_commune_front_officer(user, commune):
        return True
    return kind == Campaign.Kind.GENERAL and scoping.scope_for(user).has_role(commune, Role.COMMUNE_OFFICIAL)


def can_manage(user: User, campaign: Campaign) -> bool:
    return can_create(user, campaign.commune, campaign.kind)


def require_manager(user: User, campaign: Campaign) -> None:
    if not can_manage(user, campaign):
        raise PermissionDenied(_("Only the commune's Fatherland Front officer runs this survey."))


def worker_villages(user: User, commune: Commune) -> QuerySet[Village]:
    """The villages whose slips this user prints and whose paper forms they enter (may be none)."""
    villages = Village.objects.in_commune(commune)
    if _is_commune_front_officer(user, commune):
        return villages
    if not scoping.scope_for(user).has_role(commune, *VILLAGE_WORKERS):
        return villages.none()
    ids = RoleAssignment.objects.filter(
        user=user, commune=commune, role__in=VILLAGE_WORKERS, village__isnull=False
    ).values("village_id")
    return villages.filter(pk__in=ids)


def require_worker(user: User, commune: Commune) -> QuerySet[Village]:
    villages = worker_villages(user, commune)
    if not villages.exists():
        raise PermissionDenied(_("Only Fatherland Front officers and village heads print slips and enter paper forms."))
    return villages
