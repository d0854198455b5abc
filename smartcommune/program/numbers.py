"""Numbers as Vietnamese read them: 1.234.567 đồng, 87,5 %, no trailing zeros."""

from decimal import Decimal

from django.utils import formats


def money(amount) -> str:
    """1234567 -> "1.234.567"."""
    if amount is None or amount == "":
        return ""
    return formats.number_format(int(amount), use_l10n=True, force_grouping=True)


def number(value) -> str:
    """Decimal("87.50") -> "87,5"; Decimal("100.0000") -> "100"; at most two decimals."""
    if value is None or value == "":
        return ""
    rounded = Decimal(value).quantize(Decimal("0.01"))
    if rounded == rounded.to_integral_value():
        return money(rounded)
    places = 1 if rounded * 10 == (rounded * 10).to_integral_value() else 2
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)
