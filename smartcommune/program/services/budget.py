"""Writes on the budget. Every limit is checked under row locks, line first then allocation, so that two
officials disbursing at the same moment cannot together overspend (PostgreSQL: SELECT … FOR UPDATE;
SQLite: transactions start IMMEDIATE and so run one at a time).

Amounts are whole đồng. Allocations stay within their line; disbursements within their allocation and
their line; a settlement is at most what was disbursed, and nothing moves on a settled allocation."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.places.models import Commune

from ..models import Allocation, BudgetLine, Disbursement, FundingSource, Settlement, SpendingCategory, Task
from ..numbers import money

MAX_AMOUNT = 10**15  # a million billion đồng: beyond any commune's budget, and far inside BigInteger


def _amount(value, field: str, *, allow_zero: bool = False) -> dict:
    if value is None:
        return {field: _("Enter the amount.")}
    if value < 0:
        return {field: _("The amount cannot be negative.")}
    if value == 0 and not allow_zero:
        return {field: _("The amount must be more than zero.")}
    if value > MAX_AMOUNT:
        return {field: _("The amount is too large.")}
    return {}


def _allocated(line_id: int, exclude: int | None = None) -> int:
    qs = Allocation.objects.filter(line_id=line_id)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.aggregate(total=Sum("amount"))["total"] or 0


def _disbursed(**lookup) -> int:
    return Disbursement.objects.filter(**lookup).aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def budget_line_create(
    *,
    commune: Commune,
    year: int,
    source: FundingSource,
    category: SpendingCategory,
    content: str,
    planned: int,
    by: User | None,
    decision_number: str = "",
) -> BudgetLine:
    problems = _amount(planned, "planned", allow_zero=True)
    if source.children.exists():
        problems["source"] = _("Choose a sub-source of this group.")
    elif not source.is_active:
        problems["source"] = _("This funding source is no longer in use.")
    if not category.is_active:
        problems["category"] = _("This spending category is no longer in use.")
    if not 2000 <= year <= 2100:
        problems["year"] = _("Enter a year such as 2025.")
    content = content.strip()
    if not content:
        problems["content"] = _("Describe what the money is for.")
    elif BudgetLine.objects.filter(
        commune=commune, year=year, source=source, category=category, content=content
    ).exists():
        problems["content"] = _("This line already exists for this year, source and category.")
    if problems:
        raise ValidationError(problems)
    return BudgetLine.objects.create(
        commune=commune,
        year=year,
        source=source,
        category=category,
        content=content,
        planned=planned,
        decision_number=decision_number.strip(),
        created_by=by,
    )


@transaction.atomic
def budget_line_change(*, line: BudgetLine, planned: int, decision_number: str | None = None) -> BudgetLine:
    """Change the planned amount; it cannot fall below what is already allocated."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    problems = _amount(planned, "planned", allow_zero=True)
    if problems:
        raise ValidationError(problems)
    allocated = _allocated(line.pk)
    if planned < allocated:
        raise ValidationError(
            {"planned": _("%(allocated)s đồng are already allocated from this line.") % {"allocated": money(allocated)}}
        )
    line.planned = planned
    if decision_number is not None:
        line.decision_number = decision_number.strip()
    line.save()
    return line


@transaction.atomic
def allocation_set(
    *, line: BudgetLine, task: Task, amount: int, allocated_on: date, by: User | None, note: str = ""
) -> Allocation:
    """Give a task part of a line, or change what it was given: never beyond what the line has left."""
    problems = _amount(amount, "amount")
    if problems:
        raise ValidationError(problems)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if task.commune_id != line.commune_id:
        raise ValidationError({"task": _("The task belongs to another commune.")})
    allocation = Allocation.objects.select_for_update().filter(line=line, task=task).first()
    if allocation and hasattr(allocation, "settlement"):
        raise ValidationError(_("This allocation is settled and can no longer change."))
    remaining = line.planned - _allocated(line.pk, exclude=allocation.pk if allocation else None)
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _("This is more than the budget line has left: %(remaining)s đồng.")
                % {"remaining": money(remaining)}
            }
        )
    if allocation:
        paid = _disbursed(allocation=allocation)
        if amount < paid:
            raise ValidationError(
                {"amount": _("%(paid)s đồng are already disbursed from this allocation.") % {"paid": money(paid)}}
            )
        allocation.amount, allocation.allocated_on, allocation.note, allocation.by = amount, allocated_on, note, by
        allocation.save()
        return allocation
    return Allocation.objects.create(line=line, task=task, amount=amount, allocated_on=allocated_on, note=note, by=by)


