from django import template
from django.utils import formats

register = template.Library()


@register.filter
def pct(value) -> str:
    """A percentage with one decimal in the reader's format ("92,3 %"), or "—" when there is none."""
    if value is None or value == "":
        return "—"
    return f"{formats.number_format(value, 1, use_l10n=True)} %"
