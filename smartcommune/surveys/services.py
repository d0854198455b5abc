"""Writes on surveys: campaigns and their questions, slips, answers (online and paper), moderation.

The rule that matters most: an answer is stored in the same transaction that spends its slip, and
the spend is a conditional UPDATE (`… SET spent = true WHERE id = … AND spent = false`) whose row
count decides. Two submissions of one code at the same moment store exactly one answer, on SQLite
(writers take turns) and on PostgreSQL (the second UPDATE waits for the first and then matches no row).
"""

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcommune.accounts.models import User
from smartcommune.core import tabular
from smartcommune.criteria.models import CriteriaSet
from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Household

from . import codes
from .models import Answer, Campaign, Option, Question, Response, Slip, SlipBatch

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
OPTION_KEY_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,59}$")
# Control characters other than tab and line breaks never belong in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Campaigns ---------------------------------------------------------------------------------------


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The closing date is before the opening date.")})


def _check_thresholds(campaign: Campaign) -> None:
    try:
        campaign.full_clean(exclude=["commune", "criteria_set", "created_by"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def has_answers(campaign: Campaign) -> bool:
    return campaign.responses.exists()


@transaction.atomic
def campaign_create(
    *,
    commune: Commune,
    kind: str,
    title: str,
    opens_on: date,
    closes_on: date,
    by: User | None,
    legal_basis: str = "",
    introduction: str = "",
    criteria_set: CriteriaSet | None = None,
    thresholds: Mapping[str, Any] | None = None,
) -> Campaign:
    """A new campaign in draft. A satisfaction campaign gets its default items: one per criterion of
    the chosen set, an overall question and a free comment."""
    _check_dates(opens_on, closes_on)
    campaign = Campaign(
        commune=commune,
        kind=kind,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        legal_basis=legal_basis,
        introduction=introduction,
        criteria_set=criteria_set,
        created_by=by,
        **(thresholds or {}),
    )
    _check_thresholds(campaign)
    campaign.save()
    if kind == Campaign.Kind.SATISFACTION:
        _default_items(campaign)
    return campaign


SATISFIED = gettext_lazy("Satisfied")
NOT_SATISFIED = gettext_lazy("Not satisfied")


def _yes_no_options(question: Question, yes: str, no: str) -> None:
    Option.objects.bulk_create(
        [
            Option(question=question, position=1, value="yes", label=yes),
            Option(question=question, position=2, value="no", label=no),
        ]
    )


def _default_items(campaign: Campaign) -> None:
    position = 0
    if campaign.criteria_set_id:
        for criterion in campaign.criteria_set.criteria.order_by("number"):
            position += 1
            question = Question.objects.create(
                campaign=campaign,
                position=position,
                name=f"tc{criterion.number:02d}",
                kind=Question.Kind.YES_NO,
                text=_("Criterion %(number)s: %(name)s") % {"number": criterion.number, "name": criterion.name},
                required=True,
                role=Question.Role.ITEM,
                criterion=criterion,
            )
            _yes_no_options(question, str(SATISFIED), str(NOT_SATISFIED))
    overall = Question.objects.create(
        campaign=campaign,
        position=position + 1,
        name="tong_the",
        kind=Question.Kind.YES_NO,
        text=_("Overall, is your household satisfied with the results of New Rural Development in the commune?"),
        required=True,
        role=Question.Role.OVERALL,
    )
    _yes_no_options(overall, str(SATISFIED), str(NOT_SATISFIED))
    Question.objects.create(
        campaign=campaign,
        position=position + 2,
        name="y_kien",
        kind=Question.Kind.TEXT,
        text=_("Other comments and proposals (if any)"),
        role=Question.Role.COMMENT,
        max_length=2000,
    )


CAMPAIGN_FIELDS = (
    "title",
    "legal_basis",
    "introduction",
    "opens_on",
    "closes_on",
    "overall_threshold",
    "item_threshold",
    "coverage_threshold",
    "min_group_size",
)


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: User | None, **values: Any) -> Campaign:
    """Change the campaign's description, dates and thresholds (thresholds stay editable: they only
    change how results are judged, and every change is kept in the history)."""
    unknown = set(values) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in values.items():
        setattr(campaign, name, value)
    _check_dates(campaign.opens_on, campaign.closes_on)
    _check_thresholds(campaign)
    campaign._history_user = by
    campaign.save()
    return campaign


@transaction.atomic
def campaign_open(*, campaign: Campaign, by: User | None) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.OPEN:
        return campaign
    if not campaign.questions.exclude(kind=Question.Kind.NOTE).exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    if campaign.closes_on < timezone.localdate():
        raise ValidationError(_("The closing date has passed: move it before opening the survey."))
    missing = [q.text for q in campaign.questions.filter(kind__in=Question.CHOICE_KINDS).exclude(options__isnull=False)]
    if missing:
        raise ValidationError(_("These questions have no options: %(questions)s.") % {"questions": "; ".join(missing)})
    campaign.status = Campaign.Status.OPEN
    campaign._history_user = by
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, by: User | None) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    campaign.status = Campaign.Status.CLOSED
    campaign._history_user = by
    campaign.save(update_fields=["status"])
    slips_mix(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_publish(*, campaign: Campaign, by: User | None, publish: bool = True) -> Campaign:
    if publish and not has_answers(campaign):
        raise ValidationError(_("There are no answers to publish yet."))
    campaign.is_published = publish
    campaign.published_at = timezone.now() if publish else None
    campaign._history_user = by
    campaign.save(update_fields=["is_published", "published_at"])
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.DRAFT or has_answers(campaign) or campaign.slips.exists():
        raise ValidationError(_("Only a draft without slips or answers can be deleted."))
    Question.objects.filter(campaign=campaign).update(show_if_question=None)
    campaign.delete()


# Questions ---------------------------------------------------------------------------------------


def _require_editable(campaign: Campaign) -> None:
    if has_answers(campaign):
        raise ValidationError(_("Households have already answered: the questions can no longer change."))
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("The survey is closed: the questions can no longer change."))


