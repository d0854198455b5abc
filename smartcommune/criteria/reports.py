"""The commune's self-assessment report (báo cáo tự đánh giá kết quả thực hiện bộ tiêu chí):
.xlsx and PDF in the administrative layout, and a CSV of every value."""

import csv as csv_module
import io
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from smartcommune.core.pdf import Document

from .evaluation import MET, MISSING, UNMET, CommuneResult, IndicatorResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_label(status: str) -> str:
    return {MET: _("Met"), UNMET: _("Not met"), MISSING: _("Missing data")}[status]


def show(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("met") if value else _("not met")
    text = formats.number_format(
        value, decimal_pos=2 if value != value.to_integral_value() else 0, use_l10n=True, force_grouping=True
    )
    return f"{text} {unit}".strip()


def threshold_text(result: IndicatorResult) -> str:
    t = result.threshold
    if t is None:
        return "—"
    if result.indicator.kind == "pass_fail":
        return _("met")
    return f"{t.get_comparator_display()} {show(t.value, result.indicator.unit)}"


def _title(result: CommuneResult) -> tuple[str, str]:
    title = _("Self-assessment of the results of the criteria set")
    subtitle = f"{result.criteria_set.name} — {result.commune.name}, {result.commune.province.full_name} — {_('year')} {result.year}"
    return title, subtitle


def _rows(result: CommuneResult):
    for c in result.criteria:
        yield ("criterion", c, None)
        for i in c.indicators:
            yield ("indicator", c, i)


def _indicator_cells(i: IndicatorResult) -> list:
    flag = "⚠ " if i.indicator.needs_verification or (i.threshold and i.threshold.needs_verification) else ""
    blocking = ", ".join(v.village.name for v in i.blocking_villages[:5])
    return [
        i.indicator.code,
        f"{flag}{i.indicator.name}",
        threshold_text(i),
        show(i.figure.value, i.indicator.unit),
        status_label(i.status),
        i.indicator.get_source_display(),
        blocking,
    ]


HEADER = [
    "Mã",
    "Tiêu chí / chỉ tiêu",
    "Yêu cầu",
    "Kết quả",
    "Đánh giá",
    "Nguồn số liệu",
    "Thôn chưa đạt",
]


def xlsx(result: CommuneResult) -> tuple[bytes, str]:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tu danh gia"
    title, subtitle = _title(result)
    sheet.append([title.upper()])
    sheet.append([subtitle])
    sheet.append([_("Criteria met: %(met)s / %(total)s") % {"met": result.count(MET), "total": len(result.criteria)}])
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E9ED")
    for kind, criterion_result, indicator in _rows(result):
        if kind == "criterion":
            c = criterion_result.criterion
            sheet.append(
                [str(c.number), f"Tiêu chí {c.number}: {c.name}", "", "", status_label(criterion_result.status)]
            )
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        else:
            sheet.append(_indicator_cells(indicator))
    for column, width in zip("ABCDEFG", (8, 60, 16, 18, 14, 24, 30), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=6):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), XLSX


def pdf(result: CommuneResult) -> tuple[bytes, str]:
    title, subtitle = _title(result)
    doc = Document(issuer=f"UBND {result.commune.name}", title=title, subtitle=subtitle, landscape=True)
    doc.paragraph(
        _("Criteria met: %(met)s of %(total)s; not met: %(unmet)s; missing data: %(missing)s.")
        % {
            "met": result.count(MET),
            "total": len(result.criteria),
            "unmet": result.count(UNMET),
            "missing": result.count(MISSING),
        }
    )
    rows = []
    for kind, criterion_result, indicator in _rows(result):
        if kind == "criterion":
            c = criterion_result.criterion
            rows.append(
                [str(c.number), f"Tiêu chí {c.number}: {c.name}", "", "", status_label(criterion_result.status), "", ""]
            )
        else:
            rows.append(_indicator_cells(indicator))
    doc.table(HEADER, rows, widths=[12, 90, 26, 28, 22, 38, 50])
    doc.paragraph(_("⚠ marks a value or threshold that still needs verification against the official decision."))
    doc.signature(place=result.commune.name, role="TM. ỦY BAN NHÂN DÂN")
    return doc.bytes(), "application/pdf"


def csv(result: CommuneResult) -> tuple[bytes, str]:
    """Every value, commune and villages, one per line, machine-readable (dot decimals)."""
    out = io.StringIO()
    writer = csv_module.writer(out)
    writer.writerow(["set", "year", "commune", "village", "indicator", "value", "numerator", "denominator", "status"])
    for i in result.indicators:
        rows = [(result.commune.code, "", i.figure, i.status)] + [
            (result.commune.code, v.village.code, v.figure, v.status) for v in i.villages
        ]
        for commune_code, village_code, figure, status in rows:
            value = figure.value
            if isinstance(value, bool):
                value = int(value)
            writer.writerow(
                [result.criteria_set.code, result.year, commune_code, village_code, i.indicator.code,
                 "" if value is None else value, _plain(figure.numerator), _plain(figure.denominator), status]
            )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")
