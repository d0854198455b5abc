"""Residents' pages: send a report (no login needed), follow it by its private link and rate the outcome,
and the public list, map and statistics, which never show who reported or exactly where they stood."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from smartcommune.core import geo, ratelimit
from smartcommune.core.forms import apply_errors
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from .. import answers, selectors, services, units
from ..forms import PublicFilterForm, RateForm, ReportForm
from ..models import Category, Report, ReportUpdate, Status

# A person sends a report or two; a flood from one address is refused for a while (per app server
# with the local cache, across servers with Redis).
SUBMIT_LIMIT = 20
SUBMIT_WINDOW = 600


def _map_context(commune: Commune) -> dict:
    area = selectors.area_for(commune)
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre": f"{area.latitude},{area.longitude}" if area else "",
    }


def index(request):
    return render(request, "feedback/index.html", {"communes": selectors.communes_with_categories()[:200]})


def report_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    form = PublicFilterForm(request.GET or None, commune=commune)
    filters = form.cleaned_data if form.is_valid() else {}
    village = filters.get("village")
    rows = selectors.public_reports(
        commune,
        category=filters.get("category"),
        status=filters.get("status") or "",
        village_id=village.pk if village else None,
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    categories = list(Category.objects.filter(commune=commune).only("pk", "name", "is_public", "is_active"))
    labels = {value: str(label) for value, label in Status.choices}  # translated once for the page
    for report in page:  # prepared here: per-row template filters cost more than the whole query
        report.status_label = labels[report.status]
        text = report.description
        report.snippet = text if len(text) <= 160 else text[:159].rstrip() + "…"
    query = request.GET.copy()
    query.pop("page", None)
    category = filters.get("category")
    map_query = {"status": filters.get("status") or ""} | ({"category": category.code} if category else {})
    return render(
        request,
        "feedback/public_list.html",
        {
            "commune": commune,
            "filter_categories": [c for c in categories if c.is_public],
            "filter_villages": list(form.fields["village"].queryset.only("pk", "name")),
            "chosen": filters,
            "page": page,
            "query": query.urlencode(),
            "has_categories": any(c.is_active for c in categories),
            "map_query": "&".join(f"{k}={v}" for k, v in map_query.items() if v),
            "detail_prefix": reverse("feedback:list", args=[commune.code]),
            **_map_context(commune),
        },
    )


@require_GET
def report_geojson(request, commune_code: str):
    """The map layer: public reports of the last 90 days (up to 366 with ?days=), points about 100 m off."""
    commune = commune_or_404(commune_code)
    try:
        days = int(request.GET.get("days", selectors.MAP_DAYS))
    except ValueError:
        days = selectors.MAP_DAYS
    code = request.GET.get("category", "")
    category = Category.objects.filter(commune=commune, code=code, is_public=True).first() if code else None
    data = selectors.map_features(commune, days=days, category=category, status=request.GET.get("status", ""))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "public, max-age=60"
    return response


def report_public(request, commune_code: str, number: str):
    commune = commune_or_404(commune_code)
    report = get_object_or_404(
        Report.objects.public().select_related("category", "village", "duplicate_of"), commune=commune, number=number
    )
    point = geo.public_point(report.latitude, report.longitude)
    return render(
        request,
        "feedback/public_detail.html",
        {
            "commune": commune,
            "report": report,
            "point": f"{point[0]},{point[1]}" if point else "",
            "updates": selectors.public_updates(report),
            "photos": report.photos.all(),
            "answers": answers.display(report.category.questions.all(), report.answers),
            "unit_name": units.label(report.unit, units.labels(commune)),
            **_map_context(commune),
        },
    )


def statistics(request, commune_code: str):
    commune = commune_or_404(commune_code)
    period = request.GET.get("ky", "12")
    months = {"3": 3, "12": 12, "all": None}.get(period, 12)
    since = timezone.now() - timedelta(days=round(months * 30.44)) if months else None
    return render(
        request,
        "feedback/statistics.html",
        {"commune": commune, "stats": selectors.public_statistics(commune, since), "period": period},
    )


# Sending a report ---------------------------------------------------------------------------------


def _category_from(commune: Commune, value) -> Category | None:
    if not value or not str(value).isdigit():
        return None
    return Category.objects.filter(commune=commune, pk=int(value), is_active=True).first()


def _question_fields(form: ReportForm) -> list:
    return [form[f"q_{q.code}"] for q in form.questions]


def _form_attrs(form: ReportForm, commune: Commune) -> None:
    form.fields["category"].widget.attrs.update(
        {
            "hx-get": reverse("feedback:questions", args=[commune.code]),
            "hx-target": "#questions",
            "hx-swap": "innerHTML",
        }
    )


@never_cache
def report_new(request, commune_code: str):
    commune = commune_or_404(commune_code)
    data = request.POST if request.method == "POST" else None
    category = _category_from(commune, (data or request.GET).get("category"))
    initial = {"category": category} if category and not data else None
    form = ReportForm(data, request.FILES or None, commune=commune, category=category, initial=initial)
    _form_attrs(form, commune)
    nearby = []
    status = 200
    if request.method == "POST":
        if not ratelimit.hit("feedback-web", ratelimit.client_key(request), limit=SUBMIT_LIMIT, window=SUBMIT_WINDOW):
            return render(request, "feedback/too_many.html", {"commune": commune}, status=429)
        if form.is_valid():
            values = form.cleaned_data
            nearby = _nearby_for(commune, values.get("category"), values.get("latitude"), values.get("longitude"))
            if nearby and not values.get("confirm_new"):
                messages.warning(request, _("Someone has already reported this nearby. Look before sending."))
            else:
                try:
                    report = services.report_submit(
                        commune=commune,
                        category=values["category"],
                        description=values["description"],
                        latitude=values["latitude"],
                        longitude=values["longitude"],
                        village=values["village"],
                        place_text=values["place_text"],
                        photos=values["photos"],
                        raw_answers=services.raw_answers_from_form(request.POST, [q.code for q in form.questions]),
                        reporter_name=values["reporter_name"],
                        reporter_phone=values["reporter_phone"],
                        reporter_email=values["reporter_email"],
                        anonymous=values["anonymous"],
                        user=request.user,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    request.session[f"feedback:new:{report.token}"] = True
                    return redirect("feedback:follow", report.token)
        status = 400 if form.errors else 200
    return render(
        request,
        "feedback/report_form.html",
        {
            "commune": commune,
            "form": form,
            "question_fields": _question_fields(form),
            "nearby": nearby,
            "nearby_metres": selectors.NEARBY_METRES,
            "categories": selectors.active_categories(commune),
            **_map_context(commune),
        },
        status=status,
    )


def _nearby_for(commune: Commune, category, latitude, longitude) -> list:
    if not category or not latitude or not longitude:
        return []
    try:
        lat, long = services.location_check(commune, latitude, longitude)
    except ValidationError:
        return []
    return selectors.nearby_open_reports(commune, category, lat, long)


@require_GET
def report_questions(request, commune_code: str):
    """The extra questions of the chosen category (htmx swaps them into the form)."""
    commune = commune_or_404(commune_code)
    category = _category_from(commune, request.GET.get("category"))
    form = ReportForm(commune=commune, category=category)
    return render(
        request,
        "feedback/_questions.html",
        {"question_fields": _question_fields(form), "category": category},
    )


@require_GET
def report_nearby(request, commune_code: str):
    """Open reports of the same category within NEARBY_METRES of the pin (htmx, while the resident writes)."""
    commune = commune_or_404(commune_code)
    category = _category_from(commune, request.GET.get("category"))
    nearby = _nearby_for(commune, category, request.GET.get("latitude"), request.GET.get("longitude"))
    context = {"commune": commune, "nearby": nearby, "nearby_metres": selectors.NEARBY_METRES, "form": None}
    return render(request, "feedback/_nearby.html", context)


# Following one's report ---------------------------------------------------------------------------


@never_cache
def follow(request, token: str):
    report = get_object_or_404(
        Report.objects.select_related("commune", "category", "village", "duplicate_of"), token=token
    )
    form = RateForm(request.POST or None) if report.can_be_rated else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This report cannot be rated now."))
            return redirect("feedback:follow", report.token)
        if form.is_valid():
            try:
                report = services.report_rate(
                    report=report, satisfied=form.cleaned_data["satisfied"], comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you. The report is handled again.")
                    if report.status == "in_progress"
                    else _("Thank you for your rating."),
                )
                return redirect("feedback:follow", report.token)
    updates = report.updates.filter(is_public=True) | report.updates.filter(kind=ReportUpdate.Kind.RATED)
    return render(
        request,
        "feedback/follow.html",
        {
            "report": report,
            "commune": report.commune,
            "form": form,
            "just_sent": request.session.pop(f"feedback:new:{report.token}", False),
            "follow_link": services.follow_url(report),
            "updates": updates.order_by("created_at", "pk"),
            "photos": report.photos.all(),
            "answers": answers.display(report.category.questions.all(), report.answers),
            "unit_name": units.label(report.unit, units.labels(report.commune)),
            "now": timezone.now(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def my_reports(request):
    reports = Report.objects.filter(reporter=request.user).select_related("commune", "category")
    page = Paginator(reports.order_by("-created_at"), 30).get_page(request.GET.get("page"))
    return render(request, "feedback/my_reports.html", {"page": page, "query": ""})
