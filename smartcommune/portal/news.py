"""News and announcements: the rich-text body's sanitising, the draft → review → published workflow,
photos and attachments, and the reads for the public and staff pages.

The editor (django-prose-editor) and the sanitiser share one extension list, so what officials can
write is exactly what survives nh3 on the server; photos may only come from our own uploads."""

import re
from datetime import datetime, timedelta

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_prose_editor.config import allowlist_from_extensions
from PIL import Image

from smartcommune.accounts.models import User
from smartcommune.core import images
from smartcommune.core.text import fold, slugify_vi
from smartcommune.places.models import Commune

from . import access, files
from .models import Article, ArticleImage, Attachment, Category

# What the editor offers; the sanitiser allows exactly the HTML these produce (links without target).
EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}
MAX_BODY = 200_000
PAGE_SIZE = 10


def _cleaner() -> nh3.Cleaner:
    allow = allowlist_from_extensions(EXTENSIONS)
    attributes = {tag: set(names) - {"rel", "target", "data-file"} for tag, names in allow["attributes"].items()}
    return nh3.Cleaner(
        tags=set(allow["tags"]),
        attributes=attributes,
        url_schemes=set(allow.get("url_schemes") or {"http", "https", "mailto", "tel"}),
        link_rel="noopener noreferrer",
        attribute_filter=_keep_attribute,
    )


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    # Photos only from our own uploads: no tracking pixels or hot-linked images from elsewhere.
    if tag == "img" and name == "src":
        return value if value.startswith(settings.MEDIA_URL) and ".." not in value else None
    if name in ("width", "height"):
        return value if value.isdigit() else None
    return value


_CLEANER = None
_EMPTY = re.compile(r"^(\s|<p>\s*</p>|<br>)*$")


def sanitise(html: str) -> str:
    """The body as safe HTML: scripts, event handlers, styles, frames and foreign images removed."""
    global _CLEANER
    if _CLEANER is None:
        _CLEANER = _cleaner()
    cleaned = _CLEANER.clean(html or "")
    cleaned = re.sub(r"<img(?![^>]*\ssrc=)[^>]*>", "", cleaned)  # an image whose source was refused
    return "" if _EMPTY.match(cleaned) else cleaned


def excerpt(article: Article, words: int = 40) -> str:
    return article.summary or Truncator(strip_tags(article.body)).words(words, truncate=" …")


# Reads -------------------------------------------------------------------------------------------


def public_articles(commune: Commune, *, category: str = "", q: str = "") -> QuerySet[Article]:
    qs = Article.objects.in_commune(commune).public().select_related("commune")
    if category:
        qs = qs.filter(category=category)
    if q.strip():
        for word in fold(q).split()[:8]:
            qs = qs.filter(search_key__contains=word)
    return qs.order_by("-published_at", "-pk")


def public_article(commune: Commune, slug: str) -> Article | None:
    return (
        Article.objects.in_commune(commune)
        .public()
        .prefetch_related("attachments")
        .select_related("commune__province")
        .filter(slug=slug)
        .first()
    )


def staff_articles(commune: Commune, *, status: str = "") -> QuerySet[Article]:
    qs = Article.objects.in_commune(commune).select_related("author")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-pk")


# Writes ------------------------------------------------------------------------------------------


def _unique_slug(commune: Commune, title: str, exclude: int | None = None) -> str:
    base = slugify_vi(title)[:70].strip("-") or "bai-viet"
    slug, n = base, 2
    taken = Article.objects.filter(commune=commune, slug__startswith=base)
    if exclude:
        taken = taken.exclude(pk=exclude)
    existing = set(taken.values_list("slug", flat=True))
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_content(title: str, body: str, category: str) -> str:
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the article a title.")})
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    if len(body or "") > MAX_BODY:
        raise ValidationError({"body": _("The text is too long.")})
    clean = sanitise(body)
    if not strip_tags(clean).strip() and "<img" not in clean:
        raise ValidationError({"body": _("Write the article's text.")})
    return clean


def _index(article: Article) -> None:
    article.search_key = fold(f"{article.title} {article.summary} {strip_tags(article.body)}")


def _cover(upload, article: Article) -> None:
    if upload:
        article.cover = images.clean_image(upload, max_side=1200)


