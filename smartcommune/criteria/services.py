"""Writes on criteria: entered values with evidence, the submit/approve workflow, threshold corrections."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from simple_history.utils import update_change_reason

from smartcommune.accounts.models import User
from smartcommune.places.models import Commune, Province, Village
from smartcommune.registry.models import Household

from . import evaluation
from .models import Assessment, CriteriaSet, Evidence, Indicator, IndicatorValue, Threshold

EVIDENCE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def assessment_for(commune: Commune, criteria_set: CriteriaSet, year: int) -> Assessment:
    assessment, _ = Assessment.objects.get_or_create(commune=commune, criteria_set=criteria_set, year=year)
    return assessment


def value_problems(indicator: Indicator, commune: Commune, values: dict) -> list[str]:
    """The data's own validation rules (range, numerator ≤ denominator, counts within the registry)."""
    problems = []
    value, numerator, denominator = values.get("value"), values.get("numerator"), values.get("denominator")
    rules = indicator.validation or {}
    if indicator.kind == Indicator.Kind.PERCENT:
        rules = {"min": 0, "max": 100, **rules}
    if value is not None:
        if "min" in rules and value < Decimal(str(rules["min"])):
            problems.append(_("The value is below %(limit)s.") % {"limit": rules["min"]})
        if "max" in rules and value > Decimal(str(rules["max"])):
            problems.append(_("The value is above %(limit)s.") % {"limit": rules["max"]})
        reference = rules.get("max_ref")
        if reference == "villages":
            count = Village.objects.in_commune(commune).active().count()
            if value > count:
                problems.append(_("The value is more than the %(count)s villages of the commune.") % {"count": count})
        elif reference == "households":
            count = Household.objects.in_commune(commune).active().count()
            if value > count:
                problems.append(_("The value is more than the %(count)s households on record.") % {"count": count})
    if numerator is not None and denominator is not None and numerator > denominator:
        problems.append(_("The numerator is larger than the denominator."))
    if denominator is not None and denominator <= 0:
        problems.append(_("The denominator must be more than zero."))
    return problems


@transaction.atomic
def value_enter(
    *,
    indicator: Indicator,
    commune: Commune,
    year: int,
    by: User,
    value: Decimal | None = None,
    passed: bool | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    note: str = "",
    reason: str = "",
) -> IndicatorValue:
    """Record an entered value. After approval a change needs a reason, kept in the history."""
    if indicator.is_computed:
        raise ValidationError(_("This indicator is computed from the registries and cannot be entered."))
    assessment = (
        Assessment.objects.select_for_update()
        .filter(commune=commune, criteria_set=indicator.criteria_set, year=year)
        .first()
    )
    if assessment and assessment.status == Assessment.Status.SUBMITTED:
        raise ValidationError(_("The assessment is submitted: wait for its approval or its return to draft."))
    if assessment and assessment.is_locked and not reason.strip():
        raise ValidationError({"reason": _("The period is approved and locked: give the reason for this change.")})
    if numerator is not None and denominator is not None and value is None and denominator > 0:
        value = (numerator / denominator * 100).quantize(Decimal("0.01"))
    if indicator.kind == Indicator.Kind.PASS_FAIL:
        if passed is None:
            raise ValidationError({"passed": _("Say whether the indicator is met.")})
    elif value is None:
        raise ValidationError({"value": _("Enter the value.")})
    problems = value_problems(indicator, commune, {"value": value, "numerator": numerator, "denominator": denominator})
    if problems:
        raise ValidationError(problems)
    defaults = {
        "value": value,
        "passed": passed,
        "numerator": numerator,
        "denominator": denominator,
        "note": note,
        "entered_by": by,
    }
    try:
        with transaction.atomic():
            record, _created = IndicatorValue.objects.update_or_create(
                indicator=indicator, commune=commune, village=None, year=year, defaults=defaults
            )
    except IntegrityError:  # another official saved the same value at the same moment
        record = IndicatorValue.objects.get(indicator=indicator, commune=commune, village=None, year=year)
        for name, new in defaults.items():
            setattr(record, name, new)
        record.save()
    if reason:
        update_change_reason(record, reason)
    return record


