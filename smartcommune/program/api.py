"""The programme through the API, for the commune's staff (token or session): plans and targets with their
current values, tasks (scoped like the pages), the budget summary, training totals and smart villages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from config.api import AUTH
from smartcommune.accounts import scoping
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import access, checklist, selectors
from .models import Plan, Task
from .services import tasks as task_services

router = Router(tags=["program"])


class TargetOut(Schema):
    code: str
    name: str
    kind: str
    unit: str
    comparator: str
    target_value: Decimal
    deadline: date
    metric_key: str
    current_value: Decimal | None
    as_of: date | None
    computed: bool
    source: str
    met: bool | None
    progress: int | None


class ObjectiveOut(Schema):
    number: int
    title: str
    targets: list[TargetOut]
    tasks: dict[str, int]


class PlanOut(Schema):
    id: int
    number: str
    is_demo_number: bool
    title: str
    issued_on: date
    period_from: date
    period_to: date
    legal_bases: str
    document_url: str | None


class PlanDetailOut(PlanOut):
    on: date
    objectives: list[ObjectiveOut]


class TaskOut(Schema):
    id: int
    code: str
    title: str
    objective_id: int
    unit_kind: str
    unit_label: str
    start_on: date
    deadline: date
    status: str
    progress: int
    overdue: bool
    completed_on: date | None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class MilestoneOut(Schema):
    happened_on: date
    text: str
    progress: int | None
    photo_url: str | None
    document_url: str | None


class TaskDetailOut(TaskOut):
    description: str
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj) -> list[MilestoneOut]:
        return [
            MilestoneOut(
                happened_on=m.happened_on,
                text=m.text,
                progress=m.progress,
                photo_url=m.photo.url if m.photo else None,
                document_url=m.document.url if m.document else None,
            )
            for m in obj.milestones.all()
        ]


class TaskUpdateIn(Schema):
    status: Literal["not_started", "in_progress", "done", "cancelled"]
    progress: int
    milestone_text: str = ""
    happened_on: date | None = None


class TaskFilters(Schema):
    status: Literal["not_started", "in_progress", "done", "cancelled"] | None = None
    unit_kind: Literal["department", "village", "organisation", "front"] | None = None
    overdue: bool = False
    mine: bool = False
    q: str = ""


class AmountsOut(Schema):
    planned: int
    allocated: int
    disbursed: int
    settled: int
    remaining: int
    rate: Decimal | None


class BudgetRowOut(Schema):
    code: str
    label: str
    level: int
    amounts: AmountsOut


class BudgetOut(Schema):
    commune_code: str
    year: int
    until: date | None
    currency: str = "VND"
    by_source: list[BudgetRowOut]
    by_category: list[BudgetRowOut]
    total: AmountsOut


class TrainingOut(Schema):
    year: int
    classes: int
    participants: int
    households: int
    organisations: int
    by_topic: dict[str, int]
    by_audience: dict[str, int]
    outreach_activities: int
    outreach_reach: int
    by_channel: dict[str, int]


class ItemOut(Schema):
    code: str
    passed: bool | None
    detail: str


class VillageProgressOut(Schema):
    village_code: str
    village_name: str
    passes: bool
    met: int
    total: int
    items: list[ItemOut]


def _commune(request, code: str) -> Commune:
    commune = commune_or_404(code)
    scoping.require_view(request.user, commune)
    return commune


def _plan_out(plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "number": plan.number,
        "is_demo_number": plan.is_demo_number,
        "title": plan.title,
        "issued_on": plan.issued_on,
        "period_from": plan.period_from,
        "period_to": plan.period_to,
        "legal_bases": plan.legal_bases,
        "document_url": plan.document.url if plan.document else None,
    }


def _target_out(r: selectors.TargetReading) -> TargetOut:
    t = r.target
    return TargetOut(
        code=t.code,
        name=t.name,
        kind=t.kind,
        unit=t.unit,
        comparator=t.comparator,
        target_value=t.target_value,
        deadline=t.deadline,
        metric_key=t.metric_key,
        current_value=r.value,
        as_of=r.as_of,
        computed=r.computed,
        source=r.source,
        met=r.met,
        progress=r.progress,
    )


@router.get("/communes/{code}/plans", response=list[PlanOut], auth=AUTH)
def plan_list(request, code: str):
    commune = _commune(request, code)
    return [_plan_out(p) for p in Plan.objects.in_commune(commune)]


@router.get("/plans/{plan_id}", response=PlanDetailOut, auth=AUTH)
def plan_detail(request, plan_id: int, on: date | None = None):
    """The plan with each target's current value (computed from data where the platform holds it)."""
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id)
    scoping.require_view(request.user, plan.commune)
    on = on or min(timezone.localdate(), plan.period_to)  # an ended plan is read as of its last day
    objectives = [
        ObjectiveOut(
            number=view.objective.number,
            title=view.objective.title,
            targets=[_target_out(r) for r in view.readings],
            tasks=dict(view.tasks),
        )
        for view in selectors.plan_overview(plan, on)
    ]
    return {**_plan_out(plan), "on": on, "objectives": objectives}