@transaction.atomic
def article_create(
    *,
    commune: Commune,
    by: User,
    title: str,
    body: str,
    category: str = Category.NEWS,
    summary: str = "",
    cover=None,
    cover_alt: str = "",
) -> Article:
    access.require_write(by, commune)
    clean = _check_content(title, body, category)
    article = Article(
        commune=commune,
        category=category,
        title=title.strip(),
        summary=summary.strip(),
        body=clean,
        cover_alt=cover_alt.strip(),
        author=by,
        slug=_unique_slug(commune, title),
    )
    _cover(cover, article)
    _index(article)
    article.save()
    return article


@transaction.atomic
def article_update(
    *, article: Article, by: User, title: str, body: str, category: str, summary: str = "", cover=None, cover_alt=""
) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not access.can_edit_article(by, article):
        raise ValidationError(_("You can change only your own drafts; a publisher changes the others."))
    clean = _check_content(title, body, category)
    article.title, article.body, article.category = title.strip(), clean, category
    article.summary, article.cover_alt = summary.strip(), cover_alt.strip()
    if article.status == Article.Status.DRAFT:
        article.slug = _unique_slug(article.commune, title, exclude=article.pk)
    _cover(cover, article)
    _index(article)
    article._change_reason = "edit"
    article.save()
    return article


def _transition(article: Article, allowed: tuple[str, ...], message: str) -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status not in allowed:
        raise ValidationError(message)
    return locked


@transaction.atomic
def article_submit(*, article: Article, by: User) -> Article:
    access.require_write(by, article.commune)
    article = _transition(article, (Article.Status.DRAFT,), _("Only a draft can be sent for review."))
    article.status, article.review_note = Article.Status.REVIEW, ""
    article.save(update_fields=["status", "review_note", "updated_at"])
    return article


@transaction.atomic
def article_publish(*, article: Article, by: User, at: datetime | None = None) -> Article:
    """Publish now, or at `at` (scheduled: the article appears by itself when the time comes)."""
    access.require_publish(by, article.commune)
    article = _transition(
        article,
        (Article.Status.REVIEW, Article.Status.PUBLISHED, Article.Status.WITHDRAWN),
        _("Send the draft for review before publishing it."),
    )
    now = timezone.now()
    if at is not None and at < now - timedelta(minutes=5):
        raise ValidationError({"publish_at": _("A scheduled publication time must be in the future.")})
    article.status, article.published_at, article.published_by = Article.Status.PUBLISHED, at or now, by
    article.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return article


@transaction.atomic
def article_send_back(*, article: Article, by: User, note: str) -> Article:
    access.require_publish(by, article.commune)
    article = _transition(article, (Article.Status.REVIEW,), _("Only an article in review can be sent back."))
    if not note.strip():
        raise ValidationError({"note": _("Say what the author should change.")})
    article.status, article.review_note = Article.Status.DRAFT, note.strip()[:300]
    article.save(update_fields=["status", "review_note", "updated_at"])
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by: User) -> Article:
    access.require_publish(by, article.commune)
    article = _transition(article, (Article.Status.PUBLISHED,), _("Only a published article can be withdrawn."))
    article.status = Article.Status.WITHDRAWN
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def image_add(*, article: Article, by: User, upload, alt: str) -> ArticleImage:
    """A photo for the body: checked, resized (at most 1600 px), EXIF stripped. Returns it with its URL."""
    if not access.can_edit_article(by, article):
        raise ValidationError(_("You can change only your own drafts; a publisher changes the others."))
    if not (alt or "").strip():
        raise ValidationError({"alt": _("Describe the photo for people who cannot see it.")})
    content = images.clean_image(upload)
    with Image.open(content) as probe:
        width, height = probe.size
    content.seek(0)
    return ArticleImage.objects.create(article=article, image=content, alt=alt.strip(), width=width, height=height)


@transaction.atomic
def attachment_add(*, article: Article, by: User, upload) -> Attachment:
    if not access.can_edit_article(by, article):
        raise ValidationError(_("You can change only your own drafts; a publisher changes the others."))
    checked = files.check_file(upload)
    return Attachment.objects.create(
        article=article,
        file=checked.content,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
    )
