"""Who may read and handle reports; every staff view and endpoint asks here, through accounts.scoping.

- Commune officials and province officials read every report of the commune (province: read only).
- Village heads read the reports of their village and handle those given to it.
- Cooperative managers read and handle the reports given to their organisation.
- A report is handled (state, note, reassignment) by its unit, or by the commune leadership: officials
  of the People's Committee Office, who also receive escalations and may reassign anything.
- Commune officials set up categories, holidays, the report area and Open311 keys.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Department, Role, User
from smartcommune.places.models import Commune, Village

from . import units
from .models import Report

READERS = (Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICIAL)
CONFIGURERS = (Role.COMMUNE_OFFICIAL,)
INBOX_ROLES = (Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.VILLAGE_HEAD, Role.COOP_MANAGER)


def units_of(user: User, commune: Commune) -> frozenset[str]:
    """The units whose reports this user handles in this commune."""
    scope = scoping.scope_for(user)
    if scope.is_global:
        return frozenset()
    keys = set()
    if scope.has_role(commune, Role.COMMUNE_OFFICIAL):
        keys |= {units.department(code) for code in scope.departments.get(commune.pk, ())}
    if scope.has_role(commune, Role.COOP_MANAGER):
        keys |= {units.organisation(code) for code in scope.organisation_codes}
    if scope.has_role(commune, Role.VILLAGE_HEAD):
        village_ids = scope.village_limits.get(commune.pk, ())
        codes = Village.objects.filter(pk__in=village_ids).values_list("code", flat=True)
        keys |= {units.village(code) for code in codes}
    return frozenset(keys)


def is_leadership(user: User, commune: Commune) -> bool:
    scope = scoping.scope_for(user)
    if scope.is_global:
        return True
    return scope.has_role(commune, Role.COMMUNE_OFFICIAL) and Department.OFFICE in scope.departments.get(commune.pk, ())


def reports_for(user: User, commune: Commune) -> QuerySet[Report]:
    """The reports of `commune` this user may read on staff pages; PermissionDenied for anyone else."""
    scope = scoping.require_role(user, commune, *INBOX_ROLES)
    reports = Report.objects.filter(commune=commune)
    if scope.is_global or scope.has_role(commune, *READERS):
        return reports
    condition = Q(unit__in=units_of(user, commune))
    village_ids = scope.village_limits.get(commune.pk, ())
    if village_ids:
        condition |= Q(village_id__in=village_ids)
    return reports.filter(condition)


def inbox_for(user: User, commune: Commune) -> QuerySet[Report]:
    """The reports a user's inbox opens on: a unit's own, or all it may read for the leadership and the readers."""
    reports = reports_for(user, commune)
    if is_leadership(user, commune):
        return reports
    own = units_of(user, commune)
    return reports.filter(unit__in=own) if own else reports


def can_handle(user: User, report: Report) -> bool:
    return is_leadership(user, report.commune) or report.unit in units_of(user, report.commune)


def require_handle(user: User, report: Report) -> None:
    if not can_handle(user, report):
        raise PermissionDenied(
            _("Only the unit responsible for this report, or the commune leadership, may change it.")
        )


def can_see_reporter(user: User, report: Report) -> bool:
    """Contacts are shown to those who may need to call back: the handling unit and the leadership."""
    return not report.anonymous and can_handle(user, report)


def can_configure(user: User, commune: Commune) -> bool:
    return scoping.scope_for(user).has_role(commune, *CONFIGURERS)


def require_configure(user: User, commune: Commune) -> None:
    scoping.require_role(user, commune, *CONFIGURERS)