def _sniff(upload) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(image.format)
    except (UnidentifiedImageError, OSError, SyntaxError):
        kind = None
    upload.seek(0)
    return kind


@transaction.atomic
def evidence_add(*, value: IndicatorValue, upload, by: User) -> Evidence:
    """Attach a PDF or image, checked by its content, not its name."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // 2**20
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": limit})
    content_type = _sniff(upload)
    if content_type not in EVIDENCE_TYPES:
        raise ValidationError(_("Evidence must be a PDF or an image (JPEG, PNG, WebP)."))
    assessment = Assessment.objects.filter(
        commune=value.commune, criteria_set=value.indicator.criteria_set, year=value.year
    ).first()
    if assessment and assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Evidence can be added only while the assessment is a draft."))
    return Evidence.objects.create(
        value=value, file=upload, name=upload.name[:200], content_type=content_type, size=upload.size, uploaded_by=by
    )


def submission_problems(commune: Commune, criteria_set: CriteriaSet, year: int) -> list[str]:
    """What stops a submission: entered values that break their rules."""
    problems = []
    values = IndicatorValue.objects.filter(
        commune=commune, year=year, indicator__criteria_set=criteria_set
    ).select_related("indicator")
    for v in values:
        for problem in value_problems(
            v.indicator, commune, {"value": v.value, "numerator": v.numerator, "denominator": v.denominator}
        ):
            problems.append(f"{v.indicator.code}: {problem}")
    return problems


@transaction.atomic
def assessment_submit(*, commune: Commune, criteria_set: CriteriaSet, year: int, by: User) -> Assessment:
    assessment = assessment_for(commune, criteria_set, year)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    problems = submission_problems(commune, criteria_set, year)
    if problems:
        raise ValidationError(problems)
    assessment.status, assessment.submitted_by, assessment.submitted_at = (
        Assessment.Status.SUBMITTED,
        by,
        timezone.now(),
    )
    assessment.save()
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, by: User) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be approved."))
    if assessment.submitted_by_id == by.pk:
        raise ValidationError(_("The person who submitted cannot approve."))
    assessment.status, assessment.approved_by, assessment.approved_at = Assessment.Status.APPROVED, by, timezone.now()
    assessment.snapshot = evaluation.snapshot(assessment.commune, assessment.criteria_set, assessment.year)
    assessment.save()
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, by: User, reason: str) -> Assessment:
    """Send a submitted (or approved) assessment back to draft, with the reason in the history."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the assessment.")})
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.DRAFT:
        raise ValidationError(_("The assessment is already a draft."))
    assessment.status, assessment.snapshot = Assessment.Status.DRAFT, {}
    assessment.save()
    update_change_reason(assessment, reason)
    return assessment


@transaction.atomic
def threshold_correct(*, threshold: Threshold, province: Province, value: Decimal, reason: str, by: User) -> Threshold:
    """A province's correction of a threshold, kept beside the national value with its reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the source of the corrected value (decision, article).")})
    if value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")})
    correction = Threshold.objects.filter(
        indicator=threshold.indicator,
        province=province,
        region=threshold.region,
        group=threshold.group,
        year_from=threshold.year_from,
        year_to=threshold.year_to,
    ).first() or Threshold(
        indicator=threshold.indicator,
        province=province,
        comparator=threshold.comparator,
        region=threshold.region,
        group=threshold.group,
        year_from=threshold.year_from,
        year_to=threshold.year_to,
    )
    correction.value, correction.needs_verification, correction.source = value, False, reason.strip()
    correction.save()
    update_change_reason(correction, reason[:100])
    return correction
