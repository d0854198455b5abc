"""Plans and targets: a target's current value comes from the platform's data when it holds it, and from
figures entered with evidence otherwise, always with its source and date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from smartcommune.core import metrics
from smartcommune.criteria import loading
from smartcommune.criteria import services as criteria_services
from smartcommune.criteria.models import CriteriaSet, Indicator
from smartcommune.program import selectors
from smartcommune.program.models import Plan, Target, TargetFigure
from smartcommune.program.services import plans
from smartcommune.registry import services as registry_services
from smartcommune.registry.models import HouseholdYear

from .conftest import pdf_file, smartphone_target

pytestmark = pytest.mark.django_db
END = date(2025, 12, 31)


def reading(target, on=END):
    return selectors.target_readings([target], target.objective.plan.commune, on)[0]


def test_a_target_computed_from_the_registry_moves_when_the_households_change(objective, households):
    target = smartphone_target(objective)
    before = reading(target)
    assert (before.value, before.met, before.computed) == (Decimal("100.0"), True, True)
    assert before.as_of == date(2025, 12, 31) and before.detail == "3 / 3"

    record = HouseholdYear.objects.get(household=households[1], year=2025)
    record.smartphone = False
    registry_services.household_year_save(record=record)

    after = reading(target)
    assert (after.value, after.met, after.progress) == (Decimal("66.7"), False, 66)
    assert after.detail == "2 / 3"


def test_the_plan_page_shows_the_computed_value_with_its_source_and_the_change(login, official, objective, households):
    target = smartphone_target(objective)
    url = reverse("program:plan", args=["21238", objective.plan_id])
    page = login(official).get(url).content.decode()
    assert "100 %" in page and 'class="badge computed"' in page and "tính từ dữ liệu" in page
    record = HouseholdYear.objects.get(household=households[0], year=2025)
    record.smartphone = False
    registry_services.household_year_save(record=record)
    page = login(official).get(url).content.decode()
    print(page[page.find("t-3.3") : page.find("t-3.3") + 1500])
    assert "66,7 %" in page  # Vietnamese decimal comma
    assert f'id="t-{target.code}"' in page


def test_a_criteria_indicator_target_reads_the_criteria_part(objective, official, commune):
    loading.load_all()
    target = smartphone_target(
        objective, code="1.1", kind=Target.Kind.YES_NO, comparator="==", target_value=1, unit="",
        metric_key="criteria.indicator:qd318-xa-ntm:8.4",
    )  # fmt: skip
    assert reading(target).value is None  # nothing entered in the criteria yet
    indicator = Indicator.objects.get(criteria_set=CriteriaSet.objects.get(code="qd318-xa-ntm"), code="8.4")
    criteria_services.value_enter(indicator=indicator, commune=commune, year=2025, by=official, passed=True)
    result = reading(target)
    assert (result.value, result.met, result.computed) == (Decimal(1), True, True)


def test_a_metric_of_a_part_not_installed_falls_back_to_the_latest_entered_figure(objective, official):
    target = smartphone_target(
        objective,
        code="2.1",
        kind=Target.Kind.NUMBER,
        unit="HTX",
        target_value=2,
        metric_key="tourism.homestays",  # a part this platform does not have
    )
    empty = reading(target)
    assert empty.value is None and "tourism.homestays" in empty.note
    plans.target_figure_add(target=target, value=Decimal(1), as_of=date(2025, 6, 30), evidence=pdf_file(), by=official)
    plans.target_figure_add(target=target, value=Decimal(2), as_of=date(2025, 11, 30), evidence=pdf_file(), by=official)
    result = reading(target)
    assert (result.value, result.as_of, result.computed, result.met) == (Decimal(2), date(2025, 11, 30), False, True)
    assert official.get_full_name() in result.source and result.evidence_url
    assert reading(target, on=date(2025, 7, 1)).value == Decimal(1)  # the figure in force on that day


def test_a_computed_value_wins_over_an_entered_one_when_the_metric_has_data(objective, official, households):
    target = smartphone_target(objective)
    plans.target_figure_add(target=target, value=Decimal(50), as_of=date(2025, 6, 30), evidence=pdf_file(), by=official)
    assert reading(target).computed is True


def test_a_failing_metric_does_not_break_the_plan(objective, official, monkeypatch):
    def broken(commune, on):
        raise RuntimeError("another part's bug")

    monkeypatch.setitem(metrics._metrics, "test.broken", metrics.Metric("test.broken", "Broken", broken))
    target = smartphone_target(objective, metric_key="test.broken")
    assert reading(target).value is None


def test_entered_figures_need_evidence_a_past_date_and_a_sensible_value(objective, official):
    target = smartphone_target(objective, metric_key="")
    with pytest.raises(ValidationError) as error:
        plans.target_figure_add(target=target, value=Decimal(80), as_of=date(2025, 6, 30), evidence=None, by=official)
    assert "evidence" in error.value.message_dict
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        plans.target_figure_add(target=target, value=Decimal(80), as_of=tomorrow, evidence=pdf_file(), by=official)
    assert "as_of" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        plans.target_figure_add(
            target=target, value=Decimal(120), as_of=date(2025, 6, 30), evidence=pdf_file(), by=official
        )
    assert "value" in error.value.message_dict
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf at all")
    with pytest.raises(ValidationError):
        plans.target_figure_add(target=target, value=Decimal(80), as_of=date(2025, 6, 30), evidence=fake, by=official)
    assert not TargetFigure.objects.exists()


def test_target_rules(objective):
    with pytest.raises(ValidationError) as error:
        plans.target_save(target=Target(objective=objective, code="9.9", name="x", kind="number", target_value=1,
                                        deadline=date(2026, 3, 1), metric_key="not a key"))  # fmt: skip
    assert {"deadline", "metric_key"} <= set(error.value.message_dict)
    yes_no = plans.target_save(
        target=Target(
            objective=objective, code="1.2", name="x", kind="yes_no", comparator=">=", target_value=1, deadline=END
        )
    )
    assert yes_no.comparator == "=="
    with pytest.raises(ValidationError):
        plans.target_save(
            target=Target(objective=objective, code="1.3", name="x", kind="yes_no", target_value=2, deadline=END)
        )
    ok = plans.target_save(
        target=Target(objective=objective, code="1.4", name="x", target_value=1, deadline=END,
                      metric_key="criteria.indicator:qd318-xa-ntm:8.4")
    )  # fmt: skip
    assert ok.pk


def test_a_plan_period_cannot_end_before_it_starts_and_numbers_are_unique(plan, commune):
    with pytest.raises(ValidationError) as error:
        plans.plan_save(plan=Plan(commune=commune, number="46/KH-UBND", issued_on=END, title="x",
                                  period_from=END, period_to=date(2025, 1, 1)))  # fmt: skip
    assert "period_to" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        plans.plan_save(plan=Plan(commune=commune, number=" 45/KH-UBND ", issued_on=END, title="x",
                                  period_from=date(2025, 1, 1), period_to=END))  # fmt: skip
    assert "number" in error.value.message_dict
    assert Plan.objects.count() == 1


def test_an_official_enters_a_figure_with_evidence_through_the_page(login, official, objective):
    target = smartphone_target(
        objective, metric_key="", code="1.2", kind="yes_no", comparator="==", target_value=1, unit=""
    )
    url = reverse("program:target", args=["21238", target.pk])
    response = login(official).post(
        url, {"value": "1", "as_of": "30/11/2025", "evidence": pdf_file(), "note": "Biên bản"}
    )
    assert response.status_code == 302
    figure = TargetFigure.objects.get()
    assert (figure.value, figure.as_of, figure.entered_by) == (Decimal(1), date(2025, 11, 30), official)
    response = login(official).post(url, {"value": "1", "as_of": "30/11/2025", "note": "no file"})
    assert response.status_code == 400 and TargetFigure.objects.count() == 1


def test_an_official_creates_a_plan_objective_and_target_through_the_pages(login, official, commune):
    client = login(official)
    response = client.post(
        reverse("program:plan_create", args=["21238"]),
        {"number": "12/KH-UBND", "issued_on": "15/01/2026", "title": "Kế hoạch 2026", "period_from": "01/01/2026",
         "period_to": "31/12/2026", "legal_bases": "QĐ 924/QĐ-TTg", "document_file": pdf_file("kh.pdf")},
    )  # fmt: skip
    assert response.status_code == 302
    plan = Plan.objects.get(number="12/KH-UBND")
    assert plan.document and plan.period_from == date(2026, 1, 1)
    response = client.post(
        reverse("program:objective_create", args=["21238", plan.pk]), {"number": 1, "title": "Kinh tế số"}
    )
    assert response.status_code == 302
    objective = plan.objectives.get()
    response = client.post(
        reverse("program:target_create", args=["21238", objective.pk]),
        {"code": "2.1", "name": "HTX liên kết", "kind": "number", "unit": "HTX", "comparator": ">=",
         "target_value": "2", "deadline": "31/12/2026", "metric_key": "market.linkage_cooperatives"},
    )  # fmt: skip
    assert response.status_code == 302
    assert objective.targets.get().metric_key == "market.linkage_cooperatives"


def test_a_plan_document_must_be_a_pdf(login, official):
    response = login(official).post(
        reverse("program:plan_create", args=["21238"]),
        {"number": "12/KH-UBND", "issued_on": "15/01/2026", "title": "x", "period_from": "01/01/2026",
         "period_to": "31/12/2026", "document_file": pdf_file("kh.pdf").__class__("kh.pdf", b"not a pdf")},
    )  # fmt: skip
    assert response.status_code == 400 and not Plan.objects.exists()
