from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from . import tabular

CURRENCY_WORDS = ("đồng", "vnđ", "vnd", "đ")  # longest first


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors by field, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class AmountField(forms.Field):
    """A whole amount of đồng as people write it: 1.234.567, 1,234,567, 1234567 or "180.000 đ".

    `positive=True` refuses zero (a price); otherwise zero is allowed and only negatives are refused."""

    default_error_messages = {
        "invalid": _("Enter an amount in đồng, for example 1.234.567."),
        "negative": _("The amount cannot be negative."),
        "not_positive": _("The amount must be more than zero."),
        "too_large": _("The amount is too large."),
    }

    def __init__(self, *args, positive: bool = False, max_value: int = 10**15, **kwargs):
        self.positive, self.max_value = positive, max_value
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 30})
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = str(value if value is not None else "").strip().lower().replace(" ", "").replace("\u00a0", "")[:40]
        for word in CURRENCY_WORDS:
            if text.endswith(word):
                text = text[: -len(word)]
                break
        if not text:
            return None
        refused = "not_positive" if self.positive else "negative"
        if text.startswith("-"):
            raise ValidationError(self.error_messages[refused], code=refused)
        try:
            amount = tabular.parse_int(text)
        except ValidationError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        if amount < 0 or (self.positive and amount == 0):
            raise ValidationError(self.error_messages[refused], code=refused)
        if amount > self.max_value:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount

    def prepare_value(self, value):
        if isinstance(value, int):
            return formats.number_format(value, use_l10n=True, force_grouping=True)
        return value
