import io
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts import scoping
from smartcommune.core import tabular
from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of
from smartcommune.core.identifiers import bank_by_bin, mask_cccd
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import access, importing, selectors, services
from .forms import HouseholdFilterForm, HouseholdForm, HouseholdYearForm, ImportForm, OrganisationForm
from .models import Household, HouseholdYear, ImportJob, Organisation

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _fmt(fmt: str) -> str:
    if fmt not in CONTENT_TYPES:
        raise Http404
    return fmt


# Households -------------------------------------------------------------------------------------


@login_required
def household_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    households = access.households_for(request.user, commune)
    scope = scoping.scope_for(request.user)
    years = selectors.household_years(commune) or [timezone.localdate().year]
    form = HouseholdFilterForm(request.GET or None, villages=scope.villages(commune).active(), years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or years[0]
    rows = selectors.household_list(
        households,
        year=year,
        village=filters.get("village"),
        poverty=filters.get("poverty") or "",
        missing=bool(filters.get("missing")),
        q=filters.get("q") or "",
        ordering=request.GET.get("o", "code"),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/household_list.html",
        {
            "commune": commune,
            "form": form,
            "page": page,
            "year": year,
            "query": query.urlencode(),
            "can_edit": scope.has_role(commune, *access.HOUSEHOLD_EDITORS),
            "can_import": scope.has_role(commune, *access.IMPORTERS),
        },
    )


def _household(request, commune: Commune, household_id: int, *, edit: bool = False) -> Household:
    household = get_object_or_404(
        Household.objects.select_related("village", "commune"), pk=household_id, commune=commune
    )
    access.require_household(request.user, household, edit=edit)
    return household


@login_required
def household_detail(request, commune_code: str, household_id: int):
    commune = commune_or_404(commune_code)
    household = _household(request, commune, household_id)
    scope = scoping.scope_for(request.user)
    changes = history_of(household)
    years = list(household.years.all())
    for record in years:
        changes += history_of(record)
    changes.sort(key=lambda c: c.when, reverse=True)
    return render(
        request,
        "registry/household_detail.html",
        {
            "commune": commune,
            "household": household,
            "masked_id": mask_cccd(household.head_id_number) if household.head_id_number else "",
            "years": years,
            "organisations": household.organisations.all(),
            "changes": changes,
            "can_edit": scope.has_role(commune, *access.HOUSEHOLD_EDITORS),
            "next_year": timezone.localdate().year,
        },
    )


@login_required
def household_edit(request, commune_code: str, household_id: int | None = None):
    commune = commune_or_404(commune_code)
    if household_id is None:
        access.households_for(request.user, commune, edit=True)
        household = Household(commune=commune)
    else:
        household = _household(request, commune, household_id, edit=True)
    villages = scoping.scope_for(request.user).villages(commune).active()
    form = HouseholdForm(request.POST or None, instance=household, commune=commune, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_save(household=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The household was saved."))
            return redirect("registry:household", commune.code, household.pk)
    return render(
        request,
        "registry/household_form.html",
        {"commune": commune, "form": form, "household": household},
        status=400 if form.errors else 200,
    )


@login_required
def household_year_edit(request, commune_code: str, household_id: int, year: int):
    commune = commune_or_404(commune_code)
    household = _household(request, commune, household_id, edit=True)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    record = HouseholdYear.objects.filter(household=household, year=year).first() or HouseholdYear(
        household=household, year=year
    )
    form = HouseholdYearForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_year_save(record=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The figures for %(year)s were saved.") % {"year": year})
            return redirect("registry:household", commune.code, household.pk)
    return render(
        request,
        "registry/household_year_form.html",
        {"commune": commune, "household": household, "year": year, "form": form},
        status=400 if form.errors else 200,
    )


# Organisations ----------------------------------------------------------------------------------


@login_required
def organisation_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    scoping.require_view(request.user, commune)
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    rows = selectors.organisation_list(commune, kind=kind if kind in Organisation.Kind.values else "", q=q)
    return render(
        request,
        "registry/organisation_list.html",
        {
            "commune": commune,
            "rows": rows,
            "q": q,
            "kind": kind,
            "kinds": Organisation.Kind.choices,
            "can_edit": scoping.scope_for(request.user).has_role(commune, *access.ORGANISATION_EDITORS),
        },
    )


def _organisation(request, commune: Commune, organisation_id: int) -> Organisation:
    scoping.require_view(request.user, commune)
    return get_object_or_404(
        Organisation.objects.select_related("village", "commune"), pk=organisation_id, commune=commune
    )


@login_required
def organisation_detail(request, commune_code: str, organisation_id: int):
    commune = commune_or_404(commune_code)
    organisation = _organisation(request, commune, organisation_id)
    can_edit = access.can_edit_organisation(request.user, organisation)
    if request.method == "POST":
        access.require_organisation_edit(request.user, organisation)
        try:
            count = services.organisation_members_set(
                organisation=organisation, household_codes=request.POST.get("members", "").split()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s member households saved.") % {"count": count})
        return redirect("registry:organisation", commune.code, organisation.pk)
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "commune": commune,
            "organisation": organisation,
            "bank": bank_by_bin(organisation.bank_bin) if organisation.bank_bin else None,
            "members": organisation.members.select_related("village").order_by("code")[:500],
            "member_count": organisation.members.count(),
            "can_edit": can_edit,
            "can_see_members": scoping.scope_for(request.user).has_role(commune, *access.HOUSEHOLD_READERS) or can_edit,
            "changes": history_of(organisation),
        },
    )


@login_required
def organisation_edit(request, commune_code: str, organisation_id: int | None = None):
    commune = commune_or_404(commune_code)
    if organisation_id is None:
        scoping.require_role(request.user, commune, *access.ORGANISATION_EDITORS)
        organisation = Organisation(commune=commune)
    else:
        organisation = _organisation(request, commune, organisation_id)
        access.require_organisation_edit(request.user, organisation)
    form = OrganisationForm(request.POST or None, instance=organisation, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_save(organisation=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("registry:organisation", commune.code, organisation.pk)
    return render(
        request,
        "registry/organisation_form.html",
        {"commune": commune, "form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


# Import and export ------------------------------------------------------------------------------


def _require_importer(request, commune: Commune) -> None:
    scoping.require_role(request.user, commune, *access.IMPORTERS)


@login_required
def import_page(request, commune_code: str):
    commune = commune_or_404(commune_code)
    _require_importer(request, commune)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_start(
                commune=commune, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("registry:import_job", commune.code, job.pk)
    return render(
        request,
        "registry/import.html",
        {
            "commune": commune,
            "form": form,
            "jobs": ImportJob.objects.filter(commune=commune).select_related("by")[:20],
            "kinds": importing.KIND_LABELS,
            "max_mb": settings.IMPORT_MAX_BYTES // 2**20,
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_job(request, commune_code: str, job_id: int):
    commune = commune_or_404(commune_code)
    _require_importer(request, commune)
    job = get_object_or_404(ImportJob, pk=job_id, commune=commune)
    percent, rows = services.import_progress(job)
    context = {"commune": commune, "job": job, "percent": percent, "rows": rows, "errors": job.errors[:1000]}
    if request.htmx:
        return render(request, "registry/_import_status.html", context)
    return render(request, "registry/import_job.html", context)


@login_required
def import_errors(request, commune_code: str, job_id: int, fmt: str):
    commune = commune_or_404(commune_code)
    _require_importer(request, commune)
    job = get_object_or_404(ImportJob, pk=job_id, commune=commune)
    errors = [tabular.RowError(e["row"] or 0, e["column"], e["value"], e["reason"]) for e in job.errors]
    body = tabular.error_report(errors, _fmt(fmt))
    return _download(body, f"loi-nhap-{job.pk}.{fmt}", fmt)


@login_required
def template_download(request, commune_code: str, kind: str, fmt: str):
    commune = commune_or_404(commune_code)
    scoping.require_view(request.user, commune)
    if kind not in importing.SPECS:
        raise Http404
    return _download(tabular.template(importing.SPECS[kind].columns, _fmt(fmt)), f"mau-{kind}.{fmt}", fmt)


@login_required
def export(request, commune_code: str, kind: str, fmt: str):
    commune = commune_or_404(commune_code)
    if kind not in importing.SPECS:
        raise Http404
    if kind == "households":
        _require_importer(request, commune)  # personal ID numbers leave only with commune officials
    else:
        scoping.require_view(request.user, commune)
    filters = {}
    if request.GET.get("year", "").isdigit():
        filters["year"] = int(request.GET["year"])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 -- FileResponse closes it
    if _fmt(fmt) == "xlsx":
        importing.export_file(kind=kind, commune=commune, fmt=fmt, out=out, filters=filters)
    else:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        importing.export_file(kind=kind, commune=commune, fmt=fmt, out=text, filters=filters)
        text.detach()
    out.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(
        out, as_attachment=True, filename=f"{kind}-{commune.code}-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )


def _download(body: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
