"""Reports handed upward: the budget (plan against disbursed, by source and by category, in the six-month
and yearly layouts) as .xlsx, and the programme progress report for a chosen date as .xlsx and PDF.

Amounts are whole đồng, written as numbers with a grouping format so that spreadsheets can add them up;
every total is the sum of the rows below it (selectors.budget_summary), so the tables reconcile."""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from smartcommune.core.pdf import Document
from smartcommune.places.models import Commune

from . import selectors
from .models import Plan, Task
from .numbers import money, number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = "#,##0"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="E6E9ED")


@dataclass(frozen=True)
class Layout:
    key: str
    six_months: bool

    def until(self, year: int) -> date | None:
        return date(year, 6, 30) if self.six_months else None


SIX_MONTHS = Layout("6-thang", True)
YEAR = Layout("ca-nam", False)


def _budget_header(layout: Layout) -> list[str]:
    paid = _("Disbursed in the first six months") if layout.six_months else _("Disbursed in the year")
    header = ["#", "", _("Annual plan"), _("Allocated to tasks"), paid, _("Disbursement rate (%)")]
    if not layout.six_months:
        header.append(_("Settled"))
    header.append(_("Plan remaining"))
    return header


def _budget_cells(amounts: selectors.Amounts, layout: Layout) -> list:
    cells = [
        amounts.planned,
        amounts.allocated,
        amounts.disbursed,
        float(amounts.rate) if amounts.rate is not None else None,
    ]
    if not layout.six_months:
        cells.append(amounts.settled)
    cells.append(amounts.remaining)
    return cells


def _title_rows(sheet, commune: Commune, title: str, subtitle: str) -> None:
    sheet.append([f"UBND {commune.name}".upper()])
    sheet.append([title.upper()])
    sheet.append([subtitle])
    sheet.append([_("Unit: đồng")])
    sheet.append([])
    for row in (1, 2):
        sheet.cell(row=row, column=1).font = BOLD


def _header(sheet, header: list[str]) -> None:
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _money_row(sheet, values: list, *, bold: bool = False) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, int) and not isinstance(cell.value, bool):
            cell.number_format = MONEY
        elif isinstance(cell.value, float):
            cell.number_format = "0.0"
        if bold:
            cell.font = BOLD


def _widths(sheet, widths) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def budget_xlsx(commune: Commune, year: int, layout: Layout) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _budget_xlsx(commune, year, layout)


def _budget_xlsx(commune: Commune, year: int, layout: Layout) -> bytes:
    summary = selectors.budget_summary(commune, year, until=layout.until(year))
    if layout.six_months:
        title = _("Plan and disbursement of the programme's funds, first six months of %(year)s") % {"year": year}
        subtitle = _("Disbursements up to 30/06/%(year)s") % {"year": year}
    else:
        title = _("Plan and disbursement of the programme's funds, year %(year)s") % {"year": year}
        subtitle = _("Every disbursement of the year's budget lines")
    book = Workbook()

    sheet = book.active
    sheet.title = _("By source")[:31]
    _title_rows(sheet, commune, title, subtitle)
    header = _budget_header(layout)
    header[1] = _("Funding source")
    _header(sheet, header)
    number = 0
    for row in summary.by_source:
        label = row.code if row.level == 0 else ""
        if row.level == 0:
            number += 1
        _money_row(
            sheet,
            [label, row.label if row.level == 0 else f"   {row.label}", *_budget_cells(row.amounts, layout)],
            bold=row.level == 0,
        )
    _money_row(sheet, ["", _("TOTAL"), *_budget_cells(summary.total, layout)], bold=True)
    _widths(sheet, (7, 48, 18, 18, 18, 12, 18, 18))

    sheet = book.create_sheet(_("By category")[:31])
    _title_rows(sheet, commune, title, subtitle)
    header = _budget_header(layout)
    header[1] = _("Spending category")
    _header(sheet, header)
    roman = iter(("A", "B", "C", "D"))
    for row in summary.by_category:
        label = next(roman) if row.level == 0 else ""
        _money_row(
            sheet,
            [label, row.label if row.level == 0 else f"   {row.label}", *_budget_cells(row.amounts, layout)],
            bold=row.level == 0,
        )
    _money_row(sheet, ["", _("TOTAL"), *_budget_cells(summary.total, layout)], bold=True)
    _widths(sheet, (7, 60, 18, 18, 18, 12, 18, 18))

    sheet = book.create_sheet(_("Budget lines")[:31])
    _title_rows(sheet, commune, title, subtitle)
    header = _budget_header(layout)
    header[0:2] = ["#", _("Funding source"), _("Spending category"), _("Content"), _("Decision")]
    _header(sheet, header)
    for index, item in enumerate(summary.lines, start=1):
        line = item.line
        _money_row(
            sheet,
            [
                index,
                line.source.code,
                line.category.name,
                line.content,
                line.decision_number,
                *_budget_cells(item.amounts, layout),
            ],
        )
    _money_row(sheet, ["", "", "", _("TOTAL"), "", *_budget_cells(summary.total, layout)], bold=True)
    _widths(sheet, (6, 10, 36, 44, 16, 18, 18, 18, 12, 18, 18))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Progress report ---------------------------------------------------------------------------------


