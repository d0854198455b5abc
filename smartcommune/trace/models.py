"""Products (with GTIN and OCOP rating), lots made from harvests or by processing, cartons, and the
traceability events stored as EPCIS 2.0 events.

Identifiers: a product with a GTIN is named by GS1 Digital Link URIs (`/01/{GTIN-14}/10/{lot}`); a
product without one gets a permanent internal code (`/truy-xuat/sp/{code}/lo/{lot}`). Adding a GTIN
later does not retire the internal code, so QR labels printed before still resolve.
"""

import contextlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.core.identifiers import normalize_gtin
from smartcommune.core.text import fold
from smartcommune.farming.models import DiaryEntry
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation


class Unit(models.TextChoices):
    """UN/CEFACT Recommendation 20 codes, as EPCIS quantities carry them."""

    KG = "KGM", _("kg")
    GRAM = "GRM", _("g")
    TONNE = "TNE", _("tonne")
    LITRE = "LTR", _("litre")
    MILLILITRE = "MLT", _("ml")
    PIECE = "H87", _("piece")
    BAG = "BG", _("bag")
    BOX = "BX", _("box")


MASS_UNITS = {Unit.KG: Decimal("1"), Unit.TONNE: Decimal("1000"), Unit.GRAM: Decimal("0.001")}


class ProductQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "ProductQuerySet":
        return self.filter(commune=commune)

    def search(self, text: str) -> "ProductQuerySet":
        """By name, GTIN, internal code or producer, ignoring accents and case the same way on every database.

        Every word must be found in the product's key or its producer's ("gao htx" finds the rice of a
        cooperative); a whole GTIN or internal code also matches as typed."""
        words = fold(text).split()[:8]
        if not words:
            return self
        condition = models.Q(internal_code__iexact=text.strip())
        with contextlib.suppress(ValidationError):  # not a GTIN: the words alone decide
            condition |= models.Q(gtin=normalize_gtin(text))
        every_word = models.Q()
        for word in words:
            every_word &= models.Q(search_key__contains=word) | models.Q(owner__search_key__contains=word)
        return self.filter(condition | every_word)


