"""Growing areas (vùng trồng) with their codes and plots, seasons, production diaries, and the map's settings.

Shaped after farmOS: a growing area and its plots are land assets with a geometry; the diary is a
list of logs (activity, input, observation, harvest) with quantities. Geometries are GeoJSON kept
in JSON fields and checked with shapely/pyproj (see geometry.py); no spatial database is needed.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.core.text import fold
from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Household, Organisation


class CropType(models.TextChoices):
    PERENNIAL = "perennial", _("perennial crop")
    ANNUAL = "annual", _("annual crop")


class FarmSettings(models.Model):
    """Per-commune settings of the farm map: where the commune is, and the minimum areas that warn.

    The reference point is approximate data an official corrects; until then it is marked as
    needing verification and the map and the checks say so."""

    commune = models.OneToOneField(Commune, models.CASCADE, related_name="farm_settings", verbose_name=_("commune"))
    latitude = models.DecimalField(_("reference latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("reference longitude"), max_digits=9, decimal_places=6)
    max_distance_km = models.DecimalField(
        _("largest distance of a plot from the reference point (km)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    min_area_perennial_ha = models.DecimalField(
        _("minimum area of a perennial-crop growing area (ha)"), max_digits=8, decimal_places=3, default=Decimal("1")
    )
    min_area_annual_ha = models.DecimalField(
        _("minimum area of an annual-crop growing area (ha)"), max_digits=8, decimal_places=3, default=Decimal("0.1")
    )
    needs_verification = models.BooleanField(
        _("reference point needs verification"),
        default=True,
        help_text=_("Approximate until an official checks it against the commune's map."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("farm map settings")
        verbose_name_plural = _("farm map settings")

    def __str__(self) -> str:
        return f"{self.commune} ({self.latitude}, {self.longitude})"

    def min_area_ha(self, crop_type: str) -> Decimal:
        return self.min_area_perennial_ha if crop_type == CropType.PERENNIAL else self.min_area_annual_ha


class VillagePoint(models.Model):
    """Where a village's marker goes on the map (villages have no boundaries in the registry)."""

    village = models.OneToOneField(Village, models.CASCADE, related_name="map_point", verbose_name=_("village"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    needs_verification = models.BooleanField(_("needs verification"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village marker")
        verbose_name_plural = _("village markers")

    def __str__(self) -> str:
        return f"{self.village} ({self.latitude}, {self.longitude})"


class GrowingAreaQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "GrowingAreaQuerySet":
        return self.filter(commune=commune)

    def active(self) -> "GrowingAreaQuerySet":
        return self.filter(status=GrowingArea.Status.ACTIVE)

    def search(self, text: str) -> "GrowingAreaQuerySet":
        return self.filter(models.Q(code__iexact=text.strip()) | models.Q(search_key__contains=fold(text)))


class GrowingArea(models.Model):
    """A growing area with its code (mã số vùng trồng), crop, standard, cooperative and member households.

    The code is kept as an opaque string: its official layout changed with the 2025 reform, so only
    pattern hints are shown (domestic `VN-<province>-<district>-<commune>-<no.>-<yy>`, export
    `VN-<XX>OR-<0000>`)."""

    class Standard(models.TextChoices):
        NONE = "none", _("none")
        VIETGAP = "vietgap", "VietGAP"
        GLOBALGAP = "globalgap", "GlobalGAP"
        ORGANIC = "organic", _("organic")
        OTHER = "other", _("other")

    class Market(models.TextChoices):
        DOMESTIC = "domestic", _("domestic market")
        EXPORT = "export", _("export")
        BOTH = "both", _("domestic and export")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="growing_areas", verbose_name=_("commune"))
    village = models.ForeignKey(
        Village,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="growing_areas",
        verbose_name=_("village"),
        help_text=_("The village where most of the area lies; its village head can keep the diary."),
    )
    code = models.CharField(
        _("growing area code"),
        max_length=40,
        unique=True,
        help_text=_(
            "As issued, e.g. VN-51-522-21238-01-25 (domestic) or VN-QNOR-0001 (export). Kept exactly as written."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(
        _("issuing body"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the provincial Crop Production and Plant Protection Sub-department."),
    )
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    crop = models.CharField(_("crop"), max_length=100)
    variety = models.CharField(_("variety"), max_length=100, blank=True)
    crop_type = models.CharField(_("crop type"), max_length=10, choices=CropType.choices, default=CropType.ANNUAL)
    standard = models.CharField(_("standard"), max_length=10, choices=Standard.choices, default=Standard.NONE)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_expires_on = models.DateField(_("certificate valid until"), null=True, blank=True)
    target_market = models.CharField(_("target market"), max_length=10, choices=Market.choices, default=Market.DOMESTIC)
    export_markets = models.CharField(_("export markets"), max_length=200, blank=True)
    cooperative = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="growing_areas",
        verbose_name=_("cooperative or organisation"),
    )
    households = models.ManyToManyField(
        Household, blank=True, related_name="growing_areas", verbose_name=_("member households")
    )
    declared_area_ha = models.DecimalField(
        _("declared area (ha)"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    # Sum of the plots' geodesic areas, kept in step by services.plot_* (derived, never typed in).
    measured_area_ha = models.DecimalField(
        _("measured area (ha)"), max_digits=10, decimal_places=4, default=Decimal("0"), editable=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("reason for the status"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    search_key = models.CharField(max_length=300, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_key"])

    objects = GrowingAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("growing area")
        verbose_name_plural = _("growing areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.code} {self.name} {self.crop} {self.variety}")[:300]
        super().save(*args, **kwargs)


class Plot(models.Model):
    """One plot (thửa) of a growing area with its polygon; its area is measured on the ellipsoid."""

    growing_area = models.ForeignKey(GrowingArea, models.CASCADE, related_name="plots", verbose_name=_("growing area"))
    name = models.CharField(_("plot name"), max_length=100)
    household = models.ForeignKey(
        Household, models.SET_NULL, null=True, blank=True, related_name="plots", verbose_name=_("household farming it")
    )
    geometry = models.JSONField(_("polygon (GeoJSON)"))
    area_ha = models.DecimalField(_("measured area (ha)"), max_digits=10, decimal_places=4)
    centroid_lat = models.DecimalField(max_digits=9, decimal_places=6)
    centroid_lon = models.DecimalField(max_digits=9, decimal_places=6)
    source = models.CharField(_("drawn or imported from"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["growing_area", "name"]

    def __str__(self) -> str:
        return f"{self.growing_area.code} / {self.name}"


class Season(models.Model):
    """A season (mùa vụ) of a growing area, with its expected and actual yield."""

    growing_area = models.ForeignKey(
        GrowingArea, models.CASCADE, related_name="seasons", verbose_name=_("growing area")
    )
    name = models.CharField(_("season"), max_length=100, help_text=_("E.g. Winter–spring 2025."))
    variety = models.CharField(_("variety"), max_length=100, blank=True)
    area_ha = models.DecimalField(_("area sown (ha)"), max_digits=10, decimal_places=4, null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    expected_harvest_on = models.DateField(_("expected harvest on"), null=True, blank=True)
    expected_yield_t = models.DecimalField(
        _("expected output (tonnes)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    actual_yield_t = models.DecimalField(
        _("actual output (tonnes)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["growing_area", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.growing_area.code} — {self.name}"


class DiaryEntryQuerySet(models.QuerySet):
    def harvests(self) -> "DiaryEntryQuerySet":
        return self.filter(kind=DiaryEntry.Kind.HARVEST)


class DiaryEntry(models.Model):
    """One entry of the production diary (nhật ký sản xuất): a farmOS-style log on a plot or a whole area."""

    class Kind(models.TextChoices):
        SOIL_PREPARATION = "soil", _("soil preparation")
        PLANTING = "planting", _("planting or sowing")
        FERTILISING = "fertilising", _("fertilising")
        SPRAYING = "spraying", _("spraying")
        IRRIGATION = "irrigation", _("irrigation")
        PEST_OBSERVATION = "pest", _("pest observation")
        HARVEST = "harvest", _("harvest")

    class Unit(models.TextChoices):
        KG = "KGM", _("kg")
        TONNE = "TNE", _("tonne")

    growing_area = models.ForeignKey(
        GrowingArea, models.PROTECT, related_name="diary_entries", verbose_name=_("growing area")
    )
    plot = models.ForeignKey(
        Plot,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="diary_entries",
        verbose_name=_("plot"),
        help_text=_("Leave empty when the work covers the whole area."),
    )
    season = models.ForeignKey(
        Season, models.SET_NULL, null=True, blank=True, related_name="diary_entries", verbose_name=_("season")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("work"), max_length=12, choices=Kind.choices)
    performed_by = models.CharField(_("done by"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    quantity = models.DecimalField(
        _("quantity harvested"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["growing_area", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="harvest") | models.Q(quantity__gt=0, unit__in=["KGM", "TNE"]),
                name="harvest_has_quantity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()} — {self.growing_area.code}"

    @property
    def quantity_kg(self) -> Decimal | None:
        if self.quantity is None:
            return None
        return self.quantity * 1000 if self.unit == self.Unit.TONNE else self.quantity


class DiaryInput(models.Model):
    """A material used in a diary entry: fertiliser, pesticide, seed… with its dose and, for a
    pesticide, the pre-harvest interval (thời gian cách ly) that sets the earliest safe harvest date."""

    class Kind(models.TextChoices):
        FERTILISER = "fertiliser", _("fertiliser")
        PESTICIDE = "pesticide", _("pesticide")
        SEED = "seed", _("seed or seedling")
        OTHER = "other", _("other")

    entry = models.ForeignKey(DiaryEntry, models.CASCADE, related_name="inputs", verbose_name=_("diary entry"))
    kind = models.CharField(_("kind of input"), max_length=10, choices=Kind.choices)
    product = models.CharField(_("product"), max_length=150)
    active_ingredient = models.CharField(_("active ingredient"), max_length=150, blank=True)
    dose = models.DecimalField(_("dose"), max_digits=10, decimal_places=3, null=True, blank=True)
    dose_unit = models.CharField(_("dose unit"), max_length=30, blank=True, help_text=_("E.g. kg/ha, ml/bình 16 l."))
    pre_harvest_days = models.PositiveSmallIntegerField(
        _("pre-harvest interval (days)"),
        null=True,
        blank=True,
        help_text=_("From the product label; required for pesticides."),
    )

    class Meta:
        verbose_name = _("diary input")
        verbose_name_plural = _("diary inputs")
        ordering = ["entry", "pk"]

    def __str__(self) -> str:
        return self.product

    @property
    def safe_from(self):
        """The first day a harvest is allowed after this input, or None when it sets no interval."""
        if not self.pre_harvest_days:
            return None
        return self.entry.date + timedelta(days=self.pre_harvest_days)
