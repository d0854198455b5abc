"""XLSForm in and out: the spreadsheet form standard of KoboToolbox and ODK.

Import reads the workbook with pyxform (`xlsx_to_dict`, then `workbook_to_json`, which checks the form
the way Kobo and ODK do) and keeps the subset we render natively: text, integer, decimal, select_one,
select_multiple, date and note; labels and hints in Vietnamese (`label::Tiếng Việt (vi)`) or plain;
`required`; and `relevant` of the simple shapes `${q} = 'value'` and `selected(${q}, 'value')` on an
earlier question. Anything else (groups, repeats, calculations, constraints, other expressions) is
refused, each problem with its row number. Collection metadata (start, end, today, deviceid…) is
left out on purpose: recording when and on which device a form was filled would undo anonymity.

Export writes our questionnaire back as survey / choices / settings sheets that pyxform reads again:
yes/no becomes a select_one with the choices yes and no, the 1–5 scale a select_one with choices 1…5
and the `likert` appearance, and both come back as what they were.
"""

import io
import re
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, xlsx_to_dict

from smartcommune.accounts.models import User
from smartcommune.core import tabular
from smartcommune.places.models import Commune

from . import services
from .models import Campaign, Question

LANGUAGE = "Tiếng Việt (vi)"
MAX_BYTES = 5 * 2**20
TYPES = {"text", "integer", "decimal", "select_one", "select_multiple", "date", "note"}
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email", "audit",
    "start-geopoint", "background-geopoint",
}  # fmt: skip
COLUMNS = {"type", "name", "label", "hint", "required", "relevant", "appearance", "required_message", "guidance_hint"}
TRUE = {"yes", "true", "true()"}
FALSE = {"", "no", "false", "false()"}
_EQUALS = re.compile(r"^\s*\$\{([A-Za-z_][\w.-]*)\}\s*=\s*(['\"])(.*?)\2\s*$")
_SELECTED = re.compile(r"^\s*selected\(\s*\$\{([A-Za-z_][\w.-]*)\}\s*,\s*(['\"])(.*?)\2\s*\)\s*$")
SCALE_APPEARANCE = "likert"


def _row_problem(row: int, message: str) -> str:
    return _("Row %(row)s: %(message)s") % {"row": row, "message": message}


def _column_base(column: str) -> str:
    return column.split("::", 1)[0].strip().lower()


def _pick_language(value: Any) -> str:
    """Our language out of pyxform's label: a plain string, or {language: text}."""
    if not value:
        return ""
    if isinstance(value, str):
        return value.strip()
    for key, text in value.items():
        if "(vi)" in key.lower() or key.lower() in ("vi", "tiếng việt", "tieng viet"):
            return str(text).strip()
    return str(value.get("default") or next(iter(value.values()))).strip()


def _condition(relevant: str) -> tuple[str, str, bool] | None:
    """(question name, value, is `selected()`) for the two shapes we support, else None."""
    if match := _EQUALS.match(relevant):
        return match.group(1), match.group(3), False
    if match := _SELECTED.match(relevant):
        return match.group(1), match.group(3), True
    return None


def _scan(rows: list[dict]) -> tuple[list[tuple[int, dict]], list[str], list[str]]:
    """The rows we take (with their row number), the problems, and the metadata rows left out."""
    taken, problems, skipped = [], [], []
    for index, row in enumerate(rows):
        number = index + 2  # the header is row 1
        if not row:
            continue
        kind = str(row.get("type") or "").strip()
        base = kind.split()[0].lower() if kind else ""
        if base in METADATA:
            skipped.append(
                _row_problem(number, _("“%(type)s” is collection metadata and is not recorded.") % {"type": kind})
            )
            continue
        if not base:
            problems.append(_row_problem(number, _("the row has no type.")))
            continue
        if base not in TYPES:
            problems.append(
                _row_problem(
                    number,
                    _("the type “%(type)s” is not supported (supported: %(types)s).")
                    % {"type": kind, "types": ", ".join(sorted(TYPES))},
                )
            )
            continue
        parts = kind.split()
        if base.startswith("select_") and (len(parts) != 2 or parts[-1] == "or_other"):
            problems.append(_row_problem(number, _("write the type as “%(type)s list_name”.") % {"type": base}))
            continue
        for column, value in row.items():
            if value in (None, "") or _column_base(column) in COLUMNS:
                continue
            problems.append(_row_problem(number, _("the column “%(column)s” is not supported.") % {"column": column}))
        required = str(row.get("required") or "").strip().lower()
        if required not in TRUE | FALSE:
            problems.append(_row_problem(number, _("“required” must be yes or no, not an expression.")))
        relevant = str(row.get("relevant") or "").strip()
        if relevant and _condition(relevant) is None:
            problems.append(
                _row_problem(
                    number,
                    _("the condition “%(relevant)s” is not supported; use ${question} = 'value'.")
                    % {"relevant": relevant},
                )
            )
        taken.append((number, row))
    return taken, problems, skipped


