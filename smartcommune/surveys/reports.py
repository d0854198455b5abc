"""Printed and exported surveys: the household slip sheet (PDF), and results as .xlsx and PDF."""

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from smartcommune.core.pdf import Document

from . import codes
from .models import Campaign
from .selectors import Rate, Results, comments
from .services import IssuedSlips

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def answer_url(code: str) -> str:
    """The address a slip's QR code holds. The code travels in the query string, which the server's
    request log leaves out (settings.LOGGING), so no log line pairs a code with a time and address."""
    return f"{settings.SITE_URL}{reverse('surveys:answer')}?ma={code}"


# Slip sheet --------------------------------------------------------------------------------------

COLUMNS, ROWS = 2, 5
MARGIN_X, TOP, BOTTOM = 10.0, 16.0, 14.0
QR_SIZE = 32.0


class SlipSheet(Document):
    """A4 pages of household slips, ten to a page, with cut lines. No household data: the village only."""

    def __init__(self, *, campaign: Campaign, village_name: str):
        self.campaign_title, self.village_name = campaign.title, village_name
        super().__init__(issuer=campaign.commune.name, title=campaign.title, subtitle=village_name)
        self.set_auto_page_break(False)

    def _masthead(self) -> None:  # a one-line header on every page instead (see header)
        pass

    def header(self) -> None:
        self.set_font("Roboto", "B", 9)
        self.set_xy(MARGIN_X, 6)
        self.cell(0, 5, f"{self.issuer} — {self.village_name}")

    def qr(self, x: float, y: float, size: float, data: str) -> None:
        """Draw a QR code as filled rectangles, one per run of dark modules: sharp at any zoom, small,
        and much faster than embedding one image per slip."""
        matrix = segno.make(data, error="m", micro=False, boost_error=False).matrix
        module, k, height = size / len(matrix), self.k, self.h
        ops = []
        for r, row in enumerate(matrix):
            c, n = 0, len(row)
            while c < n:
                if row[c]:
                    end = c
                    while end < n and row[end]:
                        end += 1
                    ops.append(
                        f"{(x + c * module) * k:.2f} {(height - y - (r + 1) * module) * k:.2f} "
                        f"{(end - c) * module * k:.2f} {module * k:.2f} re"
                    )
                    c = end
                else:
                    c += 1
        self._out("q 0 g " + " ".join(ops) + " f Q")  # raw PDF operators: fpdf2 has no public bulk path API