class Product(models.Model):
    """A product of a commune's producer: what a QR label names, with or without a GTIN."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="products", verbose_name=_("commune"))
    owner = models.ForeignKey(
        Organisation, models.PROTECT, related_name="products", verbose_name=_("producer (owner organisation)")
    )
    name = models.CharField(_("product name"), max_length=200)
    brand = models.CharField(_("brand or trademark"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        blank=True,
        help_text=_("8, 12, 13 or 14 digits with their check digit; leave empty if the producer has none yet."),
    )
    internal_code = models.CharField(_("internal product code"), max_length=20, unique=True, editable=False)
    unit = models.CharField(_("unit of lots"), max_length=3, choices=Unit.choices, default=Unit.KG)
    photo = models.ImageField(_("photo"), upload_to="trace/products/%Y/", blank=True)
    scan_alert_per_day = models.PositiveIntegerField(
        _("unusual scans of one lot in a day"),
        default=200,
        validators=[MinValueValidator(10)],
        help_text=_("More scans than this in one day are reported to the producer (possible copied labels)."),
    )
    search_key = models.CharField(max_length=300, editable=False)  # matched with contains: no index helps
    cache_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["cache_version", "search_key"])

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["gtin"], condition=~models.Q(gtin=""), name="unique_product_gtin")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived search key (see core.text.fold), kept in step with the fields it is made from.
        self.search_key = self.make_search_key(self.name, self.gtin, self.internal_code)
        fields = kwargs.get("update_fields")
        if fields is not None and not {"name", "gtin", "internal_code"}.isdisjoint(fields):
            kwargs["update_fields"] = {*fields, "search_key"}
        super().save(*args, **kwargs)

    @staticmethod
    def make_search_key(name: str, gtin: str, internal_code: str) -> str:
        return fold(f"{name} {gtin} {internal_code}")[:300]


class LotQuerySet(models.QuerySet):
    def search(self, text: str) -> "LotQuerySet":
        """By lot code (ignoring case), or by anything that finds its product (see ProductQuerySet.search)."""
        if not text.strip():
            return self
        return self.filter(models.Q(code__icontains=text.strip()) | models.Q(product__in=Product.objects.search(text)))


class OcopRating(models.Model):
    """An OCOP rating of a product (QĐ 148/QĐ-TTg): part A/B/C scores, stars from the bands, 36 months' validity."""

    class Sector(models.TextChoices):
        FOOD = "food", _("food")
        DRINKS = "drinks", _("drinks")
        HERBAL = "herbal", _("herbal products")
        TEXTILES = "textiles", _("textiles and garments")
        CRAFTS = "crafts", _("souvenirs, furniture and decoration")
        TOURISM = "tourism", _("rural and community tourism services")

    class Status(models.TextChoices):
        VALID = "valid", _("recognised")
        RE_EVALUATING = "re_evaluating", _("being re-evaluated")
        REVOKED = "revoked", _("revoked")

    MAX_A, MAX_B, MAX_C = 40, 25, 35
    VALID_MONTHS = 36
    WARNING_DAYS = 90

    product = models.ForeignKey(Product, models.CASCADE, related_name="ocop_ratings", verbose_name=_("product"))
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    product_set = models.CharField(
        _("product set"), max_length=150, help_text=_("E.g. fresh produce; rice and cereals.")
    )
    score_a = models.DecimalField(
        _("part A score (production and community, of 40)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_A)],
    )
    score_b = models.DecimalField(
        _("part B score (marketing, of 25)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_B)],
    )
    score_c = models.DecimalField(
        _("part C score (quality, of 35)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_C)],
    )
    total = models.DecimalField(_("total score"), max_digits=4, decimal_places=1, editable=False)
    stars = models.PositiveSmallIntegerField(_("stars"), editable=False)
    decision_number = models.CharField(_("recognition decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    valid_until = models.DateField(_("valid until"), editable=False)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.VALID)
    expiry_warned_on = models.DateField(_("expiry warning sent on"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("OCOP rating")
        verbose_name_plural = _("OCOP ratings")
        ordering = ["product", "-decision_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score_a__gte=0, score_a__lte=40), name="ocop_a_range"),
            models.CheckConstraint(condition=models.Q(score_b__gte=0, score_b__lte=25), name="ocop_b_range"),
            models.CheckConstraint(condition=models.Q(score_c__gte=0, score_c__lte=35), name="ocop_c_range"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="ocop_stars_range"),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.stars}★ ({self.decision_number})"

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.REVOKED and not self.is_expired

    @property
    def expires_soon(self) -> bool:
        return self.is_current and (self.valid_until - timezone.localdate()).days <= self.WARNING_DAYS


class Certification(models.Model):
    """A certificate a product holds (VietGAP, organic, food safety, a quality declaration…)."""

    class Kind(models.TextChoices):
        VIETGAP = "vietgap", "VietGAP"
        GLOBALGAP = "globalgap", "GlobalGAP"
        ORGANIC = "organic", _("organic")
        FOOD_SAFETY = "food_safety", _("food safety certificate")
        QUALITY = "quality", _("quality declaration")
        ISO_HACCP = "iso_haccp", _("ISO 22000 / HACCP")
        OTHER = "other", _("other")

    product = models.ForeignKey(Product, models.CASCADE, related_name="certifications", verbose_name=_("product"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=80)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["product", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_valid(self) -> bool:
        return self.expires_on is None or self.expires_on >= timezone.localdate()


class Lot(models.Model):
    """A lot (lô) of a product: made from harvests, by processing other lots, or known from captured events."""

    class Origin(models.TextChoices):
        HARVEST = "harvest", _("harvest")
        PROCESSING = "processing", _("processing")
        OTHER = "other", _("registered by hand")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RECALLED = "recalled", _("recalled")

    product = models.ForeignKey(Product, models.PROTECT, related_name="lots", verbose_name=_("product"))
    code = models.CharField(_("lot code"), max_length=20)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices)
    # What is left to process, pack or ship; only services change it, under a row lock.
    remaining = models.DecimalField(_("remaining"), max_digits=14, decimal_places=3)
    produced_on = models.DateField(_("production date"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    origin = models.CharField(_("made by"), max_length=10, choices=Origin.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    cache_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["cache_version", "remaining"])

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-produced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="unique_lot_code_per_product"),
            models.CheckConstraint(condition=models.Q(remaining__gte=0), name="lot_remaining_not_negative"),
            models.CheckConstraint(
                condition=models.Q(remaining__lte=models.F("quantity")), name="lot_remaining_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} — {self.code}"


class LotHarvest(models.Model):
    """A harvest (a diary entry of a growing area) a lot was made from, and how much of it went in."""

    lot = models.ForeignKey(Lot, models.CASCADE, related_name="harvests", verbose_name=_("lot"))
    harvest = models.ForeignKey(DiaryEntry, models.PROTECT, related_name="+", verbose_name=_("harvest"))
    quantity_kg = models.DecimalField(_("quantity (kg)"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("harvest of a lot")
        verbose_name_plural = _("harvests of lots")
        constraints = [models.UniqueConstraint(fields=["lot", "harvest"], name="unique_lot_harvest")]

    def __str__(self) -> str:
        return f"{self.lot.code} ← {self.harvest}"


class LotInput(models.Model):
    """An input lot consumed by processing into an output lot."""

    output = models.ForeignKey(Lot, models.CASCADE, related_name="inputs", verbose_name=_("output lot"))
    input = models.ForeignKey(Lot, models.PROTECT, related_name="uses", verbose_name=_("input lot"))
    quantity = models.DecimalField(_("quantity used"), max_digits=14, decimal_places=3)
    event = models.ForeignKey("TraceEvent", models.PROTECT, related_name="+", verbose_name=_("event"))

    class Meta:
        verbose_name = _("input of a lot")
        verbose_name_plural = _("inputs of lots")

    def __str__(self) -> str:
        return f"{self.output.code} ← {self.input.code}"


class Container(models.Model):
    """A carton or other logistic unit packed with lots; its 18-digit code has a GS1 check digit (SSCC-like)."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="containers", verbose_name=_("commune"))
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="containers", verbose_name=_("packed by")
    )
    code = models.CharField(_("carton code"), max_length=18, unique=True)
    created_at = models.DateTimeField(_("packed at"), auto_now_add=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("carton")
        verbose_name_plural = _("cartons")
        ordering = ["-created_at", "code"]

    def __str__(self) -> str:
        return self.code


class ContainerItem(models.Model):
    container = models.ForeignKey(Container, models.CASCADE, related_name="items", verbose_name=_("carton"))
    lot = models.ForeignKey(Lot, models.PROTECT, related_name="container_items", verbose_name=_("lot"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("carton content")
        verbose_name_plural = _("carton contents")

    def __str__(self) -> str:
        return f"{self.container.code}: {self.lot.code} × {self.quantity}"


class TraceEvent(models.Model):
    """One EPCIS 2.0 event, kept exactly as exported or captured (`document`), with its dimensions as columns."""

    class Type(models.TextChoices):
        OBJECT = "ObjectEvent", _("object event")
        AGGREGATION = "AggregationEvent", _("aggregation event")
        TRANSFORMATION = "TransformationEvent", _("transformation event")
        TRANSACTION = "TransactionEvent", _("transaction event")
        ASSOCIATION = "AssociationEvent", _("association event")

    class Source(models.TextChoices):
        RECORDED = "recorded", _("recorded here")
        CAPTURED = "captured", _("captured from another system")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="trace_events", verbose_name=_("commune"))
    event_id = models.CharField(_("event ID"), max_length=300, unique=True)
    event_type = models.CharField(_("event type"), max_length=20, choices=Type.choices)
    action = models.CharField(_("action"), max_length=8, blank=True)
    biz_step = models.CharField(_("business step"), max_length=200, blank=True)
    disposition = models.CharField(_("disposition"), max_length=200, blank=True)
    event_time = models.DateTimeField(_("event time"))
    time_zone_offset = models.CharField(_("time zone offset"), max_length=6)
    record_time = models.DateTimeField(_("record time"), auto_now_add=True)
    read_point = models.CharField(_("read point"), max_length=300, blank=True)
    biz_location = models.CharField(_("business location"), max_length=300, blank=True)
    document = models.JSONField(_("EPCIS event"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.RECORDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    lots = models.ManyToManyField(Lot, through="EventLot", related_name="events", verbose_name=_("lots"))

    class Meta:
        verbose_name = _("traceability event")
        verbose_name_plural = _("traceability events")
        ordering = ["event_time", "pk"]
        indexes = [models.Index(fields=["commune", "event_time"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.biz_step} {self.event_time:%Y-%m-%d}"


class EventLot(models.Model):
    """Which lots an event is about, and in which role."""

    class Role(models.TextChoices):
        OBJECT = "object", _("object")
        INPUT = "input", _("input")
        OUTPUT = "output", _("output")
        CHILD = "child", _("packed")
        SHIPPED = "shipped", _("shipped")

    event = models.ForeignKey(TraceEvent, models.CASCADE, related_name="lot_links")
    lot = models.ForeignKey(Lot, models.CASCADE, related_name="event_links")
    role = models.CharField(max_length=8, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "lot", "role"], name="unique_event_lot_role")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.role} {self.lot_id}"


class ScanDay(models.Model):
    """How many times one lot's public page was opened on one day; updated with one atomic UPDATE per scan."""

    lot = models.ForeignKey(Lot, models.CASCADE, related_name="scan_days", verbose_name=_("lot"))
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("scans"), default=0)
    alerted_at = models.DateTimeField(_("producer alerted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scans of a day")
        verbose_name_plural = _("scans by day")
        constraints = [models.UniqueConstraint(fields=["lot", "day"], name="unique_scan_day")]

    def __str__(self) -> str:
        return f"{self.lot_id} {self.day}: {self.count}"
