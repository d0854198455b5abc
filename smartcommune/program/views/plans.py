from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of

from .. import access, checklist, selectors
from ..forms import ObjectiveForm, PlanForm, TargetFigureForm, TargetForm
from ..models import Objective, Plan, Target
from ..services import plans as services
from . import commune_for, day_from, plan_day


@login_required
def home(request, commune_code: str):
    """The programme at a glance: the plan in force, tasks, money, training and smart villages."""
    commune = commune_for(request, commune_code)
    plan = selectors.plan_for(commune, day_from(request))
    on = plan_day(request, plan)
    tasks = access.tasks_for(request.user, commune)
    can_budget = access.can_read_budget(request.user, commune)
    passing, villages = checklist.smart_villages(commune, on)
    return render(
        request,
        "program/home.html",
        {
            "commune": commune,
            "on": on,
            "plan": plan,
            "overview": selectors.plan_overview(plan, on) if plan else [],
            "counts": selectors.task_counts(tasks, on),
            "budget": selectors.budget_summary(commune, on.year, until=on) if can_budget else None,
            "training": selectors.training_totals(commune, on.year, until=on),
            "smart_villages": passing,
            "villages": villages,
            "can_manage": access.can_manage(request.user, commune),
            "can_budget": can_budget,
        },
    )


@login_required
def plan_list(request, commune_code: str):
    commune = commune_for(request, commune_code)
    return render(
        request,
        "program/plan_list.html",
        {
            "commune": commune,
            "plans": Plan.objects.in_commune(commune),
            "can_manage": access.can_manage(request.user, commune),
        },
    )


def _plan(commune, plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id, commune=commune)


@login_required
def plan_detail(request, commune_code: str, plan_id: int):
    commune = commune_for(request, commune_code)
    plan = _plan(commune, plan_id)
    on = plan_day(request, plan)
    return render(
        request,
        "program/plan_detail.html",
        {
            "commune": commune,
            "plan": plan,
            "on": on,
            "overview": selectors.plan_overview(plan, on),
            "can_manage": access.can_manage(request.user, commune),
            "can_budget": access.can_read_budget(request.user, commune),
            "changes": history_of(plan),
        },
    )


@login_required
def plan_edit(request, commune_code: str, plan_id: int | None = None):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    plan = _plan(commune, plan_id) if plan_id else Plan(commune=commune)
    form = PlanForm(request.POST or None, request.FILES or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(plan=form.save(commit=False), document=form.cleaned_data.get("document_file"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("program:plan", commune.code, plan.pk)
    return render(
        request,
        "program/form.html",
        {"commune": commune, "form": form, "title": plan.number if plan.pk else _("New plan"), "multipart": True},
        status=400 if form.errors else 200,
    )


@login_required
def objective_edit(request, commune_code: str, plan_id: int | None = None, objective_id: int | None = None):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    if objective_id:
        objective = get_object_or_404(Objective.objects.select_related("plan"), pk=objective_id, plan__commune=commune)
    else:
        plan = _plan(commune, plan_id)
        objective = Objective(plan=plan, number=plan.objectives.count() + 1)
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_save(objective=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The objective was saved."))
            return redirect("program:plan", commune.code, objective.plan_id)
    return render(
        request,
        "program/form.html",
        {"commune": commune, "form": form, "title": _("Objective"), "back": objective.plan},
        status=400 if form.errors else 200,
    )


def _target(commune, target_id: int) -> Target:
    return get_object_or_404(
        Target.objects.select_related("objective__plan"), pk=target_id, objective__plan__commune=commune
    )


@login_required
def target_edit(request, commune_code: str, objective_id: int | None = None, target_id: int | None = None):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    if target_id:
        target = _target(commune, target_id)
    else:
        objective = get_object_or_404(Objective.objects.select_related("plan"), pk=objective_id, plan__commune=commune)
        target = Target(objective=objective, deadline=objective.plan.period_to)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_save(target=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("program:target", commune.code, target.pk)
    return render(
        request,
        "program/target_form.html",
        {"commune": commune, "form": form, "target": target, "metric_choices": TargetForm.metric_choices()},
        status=400 if form.errors else 200,
    )


@login_required
def target_detail(request, commune_code: str, target_id: int):
    commune = commune_for(request, commune_code)
    target = _target(commune, target_id)
    can_manage = access.can_manage(request.user, commune)
    form = TargetFigureForm(request.POST or None, request.FILES or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST":
        access.require_manage(request.user, commune)
        if form.is_valid():
            try:
                services.target_figure_add(target=target, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The figure was recorded."))
                return redirect("program:target", commune.code, target.pk)
    on = plan_day(request, target.objective.plan)
    reading = selectors.target_readings([target], commune, on)[0]
    return render(
        request,
        "program/target_detail.html",
        {
            "commune": commune,
            "target": target,
            "plan": target.objective.plan,
            "reading": reading,
            "on": on,
            "figures": target.figures.select_related("entered_by"),
            "form": form,
            "can_manage": can_manage,
            "changes": history_of(target),
        },
        status=400 if form.errors else 200,
    )