def show_value(reading: selectors.TargetReading) -> str:
    if reading.value is None:
        return "—"
    target = reading.target
    if target.kind == "yes_no":
        return _("yes") if reading.value == 1 else _("no")
    return f"{number(reading.value)} {target.unit}".strip()


def show_goal(target) -> str:
    if target.kind == "yes_no":
        return _("yes")
    return f"{target.get_comparator_display()} {number(target.target_value)} {target.unit}".strip()


def verdict(reading: selectors.TargetReading) -> str:
    if reading.met is None:
        return _("no figure yet")
    return _("met") if reading.met else _("not met")


def source_text(reading: selectors.TargetReading) -> str:
    if reading.value is None:
        return reading.note or "—"
    kind = _("computed from data") if reading.computed else _("entered")
    return f"{kind}: {reading.source}"


@dataclass
class Progress:
    commune: Commune
    plan: Plan | None
    on: date
    overview: list
    counts: dict
    overdue: list[Task]
    budget: selectors.BudgetSummary
    training: selectors.TrainingTotals


def progress_data(commune: Commune, on: date) -> Progress:
    plan = selectors.plan_for(commune, on)
    tasks = Task.objects.filter(commune=commune)
    return Progress(
        commune=commune,
        plan=plan,
        on=on,
        overview=selectors.plan_overview(plan, on) if plan else [],
        counts=selectors.task_counts(tasks, on),
        overdue=list(tasks.overdue(on).select_related("village", "organisation").order_by("deadline", "code")),
        budget=selectors.budget_summary(commune, on.year, until=on),
        training=selectors.training_totals(commune, on.year, until=on),
    )


def _target_rows(data: Progress) -> list[list[str]]:
    rows = []
    for view in data.overview:
        rows.append([str(view.objective.number), view.objective.title, "", "", "", "", ""])
        for r in view.readings:
            when = f"{r.as_of:%d/%m/%Y}" if r.as_of else "—"
            rows.append(
                [r.target.code, r.target.name, show_goal(r.target), show_value(r), verdict(r), source_text(r), when]
            )
    return rows


def _task_rows(data: Progress) -> list[list]:
    return [[str(label), data.counts.get(status, 0)] for status, label in Task.Status.choices] + [
        [_("of which overdue"), data.counts.get("overdue", 0)],
        [_("Total"), data.counts.get("total", 0)],
    ]


def _training_rows(t: selectors.TrainingTotals) -> list[list]:
    return [
        [_("Training classes"), t.classes],
        [_("Participants"), t.participants],
        [_("Households trained"), t.households],
        [_("Organisations trained"), t.organisations],
        [_("Outreach activities"), t.outreach_activities],
        [_("People reached by outreach"), t.outreach_reach],
    ]


def _titles(data: Progress) -> tuple[str, str]:
    title = _("Report on the progress of the digital transformation programme")
    plan = f"{data.plan.number} — {data.plan.title}" if data.plan else _("no plan recorded")
    return title, f"{plan} — {_('as of')} {data.on:%d/%m/%Y}"


TARGET_HEADER = (
    gettext_noop("Code"),
    gettext_noop("Target"),
    gettext_noop("Goal"),
    gettext_noop("Current value"),
    gettext_noop("Assessment"),
    gettext_noop("Source"),
    gettext_noop("Date of the figure"),
)


