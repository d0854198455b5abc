from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartcommune.core import tabular
from smartcommune.core.forms import AmountField
from smartcommune.core.text import fold
from smartcommune.places.models import Commune, Province
from smartcommune.trace.models import Lot, Product

from .models import (
    ANSWER_WITHIN_DAYS,
    PAY_WITHIN_HOURS,
    Category,
    ContractItem,
    ExternalListing,
    Offer,
    Order,
    Shop,
    Status,
)
from .services import orders

DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class QuantityDecimalField(forms.Field):
    """A quantity with a Vietnamese decimal comma: 0,5 or 2,25 (thousands may be grouped: 1.500)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        number = tabular.parse_decimal(text)
        if number <= 0:
            raise ValidationError(_("The quantity must be more than zero."))
        return number.quantize(Decimal("0.001"))


class CartAddForm(forms.Form):
    quantity = forms.CharField(label=_("Quantity"), initial="1", widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def clean_quantity(self):
        return orders.check_quantity(self.cleaned_data["quantity"])


class CheckoutForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel"})
    )
    email = forms.CharField(label=_("E-mail (optional)"), max_length=254, required=False)
    fulfilment = forms.ChoiceField(
        label=_("Delivery"), choices=Order.Fulfilment.choices, widget=forms.RadioSelect, initial="delivery"
    )
    province = forms.ModelChoiceField(
        label=_("Province or city"), queryset=Province.objects.order_by("name"), required=False, to_field_name="code"
    )
    commune = forms.CharField(
        label=_("Commune or ward"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "communes", "autocomplete": "off"}),
    )
    address_line = forms.CharField(label=_("House number, street, hamlet"), max_length=200, required=False)
    payment = forms.ChoiceField(
        label=pgettext_lazy("market", "Payment"), choices=Order.Payment.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note for the producer (optional)"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        data["address_commune"] = None
        if data.get("fulfilment") != Order.Fulfilment.DELIVERY:
            return data
        province, name = data.get("province"), (data.get("commune") or "").strip()
        if province is None:
            self.add_error("province", _("Choose the province or city."))
            return data
        if not name:
            self.add_error("commune", _("Give the commune or ward."))
            return data
        data["address_commune"] = find_commune(province, name)
        if data["address_commune"] is None:
            self.add_error(
                "commune",
                _("%(name)s is not a commune or ward of %(province)s; choose one from the list.")
                % {"name": name, "province": province.name},
            )
        return data


def find_commune(province: Province, text: str) -> Commune | None:
    """A commune of the province by its code or name, ignoring case, accents and the "Xã"/"Phường" prefix."""
    text = text.strip()
    communes = Commune.objects.filter(province=province)
    if text.isdigit():
        return communes.filter(code=text.zfill(5)).first()
    needle = fold(text)
    for prefix in ("xa ", "phuong ", "dac khu ", "thi tran "):
        needle = needle.removeprefix(prefix)
    for commune in communes:
        name = fold(commune.name)
        if needle in (name, name.split(" ", 1)[-1]):
            return commune
    return None


class OfferForm(forms.Form):
    lot = forms.ModelChoiceField(label=_("Lot sold"), queryset=Lot.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    pack_label = forms.CharField(label=_("Pack"), max_length=60, help_text=_("What the buyer gets, e.g. bag of 5 kg."))
    pack_size = QuantityDecimalField(
        label=_("Pack size (in the lot's unit)"), help_text=_("E.g. 1 for one bag, 0,5 for half a kg.")
    )
    price = AmountField(positive=True, max_value=10**12, label=_("Price of a pack (đồng)"))
    stock = forms.IntegerField(label=_("Packs put up for sale"), min_value=0)
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots
        self.fields["lot"].label_from_instance = lambda lot: f"{lot.product.name} — {lot.code}"


class ShopForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = [
            "is_open",
            "auto_confirm",
            "pay_within_hours",
            "answer_within_days",
            "pickup_address",
            "delivery_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in (("pay_within_hours", PAY_WITHIN_HOURS), ("answer_within_days", ANSWER_WITHIN_DAYS)):
            # The model's range and its message, not a small integer's 0 to 32,767.
            self.fields[name].validators = list(Shop._meta.get_field(name).validators)
            self.fields[name].widget.attrs.update(min=low, max=high)


class ListingForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    marketplace = forms.ChoiceField(label=_("Marketplace"), choices=ExternalListing.Marketplace.choices)
    name = forms.CharField(label=_("Marketplace name (for Other)"), max_length=80, required=False)
    url = forms.CharField(label=_("Address of the listing"), max_length=500)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class PanoramaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    image = forms.FileField(label=_("360° photo (equirectangular JPEG, 2:1)"))


class HotspotForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Product on sale"), queryset=Offer.objects.none())
    yaw = forms.DecimalField(label=_("Direction (degrees, -180 to 180)"), localize=True, initial=0)
    pitch = forms.DecimalField(label=_("Height (degrees, -90 to 90)"), localize=True, initial=0)

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300, required=False)


class PaymentForm(forms.Form):
    amount = AmountField(positive=True, max_value=10**12, label=_("Amount received (đồng)"))
    reference = forms.CharField(label=_("Transfer reference (optional)"), max_length=80, required=False)


ITEM_ROWS, SCHEDULE_ROWS, DELIVERY_ROWS = 3, 6, 3


class ContractForm(forms.Form):
    seller = forms.ModelChoiceField(label=_("Cooperative or producer"), queryset=None)
    number = forms.CharField(label=_("Contract number"), max_length=60)
    buyer_name = forms.CharField(label=_("Buyer organisation"), max_length=200)
    buyer_tax_code = forms.CharField(label=_("Buyer's tax code"), max_length=14, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    signed_on = forms.DateField(label=_("Signed on (leave empty for a draft)"), widget=DATE, required=False)
    document = forms.FileField(label=_("Signed contract (PDF)"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, sellers, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = sellers
        for i in range(ITEM_ROWS):
            self.fields[f"item_{i}_product"] = forms.ModelChoiceField(
                label=_("Product"), queryset=products, required=False
            )
            self.fields[f"item_{i}_quantity"] = QuantityDecimalField(label=_("Volume agreed"), required=False)
            self.fields[f"item_{i}_price"] = AmountField(
                positive=True, max_value=10**12, label=_("Unit price (đồng)"), required=False
            )
        for i in range(SCHEDULE_ROWS):
            self.fields[f"due_{i}_product"] = forms.ModelChoiceField(
                label=_("Product"), queryset=products, required=False
            )
            self.fields[f"due_{i}_on"] = forms.DateField(label=_("Due on"), widget=DATE, required=False)
            self.fields[f"due_{i}_quantity"] = QuantityDecimalField(label=_("Quantity due"), required=False)

    def rows(self, prefix: str, count: int, names: tuple[str, ...]) -> list[list]:
        return [[self[f"{prefix}_{i}_{name}"] for name in names] for i in range(count)]

    def item_rows(self):
        return self.rows("item", ITEM_ROWS, ("product", "quantity", "price"))

    def schedule_rows(self):
        return self.rows("due", SCHEDULE_ROWS, ("product", "on", "quantity"))


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)
    note_number = forms.CharField(label=_("Delivery note number"), max_length=60, required=False)

    def __init__(self, *args, items, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].initial = timezone.localdate()
        for i in range(DELIVERY_ROWS):
            self.fields[f"line_{i}_item"] = forms.ModelChoiceField(label=_("Product"), queryset=items, required=False)
            self.fields[f"line_{i}_item"].label_from_instance = lambda item: item.product.name
            self.fields[f"line_{i}_lot"] = forms.ModelChoiceField(label=_("Lot"), queryset=lots, required=False)
            self.fields[f"line_{i}_lot"].label_from_instance = lambda lot: f"{lot.product.name} — {lot.code}"
            self.fields[f"line_{i}_quantity"] = QuantityDecimalField(label=_("Quantity"), required=False)

    def line_rows(self):
        return [[self[f"line_{i}_{n}"] for n in ("item", "lot", "quantity")] for i in range(DELIVERY_ROWS)]

    def lines(self) -> list[tuple[ContractItem, Lot, Decimal]]:
        data = self.cleaned_data
        found = []
        for i in range(DELIVERY_ROWS):
            item, lot, quantity = (data.get(f"line_{i}_{n}") for n in ("item", "lot", "quantity"))
            if item or lot or quantity:
                if not (item and lot and quantity):
                    raise ValidationError(_("Each delivered line needs its product, lot and quantity."))
                found.append((item, lot, quantity))
        return found
