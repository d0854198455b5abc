from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role
from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of
from smartcommune.places.models import Commune, Province
from smartcommune.places.shortcuts import commune_or_404

from . import evaluation, reports, selectors, services
from .forms import ThresholdForm, ValueForm
from .models import Assessment, CriteriaSet, Indicator, IndicatorValue, Threshold

ENTERERS = (Role.COMMUNE_OFFICIAL,)
APPROVERS = (Role.PROVINCE_OFFICIAL,)


def _commune(request, code: str) -> Commune:
    commune = commune_or_404(code)
    scoping.require_view(request.user, commune)
    return commune


def _year(value, commune) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return selectors.default_year(commune)
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _set(code: str | None, year: int) -> CriteriaSet:
    criteria_set = selectors.choose_set(code, year)
    if criteria_set is None:
        raise Http404(_("No criteria set is loaded."))
    return criteria_set


@login_required
def dashboard(request, commune_code: str):
    commune = _commune(request, commune_code)
    year = _year(request.GET.get("year"), commune)
    criteria_set = _set(request.GET.get("set"), year)
    result = evaluation.evaluate(commune, criteria_set, year)
    scope = scoping.scope_for(request.user)
    return render(
        request,
        "criteria/dashboard.html",
        {
            "commune": commune,
            "result": result,
            "year": year,
            "years": range(year - 3, year + 2),
            "sets": CriteriaSet.objects.all(),
            "criteria_set": criteria_set,
            "assessment": result.assessment,
            "can_enter": scope.has_role(commune, *ENTERERS),
            "can_approve": scope.has_role(commune, *APPROVERS),
            "met": result.count(evaluation.MET),
            "unmet": result.count(evaluation.UNMET),
            "missing": result.count(evaluation.MISSING),
            "unverified": sum(
                1
                for i in result.indicators
                if i.indicator.needs_verification or (i.threshold and i.threshold.needs_verification)
            ),
        },
    )


