"""Community reports (phản ánh hiện trường): categories with their responsible unit and deadline, the
reports residents send, every change made while handling them, and the keys of Open311 clients.

A report's reporter (name, phone, e-mail) is personal data: it is kept for the handling unit and for
notifications, and never appears on public pages, in Open311 output, in the API's public answers or in
logs. Public maps get coordinates snapped to about 100 m (see geo.public_point).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.places.models import Commune, Village

from . import working_time

CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{0,29}$", _("Use capital letters without accents, digits, - or _ (at most 30).")
)


class Category(models.Model):
    """A kind of problem residents can report in one commune (an Open311 service), routed to one unit."""

    class DeadlineUnit(models.TextChoices):
        HOURS = working_time.HOURS, _("working hours")
        DAYS = working_time.DAYS, _("working days")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="feedback_categories", verbose_name=_("commune"))
    code = models.CharField(
        _("code"), max_length=30, validators=[CODE_VALIDATOR], help_text=_("The Open311 service_code, e.g. GT-DUONG.")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separated by commas."))
    # "dept:<department>", "org:<organisation code>" or "village" (the head of the report's village).
    unit = models.CharField(_("responsible unit"), max_length=40)
    deadline_amount = models.PositiveSmallIntegerField(
        _("handling deadline"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    deadline_unit = models.CharField(
        _("deadline counted in"), max_length=5, choices=DeadlineUnit.choices, default=DeadlineUnit.DAYS
    )
    is_public = models.BooleanField(
        _("reports are public"),
        default=True,
        help_text=_("Public reports appear on the map and the list, without the reporter's name or phone."),
    )
    is_active = models.BooleanField(_("open for new reports"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["commune", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="unique_feedback_category_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def deadline_text(self) -> str:
        return f"{self.deadline_amount} {self.get_deadline_unit_display()}"


class Question(models.Model):
    """An extra question of a category (an Open311 attribute), e.g. "Which pole number?"."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("a number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLE = "singlevaluelist", _("one choice from a list")
        MULTIPLE = "multivaluelist", _("several choices from a list")

    LIST_TYPES = (Datatype.SINGLE, Datatype.MULTIPLE)

    category = models.ForeignKey(Category, models.CASCADE, related_name="questions", verbose_name=_("category"))
    code = models.CharField(_("code"), max_length=30, validators=[CODE_VALIDATOR])
    description = models.CharField(_("question"), max_length=300)
    datatype = models.CharField(_("kind of answer"), max_length=16, choices=Datatype.choices)
    datatype_description = models.CharField(_("hint"), max_length=200, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    variable = models.BooleanField(
        _("asks for an answer"), default=True, help_text=_("Untick for a note shown to the reporter only.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    # [{"key": "cao", "name": "Nguy hiểm"}, …] for the list types.
    values = models.JSONField(_("choices"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["category", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="unique_feedback_question_code")]

    def __str__(self) -> str:
        return self.description


class Holiday(models.Model):
    """A day the commune office does not work although it is a weekday (Tết, national days, swapped days)."""

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="feedback_holidays", verbose_name=_("commune"))
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["commune", "date"]
        constraints = [models.UniqueConstraint(fields=["commune", "date"], name="unique_feedback_holiday")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class ReportArea(models.Model):
    """Where a commune's reports may be: within `radius_km` of a reference point, until boundaries exist."""

    commune = models.OneToOneField(Commune, models.CASCADE, related_name="feedback_area", verbose_name=_("commune"))
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    radius_km = models.DecimalField(
        _("radius (km)"),
        max_digits=5,
        decimal_places=1,
        default=8,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
    )
    needs_verification = models.BooleanField(_("needs verification"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report area")
        verbose_name_plural = _("report areas")

    def __str__(self) -> str:
        return f"{self.commune}: {self.latitude:.4f}, {self.longitude:.4f} ± {self.radius_km} km"


class ReportCounter(models.Model):
    """The last report number given in a commune and year; incremented inside the report's transaction."""

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="+", verbose_name=_("commune"))
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("report counter")
        verbose_name_plural = _("report counters")
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="unique_feedback_counter")]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.year}: {self.last}"


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    REJECTED = "rejected", _("rejected")
    DUPLICATE = "duplicate", _("duplicate")
    NOT_RESPONSIBLE = "not_responsible", _("not our responsibility")
    REFERRED = "referred", _("referred to another agency")


OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.RESOLVED, Status.REJECTED, Status.DUPLICATE, Status.NOT_RESPONSIBLE, Status.REFERRED)
# Closed by the commune's own handling: these count for "handled on time" (a duplicate is handled in another).
HANDLED_STATUSES = (Status.RESOLVED, Status.REJECTED, Status.NOT_RESPONSIBLE, Status.REFERRED)


class ReportQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "ReportQuerySet":
        return self.filter(commune=commune)

    def public(self) -> "ReportQuerySet":
        # "IN (true)", not "= true": Django writes the latter as a bare boolean column, which SQLite cannot
        # match against the (commune, is_public, created_at) index, so it scanned and sorted every report.
        return self.filter(is_public__in=[True])

    def open(self) -> "ReportQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self) -> "ReportQuerySet":
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, now) -> "ReportQuerySet":
        return self.open().filter(deadline__lt=now)

    def in_state(self, state: str) -> "ReportQuerySet":
        """An inbox's status filter: "open", "closed", "all", or one `Status`."""
        if state == "open":
            return self.open()
        if state == "closed":
            return self.exclude(status__in=OPEN_STATUSES)
        if state == "all":
            return self
        return self.filter(status=state)


