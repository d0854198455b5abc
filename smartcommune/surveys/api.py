"""Surveys through the API: campaigns and their questions, results, and answering by slip code for
other front ends (a Zalo mini app, a kiosk), under the same rules as the web page: one answer per
code, spent in the same transaction, rate limited per address.

- Anyone reads published campaigns and the questions of open ones; the commune's staff read all of
  their commune's campaigns and the full aggregated results (never single answers or comments).
- The published summary is the portal's: aggregates only, small villages merged.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from config.api import AUTH, OPTIONAL_AUTH, error_body, validation_errors
from smartcommune.accounts import scoping
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404

from . import access, codes, selectors, services, throttle
from .models import Campaign, Question, Response, Slip

router = Router(tags=["surveys"])


class OptionOut(Schema):
    value: str
    label: str


class ConditionOut(Schema):
    question: str
    value: str


class QuestionOut(Schema):
    name: str
    position: int
    kind: str
    text: str
    help_text: str
    required: bool
    role: str
    max_length: int
    whole_number: bool
    show_if: ConditionOut | None = None
    options: list[OptionOut]

    @staticmethod
    def resolve_show_if(obj) -> dict | None:
        source = obj.show_if_question
        return {"question": source.name, "value": obj.show_if_value} if source else None

    @staticmethod
    def resolve_options(obj) -> list:
        if obj.kind == Question.Kind.SCALE:
            return [{"value": v, "label": v} for v in Question.SCALE_VALUES]
        return list(obj.options.all())


class CampaignOut(Schema):
    id: int
    commune_code: str = Field(alias="commune.code")
    kind: str
    title: str
    legal_basis: str
    introduction: str
    opens_on: date
    closes_on: date
    status: str
    is_published: bool
    overall_threshold: Decimal
    item_threshold: Decimal
    coverage_threshold: Decimal
    min_group_size: int
    criteria_set: str | None = None

    @staticmethod
    def resolve_criteria_set(obj) -> str | None:
        return obj.criteria_set.code if obj.criteria_set_id else None


class CampaignDetailOut(CampaignOut):
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj) -> list:
        return selectors.questions(obj)


class RateOut(Schema):
    yes: int
    total: int
    pct: Decimal | None


class GroupOut(Schema):
    village_code: str | None
    name: str
    households: int
    responses: int
    online: int
    paper: int
    coverage: Decimal | None
    overall: RateOut | None
    items: dict[str, RateOut]


class ShortfallOut(Schema):
    village_code: str
    item: str
    pct: Decimal | None


class OptionCountOut(Schema):
    value: str
    label: str
    count: int
    pct: Decimal | None


class QuestionSummaryOut(Schema):
    name: str
    kind: str
    answered: int
    options: list[OptionCountOut]
    mean: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


class ResultsOut(Schema):
    campaign_id: int
    commune: GroupOut
    villages: list[GroupOut]
    overall_ok: bool | None
    coverage_ok: bool | None
    items_ok: bool | None
    passed: bool | None
    shortfalls: list[ShortfallOut]
    questions: list[QuestionSummaryOut]


class PublicGroupOut(Schema):
    name: str
    merged: bool
    villages: int
    households: int
    responses: int
    coverage: Decimal | None
    overall: Decimal | None
    items: dict[str, Decimal | None]
    enough_answers: bool


class PublicItemOut(Schema):
    name: str
    text: str
    rate: Decimal | None
    passed: bool | None


class PublicQuestionOut(Schema):
    name: str
    text: str
    kind: str
    answered: int
    options: list[OptionCountOut]
    mean: Decimal | None


class SummaryOut(Schema):
    title: str
    commune: str
    kind: str
    legal_basis: str
    opens_on: date
    closes_on: date
    households: int
    responses: int
    coverage: Decimal | None
    thresholds: dict[str, Decimal]
    overall: Decimal | None
    overall_ok: bool | None
    coverage_ok: bool | None
    items: list[PublicItemOut]
    groups: list[PublicGroupOut]
    questions: list[PublicQuestionOut]
    min_group_size: int


class SubmissionIn(Schema):
    code: str = Field(..., max_length=20, description="The code printed on the household's slip.")
    answers: dict[str, Any] = Field(
        ...,
        description="Question key -> answer: 'yes'/'no' (or true/false), an option key, a list of option keys, "
        "1–5, a number, a date (yyyy-mm-dd or dd/mm/yyyy) or text.",
    )


class SubmissionOut(Schema):
    campaign_id: int
    received_on: date
    channel: str


class CodeOut(Schema):
    campaign: CampaignDetailOut
    village: str


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


PROBLEM_STATUS = {"wrong": 404, "used": 409, "not_open": 403, "closed": 410, "village": 403}
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut, 429: ErrorOut}


def _is_reader(user, commune: Commune) -> bool:
    return scoping.scope_for(user).has_role(commune, *access.READERS)


@router.get("/communes/{code}/campaigns", response=list[CampaignOut], auth=OPTIONAL_AUTH)
def campaign_list(request, code: str):
    """The commune's campaigns: all of them for its staff, the published ones for anyone else."""
    commune = commune_or_404(code)
    if _is_reader(request.user, commune):
        qs = access.campaigns_for(request.user, commune)
    else:
        qs = Campaign.objects.in_commune(commune).published()
    return list(qs.select_related("commune", "criteria_set"))