@login_required
def indicator_detail(request, commune_code: str, set_code: str, year: int, code: str):
    commune = _commune(request, commune_code)
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    indicator = get_object_or_404(Indicator.objects.select_related("criterion"), criteria_set=criteria_set, code=code)
    scope = scoping.scope_for(request.user)
    can_enter = scope.has_role(commune, *ENTERERS) and not indicator.is_computed
    form = ValueForm(request.POST or None, request.FILES or None, indicator=indicator)
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied(_("Your role does not allow entering this value."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = services.value_enter(
                    indicator=indicator,
                    commune=commune,
                    year=year,
                    by=request.user,
                    value=data.get("value"),
                    passed=data.get("passed"),
                    numerator=data.get("numerator"),
                    denominator=data.get("denominator"),
                    note=data["note"],
                    reason=data["reason"],
                )
                if data.get("evidence"):
                    services.evidence_add(value=record, upload=data["evidence"], by=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The value was saved."))
                return redirect("criteria:indicator", commune.code, criteria_set.code, year, indicator.code)
    result = next(
        (i for i in evaluation.evaluate(commune, criteria_set, year).indicators if i.indicator.pk == indicator.pk), None
    )
    value = IndicatorValue.objects.filter(indicator=indicator, commune=commune, year=year, village__isnull=True).first()
    if value and request.method == "GET":
        form = ValueForm(
            initial={
                "value": value.value,
                "passed": {True: "1", False: "0"}.get(value.passed, ""),
                "numerator": value.numerator,
                "denominator": value.denominator,
                "note": value.note,
            },
            indicator=indicator,
        )
    return render(
        request,
        "criteria/indicator.html",
        {
            "commune": commune,
            "criteria_set": criteria_set,
            "year": year,
            "indicator": indicator,
            "result": result,
            "value": value,
            "evidence": value.evidence.all() if value else [],
            "form": form,
            "can_enter": can_enter,
            "thresholds": indicator.thresholds.select_related("province").order_by(
                "province", "region", "group", "year_from"
            ),
            "changes": history_of(value) if value else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def villages(request, commune_code: str, set_code: str, year: int):
    commune = _commune(request, commune_code)
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    result = evaluation.evaluate(commune, criteria_set, year)
    rows = [i for i in result.indicators if i.villages]
    village_list = [v.village for v in rows[0].villages] if rows else []
    return render(
        request,
        "criteria/villages.html",
        {"commune": commune, "criteria_set": criteria_set, "year": year, "rows": rows, "village_list": village_list},
    )


@login_required
def province(request, province_code: str):
    province = get_object_or_404(Province, code=province_code)
    scope = scoping.scope_for(request.user)
    if not scope.is_global and province.pk not in scope.province_ids:
        raise PermissionDenied(_("Only officials of this province see the comparison of its communes."))
    communes = list(province.communes.order_by("name"))
    year = _year(request.GET.get("year"), communes[0]) if communes else 2025
    criteria_set = _set(request.GET.get("set"), year)
    rows = evaluation.evaluate_province(communes, criteria_set, year)
    rows.sort(key=lambda r: (-r.met, r.commune.name))
    return render(
        request,
        "criteria/province.html",
        {
            "province": province,
            "rows": rows,
            "criteria": criteria_set.criteria.order_by("number"),
            "criteria_set": criteria_set,
            "year": year,
            "sets": CriteriaSet.objects.all(),
        },
    )


@login_required
@require_POST
def workflow(request, commune_code: str, set_code: str, year: int, action: str):
    commune = _commune(request, commune_code)
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    try:
        if action == "submit":
            scoping.require_role(request.user, commune, *ENTERERS)
            services.assessment_submit(commune=commune, criteria_set=criteria_set, year=year, by=request.user)
            messages.success(request, _("The assessment was submitted for approval."))
        elif action in ("approve", "return"):
            scoping.require_role(request.user, commune, *APPROVERS)
            assessment = get_object_or_404(Assessment, commune=commune, criteria_set=criteria_set, year=year)
            if action == "approve":
                services.assessment_approve(assessment=assessment, by=request.user)
                messages.success(request, _("The assessment was approved and the period is locked."))
            else:
                services.assessment_return(
                    assessment=assessment, by=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The assessment was returned to draft."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('criteria:dashboard', args=[commune.code])}?set={criteria_set.code}&year={year}")


@login_required
def report(request, commune_code: str, set_code: str, year: int, fmt: str):
    commune = _commune(request, commune_code)
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    result = evaluation.evaluate(commune, criteria_set, year)
    builders = {"xlsx": reports.xlsx, "pdf": reports.pdf, "csv": reports.csv}
    if fmt not in builders:
        raise Http404
    body, content_type = builders[fmt](result)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="tu-danh-gia-{commune.code}-{criteria_set.code}-{year}.{fmt}"'
    )
    return response


@login_required
def set_list(request):
    if not scoping.scope_for(request.user).is_staff:
        raise PermissionDenied
    return render(request, "criteria/set_list.html", {"sets": CriteriaSet.objects.all()})


@login_required
def set_detail(request, set_code: str):
    scope = scoping.scope_for(request.user)
    if not scope.is_staff:
        raise PermissionDenied
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    provinces = Province.objects.filter(pk__in=scope.province_ids)
    if request.method == "POST":
        threshold = get_object_or_404(Threshold, pk=request.POST.get("threshold"), indicator__criteria_set=criteria_set)
        province = provinces.filter(pk=request.POST.get("province")).first()
        if province is None:
            raise PermissionDenied(_("Only a province official corrects thresholds, for their province."))
        form = ThresholdForm(request.POST)
        if form.is_valid():
            try:
                services.threshold_correct(threshold=threshold, province=province, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The corrected threshold applies to the communes of %(province)s.") % {"province": province.name},
                )
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("criteria:set", criteria_set.code)
    criteria = criteria_set.criteria.prefetch_related("indicators__thresholds__province").order_by("number")
    return render(
        request,
        "criteria/set_detail.html",
        {
            "criteria_set": criteria_set,
            "criteria": criteria,
            "provinces": provinces,
            "changes": history_of(criteria_set),
        },
    )
