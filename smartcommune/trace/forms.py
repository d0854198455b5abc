from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.core.identifiers import normalize_gtin

from .labels import LAYOUTS
from .models import MASS_UNITS, Certification, Container, Lot, OcopRating, Product


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProductForm(forms.ModelForm):
    photo_upload = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"), required=False)

    class Meta:
        model = Product
        fields = ["name", "owner", "brand", "gtin", "unit", "description", "scan_alert_per_day"]
        widgets = {
            "gtin": forms.TextInput(attrs={"inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if owners.count() == 1:
            self.fields["owner"].initial = owners.first().pk

    def clean_gtin(self):
        value = self.cleaned_data["gtin"].strip()
        return normalize_gtin(value) if value else ""


class OcopForm(forms.ModelForm):
    class Meta:
        model = OcopRating
        fields = [
            "sector",
            "product_set",
            "score_a",
            "score_b",
            "score_c",
            "decision_number",
            "decision_date",
            "status",
        ]
        localized_fields = ["score_a", "score_b", "score_c"]
        widgets = {"decision_date": DateInput()}


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["kind", "number", "issuer", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}


class LotDatesForm(forms.Form):
    code = forms.CharField(
        label=_("Lot code"), max_length=20, help_text=_("Letters, digits, dots, dashes; e.g. L2506A.")
    )
    produced_on = forms.DateField(label=_("Production date"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["produced_on"].initial = timezone.localdate()


class LotFromHarvestForm(LotDatesForm):
    """A product, the lot's code and dates, and how many kg are taken from each listed harvest."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    field_order = ["product", "code", "produced_on", "expires_on"]

    def __init__(self, *args, products, harvests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products.filter(unit__in=list(MASS_UNITS))
        self.harvests = harvests
        for harvest in harvests:
            self.fields[f"harvest_{harvest.pk}"] = forms.DecimalField(
                label=f"{harvest.date:%d/%m/%Y} · {harvest.growing_area.code}"
                + (f" / {harvest.plot.name}" if harvest.plot_id else ""),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=3,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def harvest_fields(self):
        return [(harvest, self[f"harvest_{harvest.pk}"]) for harvest in self.harvests]

    def parts(self):
        return [
            (harvest, self.cleaned_data[f"harvest_{harvest.pk}"])
            for harvest in self.harvests
            if self.cleaned_data.get(f"harvest_{harvest.pk}")
        ]


class ProcessForm(LotDatesForm):
    """Output lot (product, code, quantity, dates) and how much of each input lot is used."""

    product = forms.ModelChoiceField(label=_("Output product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(
        label=_("Output quantity"), min_value=0, max_digits=14, decimal_places=3, localize=True
    )
    field_order = ["product", "code", "quantity", "produced_on", "expires_on"]

    def __init__(self, *args, products, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.lots = lots
        for lot in lots:
            self.fields[f"input_{lot.pk}"] = forms.DecimalField(
                label=f"{lot.product.name} · {lot.code}",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=3,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def input_fields(self):
        return [(lot, self[f"input_{lot.pk}"]) for lot in self.lots]

    def inputs(self):
        return [
            (lot, self.cleaned_data[f"input_{lot.pk}"]) for lot in self.lots if self.cleaned_data.get(f"input_{lot.pk}")
        ]


class PackForm(forms.Form):
    cartons = forms.IntegerField(label=_("Number of cartons"), min_value=1, max_value=1000)
    per_carton = forms.DecimalField(
        label=_("Quantity in each carton"), min_value=0, max_digits=14, decimal_places=3, localize=True
    )


class ShipForm(forms.Form):
    cartons = forms.ModelMultipleChoiceField(
        label=_("Cartons"), queryset=Container.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    quantity = forms.DecimalField(
        label=_("Or a quantity of this lot, not in cartons"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=3,
        localize=True,
    )
    transaction_type = forms.ChoiceField(
        label=_("Business document"),
        choices=[
            ("po", _("purchase order")),
            ("inv", _("invoice")),
            ("desadv", _("delivery note")),
            ("bol", _("bill of lading")),
            ("recadv", _("receiving advice")),
            ("prodorder", _("production order")),
        ],
    )
    transaction_ref = forms.CharField(label=_("Document number"), max_length=120)
    buyer_uri = forms.CharField(
        label=_("Buyer's identifier (URI, optional)"),
        required=False,
        max_length=300,
        help_text=_("E.g. the buyer's GLN as https://id.gs1.org/414/…"),
    )

    def __init__(self, *args, cartons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cartons"].queryset = cartons


class LabelForm(forms.Form):
    layout = forms.ChoiceField(label=_("Label sheet"), choices=[(k, v.label) for k, v in LAYOUTS.items()])
    count = forms.IntegerField(label=_("Number of labels"), min_value=1, max_value=2000, initial=24)
    skip = forms.IntegerField(
        label=_("Labels already used on the first sheet"), min_value=0, max_value=39, initial=0, required=False
    )

    def clean(self):
        data = super().clean()
        layout = LAYOUTS.get(data.get("layout", ""))
        if layout and (data.get("skip") or 0) >= layout.per_page:
            raise ValidationError(_("A sheet of this kind holds %(n)s labels.") % {"n": layout.per_page})
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end of the period comes before its start."))
        return data


class LotStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Lot.Status.choices)
