"""Reads of surveys: results computed from the answers at every request (always current), in a few
grouped queries, and the published summary that the public portal shows.

Rates are shares of the answers given to a question: a satisfaction rate is "satisfied" answers ÷
answers to that item × 100. Coverage is answer forms ÷ active households of the registry × 100.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Household

from .models import Answer, Campaign, Question, Response

ONE_DECIMAL = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class Rate:
    """How many of `total` answers were "yes" (satisfied)."""

    yes: int = 0
    total: int = 0

    @property
    def pct(self) -> Decimal | None:
        return percent(self.yes, self.total)

    def passes(self, threshold: Decimal) -> bool | None:
        return None if self.pct is None else self.pct >= threshold

    def __add__(self, other: "Rate") -> "Rate":
        return Rate(self.yes + other.yes, self.total + other.total)


@dataclass
class Group:
    """Figures for one village, for the whole commune (village None) or for merged small villages."""

    village: Village | None
    name: str
    households: int = 0
    responses: int = 0
    online: int = 0
    paper: int = 0
    overall: Rate = field(default_factory=Rate)
    items: dict[int, Rate] = field(default_factory=dict)  # question id -> rate
    merged: list[str] = field(default_factory=list)  # names of the villages in an "other villages" group

    @property
    def coverage(self) -> Decimal | None:
        return percent(self.responses, self.households)

    def item(self, question: Question) -> Rate:
        return self.items.get(question.pk, Rate())

    def absorb(self, other: "Group") -> None:
        self.households += other.households
        self.responses += other.responses
        self.online += other.online
        self.paper += other.paper
        self.overall += other.overall
        for key, rate in other.items.items():
            self.items[key] = self.items.get(key, Rate()) + rate


@dataclass
class OptionCount:
    value: str
    label: str
    count: int
    pct: Decimal | None


@dataclass
class QuestionSummary:
    """Commune-wide figures for one question of any kind."""

    question: Question
    answered: int = 0  # answer forms that answered it
    options: list[OptionCount] = field(default_factory=list)
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@dataclass
class Shortfall:
    village: Village
    question: Question
    rate: Rate


@dataclass
class Results:
    campaign: Campaign
    commune: Group
    villages: list[Group]
    items: list[Question]
    overall_question: Question | None
    summaries: list[QuestionSummary]
    shortfalls: list[Shortfall]  # (village, item) below the item threshold

    @property
    def overall_ok(self) -> bool | None:
        return self.commune.overall.passes(self.campaign.overall_threshold)

    @property
    def coverage_ok(self) -> bool | None:
        coverage = self.commune.coverage
        return None if coverage is None else coverage >= self.campaign.coverage_threshold

    @property
    def items_ok(self) -> bool | None:
        verdicts = [self.commune.item(q).passes(self.campaign.item_threshold) for q in self.items]
        if not verdicts or any(v is None for v in verdicts):
            return None
        return all(verdicts)

    @property
    def items_everywhere_ok(self) -> bool | None:
        """Every item reaches its threshold in the commune and in every village."""
        return None if self.items_ok is None else self.items_ok and not self.shortfalls

    @property
    def passed(self) -> bool | None:
        """Overall rate, coverage and every item (in the commune and in every village) reach their thresholds."""
        checks = [self.overall_ok, self.coverage_ok]
        if self.items:
            checks.append(self.items_ok)
        if any(c is None for c in checks):
            return None
        return all(checks) and not self.shortfalls


def questions(campaign: Campaign) -> list[Question]:
    return list(campaign.questions.prefetch_related("options").select_related("show_if_question", "criterion"))


def _villages(commune: Commune, with_data: set[int]) -> list[Village]:
    return list(
        Village.objects.in_commune(commune)
        .filter(Q(status=Village.Status.ACTIVE) | Q(pk__in=with_data))
        .order_by("code")
    )


def campaign_results(campaign: Campaign) -> Results:
    """Everything the results page, the exports and the API show, in six grouped queries."""
    all_questions = questions(campaign)
    option_value = {o.pk: o.value for q in all_questions for o in q.options.all()}
    yes_no = {q.pk for q in all_questions if q.kind == Question.Kind.YES_NO}
    items = [q for q in all_questions if q.role == Question.Role.ITEM]
    overall_question = next((q for q in all_questions if q.role == Question.Role.OVERALL), None)

    households = dict(
        Household.objects.in_commune(campaign.commune)
        .active()
        .values("village_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village_id", "n")
    )
    responses: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Response.objects.filter(campaign=campaign).values("village_id", "channel").annotate(n=Count("id")).order_by()
    ):
        responses[row["village_id"]][row["channel"]] = row["n"]

    # Choice answers by village, question and option: the satisfaction rates and the option counts.
    choice_ids = [q.pk for q in all_questions if q.has_options]
    choice_rows = (
        Answer.objects.filter(question_id__in=choice_ids)
        .values("question_id", "village_id", "option_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rates: dict[int, dict[int, Rate]] = defaultdict(dict)  # village -> question -> rate
    option_totals: dict[int, int] = defaultdict(int)
    for row in choice_rows:
        village_id, question_id, n = row["village_id"], row["question_id"], row["n"]
        option_totals[row["option_id"]] += n
        if question_id in yes_no:
            rate = rates[village_id].setdefault(question_id, Rate())
            rate.total += n
            rate.yes += n if option_value[row["option_id"]] == "yes" else 0

    villages = _villages(campaign.commune, set(responses) | set(rates))
    groups = []
    for village in villages:
        by_channel = responses.get(village.pk, {})
        group = Group(
            village=village,
            name=village.name,
            households=households.get(village.pk, 0),
            responses=sum(by_channel.values()),
            online=by_channel.get(Response.Channel.ONLINE, 0),
            paper=by_channel.get(Response.Channel.PAPER, 0),
            items={q.pk: rates[village.pk][q.pk] for q in items if q.pk in rates[village.pk]},
        )
        if overall_question:
            group.overall = rates[village.pk].get(overall_question.pk, Rate())
        groups.append(group)
    commune = Group(village=None, name=campaign.commune.name)
    for group in groups:
        commune.absorb(group)

    summaries = _summaries(all_questions, option_totals, {})
    shortfalls = [
        Shortfall(group.village, q, group.item(q))
        for group in groups
        for q in items
        if group.item(q).passes(campaign.item_threshold) is False
    ]
    return Results(campaign, commune, groups, items, overall_question, summaries, shortfalls)


def _summaries(
    all_questions: list[Question], option_totals: dict[int, int], answered: dict[int, int]
) -> list[QuestionSummary]:
    """Commune-wide figures per question. Yes/no and single choice are counted from the option counts
    already read; only the other kinds need (cheap, index-bounded) queries."""
    single = {q.pk for q in all_questions if q.kind in (Question.Kind.YES_NO, Question.Kind.SINGLE)}
    for q in all_questions:
        if q.pk in single and q.pk not in answered:
            answered[q.pk] = sum(option_totals.get(o.pk, 0) for o in q.options.all())
    others = [q.pk for q in all_questions if q.takes_answer and q.pk not in single]
    if others:
        rows = (
            Answer.objects.filter(question_id__in=others)
            .values("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
            .values_list("question_id", "n")
        )
        answered.update(dict(rows))
    measured = [q.pk for q in all_questions if q.kind in (Question.Kind.NUMBER, Question.Kind.SCALE)]
    numbers, scale_counts = {}, defaultdict(dict)
    if measured:
        numbers = {
            row["question_id"]: row
            for row in Answer.objects.filter(question_id__in=measured)
            .values("question_id")
            .annotate(mean=Avg("number"), low=Min("number"), high=Max("number"))
            .order_by()
        }
        scale_ids = [q.pk for q in all_questions if q.kind == Question.Kind.SCALE]
        for row in (
            Answer.objects.filter(question_id__in=scale_ids)
            .values("question_id", "number")
            .annotate(n=Count("id"))
            .order_by()
        ):
            scale_counts[row["question_id"]][str(int(row["number"]))] = row["n"]
    summaries = []
    for q in all_questions:
        if not q.takes_answer:
            continue
        summary = QuestionSummary(q, answered=answered.get(q.pk, 0))
        if q.has_options:
            summary.options = [
                OptionCount(
                    o.value, o.label, option_totals.get(o.pk, 0), percent(option_totals.get(o.pk, 0), summary.answered)
                )
                for o in q.options.all()
            ]
        elif q.kind == Question.Kind.SCALE:
            summary.options = [
                OptionCount(v, v, scale_counts[q.pk].get(v, 0), percent(scale_counts[q.pk].get(v, 0), summary.answered))
                for v in Question.SCALE_VALUES
            ]
        if q.pk in numbers:
            row = numbers[q.pk]
            summary.mean = Decimal(row["mean"]).quantize(Decimal("0.01")) if row["mean"] is not None else None
            summary.minimum, summary.maximum = row["low"], row["high"]
        summaries.append(summary)
    return summaries


def comments(campaign: Campaign, *, review: str | None = None) -> QuerySet[Answer]:
    """Free-text answers of a campaign with their village (never anything else about the form)."""
    qs = (
        Answer.objects.filter(question__campaign=campaign, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .select_related("question", "village")
        .order_by("question__position", "village__code", "pk")
    )
    return qs if review is None else qs.filter(review=review)


def comment_counts(campaign: Campaign) -> dict[str, int]:
    rows = comments(campaign).values("review").annotate(n=Count("id")).order_by()
    return {row["review"]: row["n"] for row in rows}


# The published summary ----------------------------------------------------------------------------


def _rate_or_none(rate: Rate, enough: bool) -> Decimal | None:
    return rate.pct if enough else None


def published_summary(campaign: Campaign) -> dict | None:
    """The public summary of a published campaign (None when not published): aggregates only, no
    comments, and villages with fewer answers than the campaign's smallest group merged into "other
    villages", whose rates are left out as well when even together they are too few."""
    if not campaign.is_published:
        return None
    results = campaign_results(campaign)
    small = campaign.min_group_size
    shown, others = [], Group(village=None, name=_("Other villages"))
    for group in results.villages:
        if not group.households and not group.responses:
            continue
        if group.responses >= small:
            shown.append(group)
        else:
            others.absorb(group)
            others.merged.append(group.name)
    if others.merged:
        shown.append(others)

    def group_dict(group: Group) -> dict:
        enough = group.responses >= small
        return {
            "name": group.name,
            "merged": bool(group.merged),
            "villages": len(group.merged) if group.merged else 1,
            "households": group.households,
            "responses": group.responses,
            "coverage": group.coverage,
            "overall": _rate_or_none(group.overall, enough) if results.overall_question else None,
            "items": {q.name: _rate_or_none(group.item(q), enough) for q in results.items},
            "enough_answers": enough,
        }

    questions_out = []
    for summary in results.summaries:
        q = summary.question
        if q.kind in (Question.Kind.TEXT, Question.Kind.DATE):
            continue  # free text and dates are never published
        questions_out.append(
            {
                "name": q.name,
                "text": q.text,
                "kind": q.kind,
                "answered": summary.answered,
                "options": [
                    {"value": o.value, "label": o.label, "count": o.count, "pct": o.pct} for o in summary.options
                ],
                "mean": summary.mean,
            }
        )
    return {
        "campaign": campaign,
        "title": campaign.title,
        "commune": campaign.commune.name,
        "kind": campaign.kind,
        "legal_basis": campaign.legal_basis,
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "published_at": campaign.published_at,
        "households": results.commune.households,
        "responses": results.commune.responses,
        "coverage": results.commune.coverage,
        "thresholds": {
            "overall": campaign.overall_threshold,
            "item": campaign.item_threshold,
            "coverage": campaign.coverage_threshold,
        },
        "overall": results.commune.overall.pct if results.overall_question else None,
        "overall_ok": results.overall_ok if results.overall_question else None,
        "coverage_ok": results.coverage_ok,
        "items": [
            {
                "name": q.name,
                "text": q.text,
                "rate": results.commune.item(q).pct,
                "passed": results.commune.item(q).passes(campaign.item_threshold),
            }
            for q in results.items
        ],
        "groups": [group_dict(g) for g in shown],
        "questions": questions_out,
        "min_group_size": small,
    }


def published_campaigns(commune: Commune | None = None) -> QuerySet[Campaign]:
    """Campaigns whose summary is public, newest first (for the portal)."""
    qs = Campaign.objects.published().select_related("commune")
    return qs.filter(commune=commune) if commune else qs
