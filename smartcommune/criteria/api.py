"""Criteria through the API: the sets, a commune's evaluation (public: figures only), and DHIS2-style
`dataValueSets` so that other indicator systems can exchange values with us."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from config.api import AUTH
from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import evaluation, services
from .models import CriteriaSet, Indicator

router = Router(tags=["criteria"])


class ThresholdOut(Schema):
    comparator: str
    value: Decimal
    region: str
    group: int | None
    year_from: int | None
    year_to: int | None
    province_code: str | None = Field(None, alias="province.code")
    needs_verification: bool
    source: str


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    unit: str
    source: str
    village_level: bool
    formula: dict | None
    needs_verification: bool
    thresholds: list[ThresholdOut]

    @staticmethod
    def resolve_thresholds(obj) -> list:
        return list(obj.thresholds.all())


class CriterionOut(Schema):
    number: int
    name: str
    group: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj) -> list:
        return list(obj.indicators.all())


class SetOut(Schema):
    code: str
    name: str
    kind: str
    legal_basis: str
    valid_from: str
    valid_to: str | None
    thresholds_by: str
    needs_verification: bool

    @staticmethod
    def resolve_valid_from(obj) -> str:
        return obj.valid_from.isoformat()

    @staticmethod
    def resolve_valid_to(obj) -> str | None:
        return obj.valid_to.isoformat() if obj.valid_to else None


class SetDetailOut(SetOut):
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.prefetch_related("indicators__thresholds__province").order_by("number"))


class VillageValueOut(Schema):
    village_code: str
    value: Decimal | bool | None
    status: str


class IndicatorValueOut(Schema):
    code: str
    value: Decimal | bool | None
    numerator: Decimal | None
    denominator: Decimal | None
    threshold: str | None
    status: str
    gap_households: int | None
    villages: list[VillageValueOut]


class CriterionStatusOut(Schema):
    number: int
    name: str
    status: str
    indicators: list[IndicatorValueOut]


class EvaluationOut(Schema):
    commune_code: str
    set_code: str
    year: int
    status: str
    assessment_status: str
    criteria: list[CriterionStatusOut]


class DataValue(Schema):
    dataElement: str
    period: str
    orgUnit: str
    value: str
    comment: str = ""


class DataValueSet(Schema):
    dataSet: str
    period: str | None = None
    orgUnit: str | None = None
    dataValues: list[DataValue]


class ImportCount(Schema):
    imported: int
    updated: int
    ignored: int
    deleted: int


class Conflict(Schema):
    object: str
    value: str


class ImportSummary(Schema):
    status: str
    importCount: ImportCount
    conflicts: list[Conflict]


@router.get("/sets", response=list[SetOut], auth=None)
def set_list(request):
    return CriteriaSet.objects.all()


@router.get("/sets/{code}", response=SetDetailOut, auth=None)
def set_detail(request, code: str):
    return get_object_or_404(CriteriaSet, code=code)


def _threshold_text(t) -> str | None:
    return f"{t.comparator} {t.value.normalize()}" if t else None


@router.get("/communes/{code}/evaluation", response=EvaluationOut, auth=None)
def commune_evaluation(request, code: str, set: str, year: int):
    commune = commune_or_404(code)
    criteria_set = get_object_or_404(CriteriaSet, code=set)
    result = evaluation.evaluate(commune, criteria_set, year)
    return EvaluationOut(
        commune_code=commune.code,
        set_code=criteria_set.code,
        year=year,
        status=result.status,
        assessment_status=result.assessment.status if result.assessment else "draft",
        criteria=[
            CriterionStatusOut(
                number=c.criterion.number,
                name=c.criterion.name,
                status=c.status,
                indicators=[
                    IndicatorValueOut(
                        code=i.indicator.code,
                        value=i.figure.value,
                        numerator=i.figure.numerator,
                        denominator=i.figure.denominator,
                        threshold=_threshold_text(i.threshold),
                        status=i.status,
                        gap_households=i.gap.households if i.gap else None,
                        villages=[
                            VillageValueOut(village_code=v.village.code, value=v.figure.value, status=v.status)
                            for v in i.villages
                        ],
                    )
                    for i in c.indicators
                ],
            )
            for c in result.criteria
        ],
    )


def _dhis_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return format(value.normalize(), "f")


@router.get("/dataValueSets", response=DataValueSet, auth=None)
def data_value_sets_export(request, dataSet: str, period: str, orgUnit: str):
    """Every value of a commune (and its villages, as "<commune>-<village>") for a set and a year."""
    commune = commune_or_404(orgUnit)
    criteria_set = get_object_or_404(CriteriaSet, code=dataSet)
    if not period.isdigit():
        raise ValidationError(_("The period is a year such as 2025."))
    result = evaluation.evaluate(commune, criteria_set, int(period))
    values = []
    for i in result.indicators:
        if (text := _dhis_value(i.figure.value)) is not None:
            values.append(DataValue(dataElement=i.indicator.code, period=period, orgUnit=commune.code, value=text))
        for v in i.villages:
            if (text := _dhis_value(v.figure.value)) is not None:
                unit = f"{commune.code}-{v.village.code}"
                values.append(DataValue(dataElement=i.indicator.code, period=period, orgUnit=unit, value=text))
    return DataValueSet(dataSet=criteria_set.code, period=period, orgUnit=commune.code, dataValues=values)


@router.post("/dataValueSets", response={200: ImportSummary, 409: ImportSummary}, auth=AUTH)
def data_value_sets_import(request, payload: DataValueSet):
    """Import entered values (not computed ones), all or nothing, DHIS2-style import summary."""
    criteria_set = get_object_or_404(CriteriaSet, code=payload.dataSet)
    indicators = {i.code: i for i in Indicator.objects.filter(criteria_set=criteria_set)}
    communes: dict[str, Commune] = {}
    conflicts, prepared = [], []
    for item in payload.dataValues:
        indicator = indicators.get(item.dataElement)
        commune = communes.get(item.orgUnit) or Commune.objects.filter(code=item.orgUnit).first()
        if indicator is None:
            conflicts.append(Conflict(object=item.dataElement, value=_("Unknown data element.")))
            continue
        if commune is None:
            conflicts.append(Conflict(object=item.orgUnit, value=_("Unknown organisation unit (a commune code).")))
            continue
        communes[item.orgUnit] = commune
        if not scoping.scope_for(request.user).has_role(commune, Role.COMMUNE_OFFICIAL):
            conflicts.append(Conflict(object=item.orgUnit, value=_("You may not write values for this commune.")))
            continue
        if indicator.is_computed:
            conflicts.append(
                Conflict(object=item.dataElement, value=_("Computed from the registries; it cannot be imported."))
            )
            continue
        if not item.period.isdigit():
            conflicts.append(Conflict(object=item.period, value=_("The period is a year such as 2025.")))
            continue
        try:
            parsed = _parse_value(indicator, item.value)
        except ValueError:
            conflicts.append(
                Conflict(object=item.dataElement, value=_("Not a valid value: %(value)s") % {"value": item.value})
            )
            continue
        prepared.append((indicator, commune, int(item.period), parsed, item.comment))
    imported = updated = 0
    if not conflicts:
        try:
            with transaction.atomic():
                for indicator, commune, year, parsed, comment in prepared:
                    existed = indicator.values.filter(commune=commune, year=year, village__isnull=True).exists()
                    services.value_enter(
                        indicator=indicator, commune=commune, year=year, by=request.user, note=comment, **parsed
                    )
                    updated += existed
                    imported += not existed
        except ValidationError as error:
            conflicts = [Conflict(object=payload.dataSet, value=m) for m in error.messages]
    if conflicts:
        return Status(
            409,
            ImportSummary(
                status="ERROR",
                importCount=ImportCount(imported=0, updated=0, ignored=len(payload.dataValues), deleted=0),
                conflicts=conflicts,
            ),
        )
    return Status(
        200,
        ImportSummary(
            status="SUCCESS",
            importCount=ImportCount(imported=imported, updated=updated, ignored=0, deleted=0),
            conflicts=[],
        ),
    )


def _parse_value(indicator: Indicator, text: str) -> dict:
    if indicator.kind == Indicator.Kind.PASS_FAIL:
        lowered = text.strip().lower()
        if lowered not in ("true", "false", "1", "0"):
            raise ValueError(text)
        return {"passed": lowered in ("true", "1")}
    try:
        return {"value": Decimal(text.strip())}
    except InvalidOperation as error:
        raise ValueError(text) from error
