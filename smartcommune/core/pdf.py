"""PDF documents with Vietnamese text, in the administrative layout officials hand upward.

fpdf2 with Roboto (shipped by the font-roboto package) renders every Vietnamese diacritic; no system
fonts or Pango are needed.
"""

from datetime import date

import font_roboto
from django.utils import timezone
from fpdf import FPDF, XPos, YPos
from fpdf.fonts import FontFace


class Document(FPDF):
    """An A4 document with the national motto header, a title and numbered pages."""

    def __init__(self, *, issuer: str, title: str, subtitle: str = "", landscape: bool = False):
        super().__init__(orientation="L" if landscape else "P", format="A4")
        self.add_font("Roboto", "", font_roboto.Roboto)
        self.add_font("Roboto", "B", font_roboto.RobotoBold)
        self.add_font("Roboto", "I", font_roboto.RobotoItalic)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        self.issuer, self.doc_title, self.subtitle = issuer, title, subtitle
        self.alias_nb_pages()
        self.add_page()
        self._masthead()

    def _masthead(self) -> None:
        half = (self.w - self.l_margin - self.r_margin) / 2
        y = self.get_y()
        self.set_font("Roboto", "B", 10)
        self.multi_cell(half, 5, self.issuer.upper(), align="C")
        self.set_xy(self.l_margin + half, y)
        self.multi_cell(half, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.multi_cell(half, 5, "Độc lập – Tự do – Hạnh phúc", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(6)
        self.set_font("Roboto", "B", 14)
        self.multi_cell(0, 7, self.doc_title.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.subtitle:
            self.set_font("Roboto", "I", 11)
            self.multi_cell(0, 6, self.subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)
        self.set_font("Roboto", "", 10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Roboto", "I", 8)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}} · lập ngày {date.today():%d/%m/%Y}", align="C")

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font("Roboto", "B", 11)
        self.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Roboto", "", 10)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        with super().table(
            col_widths=widths,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 233, 237)),
            line_height=5,
            text_align="LEFT",
        ) as table:
            table.row(header)
            for row in rows:
                table.row([str(cell) for cell in row])

    def signature(self, *, place: str, role: str, on: date | None = None) -> None:
        """The signing block at the bottom right: "<place>, ngày dd tháng mm năm yyyy", then who signs."""
        on = on or timezone.localdate()
        place_date = f"{place}, ngày {on:%d} tháng {on:%m} năm {on:%Y}"
        self.ln(8)
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.set_x(self.l_margin + half)
        self.set_font("Roboto", "I", 10)
        self.multi_cell(half, 5, place_date, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font("Roboto", "B", 10)
        self.multi_cell(half, 5, role, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bytes(self) -> bytes:
        return bytes(self.output())
