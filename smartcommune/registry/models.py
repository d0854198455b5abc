"""The commune's registries: households (with one record per year) and organisations.

Households are the unit of most New Rural indicators. We keep counts per household, not person
records: the least personal data the indicators need. The head's personal ID number is stored
encrypted, found again through a keyed digest, and never leaves staff pages.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.core.crypto import EncryptedCharField
from smartcommune.core.text import fold
from smartcommune.places.models import Commune, Village

from . import rules


class HouseholdQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "HouseholdQuerySet":
        return self.filter(commune=commune)

    def in_village(self, village: Village) -> "HouseholdQuerySet":
        return self.filter(village=village)

    def active(self) -> "HouseholdQuerySet":
        return self.filter(is_active=True)

    def search(self, text: str) -> "HouseholdQuerySet":
        """By code, name or phone, ignoring accents and case the same way on every database."""
        key = fold(text)
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = models.Q(code__iexact=text.strip()) | models.Q(search_key__contains=key)
        if len(digits) >= 6:
            condition |= models.Q(phone__contains=digits)
        return self.filter(condition)


class Household(models.Model):
    """A household (hộ) of a village, with its stable code. Yearly figures live in HouseholdYear."""

    # Indexed through the unique (commune, code) constraint; a second index would only slow imports.
    commune = models.ForeignKey(
        Commune, models.PROTECT, related_name="households", verbose_name=_("commune"), db_index=False
    )
    village = models.ForeignKey(Village, models.PROTECT, related_name="households", verbose_name=_("village"))
    code = models.CharField(_("household code"), max_length=30, help_text=_("Stable code, unique in the commune."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    head_name = models.CharField(_("head of household"), max_length=150)
    head_id_number = EncryptedCharField(_("head's personal ID number"), blank=True)
    head_id_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("phone"), max_length=11, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_key = models.CharField(max_length=300, editable=False)  # matched with contains: no index helps
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["head_id_number", "search_key"])

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__code", "code"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="unique_household_code")]

    def __str__(self) -> str:
        return f"{self.code} — {self.head_name}"

    def save(self, *args, **kwargs):
        # Derived search key (see core.text.fold), kept in step with the fields it is made from.
        self.search_key = self.make_search_key(self.code, self.head_name, self.address)
        super().save(*args, **kwargs)

    @staticmethod
    def make_search_key(code: str, head_name: str, address: str) -> str:
        return fold(f"{code} {head_name} {address}")[:300]


class Poverty(models.TextChoices):
    POOR = "ngheo", _("poor")
    NEAR_POOR = "can_ngheo", _("near-poor")
    NONE = "khong", _("not poor")


class Housing(models.TextChoices):
    SOLID = "kien_co", _("solid")
    SEMI_SOLID = "ban_kien_co", _("semi-solid")
    TEMPORARY = "nha_tam", _("temporary or dilapidated")


class HouseholdYear(models.Model):
    """A household's figures for one year; earlier years stay as they were recorded."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="years", verbose_name=_("household"), db_index=False
    )  # indexed through the unique (household, year) constraint
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveSmallIntegerField(_("members"))
    poverty = models.CharField(_("poverty status"), max_length=10, choices=Poverty.choices, null=True, blank=True)
    housing = models.CharField(_("housing"), max_length=12, choices=Housing.choices, null=True, blank=True)
    safe_electricity = models.BooleanField(_("safe electricity"), null=True, blank=True)
    clean_water = models.BooleanField(_("clean water"), null=True, blank=True)
    hygienic_latrine = models.BooleanField(_("hygienic latrine"), null=True, blank=True)
    insured_members = models.PositiveSmallIntegerField(_("members with health insurance"), null=True, blank=True)
    working_age_members = models.PositiveSmallIntegerField(_("working-age members"), null=True, blank=True)
    employed_members = models.PositiveSmallIntegerField(_("employed members"), null=True, blank=True)
    trained_workers = models.PositiveSmallIntegerField(_("trained workers"), null=True, blank=True)
    certified_workers = models.PositiveSmallIntegerField(
        _("workers with degrees or certificates"), null=True, blank=True
    )
    income = models.BigIntegerField(_("annual income (VND)"), null=True, blank=True)
    smartphone = models.BooleanField(_("owns a smartphone"), null=True, blank=True)
    broadband = models.BooleanField(_("fixed broadband / fibre"), null=True, blank=True)
    e_payment = models.BooleanField(_("e-payment account"), null=True, blank=True)
    digital_address = models.CharField(_("digital address"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household year")
        verbose_name_plural = _("household years")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="unique_household_year"),
            models.CheckConstraint(
                condition=models.Q(insured_members__isnull=True) | models.Q(insured_members__lte=models.F("members")),
                name="insured_within_members",
            ),
            models.CheckConstraint(
                condition=models.Q(employed_members__isnull=True)
                | models.Q(working_age_members__isnull=True)
                | models.Q(employed_members__lte=models.F("working_age_members")),
                name="employed_within_working_age",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} {self.year}"

    def clean(self) -> None:
        problems = rules.year_problems(vars(self))
        if problems:
            raise ValidationError({field: message for field, message in problems})

    # Fields an official may leave empty; listed here so "missing data" filters and reports agree.
    INDICATOR_FIELDS = (
        "poverty",
        "housing",
        "safe_electricity",
        "clean_water",
        "hygienic_latrine",
        "insured_members",
        "working_age_members",
        "employed_members",
        "trained_workers",
        "certified_workers",
        "income",
        "smartphone",
        "broadband",
        "e_payment",
    )


class OrganisationQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "OrganisationQuerySet":
        return self.filter(commune=commune)

    def active(self) -> "OrganisationQuerySet":
        return self.filter(status=Organisation.Status.ACTIVE)

    def search(self, text: str) -> "OrganisationQuerySet":
        key = fold(text)
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = models.Q(code__iexact=text.strip()) | models.Q(search_key__contains=key)
        if len(digits) >= 6:
            condition |= models.Q(phone__contains=digits) | models.Q(tax_code__startswith=digits)
        return self.filter(condition)


class Organisation(models.Model):
    """A cooperative, cooperative group, enterprise, household business or service provider."""

    class Kind(models.TextChoices):
        COOPERATIVE = "htx", _("cooperative")
        COOPERATIVE_GROUP = "tht", _("cooperative group")
        ENTERPRISE = "dn", _("enterprise")
        HOUSEHOLD_BUSINESS = "hkd", _("household business")
        SERVICE_PROVIDER = "dv", _("service provider")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        DISSOLVED = "dissolved", _("dissolved")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="organisations", verbose_name=_("commune"))
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="organisations", verbose_name=_("village")
    )
    code = models.CharField(_("organisation code"), max_length=30, help_text=_("Stable code, unique in the commune."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    is_ocop_subject = models.BooleanField(_("OCOP subject"), default=False)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True, db_index=True)
    representative = models.CharField(_("representative"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    bank_bin = models.CharField(_("bank (BIN)"), max_length=6, blank=True)
    bank_account = models.CharField(_("bank account number"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("bank account name"), max_length=100, blank=True)
    members = models.ManyToManyField(
        Household, through="Membership", related_name="organisations", verbose_name=_("member households")
    )
    search_key = models.CharField(max_length=300, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_key"])

    objects = OrganisationQuerySet.as_manager()

    # Fields anyone may read (portal, open data, public API). Representative and phone are personal.
    PUBLIC_FIELDS = (
        "code",
        "name",
        "kind",
        "is_ocop_subject",
        "tax_code",
        "address",
        "village",
        "status",
        "description",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="unique_organisation_code")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.code} {self.name} {self.tax_code}")[:300]
        super().save(*args, **kwargs)

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_bin and self.bank_account and self.bank_account_name)


class Membership(models.Model):
    """A household's membership of an organisation (chiefly cooperatives)."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    household = models.ForeignKey(Household, models.CASCADE, related_name="memberships", verbose_name=_("household"))
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "household"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.household.code} ∈ {self.organisation.code}"


class ImportJob(models.Model):
    """One file import: its progress while it runs, then its result or every bad row."""

    class Kind(models.TextChoices):
        VILLAGES = "villages", _("villages")
        HOUSEHOLDS = "households", _("households")
        ORGANISATIONS = "organisations", _("organisations")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        FAILED = "failed", _("rejected")

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="import_jobs", verbose_name=_("commune"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"
