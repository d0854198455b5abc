"""Users, their roles scoped to a place, and API tokens for other systems."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.places.models import Commune, Province, Village


class User(AbstractUser):
    """A person who signs in. What they may see comes only from their role assignments."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    is_demo = models.BooleanField(_("demo account"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()


class Role(models.TextChoices):
    PROVINCE_OFFICIAL = "province_official", _("Province official")
    COMMUNE_OFFICIAL = "commune_official", _("Commune official")
    VILLAGE_HEAD = "village_head", _("Village head")
    FRONT_OFFICER = "front_officer", _("Fatherland Front officer")
    COOP_MANAGER = "coop_manager", _("Cooperative manager")
    RESIDENT = "resident", _("Resident")


class Department(models.TextChoices):
    CULTURE_SOCIAL = "vhxh", _("Culture and Society Office")
    ECONOMY = "kt", _("Economy Office")
    OFFICE = "vp", _("People's Committee Office")


class RoleAssignmentQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "RoleAssignmentQuerySet":
        return self.filter(commune=commune)


class RoleAssignment(models.Model):
    """One role of one user at one place: a province, a commune, a village or an organisation."""

    user = models.ForeignKey(User, models.CASCADE, related_name="roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(
        Province, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune, models.PROTECT, null=True, blank=True, related_name="role_assignments", verbose_name=_("commune")
    )
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    department = models.CharField(_("department"), max_length=4, choices=Department.choices, blank=True)
    # Organisations live in the registry, above this app; they are referred to by their stable code.
    organisation_code = models.CharField(_("organisation code"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "province", "commune", "village", "organisation_code"],
                name="unique_role_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.place_name}"

    @property
    def place_name(self) -> str:
        if self.village_id:
            return f"{self.village.name}, {self.commune.name}"
        if self.commune_id:
            return self.commune.name
        return self.province.full_name if self.province_id else ""

    def clean(self) -> None:
        if self.role == Role.PROVINCE_OFFICIAL:
            if not self.province_id or self.commune_id or self.village_id:
                raise ValidationError(_("A province official is assigned to a province only."))
            return
        if not self.commune_id:
            raise ValidationError(_("This role needs a commune."))
        if self.province_id:
            raise ValidationError(_("Only province officials are assigned to a province."))
        if self.role == Role.VILLAGE_HEAD and not self.village_id:
            raise ValidationError(_("A village head needs a village."))
        if self.village_id and self.village.commune_id != self.commune_id:
            raise ValidationError(_("The village does not belong to this commune."))
        if self.role == Role.COMMUNE_OFFICIAL and not self.department:
            raise ValidationError(_("A commune official needs a department."))
        if self.role == Role.COOP_MANAGER and not self.organisation_code:
            raise ValidationError(_("A cooperative manager needs the code of the organisation."))


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal token for other systems. Only its hash is stored; the token is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)