def _kind(child: dict, row: dict) -> str:
    pyxform_type = child["type"]
    if pyxform_type == "select one":
        values = [c["name"] for c in child.get("choices", [])]
        if values == ["yes", "no"]:
            return Question.Kind.YES_NO
        appearance = str(row.get("appearance") or "").strip().lower()
        if appearance == SCALE_APPEARANCE and values == list(Question.SCALE_VALUES):
            return Question.Kind.SCALE
        return Question.Kind.SINGLE
    return {
        "select all that apply": Question.Kind.MULTIPLE,
        "text": Question.Kind.TEXT,
        "integer": Question.Kind.NUMBER,
        "decimal": Question.Kind.NUMBER,
        "date": Question.Kind.DATE,
        "note": Question.Kind.NOTE,
    }[pyxform_type]


def read(fileobj) -> dict:
    """Check a workbook and return what it describes: {"title", "questions": [...], "skipped": [...]}.
    Raises ValidationError listing every problem with its row number."""
    tabular.check_size(fileobj, MAX_BYTES)
    raw = fileobj.read()
    try:
        data = xlsx_to_dict(io.BytesIO(raw))
    except Exception:  # pyxform and openpyxl raise many kinds of error on a file that is not .xlsx
        raise ValidationError(_("This file is not an XLSForm workbook (.xlsx).")) from None
    rows = data.get("survey")
    if not rows:
        raise ValidationError(_("The workbook has no “survey” sheet with questions."))
    taken, problems, skipped = _scan(rows)
    if problems:
        raise ValidationError(problems)
    try:
        form = workbook_to_json(DefinitionData(**data), form_name="data", warnings=[])
    except PyXFormError as error:
        raise ValidationError(_("The form is not valid XLSForm: %(error)s") % {"error": str(error).strip()}) from None
    children = {c["name"]: c for c in form.get("children", []) if c.get("type") not in ("group", "repeat")}
    questions, kinds = [], {}
    for number, row in taken:
        name = str(row.get("name") or "").strip()
        child = children.get(name)
        if child is None:  # pragma: no cover -- pyxform refuses rows without a name
            problems.append(_row_problem(number, _("the question has no name.")))
            continue
        kind = _kind(child, row)
        label = _pick_language(child.get("label")) or name
        if len(label) > 500:
            problems.append(_row_problem(number, _("the label is longer than 500 characters.")))
        options = []
        if kind in (Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            options = [
                (str(c["name"]), _pick_language(c.get("label")) or str(c["name"])) for c in child.get("choices", [])
            ]
        show_if = ("", "")
        relevant = str(row.get("relevant") or "").strip()
        if relevant:
            source, value, selected = _condition(relevant)
            source_kind = kinds.get(source)
            source_options = next((q["option_values"] for q in questions if q["name"] == source), [])
            if source_kind is None:
                problems.append(
                    _row_problem(
                        number,
                        _("the condition refers to “%(name)s”, which is not an earlier question.") % {"name": source},
                    )
                )
            elif source_kind not in (*Question.CHOICE_KINDS, Question.Kind.SCALE):
                problems.append(
                    _row_problem(number, _("a condition can only test a yes/no, scale or choice question."))
                )
            elif selected != (source_kind == Question.Kind.MULTIPLE):
                problems.append(
                    _row_problem(
                        number,
                        _(
                            "use selected(${q}, 'value') for a multiple choice question and ${q} = 'value' for the others."
                        ),
                    )
                )
            elif value not in source_options:
                problems.append(
                    _row_problem(
                        number, _("“%(value)s” is not an answer of “%(name)s”.") % {"value": value, "name": source}
                    )
                )
            else:
                show_if = (source, value)
        kinds[name] = kind
        questions.append(
            {
                "row": number,
                "name": name,
                "kind": kind,
                "text": label[:500],
                "help_text": _pick_language(child.get("hint"))[:300],
                "required": str(row.get("required") or "").strip().lower() in TRUE,
                "whole_number": child["type"] == "integer",
                "options": options,
                "option_values": list(Question.SCALE_VALUES)
                if kind == Question.Kind.SCALE
                else [v for v, _l in options],
                "show_if": show_if,
            }
        )
    if problems:
        raise ValidationError(problems)
    if not any(q["kind"] != Question.Kind.NOTE for q in questions):
        raise ValidationError(_("The form has no question to answer."))
    title = str(form.get("title") or "").strip()
    return {"title": title if title and title != "data" else "", "questions": questions, "skipped": skipped}


@transaction.atomic
def import_campaign(*, commune: Commune, fileobj, by: User | None, title: str = "") -> tuple[Campaign, list[str]]:
    """Create a general questionnaire (draft) from an XLSForm workbook; all or nothing."""
    form = read(fileobj)
    today = timezone.localdate()
    campaign = services.campaign_create(
        commune=commune,
        kind=Campaign.Kind.GENERAL,
        title=(title or form["title"] or _("Imported questionnaire"))[:200],
        opens_on=today,
        closes_on=today + timedelta(days=30),
        by=by,
    )
    created: dict[str, Question] = {}
    for position, item in enumerate(form["questions"], start=1):
        source, value = item["show_if"]
        question = Question(
            campaign=campaign,
            position=position,
            name=item["name"],
            kind=item["kind"],
            text=item["text"],
            help_text=item["help_text"],
            required=item["required"],
            whole_number=item["whole_number"],
            show_if_question=created.get(source),
            show_if_value=value,
        )
        try:
            created[item["name"]] = services.question_save(question=question, options=item["options"], by=by)
        except ValidationError as error:
            raise ValidationError([_row_problem(item["row"], message) for message in error.messages]) from None
    return campaign, form["skipped"]


# Export ------------------------------------------------------------------------------------------


def _type(question: Question) -> str:
    kind = question.kind
    if kind in (Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.SCALE):
        return f"select_one {question.name}"
    if kind == Question.Kind.MULTIPLE:
        return f"select_multiple {question.name}"
    if kind == Question.Kind.NUMBER:
        return "integer" if question.whole_number else "decimal"
    return kind  # date, text, note


def _relevant(question: Question) -> str:
    source = question.show_if_question
    if source is None:
        return ""
    value = question.show_if_value.replace("'", "")
    if source.kind == Question.Kind.MULTIPLE:
        return f"selected(${{{source.name}}}, '{value}')"
    return f"${{{source.name}}} = '{value}'"


def _append(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text, never a formula


def export(campaign: Campaign) -> bytes:
    """The questionnaire as an XLSForm workbook (.xlsx) that Kobo, ODK and our import read."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", f"label::{LANGUAGE}", f"hint::{LANGUAGE}", "required", "relevant", "appearance"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", f"label::{LANGUAGE}"])
    for question in campaign.questions.prefetch_related("options").select_related("show_if_question"):
        _append(
            survey,
            [
                _type(question),
                question.name,
                question.text,
                question.help_text or None,
                "yes" if question.required else None,
                _relevant(question) or None,
                SCALE_APPEARANCE if question.kind == Question.Kind.SCALE else None,
            ],
        )
        if question.kind == Question.Kind.SCALE:
            for value in Question.SCALE_VALUES:
                _append(choices, [question.name, value, value])
        elif question.has_options:
            for option in question.options.all():
                _append(choices, [question.name, option.value, option.label])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    _append(
        settings,
        [
            campaign.title,
            f"xtm_{campaign.commune.code}_{campaign.pk}",
            timezone.localdate().strftime("%Y%m%d01"),
            LANGUAGE,
        ],
    )
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
