"""Staff pages: writing, reviewing and publishing articles; publishing documents. Scoped per commune."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.accounts import scoping
from smartcommune.core.forms import apply_errors
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import access, documents, news
from .forms import ArticleForm, AttachmentForm, DocumentForm, ImageForm, PublishForm, SendBackForm
from .models import Article, Document


def _commune(request, code: str) -> Commune:
    commune = commune_or_404(code)
    scoping.require_view(request.user, commune)
    return commune


def _article(commune: Commune, article_id: int) -> Article:
    article = Article.objects.filter(commune=commune, pk=article_id).select_related("author").first()
    if article is None:
        raise Http404
    return article


@login_required
def article_list(request, commune_code: str):
    commune = _commune(request, commune_code)
    status = request.GET.get("trang-thai", "")
    status = status if status in Article.Status.values else ""
    return render(
        request,
        "portal/staff/articles.html",
        {
            "commune": commune,
            "articles": news.staff_articles(commune, status=status)[:200],
            "status": status,
            "statuses": Article.Status.choices,
            "can_write": access.can_write(request.user, commune),
        },
    )


@login_required
def article_edit(request, commune_code: str, article_id: int | None = None):
    commune = _commune(request, commune_code)
    article = _article(commune, article_id) if article_id else None
    if article is None:
        access.require_write(request.user, commune)
    elif not access.can_edit_article(request.user, article):
        raise PermissionDenied(_("You can change only your own drafts; a publisher changes the others."))
    initial = (
        {"title": article.title, "category": article.category, "summary": article.summary, "body": article.body,
         "cover_alt": article.cover_alt}
        if article else {}
    )  # fmt: skip
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("title", "body", "category", "summary", "cover_alt")}
        try:
            if article is None:
                article = news.article_create(commune=commune, by=request.user, cover=data["cover"], **fields)
            else:
                article = news.article_update(article=article, by=request.user, cover=data["cover"], **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("portal:staff_article", commune.code, article.pk)
    return render(request, "portal/staff/article_form.html", {"commune": commune, "article": article, "form": form})


@login_required
def article_detail(request, commune_code: str, article_id: int):
    commune = _commune(request, commune_code)
    article = _article(commune, article_id)
    return render(
        request,
        "portal/staff/article.html",
        {
            "commune": commune,
            "article": article,
            "images": article.images.all(),
            "attachments": article.attachments.all(),
            "can_edit": access.can_edit_article(request.user, article),
            "can_write": access.can_write(request.user, commune),
            "can_publish": access.can_publish(request.user, commune),
            "publish_form": PublishForm(),
            "send_back_form": SendBackForm(),
            "image_form": ImageForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_POST
def article_action(request, commune_code: str, article_id: int, action: str):
    commune = _commune(request, commune_code)
    article = _article(commune, article_id)
    try:
        if action == "gui-duyet":
            news.article_submit(article=article, by=request.user)
            messages.success(request, _("The article is sent for review."))
        elif action == "dang":
            form = PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the publication time as dd/mm/yyyy hh:mm."))
            article = news.article_publish(article=article, by=request.user, at=form.cleaned_data["publish_at"])
            messages.success(
                request, _("The article is scheduled.") if article.is_scheduled else _("The article is published.")
            )
        elif action == "tra-lai":
            news.article_send_back(article=article, by=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("The article is sent back to its author."))
        elif action == "go-xuong":
            news.article_withdraw(article=article, by=request.user)
            messages.success(request, _("The article is withdrawn from the portal."))
        elif action == "anh":
            form = ImageForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Choose a photo and describe it."))
            image = news.image_add(article=article, by=request.user, upload=form.cleaned_data["image"],
                                   alt=form.cleaned_data["alt"])  # fmt: skip
            messages.success(request, _("Photo uploaded. Insert it in the text with this address: %(url)s")
                             % {"url": image.image.url})  # fmt: skip
        elif action == "tep":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Choose a file."))
            news.attachment_add(article=article, by=request.user, upload=form.cleaned_data["file"])
            messages.success(request, _("The file is attached."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("portal:staff_article", commune.code, article.pk)


@login_required
def document_list(request, commune_code: str):
    commune = _commune(request, commune_code)
    return render(
        request,
        "portal/staff/documents.html",
        {
            "commune": commune,
            "documents": documents.staff_documents(request.user, commune)[:300],
            "can_publish": access.can_publish(request.user, commune),
        },
    )


@login_required
def document_edit(request, commune_code: str, document_id: int | None = None):
    commune = _commune(request, commune_code)
    access.require_publish(request.user, commune)
    document = get_object_or_404(Document, commune=commune, pk=document_id) if document_id else None
    initial = (
        {f: getattr(document, f) for f in ("kind", "number", "issued_on", "issuer", "title", "summary", "is_public")}
        if document else {"is_public": True}
    )  # fmt: skip
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("kind", "number", "issued_on", "issuer", "title", "summary", "is_public")}
        try:
            if document is None:
                documents.document_create(commune=commune, by=request.user, upload=data["file"], **fields)
            else:
                documents.document_update(document=document, by=request.user, upload=data["file"], **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document is saved."))
            return redirect("portal:staff_documents", commune.code)
    return render(request, "portal/staff/document_form.html", {"commune": commune, "document": document, "form": form})
