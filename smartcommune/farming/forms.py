import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Household, Organisation

from .models import DiaryEntry, DiaryInput, FarmSettings, GrowingArea, Plot, Season


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CoordinateField(forms.DecimalField):
    """Degrees as GPS apps write them ("15.0312") or with a decimal comma ("15,0312"); never grouped."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=6, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class GrowingAreaForm(forms.ModelForm):
    class Meta:
        model = GrowingArea
        fields = [
            "code", "name", "village", "cooperative", "crop", "variety", "crop_type", "issuer", "issued_on",
            "standard", "certificate_number", "certificate_expires_on", "target_market", "export_markets",
            "declared_area_ha", "notes",
        ]  # fmt: skip
        localized_fields = ["declared_area_ha"]
        widgets = {
            "issued_on": DateInput(),
            "certificate_expires_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, commune: Commune, cooperatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()
        self.fields["cooperative"].queryset = cooperatives
        if cooperatives.count() == 1 and not self.instance.pk:
            self.fields["cooperative"].initial = cooperatives.first().pk
            self.fields["cooperative"].required = True


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GrowingArea.Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class MembersForm(forms.Form):
    members = forms.CharField(
        label=_("Member household codes (one per line or separated by spaces)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PlotForm(forms.Form):
    name = forms.CharField(label=_("Plot name"), max_length=100)
    household = forms.CharField(
        label=_("Household farming it (code)"), required=False, max_length=30, help_text=_("Optional.")
    )
    geojson = forms.CharField(
        label=_("Polygon (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Draw the plot on the map, or paste a GeoJSON polygon (longitude, latitude)."),
    )

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune

    def clean_household(self):
        code = self.cleaned_data["household"].strip().upper()
        if not code:
            return None
        household = Household.objects.filter(commune=self.commune, code=code).first()
        if household is None:
            raise ValidationError(_("No household of this commune has this code."))
        return household

    def clean_geojson(self):
        try:
            return json.loads(self.cleaned_data["geojson"])
        except json.JSONDecodeError as error:
            raise ValidationError(_("This is not valid GeoJSON.")) from error


class PlotImportForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON or KML file"), help_text=_("Every polygon in the file becomes a plot."))


class SeasonForm(forms.ModelForm):
    class Meta:
        model = Season
        fields = [
            "name",
            "variety",
            "area_ha",
            "starts_on",
            "expected_harvest_on",
            "expected_yield_t",
            "actual_yield_t",
        ]
        localized_fields = ["area_ha", "expected_yield_t", "actual_yield_t"]
        widgets = {"starts_on": DateInput(), "expected_harvest_on": DateInput()}


class DiaryEntryForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Growing area"), queryset=GrowingArea.objects.none())
    plot = forms.ModelChoiceField(
        label=_("Plot"), queryset=Plot.objects.none(), required=False, empty_label=_("Whole area")
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Work"), choices=DiaryEntry.Kind.choices)
    performed_by = forms.CharField(label=_("Done by"), required=False, max_length=150)
    quantity = forms.DecimalField(
        label=_("Quantity harvested"), required=False, min_value=0, max_digits=12, decimal_places=3, localize=True
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *DiaryEntry.Unit.choices], required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["plot"].queryset = Plot.objects.filter(growing_area__in=areas).select_related("growing_area")
        self.fields["plot"].label_from_instance = lambda p: f"{p.growing_area.code} / {p.name}"
        self.fields["date"].initial = timezone.localdate()


class DiaryInputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of input"), choices=DiaryInput.Kind.choices, required=False)
    product = forms.CharField(label=_("Product"), required=False, max_length=150)
    active_ingredient = forms.CharField(label=_("Active ingredient"), required=False, max_length=150)
    dose = forms.DecimalField(
        label=_("Dose"), required=False, min_value=0, max_digits=10, decimal_places=3, localize=True
    )
    dose_unit = forms.CharField(label=_("Dose unit"), required=False, max_length=30)
    pre_harvest_days = forms.IntegerField(
        label=_("Pre-harvest interval (days)"), required=False, min_value=0, max_value=365
    )


DiaryInputFormSet = forms.formset_factory(DiaryInputForm, extra=2, max_num=10)


class FarmSettingsForm(forms.ModelForm):
    latitude = CoordinateField(label=_("Reference latitude"))
    longitude = CoordinateField(label=_("Reference longitude"))
    verified = forms.BooleanField(label=_("I have checked the reference point"), required=False)

    class Meta:
        model = FarmSettings
        fields = ["latitude", "longitude", "max_distance_km", "min_area_perennial_ha", "min_area_annual_ha", "source"]
        localized_fields = ["max_distance_km", "min_area_perennial_ha", "min_area_annual_ha"]


class VillagePointForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none())
    latitude = CoordinateField(label=_("Latitude"))
    longitude = CoordinateField(label=_("Longitude"))
    verified = forms.BooleanField(label=_("Checked on the ground"), required=False)

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()


def cooperatives_for(commune: Commune, organisation_codes=None):
    qs = Organisation.objects.in_commune(commune).order_by("code")
    if organisation_codes is not None:
        qs = qs.filter(code__in=organisation_codes)
    return qs
