"""Template helpers of the programme pages: amounts in đồng, and the programme's own menu."""

from django import template

from .. import access, numbers

register = template.Library()


@register.filter
def money(value) -> str:
    """1234567 -> "1.234.567" (Vietnamese grouping); empty for None."""
    return numbers.money(value)


@register.filter
def num(value) -> str:
    """87.50 -> "87,5", 100.0000 -> "100"."""
    return numbers.number(value)


SECTIONS = {
    "home": "home",
    "plans": "plans", "plan": "plans", "plan_create": "plans", "plan_edit": "plans", "objective_create": "plans",
    "objective_edit": "plans", "target": "plans", "target_create": "plans", "target_edit": "plans",
    "tasks": "tasks", "my_tasks": "tasks", "overdue": "tasks", "task": "tasks", "task_create": "tasks",
    "task_edit": "tasks", "task_update": "tasks", "task_comment": "tasks",
    "budget": "budget", "line": "budget", "line_create": "budget", "allocate": "budget", "disburse": "budget",
    "settle": "budget",
    "training": "training", "class": "training", "class_create": "training", "class_edit": "training",
    "attendance": "training", "material": "training",
    "outreach": "outreach",
}  # fmt: skip


@register.inclusion_tag("program/_nav.html", takes_context=True)
def program_nav(context, commune):
    request = context["request"]
    name = request.resolver_match.url_name if request.resolver_match else ""
    return {
        "commune": commune,
        "current": SECTIONS.get(name, "infrastructure"),
        "can_budget": access.can_read_budget(request.user, commune),
    }
