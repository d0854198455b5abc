"""Digital infrastructure of the commune: equipment with its location, mobile and fibre coverage by
village, community digital technology teams (tổ công nghệ số cộng đồng) with their members, social
channels, and the smart-village checklist items ticked by hand with evidence."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.places.models import Commune, Village


class Asset(models.Model):
    """A piece of public digital infrastructure at a place: Wi-Fi point, loudspeaker cluster, camera, postal point."""

    class Kind(models.TextChoices):
        WIFI = "wifi", _("public Wi-Fi point")
        LOUDSPEAKER = "loudspeaker", _("loudspeaker cluster")
        CAMERA = "camera", _("security camera")
        POSTAL = "postal", _("postal service point")

    class Status(models.TextChoices):
        ACTIVE = "active", _("working")
        BROKEN = "broken", _("out of order")
        REMOVED = "removed", _("removed")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="digital_assets", verbose_name=_("commune"))
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="digital_assets", verbose_name=_("village")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name or place"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    quantity = models.PositiveSmallIntegerField(_("number of devices"), default=1)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    at_cultural_house = models.BooleanField(_("at the village cultural house"), default=False)
    free_of_charge = models.BooleanField(_("free of charge"), default=True)
    meets_standard = models.BooleanField(_("meets QCVN 34:2022/BTTTT"), default=False)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("infrastructure item")
        verbose_name_plural = _("infrastructure items")
        ordering = ["kind", "village__code", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Coverage(models.Model):
    """How many households of a village the fibre network or 4G reaches, as reported on a date."""

    class Technology(models.TextChoices):
        FIBRE = "fibre", _("fibre")
        MOBILE = "mobile", _("3G/4G mobile")

    village = models.ForeignKey(Village, models.CASCADE, related_name="coverage", verbose_name=_("village"))
    technology = models.CharField(_("technology"), max_length=6, choices=Technology.choices)
    households_covered = models.PositiveIntegerField(_("households covered"))
    as_of = models.DateField(_("as of"))
    provider = models.CharField(_("reported by (operator)"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        ordering = ["village__code", "technology", "-as_of"]
        constraints = [models.UniqueConstraint(fields=["village", "technology", "as_of"], name="one_coverage_per_day")]

    def __str__(self) -> str:
        return f"{self.village} {self.technology} {self.households_covered}"


class DigitalTeam(models.Model):
    """A community digital technology team (tổ công nghệ số cộng đồng) of a village or of the commune."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="digital_teams", verbose_name=_("commune"))
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="digital_teams", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=200)
    decision_number = models.CharField(_("founding decision"), max_length=60, blank=True)
    founded_on = models.DateField(_("founded on"))
    is_active = models.BooleanField(_("active"), default=True)
    last_activity_on = models.DateField(_("last activity"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community digital technology team")
        verbose_name_plural = _("community digital technology teams")
        ordering = ["village__code", "name"]

    def __str__(self) -> str:
        return self.name


class DigitalTeamMember(models.Model):
    """A member of a digital team. Names and phones are personal: shown on staff pages only."""

    class Position(models.TextChoices):
        LEADER = "leader", _("leader")
        DEPUTY = "deputy", _("deputy")
        MEMBER = "member", _("member")

    team = models.ForeignKey(DigitalTeam, models.CASCADE, related_name="members", verbose_name=_("team"))
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=8, choices=Position.choices, default=Position.MEMBER)
    phone = models.CharField(_("phone"), max_length=11, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "position", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class SocialChannel(models.Model):
    """A social-network channel used to inform residents and take their feedback (Zalo group, Facebook page…)."""

    class Platform(models.TextChoices):
        ZALO = "zalo", "Zalo"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        WEBSITE = "website", _("web page")
        OTHER = "other", _("other")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="social_channels", verbose_name=_("commune"))
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="social_channels", verbose_name=_("village")
    )
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=200)
    members = models.PositiveIntegerField(_("members or followers"), null=True, blank=True)
    started_on = models.DateField(_("in use since"))
    is_active = models.BooleanField(_("in use"), default=True)
    takes_feedback = models.BooleanField(_("also takes residents' feedback"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("social channel")
        verbose_name_plural = _("social channels")
        ordering = ["village__code", "platform", "name"]

    def __str__(self) -> str:
        return self.name


class ChecklistTick(models.Model):
    """A smart-village checklist item that cannot be computed, ticked for a village with evidence."""

    village = models.ForeignKey(Village, models.CASCADE, related_name="smart_ticks", verbose_name=_("village"))
    item_code = models.CharField(_("checklist item"), max_length=40)
    passed = models.BooleanField(_("met"))
    ticked_on = models.DateField(_("date"))
    evidence = models.FileField(_("evidence (PDF or image)"), upload_to="program/checklist/%Y/")
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist tick")
        verbose_name_plural = _("checklist ticks")
        constraints = [models.UniqueConstraint(fields=["village", "item_code"], name="one_tick_per_item")]

    def __str__(self) -> str:
        return f"{self.village} {self.item_code}"