def parse_options(text: str) -> list[tuple[str, str]]:
    """Options typed one per line, "key = label" or just the label (the key is then 1, 2, 3…)."""
    options = []
    for number, line in enumerate((line.strip() for line in (text or "").splitlines() if line.strip()), start=1):
        value, sep, label = line.partition("=")
        if sep and OPTION_KEY_RE.match(value.strip()):
            options.append((value.strip(), label.strip()))
        else:
            options.append((str(number), line))
    return options


def _check_options(kind: str, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if kind == Question.Kind.YES_NO:
        labels = dict(options)
        return [("yes", labels.get("yes") or _("Yes")), ("no", labels.get("no") or _("No"))]
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return []
    if len(options) < 2:
        raise ValidationError({"options": _("Give at least two options, one per line.")})
    values = [value for value, _label in options]
    if len(set(values)) != len(values):
        raise ValidationError({"options": _("Two options have the same key.")})
    for value, label in options:
        if not label or len(label) > 200 or len(value) > 60:
            raise ValidationError({"options": _("Every option needs a label of at most 200 characters.")})
    return options


def _check_condition(question: Question, earlier: list[Question]) -> None:
    source = question.show_if_question
    if source is None:
        question.show_if_value = ""
        return
    if source.pk not in {q.pk for q in earlier}:
        raise ValidationError({"show_if_question": _("A question can only depend on an earlier question.")})
    if source.kind not in (*Question.CHOICE_KINDS, Question.Kind.SCALE):
        raise ValidationError(
            {"show_if_question": _("A question can only depend on a yes/no, scale or choice question.")}
        )
    allowed = (
        list(Question.SCALE_VALUES)
        if source.kind == Question.Kind.SCALE
        else list(source.options.values_list("value", flat=True))
    )
    if question.show_if_value not in allowed:
        raise ValidationError(
            {
                "show_if_value": _("Choose one of the answers of that question: %(values)s.")
                % {"values": ", ".join(allowed)}
            }
        )


@transaction.atomic
def question_save(
    *, question: Question, options: list[tuple[str, str]] | None = None, by: User | None = None
) -> Question:
    """Add or change a question (and replace its options). Refused once any household has answered."""
    campaign = Campaign.objects.select_for_update().get(pk=question.campaign_id)
    _require_editable(campaign)
    if not NAME_RE.match(question.name or ""):
        raise ValidationError({"name": _("Use letters, digits and “_”, starting with a letter (at most 40).")})
    if Question.objects.filter(campaign=campaign, name=question.name).exclude(pk=question.pk).exists():
        raise ValidationError({"name": _("Another question of this survey has this key.")})
    if not question.pk or not question.position:
        last = campaign.questions.order_by("-position").values_list("position", flat=True).first() or 0
        question.position = question.position or last + 1
    earlier = list(campaign.questions.filter(position__lt=question.position).exclude(pk=question.pk))
    if question.kind == Question.Kind.NOTE:
        question.required = False
    if question.role and campaign.kind != Campaign.Kind.SATISFACTION:
        question.role = Question.Role.NONE
    if question.role in (Question.Role.ITEM, Question.Role.OVERALL) and question.kind != Question.Kind.YES_NO:
        raise ValidationError({"role": _("Satisfaction items and the overall question are yes/no questions.")})
    if question.role == Question.Role.COMMENT and question.kind != Question.Kind.TEXT:
        raise ValidationError({"role": _("The free comment is a text question.")})
    overall = campaign.questions.filter(role=Question.Role.OVERALL).exclude(pk=question.pk)
    if question.role == Question.Role.OVERALL and overall.exists():
        raise ValidationError({"role": _("The survey already has an overall question.")})
    if question.pk and question.dependants.exclude(pk=question.pk).exists():
        old = Question.objects.get(pk=question.pk)
        if old.kind != question.kind:
            raise ValidationError({"kind": _("Other questions depend on this one: its kind cannot change.")})
    _check_condition(question, earlier)
    checked = _check_options(question.kind, options or [])
    question._history_user = by
    question.save()
    if question.has_options or question.options.exists():
        kept = {value for value, _label in checked}
        dependants = question.dependants.exclude(show_if_value__in=kept)
        if dependants.exists():
            raise ValidationError({"options": _("Another question depends on an option you removed.")})
        existing = {o.value: o for o in question.options.all()}
        for position, (value, label) in enumerate(checked, start=1):
            option = existing.pop(value, None) or Option(question=question, value=value)
            option.label, option.position = label, position
            option.save()
        Option.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _require_editable(question.campaign)
    if question.dependants.exists():
        raise ValidationError(_("Other questions depend on this one: change them first."))
    question.delete()


@transaction.atomic
def question_move(*, question: Question, step: int) -> None:
    """Move a question one place up (-1) or down (+1); a question never moves above the one it depends on."""
    _require_editable(question.campaign)
    questions = list(question.campaign.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index + step
    if not 0 <= other < len(questions):
        return
    a, b = sorted((questions[index], questions[other]), key=lambda q: q.position)
    if b.show_if_question_id == a.pk:
        raise ValidationError(_("A question must stay below the question it depends on."))
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions, start=1):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)


