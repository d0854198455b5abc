"""Staff pages: each unit's inbox, a report's handling page (state, reassignment, merge), and the
commune's set-up (categories and their questions, holidays, the report area, Open311 keys).
Every view asks feedback.access, which asks accounts.scoping."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of
from smartcommune.core.notify import mask
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from .. import access, answers, selectors, services, units
from ..forms import (
    ApiKeyForm,
    AreaForm,
    CategoryForm,
    HolidayForm,
    InboxFilterForm,
    MergeForm,
    QuestionForm,
    ReassignForm,
    TransitionForm,
)
from ..models import OPEN_STATUSES, ApiKey, Category, Holiday, Question, Report, ReportArea


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" -> "N. V. A.": enough to recognise a caller, not to publish."""
    return " ".join(f"{part[0]}." for part in name.split()) if name else ""


# The inbox ----------------------------------------------------------------------------------------


@login_required
def inbox(request, commune_code: str):
    commune = commune_or_404(commune_code)
    readable = access.reports_for(request.user, commune)
    own = access.inbox_for(request.user, commune)
    labels = units.labels(commune)
    unit_choices = sorted(
        ((key, labels.get(key, key)) for key in readable.values_list("unit", flat=True).distinct().order_by()),
        key=lambda pair: pair[1],
    )
    form = InboxFilterForm(request.GET or None, commune=commune, unit_choices=unit_choices)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    status = filters.get("status") or "open"
    reports = readable if "unit" in request.GET else own  # until a unit is chosen, a unit sees its own reports
    number = filters.get("q", "").strip()
    reports = reports.filter(number__icontains=number) if number else reports.in_state(status)
    if filters.get("unit"):
        reports = reports.filter(unit=filters["unit"])
    for name in ("category", "village"):
        if filters.get(name):
            reports = reports.filter(**{name: filters[name]})
    if filters.get("overdue"):
        reports = reports.overdue(now)
    if filters.get("escalated") or request.GET.get("escalated") == "1":
        reports = reports.filter(escalated_at__isnull=False, status__in=OPEN_STATUSES)
    ordering = ("deadline", "pk") if status == "open" else ("-created_at", "-pk")
    rows = reports.select_related("category", "village").order_by(*ordering)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for report in page:
        report.unit_name = labels.get(report.unit, report.unit)
        report.overdue = report.is_overdue(now)
    query = request.GET.copy()
    query.pop("page", None)
    summary = own.open().aggregate(open=Count("pk"))
    summary["overdue"] = own.overdue(now).count()
    return render(
        request,
        "feedback/inbox.html",
        {
            "commune": commune,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "summary": summary,
            "leadership": access.is_leadership(request.user, commune),
            "can_configure": access.can_configure(request.user, commune),
        },
    )


def _report(request, commune: Commune, number: str) -> Report:
    reports = access.reports_for(request.user, commune)
    return get_object_or_404(
        reports.select_related("commune", "category", "village", "duplicate_of", "reporter"), number=number
    )


@login_required
def report_detail(request, commune_code: str, number: str):
    commune = commune_or_404(commune_code)
    report = _report(request, commune, number)
    return _render_detail(request, commune, report)


