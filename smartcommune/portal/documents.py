"""Published documents (plans, decisions, reports): writes and the searchable public list."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import User
from smartcommune.core.text import fold
from smartcommune.places.models import Commune

from . import access, files
from .models import Document

PAGE_SIZE = 20


def public_documents(commune: Commune, *, q: str = "", kind: str = "", year: int | None = None) -> QuerySet[Document]:
    qs = Document.objects.public().filter(commune=commune)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(issued_on__year=year)
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_key__contains=word)
    return qs.order_by("-issued_on", "-pk")


def document_years(commune: Commune) -> list[int]:
    dates = Document.objects.public().filter(commune=commune).dates("issued_on", "year", order="DESC")
    return [d.year for d in dates]


def _index(document: Document) -> None:
    document.search_key = fold(
        " ".join([document.number, document.title, document.summary, document.issuer, document.get_kind_display()])
    )


def _checked(upload) -> files.CheckedFile:
    try:
        return files.check_file(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


def _check(number: str, title: str, issuer: str, kind: str, issued_on: date | None) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the document's title.")
    if not (issuer or "").strip():
        errors["issuer"] = _("Say who issued the document.")
    if kind not in Document.Kind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if issued_on is None:
        errors["issued_on"] = _("Give the date of issue (dd/mm/yyyy).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_create(
    *,
    commune: Commune,
    by: User,
    kind: str,
    number: str,
    issued_on: date | None,
    issuer: str,
    title: str,
    summary: str = "",
    upload=None,
    is_public: bool = True,
) -> Document:
    access.require_publish(by, commune)
    _check(number, title, issuer, kind, issued_on)
    checked = _checked(upload)
    document = Document(
        commune=commune,
        kind=kind,
        number=number.strip(),
        issued_on=issued_on,
        issuer=issuer.strip(),
        title=title.strip(),
        summary=summary.strip(),
        file=checked.content,
        file_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        is_public=is_public,
        created_by=by,
    )
    _index(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise ValidationError({"number": _("A document with this number is already published.")}) from error
    return document


@transaction.atomic
def document_update(
    *, document: Document, by: User, kind: str, number: str, issued_on, issuer: str, title: str, summary: str,
    is_public: bool, upload=None,
) -> Document:  # fmt: skip
    access.require_publish(by, document.commune)
    _check(number, title, issuer, kind, issued_on)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if upload:
        checked = _checked(upload)
        document.file, document.file_name = checked.content, checked.name
        document.content_type, document.size = checked.content_type, checked.size
    document.kind, document.number, document.issued_on = kind, number.strip(), issued_on
    document.issuer, document.title, document.summary = issuer.strip(), title.strip(), summary.strip()
    document.is_public = is_public
    _index(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise ValidationError({"number": _("A document with this number is already published.")}) from error
    return document


def staff_documents(user: User, commune: Commune) -> QuerySet[Document]:
    scoping.require_view(user, commune)
    return Document.objects.filter(commune=commune).order_by("-issued_on", "-pk")