# Slips -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSlips:
    """The codes of a new sheet, in printing order. They exist only here: print them, then drop them."""

    village: Village
    kind: str
    codes: list[str]


def slip_counts(campaign: Campaign) -> dict[int, dict[str, int]]:
    """{village id: {"slips": n, "spent": n}}"""
    from django.db.models import Count, Q

    rows = (
        Slip.objects.filter(campaign=campaign)
        .values("village_id")
        .annotate(slips=Count("id"), spent=Count("id", filter=Q(spent=True)))
        .order_by()
    )
    return {row["village_id"]: {"slips": row["slips"], "spent": row["spent"]} for row in rows}


def _new_codes(count: int, rng) -> list[str]:
    made: set[str] = set()
    while len(made) < count:
        made.add(codes.generate(rng))
    return list(made)


@transaction.atomic
def slips_issue(*, campaign: Campaign, village: Village, by: User | None, rng=None) -> IssuedSlips:
    """Make the slips of one village: one per active household of the registry.

    - The first sheet has one slip per household.
    - While no slip of the village is used, printing again cancels the earlier slips (a lost sheet).
    - Once slips are used, only extra slips are made, for households added to the registry since.

    Households are only counted: nothing about them reaches the slips. The slips are stored in the
    order of their digests, unrelated to the printing order, which is shuffled again."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if village.commune_id != campaign.commune_id:
        raise ValidationError(_("The village does not belong to this commune."))
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("The survey is closed: no more slips are printed."))
    if not campaign.questions.exclude(kind=Question.Kind.NOTE).exists():
        raise ValidationError(_("Add the questions before printing slips."))
    households = Household.objects.in_village(village).active().count()
    if not households:
        raise ValidationError(_("The registry has no active household in this village."))
    existing = Slip.objects.filter(campaign=campaign, village=village)
    issued, spent = existing.count(), existing.filter(spent=True).count()
    if not issued:
        kind, count = SlipBatch.Kind.FIRST, households
    elif not spent:
        existing.delete()
        kind, count = SlipBatch.Kind.REPLACEMENT, households
    else:
        kind, count = SlipBatch.Kind.EXTRA, households - issued
        if count <= 0:
            raise ValidationError(
                _(
                    "Slips of this village are already in use and no household was added since: "
                    "the sheet cannot be printed again."
                )
            )
    rng = rng or secrets.SystemRandom()
    for _attempt in range(5):
        batch = _new_codes(count, rng)
        slips = sorted((Slip(campaign=campaign, village=village, code_digest=codes.digest(c)) for c in batch),
                       key=lambda s: s.code_digest)  # fmt: skip
        try:
            with transaction.atomic():
                Slip.objects.bulk_create(slips, batch_size=2000)
            break
        except IntegrityError:  # a code of another survey drawn again: one chance in billions, draw again
            continue
    else:  # pragma: no cover
        raise ValidationError(_("The slips could not be made; try again."))
    SlipBatch.objects.create(campaign=campaign, village=village, kind=kind, count=count, issued_by=by)
    rng.shuffle(batch)
    return IssuedSlips(village=village, kind=kind, codes=batch)


@transaction.atomic
def slips_mix(*, campaign: Campaign) -> int:
    """Write the used slips of a campaign again, as new rows in digest order.

    On PostgreSQL a row remembers the transaction that last wrote it (`xmin`) and where it sits in
    the table. The answer and the slip it spent are written by one transaction, so until the slip is
    written again the two could be matched by that number. Writing the used slips again, all in one
    later transaction and in an order of their own, removes that trace. Run at closing, and daily
    while a campaign is open (`manage.py surveys_mix`)."""
    used = list(Slip.objects.filter(campaign=campaign, spent=True).values_list("pk", "village_id", "code_digest"))
    if not used:
        return 0
    # By id: a slip spent meanwhile by another transaction is left as it is, for the next run.
    ids = [pk for pk, _v, _d in used]
    for start in range(0, len(ids), 900):  # within any database's limit of query parameters
        Slip.objects.filter(pk__in=ids[start : start + 900]).delete()
    Slip.objects.bulk_create(
        [
            Slip(campaign=campaign, village_id=v, code_digest=d, spent=True)
            for _pk, v, d in sorted(used, key=lambda r: r[2])
        ],
        batch_size=2000,
    )
    return len(used)


# Answers -----------------------------------------------------------------------------------------


class CodeProblem(ValidationError):
    """A code that cannot be used now: `reason` is "wrong", "used", "not_open" or "closed"."""

    def __init__(self, reason: str, message: str, campaign: Campaign | None = None):
        super().__init__(message, code=reason)
        self.reason = reason
        self.campaign = campaign


def code_problem(reason: str, campaign: Campaign | None = None) -> CodeProblem:
    messages = {
        "wrong": _("This code is not right. Check the code printed on your household's slip and try again."),
        "used": _("This code has already been used: your household's answer was received before."),
        "not_open": _("This survey is not open yet."),
        "closed": _("This survey is closed: answers are no longer accepted."),
    }
    return CodeProblem(reason, messages[reason], campaign)


def slip_find(code_text: str) -> Slip:
    """The slip of a typed or scanned code, if it may be answered now; CodeProblem otherwise."""
    code = codes.normalize(code_text)
    if code is None:
        raise code_problem("wrong")
    slip = Slip.objects.select_related("campaign__commune", "village").filter(code_digest=codes.digest(code)).first()
    if slip is None:
        raise code_problem("wrong")
    campaign = slip.campaign
    if slip.spent:
        raise code_problem("used", campaign)
    today = timezone.localdate()
    if campaign.status == Campaign.Status.DRAFT or today < campaign.opens_on:
        raise code_problem("not_open", campaign)
    if campaign.status == Campaign.Status.CLOSED or today > campaign.closes_on:
        raise code_problem("closed", campaign)
    return slip


@dataclass(frozen=True)
class Clean:
    question: Question
    options: list[Option]
    number: Decimal | None = None
    day: date | None = None
    text: str = ""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _as_list(value: Any) -> list:
    if isinstance(value, list | tuple):
        return [v for v in value if not _empty(v)]
    return [] if _empty(value) else [value]


def _parse(question: Question, value: Any, options: dict[str, Option]) -> Clean:
    kind = question.kind
    if isinstance(value, list | tuple | dict) and kind != Question.Kind.MULTIPLE:
        raise ValidationError(_("Give one answer to this question."))
    if isinstance(value, bool) and kind != Question.Kind.YES_NO:
        raise ValidationError(_("This answer is not of the right kind."))
    if kind == Question.Kind.YES_NO:
        if isinstance(value, bool):
            value = "yes" if value else "no"
        key = str(value).strip().lower()
        key = {"true": "yes", "false": "no", "có": "yes", "không": "no"}.get(key, key)
        if key not in options:
            raise ValidationError(_("Choose one of the answers."))
        return Clean(question, [options[key]])
    if kind == Question.Kind.SINGLE:
        if str(value) not in options:
            raise ValidationError(_("Choose one of the answers."))
        return Clean(question, [options[str(value)]])
    if kind == Question.Kind.MULTIPLE:
        chosen = [str(v) for v in _as_list(value)]
        if any(v not in options for v in chosen):
            raise ValidationError(_("Choose among the answers given."))
        return Clean(question, [options[v] for v in dict.fromkeys(chosen)])
    if kind == Question.Kind.SCALE:
        text = str(value).strip()
        if text not in Question.SCALE_VALUES:
            raise ValidationError(_("Choose a number from 1 to 5."))
        return Clean(question, [], number=Decimal(text))
    if kind == Question.Kind.NUMBER:
        try:
            number = value if isinstance(value, int | Decimal) else tabular.parse_decimal(str(value).strip())
            number = Decimal(number)
        except (ValidationError, ArithmeticError, ValueError):
            raise ValidationError(_("Write a number, such as 12 or 3,5.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ValidationError(_("Write a number, such as 12 or 3,5."))
        if question.whole_number and number != number.to_integral_value():
            raise ValidationError(_("Write a whole number."))
        return Clean(question, [], number=number.quantize(Decimal("0.0001")))
    if kind == Question.Kind.DATE:
        try:
            day = value if isinstance(value, date) else tabular.parse_date(str(value).strip())
        except (ValidationError, ValueError):
            raise ValidationError(_("Write a date as dd/mm/yyyy.")) from None
        return Clean(question, [], day=day)
    text = _CONTROL.sub("", str(value)).strip()
    if len(text) > question.max_length:
        raise ValidationError(
            _("Use at most %(limit)s characters (this has %(length)s).")
            % {"limit": question.max_length, "length": len(text)}
        )
    return Clean(question, [], text=text)


def _shown(question: Question, cleaned: dict[int, Clean]) -> bool:
    source_id = question.show_if_question_id
    if source_id is None:
        return True
    given = cleaned.get(source_id)
    if given is None:
        return False
    if given.options:
        return question.show_if_value in {o.value for o in given.options}
    return given.number is not None and str(int(given.number)) == question.show_if_value


# Questions of campaigns that have answers, kept by each server process: they can no longer change
# (see _require_editable), and the answer page reads them twice for every household.
_FROZEN: dict[tuple, list[Question]] = {}


def questions_frozen(campaign: Campaign) -> bool:
    """True once this process holds the campaign's questions as final (they have answers)."""
    return (campaign.pk, campaign.created_at) in _FROZEN