def progress_xlsx(commune: Commune, on: date) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        data = progress_data(commune, on)
        title, subtitle = _titles(data)
        book = Workbook()
        sheet = book.active
        sheet.title = _("Targets")[:31]
        _title_rows(sheet, commune, title, subtitle)
        _header(sheet, [_(h) for h in TARGET_HEADER])
        for row in _target_rows(data):
            sheet.append(row)
        _widths(sheet, (8, 60, 18, 18, 16, 40, 14))

        sheet = book.create_sheet(_("Tasks")[:31])
        _title_rows(sheet, commune, title, subtitle)
        _header(sheet, [_("Status"), _("Tasks")])
        for row in _task_rows(data):
            sheet.append(row)
        sheet.append([])
        _header(sheet, [_("Code"), _("Overdue task"), _("Responsible unit"), _("Deadline"), _("Progress (%)")])
        for task in data.overdue:
            sheet.append([task.code, task.title, task.unit_label, task.deadline, task.progress])
            sheet.cell(row=sheet.max_row, column=4).number_format = "DD/MM/YYYY"
        _widths(sheet, (22, 60, 30, 14, 12))

        sheet = book.create_sheet(_("Budget")[:31])
        _title_rows(sheet, commune, title, subtitle)
        _header(
            sheet,
            [
                "#",
                _("Funding source"),
                _("Annual plan"),
                _("Allocated to tasks"),
                _("Disbursed"),
                _("Disbursement rate (%)"),
                _("Settled"),
                _("Plan remaining"),
            ],
        )
        for row in data.budget.by_source:
            _money_row(
                sheet,
                [row.code if row.level == 0 else "", row.label, *_budget_cells(row.amounts, YEAR)],
                bold=row.level == 0,
            )
        _money_row(sheet, ["", _("TOTAL"), *_budget_cells(data.budget.total, YEAR)], bold=True)
        _widths(sheet, (7, 48, 18, 18, 18, 12, 18, 18))

        sheet = book.create_sheet(_("Training")[:31])
        _title_rows(sheet, commune, title, subtitle)
        for row in _training_rows(data.training):
            sheet.append(row)
        _widths(sheet, (40, 14))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def progress_pdf(commune: Commune, on: date) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        data = progress_data(commune, on)
        title, subtitle = _titles(data)
        doc = Document(issuer=f"UBND {commune.name}", title=title, subtitle=subtitle, landscape=True)
        doc.heading(_("1. Targets"))
        doc.table([_(h) for h in TARGET_HEADER], _target_rows(data), widths=[14, 86, 30, 30, 24, 56, 26])
        doc.heading(_("2. Tasks"))
        doc.table([_("Status"), _("Tasks")], [[a, str(b)] for a, b in _task_rows(data)], widths=[80, 30])
        if data.overdue:
            doc.paragraph(_("Overdue tasks:"))
            doc.table(
                [_("Code"), _("Overdue task"), _("Responsible unit"), _("Deadline"), _("Progress (%)")],
                [[t.code, t.title, t.unit_label, f"{t.deadline:%d/%m/%Y}", str(t.progress)] for t in data.overdue],
                widths=[22, 110, 60, 28, 26],
            )
        doc.heading(_("3. Budget by funding source (đồng)"))
        rows = [
            [
                r.code if r.level == 0 else "",
                r.label,
                money(r.amounts.planned),
                money(r.amounts.disbursed),
                _rate(r.amounts.rate),
            ]
            for r in data.budget.by_source
        ]
        total = data.budget.total
        rows.append(["", _("TOTAL"), money(total.planned), money(total.disbursed), _rate(total.rate)])
        doc.table(
            ["#", _("Funding source"), _("Annual plan"), _("Disbursed"), _("Disbursement rate (%)")],
            rows,
            widths=[14, 110, 46, 46, 30],
        )
        doc.heading(_("4. Training and outreach"))
        doc.table(
            [_("Figure"), _("Value")], [[a, money(b)] for a, b in _training_rows(data.training)], widths=[110, 40]
        )
        doc.signature(place=commune.name, role="TM. ỦY BAN NHÂN DÂN", on=on)
        return doc.bytes()


def _rate(rate: Decimal | None) -> str:
    return "—" if rate is None else number(rate)
