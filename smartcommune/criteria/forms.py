from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator


class ValueForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), required=False, localize=True, max_digits=16, decimal_places=4)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", "—"), ("1", _("met")), ("0", _("not met"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    numerator = forms.DecimalField(label=_("Numerator"), required=False, localize=True, max_digits=16, decimal_places=4)
    denominator = forms.DecimalField(
        label=_("Denominator"), required=False, localize=True, max_digits=16, decimal_places=4
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    reason = forms.CharField(label=_("Reason for the change (after approval)"), required=False, max_length=200)
    evidence = forms.FileField(label=_("Evidence (PDF or image)"), required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator.kind == Indicator.Kind.PASS_FAIL:
            for name in ("value", "numerator", "denominator"):
                del self.fields[name]
        else:
            del self.fields["passed"]
            if indicator.kind != Indicator.Kind.PERCENT:
                del self.fields["numerator"], self.fields["denominator"]


class ThresholdForm(forms.Form):
    value = forms.DecimalField(label=_("Corrected value"), localize=True, max_digits=14, decimal_places=4)
    reason = forms.CharField(label=_("Source (decision, article)"), max_length=300)
