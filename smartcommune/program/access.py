"""Who may see and change the programme, through accounts.scoping.

- Every staff member of the commune (and the province's officials) sees the plan, its targets,
  training and infrastructure.
- Commune officials manage everything; province officials read everything and manage nothing.
- Every task is seen by commune officials, Fatherland Front officers and province officials; village
  heads and cooperative managers see the tasks of their own unit only.
- A unit updates its own tasks (status, progress, milestones): a commune official's department, a
  village head's village, a cooperative manager's organisation, a Front officer's Front.
- The budget is read by commune officials, Front officers (who oversee community contributions) and
  province officials.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role, User
from smartcommune.places.models import Commune

from .models import Task, UnitKind

MANAGERS = (Role.COMMUNE_OFFICIAL,)
ALL_TASK_READERS = (Role.COMMUNE_OFFICIAL, Role.FRONT_OFFICER, Role.PROVINCE_OFFICIAL)
BUDGET_READERS = (Role.COMMUNE_OFFICIAL, Role.FRONT_OFFICER, Role.PROVINCE_OFFICIAL)
# Roles that belong to a unit a task can be assigned to.
UNIT_ROLES = (Role.COMMUNE_OFFICIAL, Role.VILLAGE_HEAD, Role.COOP_MANAGER, Role.FRONT_OFFICER)


def can_manage(user: User, commune: Commune) -> bool:
    return scoping.scope_for(user).has_role(commune, *MANAGERS)


def require_manage(user: User, commune: Commune) -> None:
    scoping.require_role(user, commune, *MANAGERS)


def can_read_budget(user: User, commune: Commune) -> bool:
    return scoping.scope_for(user).has_role(commune, *BUDGET_READERS)


def require_budget_read(user: User, commune: Commune) -> None:
    scoping.require_role(user, commune, *BUDGET_READERS)


def unit_condition(user: User, commune: Commune) -> Q:
    """The tasks assigned to the user's own units in this commune (matches nothing when they have none)."""
    scope = scoping.scope_for(user)
    roles = scope.roles_in(commune)
    condition = Q(pk__in=[])
    if Role.COMMUNE_OFFICIAL in roles:
        departments = scope.departments.get(commune.pk, frozenset())
        condition |= Q(unit_kind=UnitKind.DEPARTMENT, department__in=departments)
    if Role.VILLAGE_HEAD in roles:
        condition |= Q(unit_kind=UnitKind.VILLAGE, village_id__in=scope.village_limits.get(commune.pk, frozenset()))
    if Role.COOP_MANAGER in roles and scope.organisation_codes:
        condition |= Q(unit_kind=UnitKind.ORGANISATION, organisation__code__in=scope.organisation_codes)
    if Role.FRONT_OFFICER in roles:
        condition |= Q(unit_kind=UnitKind.FRONT)
    return condition


def tasks_for(user: User, commune: Commune):
    """The commune's tasks this user may see: all of them, or their unit's."""
    scope = scoping.require_view(user, commune)
    tasks = Task.objects.filter(commune=commune)
    if scope.has_role(commune, *ALL_TASK_READERS):
        return tasks
    return tasks.filter(unit_condition(user, commune))


def require_task_view(user: User, task: Task) -> None:
    if not tasks_for(user, task.commune).filter(pk=task.pk).exists():
        raise PermissionDenied(_("This task is not one of your unit's."))


def is_own_unit(user: User, task: Task) -> bool:
    return Task.objects.filter(pk=task.pk).filter(unit_condition(user, task.commune)).exists()


def can_update_task(user: User, task: Task) -> bool:
    """Status, progress and milestones: commune officials, and the unit the task is assigned to."""
    scope = scoping.scope_for(user)
    if scope.has_role(task.commune, *MANAGERS):
        return True
    return scope.has_role(task.commune, *UNIT_ROLES) and is_own_unit(user, task)


def require_task_update(user: User, task: Task) -> None:
    if not can_update_task(user, task):
        raise PermissionDenied(_("Only the commune's officials and the responsible unit update this task."))
