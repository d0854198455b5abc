"""The administrative tree: province → commune → village (thôn / tổ dân phố)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.core.text import fold


class Region(models.TextChoices):
    """The seven macro-regions that set thresholds in the 2021–2025 criteria (QĐ 318/QĐ-TTg)."""

    TDMNPB = "TDMNPB", _("Northern midlands and mountains")
    DBSH = "DBSH", _("Red River Delta")
    BTB = "BTB", _("North Central Coast")
    DHNTB = "DHNTB", _("South Central Coast")
    TN = "TN", _("Central Highlands")
    DNB = "DNB", _("Southeast")
    DBSCL = "DBSCL", _("Mekong River Delta")


class CommuneGroup(models.IntegerChoices):
    """Commune groups that set thresholds in the 2026–2030 criteria (QĐ 51/2025/QĐ-TTg)."""

    ONE = 1, _("Group 1")
    TWO = 2, _("Group 2")
    THREE = 3, _("Group 3")


class Province(models.Model):
    """A province or centrally-run city, with its official two-digit code."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("province")
        CITY = "thanh_pho", _("centrally-run city")

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    codename = models.CharField(_("code name"), max_length=100)
    phone_code = models.PositiveSmallIntegerField(_("phone area code"), null=True, blank=True)
    default_region = models.CharField(_("default region"), max_length=8, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        # The package already writes "Thành phố Hà Nội" but plain "Quảng Ngãi" for provinces.
        return f"{_('Province')} {self.name}" if self.kind == self.Kind.PROVINCE else self.name


class CommuneQuerySet(models.QuerySet):
    def in_province(self, province: Province) -> "CommuneQuerySet":
        return self.filter(province=province)


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu) with its official five-digit code."""

    class Kind(models.TextChoices):
        XA = "xa", _("commune")
        PHUONG = "phuong", _("ward")
        DAC_KHU = "dac_khu", _("special zone")

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    codename = models.CharField(_("code name"), max_length=100)
    province = models.ForeignKey(Province, models.PROTECT, related_name="communes", verbose_name=_("province"))
    region = models.CharField(_("region (2021–2025 criteria)"), max_length=8, choices=Region.choices, blank=True)
    group = models.PositiveSmallIntegerField(
        _("commune group (2026–2030 criteria)"), choices=CommuneGroup.choices, null=True, blank=True
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    history = HistoricalRecords()

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_region(self) -> str:
        return self.region or self.province.default_region


class CommunePredecessor(models.Model):
    """An administrative unit that was merged into a commune (e.g. on 01/07/2025)."""

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="predecessors", verbose_name=_("commune"))
    code = models.CharField(_("old code"), max_length=5)
    name = models.CharField(_("old name"), max_length=100)
    old_district = models.CharField(_("old district"), max_length=100, blank=True)
    old_district_code = models.CharField(_("old district code"), max_length=3, blank=True)
    merged_on = models.DateField(_("merged on"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("predecessor unit")
        verbose_name_plural = _("predecessor units")
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="unique_predecessor_per_commune")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class VillageQuerySet(models.QuerySet):
    def active(self) -> "VillageQuerySet":
        return self.filter(status=Village.Status.ACTIVE)

    def in_commune(self, commune: Commune) -> "VillageQuerySet":
        return self.filter(commune=commune)


class Village(models.Model):
    """A village (thôn) or residential group (tổ dân phố) inside one commune."""

    class Kind(models.TextChoices):
        THON = "thon", _("village")
        TO_DAN_PHO = "to_dan_pho", _("residential group")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        MERGED = "merged", _("merged")
        RETIRED = "retired", _("retired")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="villages", verbose_name=_("commune"))
    code = models.CharField(_("code"), max_length=20, help_text=_("Stable code, unique in the commune."))
    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(max_length=100, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.THON)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged_from", verbose_name=_("merged into")
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune", "code"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="unique_village_code")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived search key, not business logic: keeps accent-free search identical on both databases.
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)
