"""Surveys: satisfaction campaigns run by the Fatherland Front and general questionnaires.

Campaign → Question → Option describe the form. Household slips (Slip) carry a one-time code; an
answer (Response with its Answer rows) is stored with no link to the slip or the household:

- a Slip keeps the keyed digest of its code, its village and a spent flag, nothing else: no household,
  no time. Slips are stored in the order of their digests, which has nothing to do with the order in
  which they were printed or handed out.
- a Response keeps its village, the channel and the day it arrived: a random UUID for its key, no
  time of day, no slip, no household, no user.

So the database can say how many households of a village answered and what they answered, and never
which household gave which answer. Answers and slips have no change history on purpose.
"""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.criteria.models import CriteriaSet, Criterion
from smartcommune.places.models import Commune, Village

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class CampaignQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "CampaignQuerySet":
        return self.filter(commune=commune)

    def published(self) -> "CampaignQuerySet":
        return self.filter(is_published=True)

    def accepting(self, on=None) -> "CampaignQuerySet":
        """Open campaigns whose answering period includes the day `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(status=Campaign.Status.OPEN, opens_on__lte=on, closes_on__gte=on)


class Campaign(models.Model):
    """A survey of the households of one commune: a satisfaction campaign or a general questionnaire."""

    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", _("satisfaction survey")
        GENERAL = "general", _("general questionnaire")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="campaigns", verbose_name=_("commune"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SATISFACTION)
    title = models.CharField(_("title"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown to households above the questions.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.DRAFT)
    criteria_set = models.ForeignKey(
        CriteriaSet,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_campaigns",
        verbose_name=_("criteria set"),
    )
    overall_threshold = models.DecimalField(
        _("overall satisfaction required (%)"), max_digits=5, decimal_places=2, default=Decimal(90), validators=PERCENT
    )
    item_threshold = models.DecimalField(
        _("satisfaction required for each item (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=PERCENT,
    )
    coverage_threshold = models.DecimalField(
        _("households that must answer (%)"), max_digits=5, decimal_places=2, default=Decimal(70), validators=PERCENT
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown on its own"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("In the published summary, villages with fewer answers are merged into “other villages”."),
    )
    is_published = models.BooleanField(_("summary published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="campaign_dates_order")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_satisfaction(self) -> bool:
        return self.kind == self.Kind.SATISFACTION

    def is_accepting(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= on <= self.closes_on


class Question(models.Model):
    """One question of a campaign, in its place. `name` is the stable key used by the API and XLSForm."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("yes / no")
        SCALE = "scale", _("scale 1–5")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        TEXT = "text", _("text")
        NOTE = "note", _("note (no answer)")

    class Role(models.TextChoices):
        """What a question counts for in a satisfaction campaign's results."""

        NONE = "", _("—")
        ITEM = "item", _("satisfaction item")
        OVERALL = "overall", _("overall satisfaction")
        COMMENT = "comment", _("free comment")

    CHOICE_KINDS = (Kind.YES_NO, Kind.SINGLE, Kind.MULTIPLE)
    SCALE_VALUES = ("1", "2", "3", "4", "5")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="questions", verbose_name=_("campaign"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.SlugField(
        _("key"), max_length=40, help_text=_("Letters, digits and “_”; used by the API and in XLSForm.")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    role = models.CharField(_("counts as"), max_length=8, choices=Role.choices, default=Role.NONE, blank=True)
    criterion = models.ForeignKey(
        Criterion, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("criterion")
    )
    show_if_question = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("show only if the question"),
    )
    show_if_value = models.CharField(_("has the answer"), max_length=60, blank=True)
    max_length = models.PositiveIntegerField(
        _("longest answer (characters)"), default=1000, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    whole_number = models.BooleanField(_("whole number"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["campaign", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="unique_question_name")]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def takes_answer(self) -> bool:
        return self.kind != self.Kind.NOTE

    @property
    def has_options(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Option(models.Model):
    """A possible answer of a choice question; `value` is its stable key (XLSForm choice name)."""

    question = models.ForeignKey(Question, models.CASCADE, related_name="options", verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    value = models.CharField(_("key"), max_length=60)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="unique_option_value")]

    def __str__(self) -> str:
        return self.label


class Slip(models.Model):
    """A household slip: the digest of its one-time code, its village and whether it was used.

    Deliberately nothing else: no household, no time, no answer. The code itself is never stored; it
    exists only on the printed sheet."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="slips", verbose_name=_("campaign"))
    village = models.ForeignKey(Village, models.PROTECT, related_name="+", verbose_name=_("village"))
    code_digest = models.CharField(_("code digest"), max_length=64, unique=True)
    spent = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("slip")
        verbose_name_plural = _("slips")
        indexes = [models.Index(fields=["campaign", "village", "spent"], name="slip_counts")]

    def __str__(self) -> str:
        return f"{self.village} {'✓' if self.spent else '·'}"


class SlipBatch(models.Model):
    """A record that slips were printed for a village: who, when and how many (never which codes)."""

    class Kind(models.TextChoices):
        FIRST = "first", _("first sheet")
        REPLACEMENT = "replacement", _("replacement sheet (earlier slips cancelled)")
        EXTRA = "extra", _("extra slips for new households")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="slip_batches", verbose_name=_("campaign"))
    village = models.ForeignKey(Village, models.PROTECT, related_name="+", verbose_name=_("village"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    count = models.PositiveIntegerField(_("slips"))
    issued_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("slip sheet")
        verbose_name_plural = _("slip sheets")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.village} × {self.count}"


class Response(models.Model):
    """One household's answer: its village, how it came in and the day; nothing that points to whom."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper form")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="responses", verbose_name=_("campaign"))
    village = models.ForeignKey(Village, models.PROTECT, related_name="+", verbose_name=_("village"))
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    submitted_on = models.DateField(_("received on"))

    class Meta:
        verbose_name = _("answer form")
        verbose_name_plural = _("answer forms")
        indexes = [models.Index(fields=["campaign", "village"], name="response_village")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.village} {self.submitted_on:%d/%m/%Y}"


class Answer(models.Model):
    """The answer to one question; a multiple-choice question has one row per chosen option.

    The village is repeated from the answer form so that results are one grouped scan of this table
    (question, village, option) rather than a join per row; it tells nothing the form does not."""

    class Review(models.TextChoices):
        NONE = "", _("—")
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        HIDDEN = "hidden", _("hidden")

    response = models.ForeignKey(Response, models.CASCADE, related_name="answers", verbose_name=_("answer form"))
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="answers", verbose_name=_("question"), db_index=False
    )  # indexed through answer_counts, which starts with it
    village = models.ForeignKey(Village, models.PROTECT, related_name="+", verbose_name=_("village"), db_index=False)
    option = models.ForeignKey(
        Option, models.PROTECT, null=True, blank=True, related_name="answers", verbose_name=_("option")
    )
    number = models.DecimalField(_("numeric answer"), max_digits=16, decimal_places=4, null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    review = models.CharField(_("review"), max_length=8, choices=Review.choices, default=Review.NONE, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "village", "option"], name="answer_counts"),
            models.Index(fields=["question", "review"], name="answer_review"),
        ]

    def __str__(self) -> str:
        return f"{self.question.name}"