def questions_of(campaign: Campaign) -> list[Question]:
    """The campaign's questions with their options and conditions, for the answer page and checks."""
    key = (campaign.pk, campaign.created_at)
    questions = _FROZEN.get(key)
    if questions is None:
        questions = list(campaign.questions.prefetch_related("options").select_related("show_if_question"))
        if has_answers(campaign):
            if len(_FROZEN) > 100:
                _FROZEN.clear()
            _FROZEN[key] = questions
    return questions


def answers_clean(campaign: Campaign, data: Mapping[str, Any], questions: list[Question] | None = None) -> list[Clean]:
    """Check a whole answer: every key a question of the survey, every value of the right kind, every
    required question that is shown answered. Answers to questions hidden by their condition are
    dropped. Raises one ValidationError keyed by question name, listing every problem."""
    questions = questions if questions is not None else questions_of(campaign)
    by_name = {q.name: q for q in questions}
    errors: dict[str, list] = {}
    unknown = [name for name in data if name not in by_name or not by_name[name].takes_answer]
    if unknown:
        errors["__all__"] = [
            _("These are not questions of this survey: %(names)s.")
            % {"names": ", ".join(sorted(map(str, unknown))[:10])}
        ]
    cleaned: dict[int, Clean] = {}
    for question in questions:
        if not question.takes_answer:
            continue
        value = data.get(question.name)
        shown = _shown(question, cleaned)
        if not shown:
            continue
        if _empty(value) or (question.kind == Question.Kind.MULTIPLE and not _as_list(value)):
            if question.required:
                errors[question.name] = [_("This question needs an answer.")]
            continue
        try:
            cleaned[question.pk] = _parse(question, value, {o.value: o for o in question.options.all()})
        except ValidationError as error:
            errors[question.name] = error.messages
    if errors:
        raise ValidationError(errors)
    return list(cleaned.values())


