"""Writes on plans, objectives, targets and the figures entered for targets."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User

from .. import files
from ..models import Objective, Plan, Target, TargetFigure

# "registry.smartphone_pct", "criteria.indicator:qd318-xa-ntm:8.4"
METRIC_KEY = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*(?::[A-Za-z0-9_.:-]+)?")


@transaction.atomic
def plan_save(*, plan: Plan, document=None) -> Plan:
    if plan.period_to < plan.period_from:
        raise ValidationError({"period_to": _("The period ends before it starts.")})
    clash = Plan.objects.filter(commune=plan.commune, number=plan.number.strip()).exclude(pk=plan.pk)
    if clash.exists():
        raise ValidationError({"number": _("The commune already has a plan with this number.")})
    plan.number = plan.number.strip()
    if document:
        plan.document = files.clean_document(document, pdf_only=True)
    plan.save()
    return plan


@transaction.atomic
def objective_save(*, objective: Objective) -> Objective:
    clash = Objective.objects.filter(plan=objective.plan, number=objective.number).exclude(pk=objective.pk)
    if clash.exists():
        raise ValidationError({"number": _("The plan already has an objective with this number.")})
    objective.save()
    return objective


def _value_problems(target: Target, value: Decimal, field: str) -> dict:
    if target.kind == Target.Kind.YES_NO and value not in (0, 1):
        return {field: _("A yes / no target takes 1 (yes) or 0 (no).")}
    if target.kind == Target.Kind.PERCENT and not 0 <= value <= 100:
        return {field: _("A percentage lies between 0 and 100.")}
    if value < 0:
        return {field: _("The value cannot be negative.")}
    return {}


@transaction.atomic
def target_save(*, target: Target) -> Target:
    plan = target.objective.plan
    problems = _value_problems(target, target.target_value, "target_value")
    target.metric_key = target.metric_key.strip()
    if target.metric_key and not METRIC_KEY.fullmatch(target.metric_key):
        problems["metric_key"] = _("A metric key looks like registry.smartphone_pct or criteria.indicator:set:code.")
    if not plan.period_from <= target.deadline <= plan.period_to:
        problems["deadline"] = _("The deadline lies outside the plan's period.")
    if target.kind == Target.Kind.YES_NO and target.comparator != "==":
        target.comparator = "=="
    clash = Target.objects.filter(objective__plan=plan, code=target.code).exclude(pk=target.pk)
    if clash.exists():
        problems["code"] = _("The plan already has a target with this code.")
    if problems:
        raise ValidationError(problems)
    target.save()
    return target


@transaction.atomic
def target_figure_add(
    *, target: Target, value: Decimal, as_of: date, evidence, by: User | None, note: str = ""
) -> TargetFigure:
    """A figure entered by hand, with the date it describes and its evidence (required)."""
    problems = _value_problems(target, value, "value")
    if as_of > timezone.localdate():
        problems["as_of"] = _("The date of the figure cannot be in the future.")
    if not evidence:
        problems["evidence"] = _("Attach the evidence (a PDF or a photo of the record).")
    if problems:
        raise ValidationError(problems)
    try:
        evidence = files.clean_document(evidence)  # a photo comes back re-encoded, without its GPS position
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error
    return TargetFigure.objects.create(
        target=target, value=value, as_of=as_of, evidence=evidence, note=note, entered_by=by
    )