def in_kind_amount(labour_days: Decimal | None, daily_rate: int | None, in_kind_value: int | None) -> int:
    """Labour days × the value of a day, plus goods, rounded to the đồng."""
    labour = (Decimal(labour_days or 0) * Decimal(daily_rate or 0)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(labour) + int(in_kind_value or 0)


@transaction.atomic
def disbursement_create(
    *,
    allocation: Allocation,
    paid_on: date,
    document_number: str,
    by: User | None,
    amount: int | None = None,
    labour_days: Decimal | None = None,
    daily_rate: int | None = None,
    in_kind_value: int | None = None,
    note: str = "",
) -> Disbursement:
    line = BudgetLine.objects.select_for_update().select_related("source").get(pk=allocation.line_id)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    problems = {}
    if line.source.kind == FundingSource.Kind.IN_KIND:
        for field, value in (
            ("labour_days", labour_days),
            ("daily_rate", daily_rate),
            ("in_kind_value", in_kind_value),
        ):
            if value is not None and value < 0:
                problems[field] = _("The amount cannot be negative.")
        if not problems:
            if labour_days and not daily_rate:
                problems["daily_rate"] = _("Give the value of a labour day.")
            amount = in_kind_amount(labour_days, daily_rate, in_kind_value)
            if amount <= 0:
                problems["labour_days"] = _("Give the labour days and their value, or the value of the goods.")
    else:
        if labour_days is not None or in_kind_value is not None:
            problems["labour_days"] = _("Labour days and goods belong to community contributions in kind.")
        problems.update(_amount(amount, "amount"))
    if not document_number.strip():
        problems["document_number"] = _("Enter the voucher or record number.")
    if paid_on > timezone.localdate():
        problems["paid_on"] = _("The date cannot be in the future.")
    elif not date(line.year, 1, 1) <= paid_on <= date(line.year + 1, 1, 31):
        problems["paid_on"] = _("The date must fall in the budget year %(year)s (or in January after it).") % {
            "year": line.year
        }
    if hasattr(allocation, "settlement"):
        problems["__all__"] = _("This allocation is settled: nothing more can be disbursed from it.")
    if problems:
        raise ValidationError(problems)
    left_in_allocation = allocation.amount - _disbursed(allocation=allocation)
    if amount > left_in_allocation:
        raise ValidationError(
            {
                "amount": _("This is more than the allocation has left: %(remaining)s đồng.")
                % {"remaining": money(left_in_allocation)}
            }
        )
    left_in_line = line.planned - _disbursed(allocation__line=line)
    if amount > left_in_line:
        raise ValidationError(
            {
                "amount": _("This is more than the budget line has left: %(remaining)s đồng.")
                % {"remaining": money(left_in_line)}
            }
        )
    return Disbursement.objects.create(
        allocation=allocation,
        paid_on=paid_on,
        amount=amount,
        document_number=document_number.strip(),
        labour_days=labour_days,
        daily_rate=daily_rate,
        in_kind_value=in_kind_value,
        note=note,
        by=by,
    )


@transaction.atomic
def settlement_create(
    *, allocation: Allocation, settled_on: date, amount: int, document_number: str, by: User | None, note: str = ""
) -> Settlement:
    """Settle an allocation at no more than was disbursed; it is then closed."""
    BudgetLine.objects.select_for_update().get(pk=allocation.line_id)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    problems = _amount(amount, "amount", allow_zero=True)
    if Settlement.objects.filter(allocation=allocation).exists():
        problems["__all__"] = _("This allocation is already settled.")
    if not document_number.strip():
        problems["document_number"] = _("Enter the number of the settlement decision.")
    if settled_on > timezone.localdate():
        problems["settled_on"] = _("The date cannot be in the future.")
    if problems:
        raise ValidationError(problems)
    paid = _disbursed(allocation=allocation)
    if amount > paid:
        raise ValidationError(
            {"amount": _("A settlement cannot exceed what was disbursed: %(paid)s đồng.") % {"paid": money(paid)}}
        )
    return Settlement.objects.create(
        allocation=allocation,
        settled_on=settled_on,
        amount=amount,
        document_number=document_number.strip(),
        note=note,
        by=by,
    )