def _store(campaign: Campaign, village_id: int, channel: str, answers: list[Clean]) -> Response:
    response = Response.objects.create(
        campaign=campaign, village_id=village_id, channel=channel, submitted_on=timezone.localdate()
    )
    rows = []
    for item in answers:
        review = Answer.Review.PENDING if item.question.kind == Question.Kind.TEXT and item.text else ""
        if item.options:
            rows += [
                Answer(response=response, question=item.question, village_id=village_id, option=o) for o in item.options
            ]
        else:
            rows.append(
                Answer(
                    response=response,
                    question=item.question,
                    village_id=village_id,
                    number=item.number,
                    date=item.day,
                    text=item.text,
                    review=review,
                )
            )
    Answer.objects.bulk_create(rows)
    return response


def response_submit(
    *,
    code: str,
    answers: Mapping[str, Any],
    channel: str = Response.Channel.ONLINE,
    villages: Iterable[int] | None = None,
) -> Response:
    """Store one household's answer and spend its code, both or neither.

    `villages`, for paper entry: the villages whose forms this officer may enter."""
    return response_store(slip=slip_find(code), answers=answers, channel=channel, villages=villages)


def response_store(
    *,
    slip: Slip,
    answers: Mapping[str, Any],
    channel: str = Response.Channel.ONLINE,
    villages: Iterable[int] | None = None,
    questions: list[Question] | None = None,
) -> Response:
    """response_submit for a slip already found by slip_find (and the campaign's questions, when the
    caller has read them already). The conditional UPDATE decides whether the slip is still unused."""
    if villages is not None and slip.village_id not in set(villages):
        raise ValidationError(_("This slip belongs to another village: its form is entered there."), code="village")
    cleaned = answers_clean(slip.campaign, answers, questions)
    with transaction.atomic():
        spent = Slip.objects.filter(pk=slip.pk, spent=False).update(spent=True)
        if spent != 1:  # another submission of the same code got there first
            raise code_problem("used", slip.campaign)
        return _store(slip.campaign, slip.village_id, channel, cleaned)


# Moderation --------------------------------------------------------------------------------------


@transaction.atomic
def comments_review(*, campaign: Campaign, answer_ids: Iterable[int], decision: str) -> int:
    """Approve or hide free comments; a hidden comment is kept (it still counts) but never shown."""
    if decision not in (Answer.Review.APPROVED, Answer.Review.HIDDEN, Answer.Review.PENDING):
        raise ValidationError(_("Unknown decision."))
    return (
        Answer.objects.filter(pk__in=list(answer_ids), question__campaign=campaign, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .update(review=decision)
    )
