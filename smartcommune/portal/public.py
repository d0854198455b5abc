"""Public pages of a commune: news, an article, documents, the transparency dashboard."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartcommune.criteria import evaluation
from smartcommune.places.shortcuts import commune_or_404

from . import charts, dashboard, documents, news
from .forms import SearchForm
from .models import Category, Document
from .opendata.views import not_found


def _page(request, qs, size: int):
    return Paginator(qs, size).get_page(request.GET.get("trang"))


def article_list(request, commune_code: str, category: str = ""):
    commune = commune_or_404(commune_code)
    if category and category not in Category.values:
        return not_found(request, _("There is no such news category."), back=f"/xa/{commune.code}/tin-tuc/")
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = _page(request, news.public_articles(commune, category=category, q=q), news.PAGE_SIZE)
    return render(
        request,
        "portal/news/list.html",
        {
            "commune": commune,
            "page": page,
            "form": form,
            "q": q,
            "category": category,
            "category_label": Category(category).label if category else "",
            "categories": Category.choices,
        },
    )


def article_detail(request, commune_code: str, slug: str):
    commune = commune_or_404(commune_code)
    article = news.public_article(commune, slug)
    if article is None:
        return not_found(
            request, _("This article does not exist or is not published."), back=f"/xa/{commune.code}/tin-tuc/"
        )
    return render(
        request,
        "portal/news/detail.html",
        {"commune": commune, "article": article, "excerpt": news.excerpt(article, 30)},
    )


def attachment(request, commune_code: str, slug: str, attachment_id: int):
    commune = commune_or_404(commune_code)
    article = news.public_article(commune, slug)
    found = article and article.attachments.filter(pk=attachment_id).first()
    if not found:
        return not_found(request, _("This file does not exist or is not published."))
    return FileResponse(found.file.open("rb"), filename=found.name, content_type=found.content_type)


def document_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    kind = request.GET.get("loai", "")
    kind = kind if kind in Document.Kind.values else ""
    try:
        year = int(request.GET.get("nam", "") or 0) or None
    except ValueError:
        year = None
    page = _page(request, documents.public_documents(commune, q=q, kind=kind, year=year), documents.PAGE_SIZE)
    return render(
        request,
        "portal/documents/list.html",
        {
            "commune": commune,
            "page": page,
            "form": form,
            "q": q,
            "kind": kind,
            "year": year,
            "kinds": Document.Kind.choices,
            "years": documents.document_years(commune),
        },
    )


def document_file(request, commune_code: str, document_id: int):
    commune = commune_or_404(commune_code)
    document = Document.objects.public().filter(commune=commune, pk=document_id).first()
    if document is None:
        return not_found(request, _("This document does not exist or is not published."))
    return FileResponse(document.file.open("rb"), filename=document.file_name, content_type=document.content_type)


# Dashboard ---------------------------------------------------------------------------------------

TONE = {evaluation.MET: "ok", evaluation.UNMET: "bad", evaluation.MISSING: "muted"}


def _pct(value) -> str:
    return "—" if value is None else f"{number_format(value, 1)} %"


def _charts(data: dict) -> dict:
    out = {}
    satisfaction = data["satisfaction"]
    if satisfaction:
        groups = [g for g in satisfaction["groups"]]
        out["satisfaction"] = charts.bar_chart(
            _("Satisfied residents by village (%)"),
            [(g["name"], g["overall"], _pct(g["overall"]) if g["overall"] is not None else _("too few answers"))
             for g in groups],
            maximum=100,
            headers=(_("Village"), _("Satisfied")),
        )  # fmt: skip
    reports = data["reports"]
    if reports and reports.by_category:
        out["reports"] = charts.bar_chart(
            _("Reports received by category (12 months)"),
            [(r.name, r.count, number_format(r.count)) for r in reports.by_category],
            headers=(_("Category"), _("Reports")),
        )
    programme = data["programme"]
    if programme:
        out["tasks"] = charts.bar_chart(
            _("Tasks done by objective (%)"),
            [
                (
                    f"{v.objective.number}. {v.objective.title}",
                    _done_pct(v.tasks),
                    _pct(_done_pct(v.tasks)),
                )
                for v in programme.objectives
            ],
            maximum=100,
            headers=(_("Objective"), _("Done")),
        )
    budget = data["budget"]
    if budget and budget.total.planned:
        rows = [r for r in budget.by_source if r.level == 0 and r.amounts.planned]
        out["budget"] = charts.bar_chart(
            _("Budget disbursed by source (% of planned)"),
            [(r.label, r.amounts.rate, _pct(r.amounts.rate)) for r in rows],
            maximum=100,
            headers=(_("Funding source"), _("Disbursed")),
        )
    digital = [f for f in data["digital"] if f.unit == "%" and f.value is not None]
    if digital:
        out["digital"] = charts.bar_chart(
            _("Digital readiness of households (%)"),
            [(f.label.replace(" (%)", ""), f.value, _pct(f.value)) for f in digital],
            maximum=100,
            headers=(_("Figure"), _("Share")),
        )
    criteria = data["criteria"]
    if criteria:
        out["criteria"] = charts.bar_chart(
            _("Criteria by status"),
            [(_("met"), criteria.met, str(criteria.met)), (_("not met"), criteria.unmet, str(criteria.unmet)),
             (_("not enough data"), criteria.missing, str(criteria.missing))],
            maximum=len(criteria.result.criteria),
            tones=["ok", "bad", "muted"],
            headers=(_("Status"), _("Criteria")),
        )  # fmt: skip
    return out


def _done_pct(tasks) -> Decimal | None:
    total = sum(n for k, n in tasks.items() if k not in ("overdue", "cancelled"))
    return (Decimal(tasks.get("done", 0)) * 100 / total).quantize(Decimal("0.1")) if total else None


def transparency(request, commune_code: str):
    commune = commune_or_404(commune_code)
    data = dashboard.everything(commune)
    return render(
        request,
        "portal/dashboard.html",
        {"commune": commune, **data, "charts": _charts(data), "tone": TONE, "cache_seconds": dashboard.CACHE_SECONDS},
    )
