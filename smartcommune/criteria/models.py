"""Criteria sets as versioned data (set → criterion → indicator → threshold) and the values a commune
records against them, year by year, with evidence and an approval workflow."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.places.models import Commune, CommuneGroup, Province, Region, Village


class CriteriaSet(models.Model):
    """One versioned set, loaded from a file in criteria/data (QĐ 318, QĐ 51/2025, the smart set…)."""

    class Kind(models.TextChoices):
        NTM = "ntm", _("New Rural commune")
        ADVANCED = "ntm_advanced", _("advanced New Rural commune")
        MODEL = "ntm_model", _("model New Rural commune")
        SMART = "smart", _("smart New Rural commune")

    class ThresholdsBy(models.TextChoices):
        REGION = "region", _("region")
        GROUP = "group", _("commune group")
        NONE = "none", _("the same everywhere")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    legal_basis = models.TextField(_("legal basis"))
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    thresholds_by = models.CharField(_("thresholds set by"), max_length=6, choices=ThresholdsBy.choices)
    source = models.TextField(_("source"), blank=True)
    needs_verification = models.BooleanField(_("needs verification"), default=False)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_digest = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-valid_from", "code"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, year: int) -> bool:
        return self.valid_from.year <= year and (self.valid_to is None or year <= self.valid_to.year)


class Criterion(models.Model):
    """A criterion (tiêu chí) of a set, e.g. 8 "Thông tin và Truyền thông"."""

    criteria_set = models.ForeignKey(
        CriteriaSet, models.CASCADE, related_name="criteria", verbose_name=_("criteria set")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    group = models.CharField(_("group"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "number"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "number"], name="unique_criterion_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Indicator(models.Model):
    """An indicator (chỉ tiêu) with how it is measured: computed from the registries or entered."""

    class Kind(models.TextChoices):
        PASS_FAIL = "pass_fail", _("met / not met")
        PERCENT = "percent", _("percentage")
        AMOUNT = "amount", _("amount")
        COUNT = "count", _("count")

    class Source(models.TextChoices):
        REGISTRY = "registry", _("computed from the registries")
        EVIDENCE = "evidence", _("entered with evidence")
        AGENCY = "agency", _("supplied by another agency")

    criteria_set = models.ForeignKey(
        CriteriaSet, models.CASCADE, related_name="indicators", verbose_name=_("criteria set")
    )
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="indicators", verbose_name=_("criterion"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("data source"), max_length=10, choices=Source.choices)
    village_level = models.BooleanField(_("also per village"), default=False)
    responsible = models.CharField(_("responsible department"), max_length=10, blank=True)
    formula = models.JSONField(_("formula"), null=True, blank=True)
    validation = models.JSONField(_("validation rules"), default=dict, blank=True)
    needs_verification = models.BooleanField(_("needs verification"), default=False)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["criteria_set", "position"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_computed(self) -> bool:
        return self.source == self.Source.REGISTRY


class Threshold(models.Model):
    """What an indicator must reach, for a region or commune group and a span of years.

    National thresholds have no province; a province official's correction is stored as a threshold
    of that province, which then wins for its communes."""

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "==", "="

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="thresholds", verbose_name=_("indicator"))
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    region = models.CharField(_("region"), max_length=8, choices=Region.choices, blank=True)
    group = models.PositiveSmallIntegerField(_("commune group"), choices=CommuneGroup.choices, null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    province = models.ForeignKey(
        Province, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("province (correction)")
    )
    needs_verification = models.BooleanField(_("needs verification"), default=False)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["indicator", "region", "group", "year_from"]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.comparator} {self.value}"

    def passes(self, value: Decimal | bool | None) -> bool | None:
        if value is None:
            return None
        if isinstance(value, bool):
            value = Decimal(int(value))
        if self.comparator == self.Comparator.AT_LEAST:
            return value >= self.value
        if self.comparator == self.Comparator.AT_MOST:
            return value <= self.value
        return value == self.value


class Assessment(models.Model):
    """A commune's self-assessment against one set for one year: draft → submitted → approved (locked)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="assessments", verbose_name=_("commune"))
    criteria_set = models.ForeignKey(
        CriteriaSet, models.PROTECT, related_name="assessments", verbose_name=_("criteria set")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The computed figures as they stood at approval: the approved report does not move afterwards.
    snapshot = models.JSONField(_("figures at approval"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["commune", "criteria_set", "year"], name="unique_assessment")]

    def __str__(self) -> str:
        return f"{self.commune} {self.criteria_set.code} {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class IndicatorValue(models.Model):
    """A value entered for an indicator (not computed): by a department, with a note and evidence."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values", verbose_name=_("indicator"))
    commune = models.ForeignKey(Commune, models.CASCADE, related_name="indicator_values", verbose_name=_("commune"))
    village = models.ForeignKey(
        Village, models.CASCADE, null=True, blank=True, related_name="indicator_values", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(_("met"), null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "commune", "year"],
                condition=models.Q(village__isnull=True),
                name="unique_commune_indicator_value",
            ),
            models.UniqueConstraint(
                fields=["indicator", "village", "year"],
                condition=models.Q(village__isnull=False),
                name="unique_village_indicator_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}"


class Evidence(models.Model):
    """A file (PDF or image) backing an entered value."""

    value = models.ForeignKey(IndicatorValue, models.CASCADE, related_name="evidence", verbose_name=_("value"))
    file = models.FileField(_("file"), upload_to="evidence/%Y/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name
