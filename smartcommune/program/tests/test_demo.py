"""The programme demo: the 2025 plan with every target answered, tasks in every state, a budget that adds
up, classes with attendance, two smart villages; and a second run changes nothing.

The demo runs once for this module on a small registry (600 households), inside a transaction rolled back
at the end."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from smartcommune.accounts import demo as accounts_demo
from smartcommune.criteria import demo as criteria_demo
from smartcommune.farming import demo as farming_demo
from smartcommune.feedback import demo as feedback_demo
from smartcommune.market import demo as market_demo
from smartcommune.places import demo as places_demo
from smartcommune.places.models import Commune
from smartcommune.program import demo, selectors
from smartcommune.program.models import (
    Allocation,
    Attendance,
    BudgetLine,
    Disbursement,
    Milestone,
    Plan,
    Target,
    TargetFigure,
    Task,
    TrainingClass,
)
from smartcommune.registry import demo as registry_demo
from smartcommune.surveys import demo as surveys_demo
from smartcommune.trace import demo as trace_demo

pytestmark = pytest.mark.django_db
END = date(2025, 12, 31)


def quiet(message: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if not Commune.objects.filter(code=places_demo.COMMUNE_CODE).exists():  # a flushing test ran before
                call_command("load_places", verbosity=0, stdout=io.StringIO())
            commune = places_demo.run(log=quiet)
            registry_demo.run(commune=commune, log=quiet, households=600)
            farming_demo.run(commune=commune, log=quiet)
            trace_demo.run(commune=commune, log=quiet)
            accounts_demo.run(commune=commune, password="demo-pass-12345", log=quiet)
            market_demo.run(commune=commune, log=quiet)
            criteria_demo.run(commune=commune, log=quiet)
            surveys_demo.run(commune=commune, log=quiet)
            feedback_demo.run(commune=commune, log=quiet)
            demo.run(commune=commune, log=quiet)
            yield commune
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def readings(commune) -> dict[str, selectors.TargetReading]:
    plan = Plan.objects.get(commune=commune, number=demo.PLAN_NUMBER)
    return {r.target.code: r for view in selectors.plan_overview(plan, END) for r in view.readings}


def test_the_plan_number_is_marked_as_illustrative(demo_commune):
    plan = Plan.objects.get(commune=demo_commune)
    assert plan.is_demo_number and plan.document and plan.objectives.count() == 4


def test_every_target_has_a_value_with_its_source_where_the_platform_or_an_entry_holds_one(demo_commune):
    r = readings(demo_commune)
    assert set(r) == {"1.1", "1.2", "2.1", "3.1", "3.2", "3.3", "3.4", "4.1"}
    assert (r["1.1"].computed, r["1.1"].met) == (True, True)  # criterion 8.4 met in 2025 (criteria demo)
    assert (r["1.2"].computed, r["1.2"].value, r["1.2"].evidence_url != "") == (False, 1, True)
    assert (r["2.1"].computed, r["2.1"].value, r["2.1"].met) == (True, 2, True)  # two contracts in the market demo
    assert r["3.3"].computed and r["3.3"].met is False and 80 <= r["3.3"].value < 100  # smartphones from the registry
    assert (r["3.4"].computed, r["3.4"].value) == (True, 137)
    assert (r["4.1"].computed, r["4.1"].value, r["4.1"].met) == (True, 2, True)
    assert (r["3.1"].computed, r["3.1"].value, r["3.1"].met) == (True, 1, True)  # reports arrive online
    assert (r["3.2"].computed, r["3.2"].value, r["3.2"].met) == (True, 1, True)  # the 2025 survey, answered online


def test_tasks_come_in_every_state_with_milestones_and_photos(demo_commune):
    statuses = set(Task.objects.filter(commune=demo_commune).values_list("status", flat=True))
    assert statuses == {"not_started", "in_progress", "done", "cancelled"}
    assert Task.objects.filter(commune=demo_commune).overdue(END).exists()
    assert Milestone.objects.exclude(photo="").count() >= 3
    assert set(Task.objects.values_list("unit_kind", flat=True)) == {"department", "village", "organisation", "front"}


def test_the_budget_adds_up_and_stays_within_its_limits(demo_commune):
    planned = sum(item[3] for item in demo.BUDGET)
    summary = selectors.budget_summary(demo_commune, 2025)
    assert summary.total.planned == planned == BudgetLine.objects.aggregate(t=Sum("planned"))["t"]
    assert summary.total.disbursed == Disbursement.objects.aggregate(t=Sum("amount"))["t"]
    assert sum(r.amounts.planned for r in summary.by_source if r.level == 0) == planned
    assert sum(r.amounts.planned for r in summary.by_category if r.level == 0) == planned
    for item in summary.lines:
        assert item.amounts.disbursed <= item.amounts.allocated <= item.amounts.planned
    half = selectors.budget_summary(demo_commune, 2025, until=date(2025, 6, 30))
    assert 0 < half.total.disbursed < summary.total.disbursed
    groups = {r.code for r in summary.by_source if r.level == 0 and r.amounts.planned}
    assert groups == {"I", "II", "III", "IV", "V", "VI"}
    assert Allocation.objects.filter(settlement__isnull=False).count() == 1
    in_kind = Disbursement.objects.filter(labour_days__isnull=False)
    assert in_kind.count() == 2 and all(d.amount > 0 for d in in_kind)


def test_classes_have_attendance_by_household_and_organisation(demo_commune):
    assert TrainingClass.objects.filter(commune=demo_commune).count() == 5
    assert Attendance.objects.filter(household__isnull=False).count() == 25 + 30 + 15
    assert Attendance.objects.filter(organisation__isnull=False).count() == 3
    assert selectors.training_totals(demo_commune, 2025).participants == 137


def test_two_villages_pass_the_smart_village_checklist_and_feed_the_smart_criteria(demo_commune):
    from smartcommune.program import checklist

    passing = sorted(p.village.code for p in checklist.evaluate(demo_commune, END) if p.passes)
    assert passing == ["NH01", "SV01"]
    values = selectors.smart_criteria_values(demo_commune, END)
    assert values["4.4"].value == 2 and values["3.3"].passed and values["3.4"].passed


def test_a_second_run_changes_nothing(demo_commune):
    counts = [m.objects.count() for m in (Plan, Target, TargetFigure, Task, BudgetLine, Disbursement, TrainingClass)]
    messages = []
    demo.run(commune=demo_commune, log=messages.append)
    assert [
        m.objects.count() for m in (Plan, Target, TargetFigure, Task, BudgetLine, Disbursement, TrainingClass)
    ] == counts
    assert "already there" in messages[0]