@router.get("/communes/{code}/tasks", response=list[TaskOut], auth=AUTH)
@paginate(PageNumberPagination, page_size=100)
def task_list(request, code: str, filters: Query[TaskFilters]):
    """The tasks the caller may see (all of them, or their unit's); `mine` keeps their unit's only."""
    commune = _commune(request, code)
    tasks = access.tasks_for(request.user, commune)
    if filters.mine:
        tasks = tasks.filter(access.unit_condition(request.user, commune))
    rows = selectors.task_list(
        tasks,
        status=filters.status or "",
        unit_kind=filters.unit_kind or "",
        overdue_on=timezone.localdate() if filters.overdue else None,
        q=filters.q,
    )
    return rows


def _task(request, task_id: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("commune", "village", "organisation"), pk=task_id)
    access.require_task_view(request.user, task)
    return task


@router.get("/tasks/{task_id}", response=TaskDetailOut, auth=AUTH)
def task_detail(request, task_id: int):
    return _task(request, task_id)


@router.post("/tasks/{task_id}/update", response=TaskDetailOut, auth=AUTH)
def task_update(request, task_id: int, payload: TaskUpdateIn):
    """The responsible unit's update (status, progress, optional milestone text); photos go through the page."""
    task = _task(request, task_id)
    access.require_task_update(request.user, task)
    task = task_services.task_update(task=task, by=request.user, **payload.dict())
    return Task.objects.select_related("village", "organisation").get(pk=task.pk)


@router.get("/communes/{code}/budget", response=BudgetOut, auth=AUTH)
def budget(request, code: str, year: int | None = None, until: date | None = None):
    """Planned, allocated, disbursed (up to `until`) and settled, by source and by category, in đồng."""
    commune = _commune(request, code)
    access.require_budget_read(request.user, commune)
    summary = selectors.budget_summary(commune, year or timezone.localdate().year, until=until)

    def amounts(a: selectors.Amounts) -> AmountsOut:
        return AmountsOut(
            planned=a.planned,
            allocated=a.allocated,
            disbursed=a.disbursed,
            settled=a.settled,
            remaining=a.remaining,
            rate=a.rate,
        )

    def rows(items) -> list[BudgetRowOut]:
        return [BudgetRowOut(code=r.code, label=r.label, level=r.level, amounts=amounts(r.amounts)) for r in items]

    return BudgetOut(
        commune_code=commune.code,
        year=summary.year,
        until=until,
        by_source=rows(summary.by_source),
        by_category=rows(summary.by_category),
        total=amounts(summary.total),
    )


@router.get("/communes/{code}/training", response=TrainingOut, auth=AUTH)
def training(request, code: str, year: int | None = None):
    commune = _commune(request, code)
    year = year or timezone.localdate().year
    totals = selectors.training_totals(commune, year)
    return TrainingOut(year=year, **vars(totals))


@router.get("/communes/{code}/smart-villages", response=list[VillageProgressOut], auth=AUTH)
def smart_villages(request, code: str, on: date | None = None):
    commune = _commune(request, code)
    progress = checklist.evaluate(commune, on or timezone.localdate())
    return [
        VillageProgressOut(
            village_code=p.village.code,
            village_name=p.village.name,
            passes=p.passes,
            met=p.met,
            total=p.total,
            items=[ItemOut(code=r.item.code, passed=r.passed, detail=r.detail) for r in p.results],
        )
        for p in progress
    ]
