"""Small server-rendered bar charts (SVG, no script, no CDN) with the same figures as a table.

Hand-written rather than pygal: pygal's SVG carries its own CSS/JS and weighs tens of KB per chart,
which the 100 KB page budget cannot afford; a bar chart needs only rectangles."""

from dataclasses import dataclass
from decimal import Decimal

ROW = 38  # height of one bar's row in the SVG's user units (label line + bar)
WIDTH = 320


@dataclass
class Bar:
    label: str
    value: float | None
    text: str  # the value as people read it ("92,5 %", "1.234.000 đ")
    tone: str = "brand"  # brand | ok | bad | muted
    y: int = 0
    width: float = 0.0


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    height: int
    headers: tuple[str, str]


def bar_chart(title: str, items: list[tuple[str, Decimal | float | int | None, str]], *, maximum=None,
              tones: list[str] | None = None, headers: tuple[str, str] = ("", "")) -> Chart:  # fmt: skip
    values = [float(v) for _l, v, _t in items if v is not None]
    top = float(maximum) if maximum is not None else (max(values) if values else 0.0)
    bars = []
    for index, (label, value, text) in enumerate(items):
        share = 0.0 if value is None or top <= 0 else max(0.0, min(1.0, float(value) / top))
        tone = tones[index] if tones else "brand"
        bars.append(Bar(str(label), None if value is None else float(value), text, tone, index * ROW, share * WIDTH))
    return Chart(title, bars, max(ROW, len(bars) * ROW), headers)
