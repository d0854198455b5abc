"""Expected figures are worked out by hand from the `picture` fixture (see conftest)."""

from decimal import Decimal

from smartcommune.criteria import evaluation
from smartcommune.criteria.evaluation import MET, MISSING, UNMET
from smartcommune.registry.models import HouseholdYear

from .conftest import add_households


def by_code(result):
    return {i.indicator.code: i for i in result.indicators}


def test_computed_indicators_match_the_households(mini_set, commune, picture):
    result = by_code(evaluation.evaluate(commune, mini_set, 2025))
    assert result["4.2"].figure.value == Decimal("92.00")  # 23 of 25 households
    assert (result["4.2"].figure.numerator, result["4.2"].figure.denominator) == (23, 25)
    assert result["9.1"].figure.value == 1
    assert result["9.2"].figure.value == Decimal("96.00")
    assert result["10"].figure.value == Decimal("67.60")  # (24 × 280 + 40) million over 100 people
    assert result["15.1"].figure.value == Decimal("96.00")  # 96 insured of 100


def test_statuses_roll_up_from_indicator_to_commune(mini_set, commune, picture):
    result = evaluation.evaluate(commune, mini_set, 2025)
    criteria = {c.criterion.number: c.status for c in result.criteria}
    assert criteria == {4: UNMET, 8: MISSING, 9: UNMET, 10: MET, 15: MET}
    assert result.status == UNMET


def test_the_gap_says_how_many_households_and_which_villages(mini_set, commune, picture):
    electricity = by_code(evaluation.evaluate(commune, mini_set, 2025))["4.2"]
    assert electricity.gap.households == 2  # 98 % of 25 is 24.5: two more households
    assert [v.village for v in electricity.blocking_villages] == [picture[1]]
    assert electricity.blocking_villages[0].figure.value == Decimal("80.00")


def test_the_threshold_follows_the_communes_region_and_the_year(mini_set, commune, picture):
    income_2025 = by_code(evaluation.evaluate(commune, mini_set, 2025))["10"]
    assert income_2025.threshold.value == 62
    commune.region = "DBSH"
    commune.save()
    housing = by_code(evaluation.evaluate(commune, mini_set, 2025))["9.2"]
    assert housing.threshold.value == 90 and housing.status == MET


def test_a_change_in_the_registry_shows_at_once(mini_set, commune, picture):
    HouseholdYear.objects.filter(safe_electricity=False).update(safe_electricity=True)
    electricity = by_code(evaluation.evaluate(commune, mini_set, 2025))["4.2"]
    assert electricity.figure.value == 100 and electricity.status == MET


def test_trend_compares_with_last_year(mini_set, commune, picture, villages):
    add_households(villages[0], 10, year=2024, safe_electricity=True)
    add_households(villages[0], 10, year=2024, safe_electricity=False)
    electricity = by_code(evaluation.evaluate(commune, mini_set, 2025))["4.2"]
    assert electricity.previous.value == 50 and electricity.trend == Decimal("42.00")


def test_too_few_households_with_figures_is_missing_data(mini_set, commune, villages):
    add_households(villages[0], 5, safe_electricity=True)
    add_households(villages[0], 5, safe_electricity=None)
    electricity = by_code(evaluation.evaluate(commune, mini_set, 2025))["4.2"]
    assert electricity.status == MISSING and electricity.figure.missing == 5


def test_a_year_without_households_is_missing_data(mini_set, commune, villages):
    result = evaluation.evaluate(commune, mini_set, 2031)
    assert result.status == MISSING


def test_the_province_view_compares_communes_on_the_same_set(mini_set, commune, other_commune, picture, other_village):
    add_households(other_village, 4, safe_electricity=True, housing="kien_co", income=300_000_000, insured_members=4)
    rows = {r.commune.code: r for r in evaluation.evaluate_province([commune, other_commune], mini_set, 2025)}
    assert rows["21238"].statuses[4] == UNMET and rows["21235"].statuses[4] == MET
    assert rows["21235"].met == 4  # all but criterion 8, which has no entered value


def test_a_province_correction_wins_for_its_communes_only(mini_set, commune, picture, official):
    from smartcommune.criteria import services

    threshold = mini_set.indicators.get(code="4.2").thresholds.get()
    services.threshold_correct(
        threshold=threshold, province=commune.province, value=Decimal(90), reason="QĐ 1/QĐ-UBND", by=official
    )
    assert by_code(evaluation.evaluate(commune, mini_set, 2025))["4.2"].status == MET
