from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Commune, CommuneGroup, Region, Village


class VillageCreateForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Stable code, unique in the commune."))
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Village.Kind.choices)


class VillageRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class VillageMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Village.objects.none())
    on = forms.DateField(label=_("From date"), required=False)
    reason = forms.CharField(label=_("Reason or decision"), max_length=200, required=False)

    def __init__(self, *args, village: Village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Village.objects.in_commune(village.commune).active().exclude(pk=village.pk)


class VillageRetireForm(forms.Form):
    on = forms.DateField(label=_("From date"), required=False)
    reason = forms.CharField(label=_("Reason or decision"), max_length=200, required=False)


class CommuneSettingsForm(forms.ModelForm):
    region = forms.ChoiceField(
        label=_("Region (2021–2025 criteria)"), choices=[("", "—"), *Region.choices], required=False
    )
    group = forms.TypedChoiceField(
        label=_("Commune group (2026–2030 criteria)"),
        choices=[("", "—"), *CommuneGroup.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Commune
        fields = ["region", "group", "introduction"]
