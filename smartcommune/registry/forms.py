from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smartcommune.core import identifiers
from smartcommune.places.models import Commune, Village

from .importing import KIND_LABELS, SPECS, YEAR_FIELDS
from .models import Household, HouseholdYear, Organisation, Poverty


class IdentifierField(forms.CharField):
    """A text field whose value goes through one of core.identifiers' normalizers."""

    def __init__(self, *args, normalize, **kwargs):
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.normalize(value) if value else value


class HouseholdForm(forms.ModelForm):
    head_id_number = IdentifierField(
        label=_("Head's personal ID number"),
        normalize=identifiers.normalize_cccd,
        required=False,
        help_text=_("12 digits. Leave empty to keep the number on file."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = IdentifierField(
        label=_("Phone"),
        normalize=identifiers.normalize_phone,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )

    class Meta:
        model = Household
        fields = ["code", "village", "address", "head_name", "head_id_number", "phone", "is_active"]

    def __init__(self, *args, commune: Commune, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.fields["village"].queryset = villages
        self.initial.pop("head_id_number", None)  # the number on file is never sent back to the browser

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        clash = Household.objects.filter(commune=self.commune, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Another household of this commune already has this code."))
        return code

    def clean_head_id_number(self):
        value = self.cleaned_data["head_id_number"]
        return value or (self.instance.head_id_number if self.instance.pk else "")


class HouseholdYearForm(forms.ModelForm):
    class Meta:
        model = HouseholdYear
        fields = YEAR_FIELDS
        localized_fields = "__all__"  # 150.000.000 is read as a number, as Vietnamese write it
        widgets = {"income": forms.TextInput(attrs={"inputmode": "numeric"})}


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Code, name or phone"))
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    poverty = forms.ChoiceField(label=_("Poverty status"), choices=[("", "—"), *Poverty.choices], required=False)
    missing = forms.BooleanField(label=_("Missing data only"), required=False)

    def __init__(self, *args, villages, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["year"].choices = [(y, y) for y in years]


class OrganisationForm(forms.ModelForm):
    tax_code = IdentifierField(label=_("Tax code"), normalize=identifiers.normalize_tax_code, required=False)
    phone = IdentifierField(
        label=_("Phone"),
        normalize=identifiers.normalize_phone,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    bank_bin = forms.ChoiceField(label=_("Bank"), required=False)
    bank_account = IdentifierField(
        label=_("Bank account number"), normalize=identifiers.normalize_bank_account, required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "code", "name", "kind", "is_ocop_subject", "status", "tax_code", "representative", "address", "village",
            "phone", "email", "founded_on", "description", "bank_bin", "bank_account", "bank_account_name",
        ]  # fmt: skip

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()
        self.fields["bank_bin"].choices = [("", "—")] + [
            (b["bin"], f"{b['short_name']} — {b['name']}") for b in identifiers.banks()
        ]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if Organisation.objects.filter(commune=self.commune, code=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another organisation of this commune already has this code."))
        return code

    def clean(self):
        data = super().clean()
        bank = [data.get("bank_bin"), data.get("bank_account"), data.get("bank_account_name")]
        if any(bank) and not all(bank):
            raise ValidationError(_("Give the bank, the account number and the account name together."))
        return data


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[])
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in SPECS]
