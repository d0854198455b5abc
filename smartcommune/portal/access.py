"""Who may write and publish on the portal, through accounts.scoping.

- Every staff member of a commune (and the province's officials) reads the staff lists.
- Commune officials, Fatherland Front officers and village heads write articles and send them for review.
- Commune officials of the Culture and Society Office or the People's Committee Office publish, schedule,
  send back and withdraw articles; they also publish documents and record open-data versions.
- Province officials read and change nothing.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Department, Role, User
from smartcommune.places.models import Commune

WRITERS = (Role.COMMUNE_OFFICIAL, Role.FRONT_OFFICER, Role.VILLAGE_HEAD)
PUBLISHING_DEPARTMENTS = frozenset({Department.CULTURE_SOCIAL, Department.OFFICE})


def can_write(user: User, commune: Commune) -> bool:
    return scoping.scope_for(user).has_role(commune, *WRITERS)


def can_publish(user: User, commune: Commune) -> bool:
    scope = scoping.scope_for(user)
    if scope.is_global:
        return True
    if not scope.has_role(commune, Role.COMMUNE_OFFICIAL):
        return False
    return bool(scope.departments.get(commune.pk, frozenset()) & PUBLISHING_DEPARTMENTS)


def require_write(user: User, commune: Commune) -> None:
    scoping.require_role(user, commune, *WRITERS)


def require_publish(user: User, commune: Commune) -> None:
    if not can_publish(user, commune):
        raise PermissionDenied(
            _("Only officials of the Culture and Society Office or the People's Committee Office may publish.")
        )


def can_edit_article(user: User, article) -> bool:
    """The author edits their own draft; a publisher edits any article of the commune."""
    if can_publish(user, article.commune):
        return True
    return can_write(user, article.commune) and article.author_id == user.pk and article.status in ("draft",)
