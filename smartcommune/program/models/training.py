"""Training (classes, attendance by household or organisation, materials) and outreach activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Household, Organisation

from .tasks import Task


class Topic(models.TextChoices):
    DIGITAL_SKILLS = "digital_skills", _("digital skills")
    ONLINE_SERVICES = "online_services", _("online public services")
    E_COMMERCE = "e_commerce", _("e-commerce")
    SAFE_INTERNET = "safe_internet", _("safe use of the internet")
    AI_FARMING = "ai_farming", _("AI and digital tools for farming")
    OTHER = "other", _("other")


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("officials")
    COOPERATIVES = "cooperatives", _("cooperatives and businesses")
    RESIDENTS = "residents", _("residents")


class TrainingClass(models.Model):
    """A training class (lớp tập huấn / bồi dưỡng)."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="training_classes", verbose_name=_("commune"))
    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=200)
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    task = models.ForeignKey(
        Task, models.SET_NULL, null=True, blank=True, related_name="classes", verbose_name=_("plan task")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class Attendance(models.Model):
    """Who came to a class: a household, an organisation, or a group such as a department, with a count."""

    training_class = models.ForeignKey(
        TrainingClass, models.CASCADE, related_name="attendance", verbose_name=_("class")
    )
    household = models.ForeignKey(
        Household, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("household")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    group_name = models.CharField(_("other group (e.g. a department)"), max_length=150, blank=True)
    participants = models.PositiveSmallIntegerField(_("participants"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "household"],
                condition=models.Q(household__isnull=False),
                name="one_attendance_per_household",
            ),
            models.UniqueConstraint(
                fields=["training_class", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="one_attendance_per_organisation",
            ),
            models.CheckConstraint(condition=models.Q(participants__gte=1), name="attendance_at_least_one"),
        ]

    def __str__(self) -> str:
        who = self.household or self.organisation or self.group_name
        return f"{who} × {self.participants}"


class Material(models.Model):
    """A file handed out or shown in a class (slides, leaflet, guide)."""

    training_class = models.ForeignKey(TrainingClass, models.CASCADE, related_name="materials", verbose_name=_("class"))
    file = models.FileField(_("file"), upload_to="program/materials/%Y/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WEB_PAGE = "web", _("commune web page")
    ZALO = "zalo", _("village Zalo group")
    LOUDSPEAKER = "loudspeaker", _("loudspeakers")
    LEAFLET = "leaflet", _("leaflets")
    OTHER = "other", _("other")


class OutreachActivity(models.Model):
    """An outreach activity (tuyên truyền): a post, a broadcast, leaflets, with how many it reached."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="outreach", verbose_name=_("commune"))
    held_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    title = models.CharField(_("content"), max_length=300)
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    reach = models.PositiveIntegerField(_("people reached (estimate)"))
    task = models.ForeignKey(
        Task, models.SET_NULL, null=True, blank=True, related_name="outreach", verbose_name=_("plan task")
    )
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.title
