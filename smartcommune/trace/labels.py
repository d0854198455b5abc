"""QR codes (segno) and printable label sheets (fpdf2 with Roboto, for Vietnamese text).

Sheets follow common A4 self-adhesive layouts; every label carries the QR code (the lot's GS1
Digital Link URI), the product name, the lot code and its dates.
"""

import io
from dataclasses import dataclass

import font_roboto
import segno
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import Lot


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    columns: int
    rows: int
    width: float  # mm
    height: float  # mm
    left: float = 0
    top: float = 0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    "3x8": Layout("3x8", "A4 · 3 × 8 (70 × 37 mm)", 3, 8, 70, 37.125),
    "2x5": Layout("2x5", "A4 · 2 × 5 (105 × 59,4 mm)", 2, 5, 105, 59.4),
    "4x10": Layout("4x10", "A4 · 4 × 10 (52,5 × 29,7 mm)", 4, 10, 52.5, 29.7),
}


def qr(uri: str) -> segno.QRCode:
    # Level M survives a scratched label yet keeps the code small enough to scan at 2 cm.
    return segno.make(uri, error="m", micro=False)


def qr_svg(uri: str, *, scale: int = 4) -> str:
    return qr(uri).svg_inline(scale=scale, border=2)


def qr_png(uri: str, *, scale: int = 10) -> bytes:
    out = io.BytesIO()
    qr(uri).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


class _Sheet(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font("Roboto", "", font_roboto.Roboto)
        self.add_font("Roboto", "B", font_roboto.RobotoBold)
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.set_creator("Xã thông minh")


def label_sheet(*, lot: Lot, uri: str, layout: Layout, count: int, skip: int = 0) -> bytes:
    """A PDF of `count` labels for one lot, starting after `skip` labels already used on the first sheet."""
    pdf = _Sheet()
    pdf.set_title(f"{lot.product.name} — {lot.code}")
    image = io.BytesIO(qr_png(uri))
    pad = 2.5
    qr_side = min(layout.height - 2 * pad, layout.width * 0.45)
    text_width = layout.width - qr_side - 3 * pad
    name_size = 9 if layout.height > 35 else 7
    small = name_size - 1.5
    position = skip
    words = {"lot": _("Lot"), "made": _("Made"), "use_by": _("Use by")}
    for _number in range(count):
        slot = position % layout.per_page
        if slot == 0 or pdf.page == 0:
            pdf.add_page()
        column, row = slot % layout.columns, slot // layout.columns
        x = layout.left + column * layout.width
        y = layout.top + row * layout.height
        pdf.image(image, x=x + pad, y=y + (layout.height - qr_side) / 2, w=qr_side, h=qr_side)
        tx = x + qr_side + 2 * pad
        pdf.set_xy(tx, y + pad)
        pdf.set_font("Roboto", "B", name_size)
        pdf.multi_cell(text_width, name_size * 0.45, lot.product.name, max_line_height=name_size * 0.45)
        pdf.set_font("Roboto", "", small)
        lines = [f"{words['lot']}: {lot.code}", f"{words['made']}: {_date(lot.produced_on)}"]
        if lot.expires_on:
            lines.append(f"{words['use_by']}: {_date(lot.expires_on)}")
        lines.append(lot.product.owner.name)
        for line in lines:
            if pdf.get_y() + small * 0.45 > y + layout.height - pad:
                break
            pdf.set_x(tx)
            pdf.multi_cell(text_width, small * 0.45, line, max_line_height=small * 0.45)
        position += 1
    return bytes(pdf.output())