def _render_detail(request, commune, report, *, forms: dict | None = None, status: int = 200):
    can_handle = access.can_handle(request.user, report)
    forms = forms or {}
    if can_handle and report.is_open:
        forms.setdefault(
            "transition", TransitionForm(allowed=list(services.TRANSITIONS.get(report.status, ())), prefix="t")
        )
        forms.setdefault("reassign", ReassignForm(commune=commune, current=report.unit, prefix="r"))
        forms.setdefault("merge", MergeForm(prefix="m"))
    show_contacts = access.can_see_reporter(request.user, report)
    reporter = {
        "name": report.reporter_name if show_contacts else mask_name(report.reporter_name),
        "phone": report.reporter_phone
        if show_contacts
        else mask(report.reporter_phone)
        if report.reporter_phone
        else "",
        "email": report.reporter_email
        if show_contacts
        else mask(report.reporter_email)
        if report.reporter_email
        else "",
    }
    labels = units.labels(commune)
    updates = list(report.updates.select_related("by").order_by("created_at", "pk"))
    for update in updates:
        update.unit_name = labels.get(update.unit, update.unit)
        update.old_unit_name = labels.get(update.old_unit, update.old_unit)
    return render(
        request,
        "feedback/staff_detail.html",
        {
            "commune": commune,
            "report": report,
            "reporter": reporter,
            "anonymous": report.anonymous,
            "can_handle": can_handle,
            "forms": forms,
            "updates": updates,
            "photos": report.photos.all(),
            "answers": answers.display(report.category.questions.all(), report.answers),
            "unit_name": labels.get(report.unit, report.unit),
            "overdue": report.is_overdue(timezone.now()),
            "duplicates": report.duplicates.only("number"),
            "point": f"{report.latitude},{report.longitude}" if report.latitude is not None else "",
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
        status=status,
    )


def _handle(request, commune_code: str, number: str) -> tuple[Commune, Report, object]:
    """The report to act on, and a refusal page (403, with the reason) when the user may only read it."""
    commune = commune_or_404(commune_code)
    report = _report(request, commune, number)
    if access.can_handle(request.user, report):
        return commune, report, None
    messages.error(request, _("Only the unit responsible for this report, or the commune leadership, may change it."))
    return commune, report, _render_detail(request, commune, report, status=403)


@login_required
@require_POST
def report_transition(request, commune_code: str, number: str):
    commune, report, refused = _handle(request, commune_code, number)
    if refused:
        return refused
    form = TransitionForm(
        request.POST, request.FILES, allowed=list(services.TRANSITIONS.get(report.status, ())), prefix="t"
    )
    if form.is_valid():
        try:
            services.report_transition(
                report=report,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                photo=form.cleaned_data.get("photo"),
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The report was updated and the reporter told."))
            return redirect("feedback:report", commune.code, report.number)
    return _render_detail(request, commune, report, forms={"transition": form}, status=400)


@login_required
@require_POST
def report_reassign(request, commune_code: str, number: str):
    commune, report, refused = _handle(request, commune_code, number)
    if refused:
        return refused
    form = ReassignForm(request.POST, commune=commune, current=report.unit, prefix="r")
    if form.is_valid():
        try:
            services.report_reassign(
                report=report, unit=form.cleaned_data["unit"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The report was passed to the other unit."))
            if access.reports_for(request.user, commune).filter(pk=report.pk).exists():
                return redirect("feedback:report", commune.code, report.number)
            return redirect("feedback:inbox", commune.code)
    return _render_detail(request, commune, report, forms={"reassign": form}, status=400)


@login_required
@require_POST
def report_merge(request, commune_code: str, number: str):
    commune, report, refused = _handle(request, commune_code, number)
    if refused:
        return refused
    form = MergeForm(request.POST, prefix="m")
    if form.is_valid():
        into = Report.objects.filter(commune=commune, number=form.cleaned_data["into"].strip().upper()).first()
        if into is None:
            form.add_error("into", _("No report of this commune has this number."))
        else:
            try:
                services.report_merge(report=report, into=into, note=form.cleaned_data["note"], by=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The report was merged as a duplicate."))
                return redirect("feedback:report", commune.code, report.number)
    return _render_detail(request, commune, report, forms={"merge": form}, status=400)


@login_required
@require_POST
def report_visibility(request, commune_code: str, number: str):
    commune, report, refused = _handle(request, commune_code, number)
    if refused:
        return refused
    services.report_set_public(report=report, is_public=request.POST.get("public") == "1", by=request.user)
    messages.success(request, _("Saved."))
    return redirect("feedback:report", commune.code, report.number)


# Set-up -------------------------------------------------------------------------------------------


@login_required
def category_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    if request.method == "POST":
        created = services.categories_load_defaults(commune=commune)
        messages.success(request, _("%(count)s categories added.") % {"count": created})
        return redirect("feedback:categories", commune.code)
    labels = units.labels(commune)
    categories = list(
        Category.objects.filter(commune=commune).annotate(question_count=Count("questions")).order_by("order", "name")
    )
    for category in categories:
        category.unit_name = units.label(category.unit, labels)
    return render(request, "feedback/category_list.html", {"commune": commune, "categories": categories})


@login_required
def category_edit(request, commune_code: str, category_id: int | None = None):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    category = (
        get_object_or_404(Category, pk=category_id, commune=commune) if category_id else Category(commune=commune)
    )
    form = CategoryForm(request.POST or None, instance=category, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_save(category=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("feedback:category", commune.code, category.pk)
    return render(
        request,
        "feedback/category_form.html",
        {
            "commune": commune,
            "form": form,
            "category": category,
            "questions": category.questions.all() if category.pk else [],
            "changes": history_of(category) if category.pk else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def question_edit(request, commune_code: str, category_id: int, question_id: int | None = None):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    category = get_object_or_404(Category, pk=category_id, commune=commune)
    question = (
        get_object_or_404(Question, pk=question_id, category=category)
        if question_id
        else Question(category=category, order=(category.questions.count() + 1))
    )
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(question=form.save(commit=False), values_text=form.cleaned_data["values_text"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("feedback:category", commune.code, category.pk)
    return render(
        request,
        "feedback/question_form.html",
        {"commune": commune, "category": category, "question": question, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def question_delete(request, commune_code: str, category_id: int, question_id: int):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    question = get_object_or_404(Question, pk=question_id, category__pk=category_id, category__commune=commune)
    question.delete()
    messages.success(request, _("The question was removed."))
    return redirect("feedback:category", commune.code, category_id)


@login_required
def holidays(request, commune_code: str):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_add(commune=commune, date=form.cleaned_data["date"], name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The holiday was added."))
            return redirect("feedback:holidays", commune.code)
    today = timezone.localdate()
    return render(
        request,
        "feedback/holidays.html",
        {
            "commune": commune,
            "form": form,
            "holidays": Holiday.objects.filter(commune=commune, date__year__gte=today.year - 1),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def holiday_delete(request, commune_code: str, holiday_id: int):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    get_object_or_404(Holiday, pk=holiday_id, commune=commune).delete()
    messages.success(request, _("The holiday was removed."))
    return redirect("feedback:holidays", commune.code)


@login_required
def area(request, commune_code: str):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    instance = ReportArea.objects.filter(commune=commune).first()
    if instance is None:
        current = selectors.area_for(commune)
        instance = ReportArea(commune=commune)
        if current:
            instance.latitude, instance.longitude = current.latitude, current.longitude
            instance.radius_km, instance.needs_verification = current.radius_km, current.needs_verification
            instance.source = current.source
    form = AreaForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_save(area=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The report area was saved."))
            return redirect("feedback:area", commune.code)
    return render(
        request,
        "feedback/area.html",
        {"commune": commune, "form": form, "saved": instance.pk is not None},
        status=400 if form.errors else 200,
    )


@login_required
def api_keys(request, commune_code: str):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, clear = services.api_key_create(commune=commune, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(
                request, "feedback/api_key_created.html", {"commune": commune, "api_key": api_key, "key": clear}
            )
    return render(
        request,
        "feedback/api_keys.html",
        {
            "commune": commune,
            "form": form,
            "keys": ApiKey.objects.filter(commune=commune).annotate(report_count=Count("reports")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_key_revoke(request, commune_code: str, key_id: int):
    commune = commune_or_404(commune_code)
    access.require_configure(request.user, commune)
    services.api_key_revoke(api_key=get_object_or_404(ApiKey, pk=key_id, commune=commune))
    messages.success(request, _("The key was revoked."))
    return redirect("feedback:api_keys", commune.code)
