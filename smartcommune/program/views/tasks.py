from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of

from .. import access, selectors
from ..forms import CommentForm, TaskFilterForm, TaskForm, TaskUpdateForm
from ..models import Task
from ..services import tasks as services
from . import commune_for


def _list(request, commune, tasks, *, title: str, template: str = "program/task_list.html", extra=None):
    today = timezone.localdate()
    form = TaskFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.task_list(
        tasks,
        status=filters.get("status") or "",
        unit_kind=filters.get("unit_kind") or "",
        overdue_on=today if filters.get("overdue") else None,
        q=filters.get("q") or "",
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "commune": commune,
            "title": title,
            "form": form,
            "page": page,
            "items": [(task, task.is_overdue(today)) for task in page],
            "query": query.urlencode(),
            "today": today,
            "counts": selectors.task_counts(tasks, today),
            "can_manage": access.can_manage(request.user, commune),
            **(extra or {}),
        },
    )


@login_required
def task_list(request, commune_code: str):
    commune = commune_for(request, commune_code)
    return _list(request, commune, access.tasks_for(request.user, commune), title=_("Plan tasks"))


@login_required
def my_tasks(request, commune_code: str):
    """The tasks assigned to the viewer's own units: their department, village, cooperative or the Front."""
    commune = commune_for(request, commune_code)
    tasks = Task.objects.filter(commune=commune).filter(access.unit_condition(request.user, commune))
    return _list(request, commune, tasks, title=_("My unit's tasks"), extra={"mine": True})


@login_required
def overdue(request, commune_code: str):
    """For the leadership: every overdue task, by unit, the longest overdue first."""
    commune = commune_for(request, commune_code)
    today = timezone.localdate()
    tasks = access.tasks_for(request.user, commune).overdue(today)
    rows = [
        (task, (today - task.deadline).days)
        for task in tasks.select_related("objective__plan", "village", "organisation").order_by("deadline", "code")
    ]
    return render(
        request,
        "program/overdue.html",
        {"commune": commune, "rows": rows, "today": today},
    )


def _task(request, commune, task_id: int) -> Task:
    task = get_object_or_404(
        Task.objects.select_related("commune", "objective__plan", "village", "organisation"),
        pk=task_id,
        commune=commune,
    )
    access.require_task_view(request.user, task)
    return task


@login_required
def task_detail(request, commune_code: str, task_id: int):
    commune = commune_for(request, commune_code)
    task = _task(request, commune, task_id)
    return _detail(request, commune, task)


def _detail(request, commune, task, *, update_form=None, comment_form=None, status=200):
    today = timezone.localdate()
    return render(
        request,
        "program/task_detail.html",
        {
            "commune": commune,
            "task": task,
            "today": today,
            "overdue": task.is_overdue(today),
            "milestones": task.milestones.select_related("by"),
            "comments": task.comments.select_related("author"),
            "allocations": task.allocations.select_related("line__source")
            if access.can_read_budget(request.user, commune)
            else [],
            "update_form": update_form
            or TaskUpdateForm(initial={"status": task.status, "progress": task.progress, "happened_on": today}),
            "comment_form": comment_form or CommentForm(),
            "can_update": access.can_update_task(request.user, task),
            "can_manage": access.can_manage(request.user, commune),
            "changes": history_of(task),
        },
        status=status,
    )


@login_required
@require_POST
def task_update(request, commune_code: str, task_id: int):
    commune = commune_for(request, commune_code)
    task = _task(request, commune, task_id)
    access.require_task_update(request.user, task)
    form = TaskUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.task_update(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The task was updated."))
            return redirect("program:task", commune.code, task.pk)
    task.refresh_from_db()
    return _detail(request, commune, task, update_form=form, status=400)


@login_required
@require_POST
def task_comment(request, commune_code: str, task_id: int):
    commune = commune_for(request, commune_code)
    task = _task(request, commune, task_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.task_comment_add(task=task, author=request.user, text=form.cleaned_data["text"])
        return redirect(f"{reverse('program:task', args=[commune.code, task.pk])}#comments")
    return _detail(request, commune, task, comment_form=form, status=400)


@login_required
def task_edit(request, commune_code: str, task_id: int | None = None):
    commune = commune_for(request, commune_code)
    access.require_manage(request.user, commune)
    task = _task(request, commune, task_id) if task_id else None
    initial = {"start_on": timezone.localdate()} if task is None else {}
    form = TaskForm(request.POST or None, instance=task or Task(commune=commune), commune=commune, initial=initial)
    if task is not None:
        form.fields["code"].disabled = True  # the code is the task's stable identifier
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("code", "")
        objective = data.pop("objective")
        try:
            if task is None:
                task = services.task_create(objective=objective, by=request.user, code=code, **data)
            else:
                task = services.task_edit(task=task, objective=objective, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The task was saved."))
            return redirect("program:task", commune.code, task.pk)
    return render(
        request,
        "program/form.html",
        {"commune": commune, "form": form, "title": task.code if task else _("New task"), "unit_fields": True},
        status=400 if form.errors else 200,
    )
