from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of

from .. import access, reports, selectors
from ..forms import AllocationForm, BudgetLineForm, DisbursementForm, LineChangeForm, SettlementForm
from ..models import Allocation, BudgetLine, Disbursement, FundingSource
from ..services import budget as services
from . import commune_for, year_from

LAYOUTS = {"6-thang": reports.SIX_MONTHS, "ca-nam": reports.YEAR}


@login_required
def overview(request, commune_code: str):
    commune = commune_for(request, commune_code)
    access.require_budget_read(request.user, commune)
    year = year_from(request, timezone.localdate().year)
    return render(
        request,
        "program/budget.html",
        {
            "commune": commune,
            "year": year,
            "years": range(year - 2, year + 2),
            "summary": selectors.budget_summary(commune, year),
            "can_manage": access.can_manage(request.user, commune),
        },
    )


@login_required
def line_create(request, commune_code: str):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    form = BudgetLineForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            line = services.budget_line_create(commune=commune, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The budget line was added."))
            return redirect("program:line", commune.code, line.pk)
    return render(
        request,
        "program/form.html",
        {"commune": commune, "form": form, "title": _("New budget line")},
        status=400 if form.errors else 200,
    )


def _line(request, commune, line_id: int) -> BudgetLine:
    access.require_budget_read(request.user, commune)
    return get_object_or_404(BudgetLine.objects.select_related("source", "category"), pk=line_id, commune=commune)


def _line_page(request, commune, line, *, forms=None, status=200):
    forms = forms or {}
    rows = selectors.line_detail(line)
    open_rows = [r for r in rows if not hasattr(r["allocation"], "settlement")]
    today = timezone.localdate()
    disbursements = Disbursement.objects.filter(allocation__line=line).select_related("allocation__task", "by")
    return render(
        request,
        "program/line_detail.html",
        {
            "commune": commune,
            "line": line,
            "rows": rows,
            "open_rows": open_rows,
            "disbursements": disbursements.order_by("paid_on", "pk"),
            "allocated": sum(r["allocation"].amount for r in rows),
            "unallocated": line.planned - sum(r["allocation"].amount for r in rows),
            "paid": sum(r["paid"] for r in rows),
            "in_kind": line.source.kind == FundingSource.Kind.IN_KIND,
            "can_manage": access.can_manage(request.user, commune),
            "change_form": forms.get("change")
            or LineChangeForm(initial={"planned": line.planned, "decision_number": line.decision_number}),
            "allocation_form": forms.get("allocation")
            or AllocationForm(commune=commune, initial={"allocated_on": today}),
            "disbursement_form": forms.get("disbursement") or DisbursementForm(initial={"paid_on": today}),
            "settlement_form": forms.get("settlement") or SettlementForm(initial={"settled_on": today}),
            "changes": history_of(line),
        },
        status=status,
    )


@login_required
def line_detail(request, commune_code: str, line_id: int):
    commune = commune_for(request, commune_code)
    line = _line(request, commune, line_id)
    if request.method == "POST":
        access.require_manage(request.user, commune)
        form = LineChangeForm(request.POST)
        if form.is_valid():
            try:
                services.budget_line_change(line=line, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The budget line was changed."))
                return redirect("program:line", commune.code, line.pk)
        return _line_page(request, commune, line, forms={"change": form}, status=400)
    return _line_page(request, commune, line)


@login_required
@require_POST
def allocate(request, commune_code: str, line_id: int):
    commune = commune_for(request, commune_code)
    line = _line(request, commune, line_id)
    access.require_manage(request.user, commune)
    form = AllocationForm(request.POST, commune=commune)
    if form.is_valid():
        try:
            services.allocation_set(line=line, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The allocation was saved."))
            return redirect("program:line", commune.code, line.pk)
    return _line_page(request, commune, line, forms={"allocation": form}, status=400)


def _allocation(line, allocation_id) -> Allocation:
    allocation = Allocation.objects.filter(pk=allocation_id, line=line).first()
    if allocation is None:
        raise Http404
    return allocation


@login_required
@require_POST
def disburse(request, commune_code: str, line_id: int):
    commune = commune_for(request, commune_code)
    line = _line(request, commune, line_id)
    access.require_manage(request.user, commune)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        allocation = _allocation(line, data.pop("allocation"))
        try:
            services.disbursement_create(allocation=allocation, by=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The disbursement was recorded."))
            return redirect("program:line", commune.code, line.pk)
    return _line_page(request, commune, line, forms={"disbursement": form}, status=400)


@login_required
@require_POST
def settle(request, commune_code: str, line_id: int):
    commune = commune_for(request, commune_code)
    line = _line(request, commune, line_id)
    access.require_manage(request.user, commune)
    form = SettlementForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        allocation = _allocation(line, data.pop("allocation"))
        try:
            services.settlement_create(allocation=allocation, by=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The settlement was recorded."))
            return redirect("program:line", commune.code, line.pk)
    return _line_page(request, commune, line, forms={"settlement": form}, status=400)


@login_required
def report(request, commune_code: str, year: int, layout: str):
    """Plan against disbursed, by source and by category: six-month (to 30/06) or yearly layout, .xlsx."""
    commune = commune_for(request, commune_code)
    access.require_budget_read(request.user, commune)
    if layout not in LAYOUTS or not 2000 <= year <= 2100:
        raise Http404
    body = reports.budget_xlsx(commune, year, LAYOUTS[layout])
    response = HttpResponse(body, content_type=reports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="ngan-sach-{commune.code}-{year}-{layout}.xlsx"'
    return response
