"""The one place that decides what a user may see and change.

Every view and API endpoint asks this module; nothing filters by place on its own.

- A province official sees every commune of the province, and manages none of them.
- A commune official, Fatherland Front officer or cooperative manager sees their commune.
- A village head sees their commune's commune-level figures, and only their village's records.
- A resident sees the public site only.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from smartcommune.places.models import Commune, Village

from .models import Role, RoleAssignment, User

STAFF_ROLES = frozenset(set(Role.values) - {Role.RESIDENT})


# Who reaches producers' products, shops, orders and contracts (trace and market): Scope.producers_in.
PRODUCER_READERS = (Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.COOP_MANAGER)
PRODUCER_EDITORS = (Role.COMMUNE_OFFICIAL, Role.COOP_MANAGER)


@dataclass(frozen=True)
class Scope:
    is_global: bool
    province_ids: frozenset[int]
    # commune id -> roles held there (province officials hold PROVINCE_OFFICIAL in each commune of the province)
    commune_roles: dict[int, frozenset[str]]
    # village ids a village head is limited to, per commune; absent = the whole commune
    village_limits: dict[int, frozenset[int]]
    organisation_codes: frozenset[str]
    departments: dict[int, frozenset[str]]

    @property
    def is_staff(self) -> bool:
        return (
            self.is_global
            or bool(self.province_ids)
            or any(roles & STAFF_ROLES for roles in self.commune_roles.values())
        )

    def communes(self) -> QuerySet[Commune]:
        """Communes whose staff pages this user may open."""
        if self.is_global:
            return Commune.objects.all()
        return Commune.objects.filter(Q(province_id__in=self.province_ids) | Q(pk__in=self._staff_commune_ids()))

    def _staff_commune_ids(self) -> list[int]:
        return [cid for cid, roles in self.commune_roles.items() if roles & STAFF_ROLES]

    def roles_in(self, commune: Commune) -> frozenset[str]:
        if self.is_global:
            return frozenset(Role.values)
        roles = set(self.commune_roles.get(commune.pk, ()))
        if commune.province_id in self.province_ids:
            roles.add(Role.PROVINCE_OFFICIAL)
        return frozenset(roles)

    def can_view(self, commune: Commune) -> bool:
        return bool(self.roles_in(commune) & STAFF_ROLES)

    def has_role(self, commune: Commune, *roles: str) -> bool:
        return bool(self.roles_in(commune) & set(roles))

    def producers_in(self, commune: Commune, *, edit: bool = False) -> frozenset[str] | None:
        """The organisations (by code) whose products, shops and orders the user reaches in this commune:
        None means all of them (commune officials; province officials to read), a cooperative manager's
        are their own. PermissionDenied for any other role."""
        roles = self.roles_in(commune)
        if not roles & set(PRODUCER_EDITORS if edit else PRODUCER_READERS):
            raise PermissionDenied(_("Your role does not allow this in this commune."))
        if Role.COMMUNE_OFFICIAL in roles or (not edit and Role.PROVINCE_OFFICIAL in roles):
            return None
        return self.organisation_codes

    def villages(self, commune: Commune) -> QuerySet[Village]:
        """Villages of a commune whose records this user may see."""
        if not self.can_view(commune):
            return Village.objects.none()
        qs = Village.objects.filter(commune=commune)
        limit = self.village_limit(commune)
        return qs if limit is None else qs.filter(pk__in=limit)

    def village_limit(self, commune: Commune) -> frozenset[int] | None:
        """The villages a village head is held to in this commune, or None for the whole commune."""
        if self.is_global or self.roles_in(commune) - {Role.VILLAGE_HEAD, Role.RESIDENT}:
            return None
        return self.village_limits.get(commune.pk, frozenset())

    def filter(self, qs: QuerySet, *, commune: str = "commune", village: str | None = None) -> QuerySet:
        """Narrow any queryset to what this user may see; `commune`/`village` are lookup paths."""
        if self.is_global:
            return qs
        condition = Q(**{f"{commune}__province_id__in": self.province_ids})
        for commune_id, roles in self.commune_roles.items():
            if not roles & STAFF_ROLES:
                continue
            if village and not roles - {Role.VILLAGE_HEAD, Role.RESIDENT}:
                condition |= Q(
                    **{
                        f"{commune}_id": commune_id,
                        f"{village}_id__in": self.village_limits.get(commune_id, frozenset()),
                    }
                )
            else:
                condition |= Q(**{f"{commune}_id": commune_id})
        return qs.filter(condition)


def scope_for(user: User) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
    cached = getattr(user, "_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(False, frozenset(), {}, {}, frozenset(), {})
    elif user.is_superuser:
        scope = Scope(True, frozenset(), {}, {}, frozenset(), {})
    else:
        provinces, roles, villages, orgs, departments = set(), {}, {}, set(), {}
        for a in RoleAssignment.objects.filter(user=user).only(
            "role", "province_id", "commune_id", "village_id", "organisation_code", "department"
        ):
            if a.role == Role.PROVINCE_OFFICIAL:
                provinces.add(a.province_id)
                continue
            roles.setdefault(a.commune_id, set()).add(a.role)
            if a.village_id:
                villages.setdefault(a.commune_id, set()).add(a.village_id)
            if a.organisation_code:
                orgs.add(a.organisation_code)
            if a.department:
                departments.setdefault(a.commune_id, set()).add(a.department)
        scope = Scope(
            False,
            frozenset(provinces),
            {k: frozenset(v) for k, v in roles.items()},
            {k: frozenset(v) for k, v in villages.items()},
            frozenset(orgs),
            {k: frozenset(v) for k, v in departments.items()},
        )
    user._scope = scope
    return scope


def require_view(user: User, commune: Commune) -> Scope:
    scope = scope_for(user)
    if not scope.can_view(commune):
        raise PermissionDenied(_("You do not have access to this commune."))
    return scope


def require_role(user: User, commune: Commune, *roles: str) -> Scope:
    scope = scope_for(user)
    if not scope.has_role(commune, *roles):
        raise PermissionDenied(_("Your role does not allow this in this commune."))
    return scope


def require_village(user: User, village: Village, *roles: str) -> Scope:
    """The user holds one of `roles` in the village's commune and is not held to other villages."""
    scope = require_role(user, village.commune, *roles)
    limit = scope.village_limit(village.commune)
    if limit is not None and village.pk not in limit:
        raise PermissionDenied(_("You can only work on your own village."))
    return scope


def file_rule(model, *fields: str, commune: str = "commune", roles: tuple[str, ...] = ()):
    """A core.media rule: the file may be read by staff of the commune of the `model` row one of whose
    `fields` holds it (`commune` is the lookup path to that commune), holding one of `roles` there if given."""

    def can_read(user: User, name: str) -> bool:
        scope = scope_for(user)
        if not scope.is_staff:
            return False
        holds = Q()
        for field in fields:
            holds |= Q(**{field: name})
        row = model._default_manager.filter(holds).values(f"{commune}_id").first()
        if row is None:
            return False
        target = Commune.objects.filter(pk=row[f"{commune}_id"]).first()
        if target is None or not scope.can_view(target):
            return False
        return not roles or scope.has_role(target, *roles)

    return can_read
