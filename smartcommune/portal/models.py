"""The portal's own content: articles (news and announcements) with their images and attachments,
published documents, and the recorded versions of open datasets."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smartcommune.places.models import Commune


class Category(models.TextChoices):
    NEWS = "tin-tuc", _("News")
    ANNOUNCEMENT = "thong-bao", _("Announcements")
    NEW_RURAL = "nong-thon-moi", _("New Rural Development")
    DIGITAL = "chuyen-doi-so", _("Digital transformation")
    AGRICULTURE = "nong-nghiep", _("Agriculture")
    GUIDE = "huong-dan", _("Guides")


class ArticleQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "ArticleQuerySet":
        return self.filter(commune=commune)

    def public(self, now=None) -> "ArticleQuerySet":
        """Published and past their publication time (scheduled ones appear when their time comes)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Article(models.Model):
    """A news item or announcement of a commune, written in the rich-text editor: draft → review → published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="articles", verbose_name=_("commune"))
    category = models.CharField(_("category"), max_length=14, choices=Category.choices, default=Category.NEWS)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"))  # sanitised HTML (see portal.news.sanitise)
    cover = models.ImageField(_("cover photo"), upload_to="portal/covers/%Y/", blank=True)
    cover_alt = models.CharField(_("cover photo description"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    author = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("author"))
    published_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("published by")
    )
    review_note = models.CharField(_("reviewer's note"), max_length=300, blank=True)
    search_key = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_key"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["commune", "slug"], name="unique_article_slug")]
        indexes = [models.Index(fields=["commune", "status", "published_at"], name="portal_article_public")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and bool(self.published_at) and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and bool(self.published_at) and self.published_at > timezone.now()


class ArticleImage(models.Model):
    """A photo uploaded for an article's body: checked, resized and stripped of EXIF before it is stored."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="images", verbose_name=_("article"))
    image = models.ImageField(_("photo"), upload_to="portal/images/%Y/")
    alt = models.CharField(_("description"), max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article photo")
        verbose_name_plural = _("article photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.alt


class Attachment(models.Model):
    """A file attached to an article (a PDF of the announcement, a form to fill in…)."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="attachments", verbose_name=_("article"))
    file = models.FileField(_("file"), upload_to="portal/attachments/%Y/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(models.QuerySet):
    def public(self) -> "DocumentQuerySet":
        return self.filter(is_public=True)


class Document(models.Model):
    """A plan, decision or report the commune publishes as a file, with its number, date and issuer."""

    class Kind(models.TextChoices):
        PLAN = "ke-hoach", _("Plan")
        DECISION = "quyet-dinh", _("Decision")
        REPORT = "bao-cao", _("Report")
        NOTICE = "thong-bao", _("Notice")
        OTHER = "khac", _("Other")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="portal_documents", verbose_name=_("commune"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, help_text=_("e.g. 125/KH-UBND"))
    issued_on = models.DateField(_("date of issue"))
    issuer = models.CharField(_("issuer"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to="portal/documents/%Y/")
    file_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    is_public = models.BooleanField(_("public"), default=True)
    search_key = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_key"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "number"], condition=~Q(number=""), name="unique_document_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DatasetVersion(models.Model):
    """The content of an open dataset as it stood when recorded: earlier versions stay downloadable."""

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="dataset_versions", verbose_name=_("commune"))
    dataset = models.SlugField(_("dataset"), max_length=60)
    number = models.PositiveIntegerField(_("version"))
    digest = models.CharField(max_length=64)
    content = models.JSONField(_("content"))  # {"rows": [...]} or {"geojson": {...}}
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["commune", "dataset", "-number"]
        constraints = [models.UniqueConstraint(fields=["commune", "dataset", "number"], name="unique_dataset_version")]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"
