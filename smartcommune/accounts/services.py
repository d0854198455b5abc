"""Writes on users, roles and tokens. Each checks that the actor may do it at that place."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.places.models import Commune, Village

from . import scoping
from .models import ApiToken, Department, Role, RoleAssignment, User

# Roles a commune official may hand out inside their own commune.
COMMUNE_ASSIGNABLE = frozenset(set(Role.values) - {Role.PROVINCE_OFFICIAL})


def _require_user_manager(by: User, commune: Commune) -> None:
    scoping.require_role(by, commune, Role.COMMUNE_OFFICIAL)


@transaction.atomic
def role_assign(
    *,
    by: User,
    user: User,
    role: str,
    commune: Commune,
    village: Village | None = None,
    department: str = "",
    organisation_code: str = "",
) -> RoleAssignment:
    """Give `user` a role in `commune`; only a commune official of that commune may."""
    _require_user_manager(by, commune)
    if role not in COMMUNE_ASSIGNABLE:
        raise PermissionDenied(_("A commune official cannot assign this role."))
    if village is not None and village.commune_id != commune.pk:
        raise ValidationError(_("The village does not belong to this commune."))
    if department and department not in Department.values:
        raise ValidationError(_("Unknown department."))
    assignment = RoleAssignment(
        user=user,
        role=role,
        commune=commune,
        village=village,
        department=department if role == Role.COMMUNE_OFFICIAL else "",
        organisation_code=organisation_code.strip().upper() if role == Role.COOP_MANAGER else "",
    )
    assignment.full_clean(validate_constraints=False)
    if RoleAssignment.objects.filter(
        user=user, role=role, commune=commune, village=village, organisation_code=assignment.organisation_code
    ).exists():
        raise ValidationError(_("This user already has this role here."))
    assignment.save()
    return assignment


@transaction.atomic
def role_remove(*, by: User, assignment: RoleAssignment) -> None:
    if assignment.commune is None:
        raise PermissionDenied(_("Province roles are managed by the platform administrator."))
    _require_user_manager(by, assignment.commune)
    if assignment.user_id == by.pk and assignment.role == Role.COMMUNE_OFFICIAL:
        raise ValidationError(_("You cannot remove your own commune official role."))
    assignment.delete()


@transaction.atomic
def user_create(
    *,
    by: User,
    commune: Commune,
    username: str,
    full_name: str,
    password: str,
    role: str,
    email: str = "",
    phone: str = "",
    village: Village | None = None,
    department: str = "",
    organisation_code: str = "",
) -> User:
    """Create a user with a first role in the actor's commune; all or nothing."""
    _require_user_manager(by, commune)
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Enter a user name.")})
    if User.objects.filter(username__iexact=username).exists():
        message = _("The user name %(name)s is taken.")
        raise ValidationError({"username": ValidationError(message, params={"name": username})})
    user = User(username=username, full_name=full_name.strip(), email=email.strip(), phone=phone.strip())
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    role_assign(
        by=by,
        user=user,
        role=role,
        commune=commune,
        village=village,
        department=department,
        organisation_code=organisation_code,
    )
    return user


def users_of_commune(commune: Commune):
    """Users holding any role in the commune, with their roles, for the management screen."""
    return (
        User.objects.filter(roles__commune=commune)
        .distinct()
        .prefetch_related("roles__commune", "roles__village")
        .order_by("username")
    )


@transaction.atomic
def user_set_active(*, by: User, user: User, commune: Commune, active: bool) -> User:
    _require_user_manager(by, commune)
    if not user.roles.filter(commune=commune).exists():
        raise PermissionDenied(_("This user has no role in your commune."))
    if user.roles.exclude(commune=commune).exists():
        raise PermissionDenied(_("This user also works elsewhere; ask the platform administrator."))
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the clear key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the system that will use it.")})
    key = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=ApiToken.hash(key)
    )
    return token, key


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(key: str) -> User | None:
    """The active user a token belongs to, or None. Marks the token used (at most once a minute)."""
    if not key:
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