class Report(models.Model):
    """One problem reported by a resident, with its number, place, photos and handling state."""

    class Source(models.TextChoices):
        WEB = "web", _("website")
        OPEN311 = "open311", _("Open311 client")
        STAFF = "staff", _("entered by staff")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="feedback_reports", verbose_name=_("commune"))
    number = models.CharField(_("report number"), max_length=20)
    category = models.ForeignKey(Category, models.PROTECT, related_name="reports", verbose_name=_("category"))
    description = models.TextField(_("description"), max_length=4000, blank=True)
    answers = models.JSONField(_("answers to extra questions"), default=dict, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="feedback_reports", verbose_name=_("village")
    )
    place_text = models.CharField(
        _("place description"), max_length=300, blank=True, help_text=_("Never shown to the public.")
    )
    media_url = models.URLField(_("photo address (from an Open311 client)"), max_length=500, blank=True)
    # The reporter: private.
    reporter_name = models.CharField(_("reporter's name"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=11, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("The name and contacts are hidden from staff too.")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_reports",
        verbose_name=_("reporter's account"),
    )
    token = models.CharField(max_length=43, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.WEB)
    api_key = models.ForeignKey(
        "ApiKey", models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("Open311 client")
    )
    # Handling.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    unit = models.CharField(_("responsible unit"), max_length=40)
    is_public = models.BooleanField(_("public"), default=True)
    # The latest public note, kept here for lists (Open311 status_notes) rather than looked up per row.
    status_notes = models.TextField(_("latest public note"), max_length=2000, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("duplicate of")
    )
    reopened = models.BooleanField(_("reopened once"), default=False)
    satisfied = models.BooleanField(_("reporter satisfied"), null=True, blank=True)
    rating_comment = models.TextField(_("reporter's comment"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["commune", "number"], name="unique_feedback_report_number")]
        indexes = [
            models.Index(fields=["commune", "is_public", "created_at"], name="feedback_public_idx"),
            models.Index(fields=["commune", "unit", "status"], name="feedback_inbox_idx"),
            models.Index(fields=["commune", "category", "latitude"], name="feedback_nearby_idx"),
            models.Index(fields=["status", "deadline"], name="feedback_overdue_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now) -> bool:
        return self.is_open and self.deadline < now

    @property
    def can_be_rated(self) -> bool:
        return self.status == Status.RESOLVED and (self.rated_at is None or self.rated_at < self.closed_at)


class ReportPhoto(models.Model):
    """A photo sent with a report (1–3), checked, resized and stripped of EXIF by core.images."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="photos", verbose_name=_("report"))
    image = models.ImageField(_("photo"), upload_to="feedback/%Y/%m/")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class ReportUpdate(models.Model):
    """One step in a report's life: received, a change of state or unit, a merge, an escalation, a rating."""

    class Kind(models.TextChoices):
        CREATED = "created", _("received")
        STATUS = "status", _("status changed")
        REASSIGNED = "reassigned", _("reassigned")
        MERGED = "merged", _("merged as duplicate")
        ESCALATED = "escalated", _("escalated to the commune leadership")
        RATED = "rated", _("rated by the reporter")
        REOPENED = "reopened", _("reopened")

    report = models.ForeignKey(Report, models.CASCADE, related_name="updates", verbose_name=_("report"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=16, choices=Status.choices)
    old_status = models.CharField(_("status before"), max_length=16, choices=Status.choices, blank=True)
    unit = models.CharField(_("unit after"), max_length=40, blank=True)
    old_unit = models.CharField(_("unit before"), max_length=40, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="feedback/updates/%Y/%m/", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    is_public = models.BooleanField(_("shown to the public"), default=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("report update")
        verbose_name_plural = _("report updates")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.status}"


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """The key of one Open311 client (an app, a partner's system) of one commune. Only its hash is stored."""

    PREFIX_LENGTH = 8

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="open311_keys", verbose_name=_("commune"))
    name = models.CharField(_("client"), max_length=100)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    hourly_limit = models.PositiveIntegerField(
        _("reports per hour"), default=300, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)
