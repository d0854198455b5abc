from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from smartcommune.core import metrics
from smartcommune.surveys import reports, selectors, services
from smartcommune.surveys.models import Question

from .conftest import add_households, all_satisfied

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(open_campaign, villages, front_officer):
    """T01: 20 households, 18 answer (16 satisfied with everything, 2 not with the first item and not
    overall); T02: 10 households, 8 answer, all satisfied; T03: 4 households, 2 answer."""
    add_households(villages[0], 20)
    add_households(villages[1], 10)
    add_households(villages[2], 4)
    first = open_campaign.questions.filter(role=Question.Role.ITEM).order_by("position").first()
    sheets = {v.code: services.slips_issue(campaign=open_campaign, village=v, by=front_officer).codes for v in villages}
    for index, code in enumerate(sheets["T01"][:18]):
        unhappy = {first.name: "no", "tong_the": "no"} if index < 2 else {}
        services.response_submit(code=code, answers=all_satisfied(open_campaign, **unhappy))
    for code in sheets["T02"][:8]:
        services.response_submit(code=code, answers=all_satisfied(open_campaign), channel="paper")
    for code in sheets["T03"][:2]:
        services.response_submit(code=code, answers=all_satisfied(open_campaign, y_kien="Ý kiến"))
    return open_campaign, first


def test_coverage_and_rates_by_village_and_commune(big):
    campaign, first = big
    results = selectors.campaign_results(campaign)
    by_code = {g.village.code: g for g in results.villages}
    assert by_code["T01"].coverage == Decimal("90.0") and by_code["T02"].paper == 8
    assert by_code["T01"].item(first).pct == Decimal("88.9")  # 16 of 18
    assert results.commune.responses == 28 and results.commune.households == 34
    assert results.commune.coverage == Decimal("82.4")
    assert results.commune.overall.pct == Decimal("92.9")  # 26 of 28
    assert results.overall_ok and results.coverage_ok and results.items_ok and results.passed


def test_an_item_below_its_threshold_in_one_village_fails_the_survey(big, front_officer):
    campaign, first = big
    services.campaign_update(campaign=campaign, by=front_officer, item_threshold=Decimal("90"))
    results = selectors.campaign_results(campaign)
    assert [(s.village.code, s.question.name) for s in results.shortfalls] == [("T01", first.name)]
    assert results.items_ok and results.items_everywhere_ok is False and results.passed is False


def test_low_coverage_or_overall_fails_the_survey(big, front_officer):
    campaign, _ = big
    services.campaign_update(campaign=campaign, by=front_officer, coverage_threshold=Decimal("85"))
    assert selectors.campaign_results(campaign).coverage_ok is False
    services.campaign_update(
        campaign=campaign, by=front_officer, coverage_threshold=Decimal("70"), overall_threshold=Decimal("95")
    )
    results = selectors.campaign_results(campaign)
    assert results.overall_ok is False and results.passed is False


def test_the_summary_lines_read_as_officials_report_them(big):
    campaign, _ = big
    lines = reports.summary_lines(selectors.campaign_results(campaign))
    assert lines[0][1] == "28 / 34 (82,4 %)"
    assert lines[1][1] == "92,9 %"


def test_the_published_summary_merges_villages_with_too_few_answers(big, front_officer):
    campaign, _first = big
    assert selectors.published_summary(campaign) is None
    services.campaign_publish(campaign=campaign, by=front_officer)
    summary = selectors.published_summary(campaign)
    names = [g["name"] for g in summary["groups"]]
    assert names == ["Thôn Đồng Lớn", _("Other villages")]  # T02 (8) and T03 (2) are under 10
    others = summary["groups"][1]
    assert others["merged"] and others["villages"] == 2 and others["responses"] == 10 and others["households"] == 14
    assert others["overall"] == Decimal("100.0")  # together they are 10: shown
    assert summary["items"][0]["rate"] == Decimal("92.9")
    assert "Ý kiến" not in str(summary)


def test_a_merged_group_still_too_small_shows_no_rates(big, front_officer):
    campaign, _ = big
    services.campaign_update(campaign=campaign, by=front_officer, min_group_size=11)
    services.campaign_publish(campaign=campaign, by=front_officer)
    summary = selectors.published_summary(campaign)
    others = summary["groups"][-1]
    assert others["responses"] == 10 and others["overall"] is None and set(others["items"].values()) == {None}
    assert summary["groups"][0]["overall"] == Decimal("88.9")


def test_general_questions_are_summarised_by_option_and_mean(commune, official, homes):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    campaign = services.campaign_create(
        commune=commune, kind="general", title="Chung", opens_on=today, closes_on=today + timedelta(days=1), by=official
    )
    for name, kind, options in [
        ("many", "multiple", [("a", "A"), ("b", "B")]),
        ("scale", "scale", []),
        ("count", "number", []),
    ]:
        services.question_save(question=Question(campaign=campaign, name=name, kind=kind, text=name), options=options)
    services.campaign_open(campaign=campaign, by=official)
    issued = services.slips_issue(campaign=campaign, village=homes[0], by=official).codes
    services.response_submit(code=issued[0], answers={"many": ["a", "b"], "scale": "5", "count": "2"})
    services.response_submit(code=issued[1], answers={"many": ["a"], "scale": "3", "count": "4"})
    summaries = {s.question.name: s for s in selectors.campaign_results(campaign).summaries}
    assert summaries["many"].answered == 2
    assert [(o.value, o.count, o.pct) for o in summaries["many"].options] == [
        ("a", 2, Decimal("100.0")),
        ("b", 1, Decimal("50.0")),
    ]
    assert [o.count for o in summaries["scale"].options] == [0, 0, 1, 0, 1]
    assert summaries["count"].mean == Decimal("3.00") and summaries["scale"].mean == Decimal("4.00")


def test_the_satisfaction_rate_is_offered_to_other_parts_as_a_metric(big):
    campaign, _ = big
    reading = metrics.read("surveys.satisfaction_pct", campaign.commune, date.today())
    assert reading.value == Decimal("92.9") and reading.detail == "26 / 28"
    assert metrics.read("surveys.coverage_pct", campaign.commune, date.today()).value == Decimal("82.4")
    assert metrics.read("surveys.satisfaction_pct", campaign.commune, date(2000, 1, 1)) is None


def test_results_take_a_bounded_number_of_queries(big, django_assert_max_num_queries):
    campaign, _ = big
    with django_assert_max_num_queries(8):
        selectors.campaign_results(campaign)


def test_online_answers_make_the_survey_count_for_the_plan(big, other_commune):
    campaign, _ = big
    today = date.today()
    reading = metrics.read("surveys.satisfaction_online", campaign.commune, today)
    assert reading.value == 1 and reading.detail.startswith("20 ")  # 18 + 2 online, the 8 paper forms not
    assert metrics.read("surveys.satisfaction_online", other_commune, today).value == 0
    assert metrics.read("surveys.satisfaction_online", campaign.commune, date(2000, 1, 1)).value == 0