def slips_pdf(campaign: Campaign, issued: IssuedSlips) -> bytes:
    doc = SlipSheet(campaign=campaign, village_name=issued.village.name)
    width = (doc.w - 2 * MARGIN_X) / COLUMNS
    height = (doc.h - TOP - BOTTOM) / ROWS
    closes = formats.date_format(campaign.closes_on, "SHORT_DATE_FORMAT")
    address = f"{settings.SITE_URL}{reverse('surveys:answer')}".split("://", 1)[-1]
    per_page = COLUMNS * ROWS
    for index, code in enumerate(issued.codes):
        if index and index % per_page == 0:
            doc.add_page()
        slot = index % per_page
        x = MARGIN_X + (slot % COLUMNS) * width
        y = TOP + (slot // COLUMNS) * height
        doc.set_draw_color(150)
        doc.set_dash_pattern(dash=2, gap=2)
        doc.rect(x, y, width, height)
        doc.set_dash_pattern()
        doc.qr(x + 5, y + (height - QR_SIZE) / 2, QR_SIZE, answer_url(code))  # 5 mm: the quiet zone QR needs
        text_x, text_w = x + QR_SIZE + 9, width - QR_SIZE - 12
        doc.set_xy(text_x, y + 3)
        doc.set_font("Roboto", "B", 8)
        doc.multi_cell(text_w, 3.6, _("HOUSEHOLD SURVEY SLIP"), new_x="LEFT", new_y="NEXT")
        doc.set_font("Roboto", "", 7.5)
        doc.multi_cell(text_w, 3.4, campaign.title[:110], new_x="LEFT", new_y="NEXT", max_line_height=3.4)
        doc.multi_cell(text_w, 3.6, issued.village.name, new_x="LEFT", new_y="NEXT")
        doc.set_xy(text_x, doc.get_y() + 1)
        doc.set_font("Roboto", "B", 15)
        doc.cell(text_w, 7, codes.display(code), new_x="LEFT", new_y="NEXT")
        doc.set_font("Roboto", "", 7)
        doc.multi_cell(
            text_w,
            3.2,
            _(
                "Scan the QR code with a phone, or open %(address)s and type the code. One answer per household; answer by %(date)s. The slip carries no name: answers are anonymous."
            )
            % {"address": address, "date": closes},
            new_x="LEFT",
            new_y="NEXT",
        )
    return doc.bytes()


# Results -----------------------------------------------------------------------------------------


def _pct(value) -> str:
    return "—" if value is None else f"{formats.number_format(value, 1, use_l10n=True)} %"


def _verdict(value: bool | None) -> str:
    return {True: _("Met"), False: _("Not met"), None: _("No data")}[value]


def _rate_cell(rate: Rate, threshold) -> str:
    text = _pct(rate.pct)
    return f"{text} ✗" if rate.passes(threshold) is False else text


def summary_lines(results: Results) -> list[tuple[str, str, str]]:
    """(what, figure, verdict) lines shared by the page, the PDF and the workbook."""
    campaign, commune = results.campaign, results.commune
    lines = [
        (
            _("Households that answered"),
            f"{commune.responses} / {commune.households} ({_pct(commune.coverage)})",
            f"≥ {_pct(campaign.coverage_threshold)}: {_verdict(results.coverage_ok)}",
        )
    ]
    if results.overall_question:
        lines.append(
            (
                _("Overall satisfaction"),
                _pct(commune.overall.pct),
                f"≥ {_pct(campaign.overall_threshold)}: {_verdict(results.overall_ok)}",
            )
        )
    if results.items:
        lines.append(
            (
                _("Every item, commune and every village"),
                _("%(count)s below the threshold") % {"count": len(results.shortfalls)},
                f"≥ {_pct(campaign.item_threshold)}: {_verdict(results.items_everywhere_ok)}",
            )
        )
        lines.append((_("Result"), "", _verdict(results.passed)))
    return lines


def _title(results: Results) -> tuple[str, str]:
    campaign = results.campaign
    period = f"{formats.date_format(campaign.opens_on, 'SHORT_DATE_FORMAT')} – {formats.date_format(campaign.closes_on, 'SHORT_DATE_FORMAT')}"
    return _("Survey results"), f"{campaign.title} — {campaign.commune.name} — {period}"


def results_xlsx(results: Results) -> bytes:
    book = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E6E9ED")
    title, subtitle = _title(results)

    sheet = book.active
    sheet.title = "Tong hop"
    sheet.append([title.upper()])
    sheet.append([subtitle])
    if results.campaign.legal_basis:
        sheet.append([results.campaign.legal_basis])
    sheet.append([])
    for line in summary_lines(results):
        sheet.append(list(line))
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 30

    def table(name: str, header: list[str], rows: list[list]) -> None:
        ws = book.create_sheet(name)
        ws.append(header)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append(row)
        for index in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(index)].width = 40 if index == 1 else 16
        for row in ws.iter_rows(min_row=2):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")

    groups = [*results.villages, results.commune]
    table(
        "Theo thon",
        [
            _("Village"),
            _("Households"),
            _("Answer forms"),
            _("Online"),
            _("Paper"),
            _("Coverage (%)"),
            _("Overall satisfaction (%)"),
        ],
        [
            [
                g.name,
                g.households,
                g.responses,
                g.online,
                g.paper,
                _num(g.coverage),
                _num(g.overall.pct) if results.overall_question else None,
            ]
            for g in groups
        ],
    )
    if results.items:
        table(
            "Noi dung",
            [_("Item"), *[g.name for g in groups]],
            [[q.text, *[_num(g.item(q).pct) for g in groups]] for q in results.items],
        )
    rows = []
    for summary in results.summaries:
        if summary.options:
            for option in summary.options:
                rows.append([summary.question.text, option.label, option.count, _num(option.pct), None])
        else:
            rows.append([summary.question.text, "", summary.answered, None, _num(summary.mean)])
    table("Cau hoi", [_("Question"), _("Answer"), _("Answers"), "%", _("Mean")], rows)
    approved = comments(results.campaign, review="approved")
    table(
        "Y kien",
        [_("Question"), _("Village"), _("Comment")],
        [[a.question.text, a.village.name, _safe_text(a.text)] for a in approved],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _num(value):
    return None if value is None else float(value)


def _safe_text(text: str) -> str:
    # A comment is data, never a formula: text a spreadsheet would run gets a leading apostrophe.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def results_pdf(results: Results) -> bytes:
    title, subtitle = _title(results)
    campaign = results.campaign
    doc = Document(issuer=f"UBMTTQ VN {campaign.commune.name}", title=title, subtitle=subtitle, landscape=True)
    if campaign.legal_basis:
        doc.paragraph(campaign.legal_basis)
    doc.table(
        [_("What"), _("Figure"), _("Threshold and result")],
        [list(line) for line in summary_lines(results)],
        widths=[80, 80, 107],
    )
    doc.heading(_("Answers by village"))
    groups = [*results.villages, results.commune]
    doc.table(
        [
            _("Village"),
            _("Households"),
            _("Answer forms"),
            _("Online"),
            _("Paper"),
            _("Coverage"),
            _("Overall satisfaction"),
        ],
        [
            [
                g.name,
                g.households,
                g.responses,
                g.online,
                g.paper,
                _pct(g.coverage),
                _pct(g.overall.pct) if results.overall_question else "—",
            ]
            for g in groups
        ],
        widths=[67, 30, 30, 30, 30, 40, 40],
    )
    if results.items:
        doc.add_page()
        doc.heading(_("Satisfaction by item and village (%); ✗ = below the threshold"))
        doc.set_font("Roboto", "", 7)
        width = (doc.w - doc.l_margin - doc.r_margin - 60) / len(groups)
        doc.table(
            [_("Item"), *[g.village.code if g.village else _("Commune") for g in groups]],
            [[q.text, *[_rate_cell(g.item(q), campaign.item_threshold) for g in groups]] for q in results.items],
            widths=[60, *[width] * len(groups)],
        )
        doc.set_font("Roboto", "", 10)
        doc.paragraph(", ".join(f"{g.village.code}: {g.name}" for g in results.villages))
    others = [s for s in results.summaries if s.question.role == "" and s.options]
    if others:
        doc.heading(_("Other questions"))
        doc.table(
            [_("Question"), _("Answer"), _("Answers"), "%"],
            [[s.question.text, o.label, o.count, _pct(o.pct)] for s in others for o in s.options],
            widths=[120, 90, 27, 30],
        )
    doc.signature(place=campaign.commune.name, role="TM. BAN THƯỜNG TRỰC")
    return doc.bytes()
