"""Answers to a category's extra questions (Open311 attributes), checked the same way for the web form
and for Open311 clients: raw values in, normalised answers or one message per question out."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import Question
from .working_time import TZ

STRING_MAX = 200
TEXT_MAX = 2000


def _number(value: str) -> str:
    text = value.strip().replace(" ", "")
    if "," in text:  # Vietnamese writing: 1.234,5
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(_("Enter a number.")) from error
    if not number.is_finite():
        raise ValueError(_("Enter a number."))
    return format(number.normalize(), "f")


def _datetime(value: str) -> str:
    text = value.strip()
    for parse in (datetime.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y %H:%M"), _date_only):
        try:
            moment = parse(text)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TZ)
        return moment.isoformat(timespec="minutes")
    raise ValueError(_("Enter a date and time, for example 05/03/2025 14:30."))


def _date_only(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y")


def clean(questions: Iterable[Question], raw: Mapping[str, Sequence[str]]) -> tuple[dict, dict[str, str]]:
    """(answers, errors): `raw` maps a question code to the values sent (one, or several for lists).

    Answers are strings (a list for multivaluelist); questions that only inform are skipped."""
    answers, errors = {}, {}
    for question in questions:
        if not question.variable:
            continue
        values = [str(v).strip() for v in raw.get(question.code, ()) if str(v).strip()]
        if not values:
            if question.required:
                errors[question.code] = _("Answer this question.")
            continue
        keys = {str(item.get("key")) for item in question.values}
        try:
            if question.datatype == Question.Datatype.MULTIPLE:
                unknown = [v for v in values if v not in keys]
                if unknown:
                    raise ValueError(_("Choose from the list."))
                answers[question.code] = list(dict.fromkeys(values))
                continue
            if len(values) > 1:
                raise ValueError(_("Give one answer only."))
            value = values[0]
            if question.datatype == Question.Datatype.SINGLE:
                if value not in keys:
                    raise ValueError(_("Choose from the list."))
            elif question.datatype == Question.Datatype.NUMBER:
                value = _number(value)
            elif question.datatype == Question.Datatype.DATETIME:
                value = _datetime(value)
            elif question.datatype == Question.Datatype.STRING:
                if "\n" in value or len(value) > STRING_MAX:
                    raise ValueError(_("Use one line of at most %(limit)s characters.") % {"limit": STRING_MAX})
            elif len(value) > TEXT_MAX:
                raise ValueError(_("Use at most %(limit)s characters.") % {"limit": TEXT_MAX})
        except ValueError as error:
            errors[question.code] = str(error)
            continue
        answers[question.code] = value
    return answers, errors


def display(questions: Iterable[Question], answers: Mapping) -> list[tuple[str, str]]:
    """(question, answer as read) pairs for pages: list keys shown by their names."""
    rows = []
    for question in questions:
        if question.code not in answers:
            continue
        names = {str(item.get("key")): str(item.get("name")) for item in question.values}
        value = answers[question.code]
        shown = ", ".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(value, value)
        rows.append((question.description, shown))
    return rows
