from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.criteria import evaluation, services
from smartcommune.criteria.models import Assessment, Evidence, IndicatorValue
from smartcommune.registry.models import HouseholdYear

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def indicator(criteria_set, code):
    return criteria_set.indicators.get(code=code)


def test_an_official_enters_a_pass_fail_value_with_a_note(mini_set, commune, official):
    value = services.value_enter(
        indicator=indicator(mini_set, "8.4"), commune=commune, year=2025, by=official, passed=True, note="QĐ số 5"
    )
    assert value.passed is True
    result = {i.indicator.code: i for i in evaluation.evaluate(commune, mini_set, 2025).indicators}
    assert result["8.4"].status == evaluation.MET


def test_a_percentage_above_100_is_refused(mini_set, commune, official):
    with pytest.raises(ValidationError) as error:
        services.value_enter(
            indicator=indicator(mini_set, "8.5"), commune=commune, year=2025, by=official, value=Decimal(120)
        )
    assert "100" in " ".join(error.value.messages)
    assert not IndicatorValue.objects.exists()


def test_a_numerator_above_its_denominator_is_refused(mini_set, commune, official):
    with pytest.raises(ValidationError):
        services.value_enter(
            indicator=indicator(mini_set, "8.5"), commune=commune, year=2025, by=official,
            numerator=Decimal(13), denominator=Decimal(12),
        )  # fmt: skip


def test_the_value_follows_from_numerator_and_denominator(mini_set, commune, official):
    value = services.value_enter(
        indicator=indicator(mini_set, "8.5"),
        commune=commune,
        year=2025,
        by=official,
        numerator=Decimal(9),
        denominator=Decimal(12),
    )
    assert value.value == Decimal("75.00")


def test_computed_indicators_cannot_be_entered(mini_set, commune, official):
    with pytest.raises(ValidationError):
        services.value_enter(
            indicator=indicator(mini_set, "4.2"), commune=commune, year=2025, by=official, value=Decimal(99)
        )


def test_evidence_must_be_a_pdf_or_an_image_by_its_content(mini_set, commune, official):
    value = services.value_enter(
        indicator=indicator(mini_set, "8.4"), commune=commune, year=2025, by=official, passed=True
    )
    with pytest.raises(ValidationError):
        services.evidence_add(value=value, upload=SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), by=official)
    services.evidence_add(value=value, upload=SimpleUploadedFile("qd.pdf", PDF), by=official)
    assert list(Evidence.objects.values_list("content_type", flat=True)) == ["application/pdf"]


def test_oversized_evidence_is_refused(mini_set, commune, official, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    value = services.value_enter(
        indicator=indicator(mini_set, "8.4"), commune=commune, year=2025, by=official, passed=True
    )
    with pytest.raises(ValidationError):
        services.evidence_add(value=value, upload=SimpleUploadedFile("qd.pdf", PDF), by=official)
    assert not Evidence.objects.exists()


def test_submit_then_approve_locks_the_computed_figures(mini_set, commune, picture, official, province_official):
    services.assessment_submit(commune=commune, criteria_set=mini_set, year=2025, by=official)
    assessment = Assessment.objects.get()
    services.assessment_approve(assessment=assessment, by=province_official)
    HouseholdYear.objects.update(safe_electricity=True)  # the registry moves after approval…
    result = {i.indicator.code: i for i in evaluation.evaluate(commune, mini_set, 2025).indicators}
    assert result["4.2"].figure.value == Decimal("92.00")  # …the approved figure does not


def test_the_submitter_cannot_approve(mini_set, commune, official):
    assessment = services.assessment_submit(commune=commune, criteria_set=mini_set, year=2025, by=official)
    with pytest.raises(ValidationError):
        services.assessment_approve(assessment=assessment, by=official)


def test_a_submitted_period_takes_no_new_values(mini_set, commune, official):
    services.assessment_submit(commune=commune, criteria_set=mini_set, year=2025, by=official)
    with pytest.raises(ValidationError):
        services.value_enter(indicator=indicator(mini_set, "8.4"), commune=commune, year=2025, by=official, passed=True)


def test_a_change_after_approval_needs_a_reason_that_is_kept(mini_set, commune, official, province_official):
    services.value_enter(indicator=indicator(mini_set, "8.4"), commune=commune, year=2025, by=official, passed=True)
    assessment = services.assessment_submit(commune=commune, criteria_set=mini_set, year=2025, by=official)
    services.assessment_approve(assessment=assessment, by=province_official)
    with pytest.raises(ValidationError):
        services.value_enter(
            indicator=indicator(mini_set, "8.4"), commune=commune, year=2025, by=official, passed=False
        )
    assert IndicatorValue.objects.get().passed is True
    services.value_enter(
        indicator=indicator(mini_set, "8.4"),
        commune=commune,
        year=2025,
        by=official,
        passed=False,
        reason="Kết luận thanh tra",
    )
    assert IndicatorValue.objects.get().history.first().history_change_reason == "Kết luận thanh tra"


def test_a_submission_with_a_value_breaking_its_rule_is_stopped(mini_set, commune, official):
    IndicatorValue.objects.create(indicator=indicator(mini_set, "8.5"), commune=commune, year=2025, value=Decimal(130))
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(commune=commune, criteria_set=mini_set, year=2025, by=official)
    assert error.value.messages[0].startswith("8.5:")
    assert not Assessment.objects.filter(status="submitted").exists()
