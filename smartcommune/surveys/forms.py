from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smartcommune.criteria.models import CriteriaSet

from . import services
from .models import Campaign, Question

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title", "legal_basis", "introduction", "opens_on", "closes_on",
            "overall_threshold", "item_threshold", "coverage_threshold", "min_group_size",
        ]  # fmt: skip
        widgets = {
            "opens_on": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }
        localized_fields = ["overall_threshold", "item_threshold", "coverage_threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_satisfaction:
            for name in ("overall_threshold", "item_threshold", "coverage_threshold"):
                self.fields.pop(name)


class CampaignCreateForm(CampaignForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices)
    criteria_set = forms.ModelChoiceField(
        label=_("Items from the criteria set"),
        queryset=CriteriaSet.objects.all(),
        required=False,
        help_text=_("A satisfaction survey gets one item per criterion of this set."),
    )

    class Meta(CampaignForm.Meta):
        fields = ["kind", "criteria_set", *CampaignForm.Meta.fields]

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in Campaign.Kind.choices if k in kinds]
        self.order_fields(["kind", "criteria_set", "title"])

    def clean(self):
        data = super().clean()
        if data.get("kind") != Campaign.Kind.SATISFACTION:
            data["criteria_set"] = None
        return data


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, for choice questions. “key = label” keeps a key of your own."),
    )

    class Meta:
        model = Question
        fields = [
            "text", "name", "kind", "help_text", "required", "role", "show_if_question", "show_if_value",
            "max_length", "whole_number",
        ]  # fmt: skip

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        earlier = campaign.questions.filter(kind__in=[*Question.CHOICE_KINDS, Question.Kind.SCALE])
        if self.instance.pk:
            earlier = earlier.filter(position__lt=self.instance.position)
            self.initial["options"] = "\n".join(f"{o.value} = {o.label}" for o in self.instance.options.all())
        self.fields["show_if_question"].queryset = earlier
        self.fields["show_if_question"].required = False
        if not campaign.is_satisfaction:
            self.fields.pop("role")

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_options(self):
        return services.parse_options(self.cleaned_data.get("options", ""))


class XlsFormImportForm(forms.Form):
    file = forms.FileField(label=_("XLSForm workbook (.xlsx)"))
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=200)


class CodeForm(forms.Form):
    ma = forms.CharField(
        label=_("Code on the slip"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )

    def clean_ma(self):
        value = self.cleaned_data["ma"]
        if not value.strip():
            raise ValidationError(_("Type the code printed on the slip."))
        return value