def _visible_campaign(request, campaign_id: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("commune", "criteria_set"), pk=campaign_id)
    if _is_reader(request.user, campaign.commune):
        return campaign
    if campaign.is_published or campaign.status == Campaign.Status.OPEN:
        return campaign  # the questions of an open survey are seen by every household anyway
    raise Http404


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut, auth=OPTIONAL_AUTH)
def campaign_detail(request, campaign_id: int):
    return _visible_campaign(request, campaign_id)


def _rate(rate: selectors.Rate) -> dict:
    return {"yes": rate.yes, "total": rate.total, "pct": rate.pct}


def _group(group: selectors.Group, results: selectors.Results) -> dict:
    return {
        "village_code": group.village.code if group.village else None,
        "name": group.name,
        "households": group.households,
        "responses": group.responses,
        "online": group.online,
        "paper": group.paper,
        "coverage": group.coverage,
        "overall": _rate(group.overall) if results.overall_question else None,
        "items": {q.name: _rate(group.item(q)) for q in results.items},
    }


@router.get("/campaigns/{campaign_id}/results", response=ResultsOut, auth=AUTH)
def campaign_results(request, campaign_id: int):
    """Full aggregated results for the commune's staff: coverage, rates by village and item, verdicts."""
    campaign = get_object_or_404(Campaign.objects.select_related("commune"), pk=campaign_id)
    access.require_reader(request.user, campaign)
    results = selectors.campaign_results(campaign)
    return {
        "campaign_id": campaign.pk,
        "commune": _group(results.commune, results),
        "villages": [_group(g, results) for g in results.villages],
        "overall_ok": results.overall_ok,
        "coverage_ok": results.coverage_ok,
        "items_ok": results.items_everywhere_ok,
        "passed": results.passed,
        "shortfalls": [
            {"village_code": s.village.code, "item": s.question.name, "pct": s.rate.pct} for s in results.shortfalls
        ],
        "questions": [
            {
                "name": s.question.name,
                "kind": s.question.kind,
                "answered": s.answered,
                "options": [vars(o) for o in s.options],
                "mean": s.mean,
                "minimum": s.minimum,
                "maximum": s.maximum,
            }
            for s in results.summaries
            if s.question.kind != Question.Kind.TEXT
        ],
    }


@router.get("/campaigns/{campaign_id}/summary", response=SummaryOut, auth=None)
def campaign_summary(request, campaign_id: int):
    """The published summary (aggregates only; villages with too few answers merged). 404 until published."""
    campaign = get_object_or_404(Campaign.objects.select_related("commune"), pk=campaign_id)
    summary = selectors.published_summary(campaign)
    if summary is None:
        raise Http404
    return summary


@router.get("/published", response=list[CampaignOut], auth=None)
def published(request, commune: str = ""):
    """Every campaign with a published summary, newest first (optionally of one commune)."""
    qs = selectors.published_campaigns(commune_or_404(commune) if commune else None)
    return list(qs.select_related("criteria_set").order_by("-published_at"))


def _problem(request, problem: ValidationError):
    reason = getattr(problem, "reason", None) or getattr(problem, "code", None) or ""
    if reason == "wrong":
        throttle.wrong_code(request)
    return Status(PROBLEM_STATUS.get(reason, 400), error_body(" ".join(problem.messages)))


def _throttled():
    return Status(429, error_body(throttle.message()))


@router.get("/codes/{code}", response={200: CodeOut, **ERRORS}, auth=None)
def code_lookup(request, code: str):
    """What a slip code opens: the campaign with its questions, and the village. Counts towards the
    address's rate limit; 404 wrong code, 409 already used, 403 not open yet, 410 closed."""
    if throttle.refused(request):
        return _throttled()
    try:
        slip = services.slip_find(code)
    except services.CodeProblem as problem:
        return _problem(request, problem)
    return Status(200, {"campaign": slip.campaign, "village": slip.village.name})


def _submit(request, payload: SubmissionIn, channel: str, villages=None):
    try:
        response = services.response_submit(
            code=payload.code, answers=payload.answers, channel=channel, villages=villages
        )
    except services.CodeProblem as problem:
        return _problem(request, problem)
    except ValidationError as error:
        if getattr(error, "code", None) == "village":
            return Status(403, error_body(" ".join(error.messages)))
        errors = validation_errors(error)
        return Status(400, error_body(_("Nothing was saved: some answers are not valid."), errors))
    return Status(201, {"campaign_id": response.campaign_id, "received_on": response.submitted_on, "channel": channel})


@router.post("/submissions", response={201: SubmissionOut, **ERRORS}, auth=None)
def submit(request, payload: SubmissionIn):
    """Answer with a slip code (no account). The code is spent in the transaction that stores the
    answer: a second submission of the same code gets 409 and stores nothing."""
    if throttle.refused(request):
        return _throttled()
    return _submit(request, payload, Response.Channel.ONLINE)


@router.post("/paper-submissions", response={201: SubmissionOut, **ERRORS}, auth=AUTH)
def submit_paper(request, payload: SubmissionIn):
    """A paper form typed in by a village's Front officer or head: the same rules, channel "paper"."""
    code = codes.normalize(payload.code)
    slip = Slip.objects.select_related("campaign__commune").filter(code_digest=codes.digest(code or "")).first()
    if slip is None:
        throttle.wrong_code(request)
        return Status(404, error_body(services.code_problem("wrong").messages[0]))
    villages = access.require_worker(request.user, slip.campaign.commune)
    return _submit(request, payload, Response.Channel.PAPER, villages=set(villages.values_list("pk", flat=True)))
