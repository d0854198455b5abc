"""The commune's storefront: producers' shops, offers sold from traceability lots, orders paid by VietQR
transfer or cash, 360° photos of farms and workshops, and linkage contracts with buyer organisations.

Stock: an offer sells one lot in packs. `stock` is how many packs of the lot the producer puts up for
sale here, `taken` how many confirmed orders hold; both are whole numbers (exact on every database),
change only in services by a conditional UPDATE, and the database refuses `taken` above `stock` or
below zero. Products and lots
stay trace's: this app only references them.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartcommune.core.text import fold
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation
from smartcommune.trace.models import Lot, Product, TraceEvent

PAY_WITHIN_HOURS = (1, 720)  # up to 30 days to pay a transfer
ANSWER_WITHIN_DAYS = (1, 30)


def _between(low: int, high: int, message: str) -> list:
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


class Shop(models.Model):
    """A producer's shop on the commune storefront (a cooperative, OCOP subject or household business).

    Its two deadlines are copied onto each order when it is placed or confirmed, so changing them
    never moves a deadline a buyer has already been given."""

    organisation = models.OneToOneField(Organisation, models.PROTECT, related_name="shop", verbose_name=_("producer"))
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="shops", verbose_name=_("commune"))
    is_open = models.BooleanField(_("open for orders"), default=True)
    auto_confirm = models.BooleanField(
        _("confirm orders automatically"),
        default=False,
        help_text=_("Orders are confirmed, and stock taken, as soon as the buyer places them."),
    )
    pickup_address = models.CharField(_("pick-up address"), max_length=200, blank=True)
    delivery_note = models.CharField(
        _("delivery terms"), max_length=300, blank=True, help_text=_("Where you deliver, fees, usual delays.")
    )
    pay_within_hours = models.PositiveSmallIntegerField(
        _("hours to pay a bank transfer"),
        default=48,
        validators=_between(*PAY_WITHIN_HOURS, _("Give a number of hours from 1 to 720 (30 days).")),
        help_text=_(
            "A bank-transfer order not paid this many hours after its confirmation is cancelled, and its "
            "products go back on sale. Applies to orders confirmed from now on."
        ),
    )
    answer_within_days = models.PositiveSmallIntegerField(
        _("days to answer a new order"),
        default=7,
        validators=_between(*ANSWER_WITHIN_DAYS, _("Give a number of days from 1 to 30.")),
        help_text=_(
            "An order neither confirmed nor cancelled this many days after it was placed is cancelled, and "
            "the buyer told. Applies to orders placed from now on."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pay_within_hours__range=PAY_WITHIN_HOURS), name="shop_pay_within_hours_range"
            ),
            models.CheckConstraint(
                condition=models.Q(answer_within_days__range=ANSWER_WITHIN_DAYS),
                name="shop_answer_within_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name


class Category(models.TextChoices):
    RICE = "rice", _("rice and cereals")
    VEGETABLES = "vegetables", _("vegetables")
    FRUIT = "fruit", _("fruit")
    MEAT_FISH = "meat_fish", _("meat, fish and eggs")
    PROCESSED = "processed", _("processed food")
    DRINKS = "drinks", _("drinks")
    HERBAL = "herbal", _("herbal products")
    CRAFTS = "crafts", _("crafts and decoration")
    OTHER = "other", _("other")


class OfferQuerySet(models.QuerySet):
    def on_sale(self) -> "OfferQuerySet":
        return self.filter(
            is_active=True,
            shop__is_open=True,
            shop__organisation__status=Organisation.Status.ACTIVE,
            lot__status=Lot.Status.ACTIVE,
        )


class Offer(models.Model):
    """A product put up for sale from one lot, in packs of a fixed size at a fixed price."""

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="offers", verbose_name=_("commune"))
    shop = models.ForeignKey(Shop, models.PROTECT, related_name="offers", verbose_name=_("shop"))
    product = models.ForeignKey(Product, models.PROTECT, related_name="offers", verbose_name=_("product"))
    lot = models.OneToOneField(Lot, models.PROTECT, related_name="offer", verbose_name=_("lot sold"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    pack_label = models.CharField(_("pack"), max_length=60, help_text=_("What the buyer gets, e.g. bag of 5 kg."))
    pack_size = models.DecimalField(
        _("pack size (in the lot's unit)"), max_digits=10, decimal_places=3, default=Decimal("1")
    )
    price = models.PositiveBigIntegerField(_("price of a pack (VND)"))
    stock = models.PositiveIntegerField(_("packs put up for sale"))
    taken = models.PositiveIntegerField(_("packs held by confirmed orders"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)
    search_key = models.CharField(max_length=400, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["product__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(taken__gte=0), name="offer_taken_not_negative"),
            models.CheckConstraint(condition=models.Q(taken__lte=models.F("stock")), name="offer_no_oversell"),
            models.CheckConstraint(condition=models.Q(pack_size__gt=0), name="offer_pack_positive"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="offer_price_positive"),
        ]
        indexes = [models.Index(fields=["commune", "is_active", "category"])]

    def __str__(self) -> str:
        return f"{self.product.name} — {self.pack_label}"

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.product.name} {self.product.brand} {self.pack_label}")[:400]
        super().save(*args, **kwargs)

    @property
    def packs_left(self) -> int:
        return self.stock - self.taken


class ExternalListing(models.Model):
    """Where else a product is sold: Postmart, Voso, Shopee… (name and address of the listing)."""

    class Marketplace(models.TextChoices):
        POSTMART = "postmart", "Postmart"
        VOSO = "voso", "Voso"
        SHOPEE = "shopee", "Shopee"
        LAZADA = "lazada", "Lazada"
        TIKI = "tiki", "Tiki"
        TIKTOK = "tiktok", "TikTok Shop"
        OTHER = "other", _("other")

    product = models.ForeignKey(Product, models.CASCADE, related_name="listings", verbose_name=_("product"))
    marketplace = models.CharField(_("marketplace"), max_length=10, choices=Marketplace.choices)
    name = models.CharField(_("marketplace name"), max_length=80, blank=True)
    url = models.URLField(_("address of the listing"), max_length=500)

    class Meta:
        verbose_name = _("listing elsewhere")
        verbose_name_plural = _("listings elsewhere")
        ordering = ["marketplace", "pk"]
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="unique_listing_url")]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.url}"

    @property
    def display_name(self) -> str:
        return self.name or self.get_marketplace_display()


class OrderCounter(models.Model):
    """The last order number given in a commune in a year; bumped by one UPDATE inside the checkout."""

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="unique_order_counter")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.year}: {self.last}"


class Status(models.TextChoices):
    PLACED = "placed", pgettext_lazy("order status", "placed")
    CONFIRMED = "confirmed", pgettext_lazy("order status", "confirmed")
    PAID = "paid", pgettext_lazy("order status", "paid")
    PACKED = "packed", pgettext_lazy("order status", "packed")
    SHIPPED = "shipped", pgettext_lazy("order status", "shipped")
    DELIVERED = "delivered", pgettext_lazy("order status", "delivered")
    CANCELLED = "cancelled", pgettext_lazy("order status", "cancelled")


# Statuses whose orders hold stock taken from the lot.
HOLDING = (Status.CONFIRMED, Status.PAID, Status.PACKED, Status.SHIPPED, Status.DELIVERED)


class OrderQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "OrderQuerySet":
        return self.filter(commune=commune)

    def sold(self) -> "OrderQuerySet":
        return self.filter(status__in=HOLDING)

    def unpaid_after(self, now) -> "OrderQuerySet":
        """Confirmed bank-transfer orders whose time to pay has run out (cash orders have no `pay_by`)."""
        return self.filter(status=Status.CONFIRMED, payment=Order.Payment.VIETQR, pay_by__lt=now)

    def unanswered_after(self, now) -> "OrderQuerySet":
        """Orders the producer neither confirmed nor cancelled in time."""
        return self.filter(status=Status.PLACED, answer_by__lt=now)


class Order(models.Model):
    """One producer's part of a buyer's cart. The buyer's name, phone, e-mail and address are personal data:
    the producer and the commune see them; public pages, feeds and figures never do."""

    class Fulfilment(models.TextChoices):
        DELIVERY = "delivery", _("delivery to an address")
        PICKUP = "pickup", _("pick-up at the producer")

    class Payment(models.TextChoices):
        VIETQR = "vietqr", _("bank transfer (VietQR)")
        COD = "cod", _("cash on delivery")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="orders", verbose_name=_("commune"))
    shop = models.ForeignKey(Shop, models.PROTECT, related_name="orders", verbose_name=_("shop"))
    number = models.CharField(_("order number"), max_length=20)
    checkout = models.CharField(_("cart"), max_length=22, db_index=True, editable=False)
    token = models.CharField(max_length=43, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLACED)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_orders",
        verbose_name=_("buyer's account"),
    )
    buyer_name = models.CharField(_("buyer's name"), max_length=150)
    buyer_phone = models.CharField(_("buyer's phone"), max_length=11)
    buyer_email = models.EmailField(_("buyer's e-mail"), blank=True)
    fulfilment = models.CharField(_("delivery or pick-up"), max_length=8, choices=Fulfilment.choices)
    address_line = models.CharField(_("house number, street, hamlet"), max_length=200, blank=True)
    address_commune = models.ForeignKey(
        Commune, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("delivery commune")
    )
    note = models.CharField(_("note for the producer"), max_length=300, blank=True)
    payment = models.CharField(_("payment"), max_length=6, choices=Payment.choices)
    total = models.PositiveBigIntegerField(_("total (VND)"))
    payment_reference = models.CharField(_("transfer reference"), max_length=80, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    packed_at = models.DateTimeField(_("packed at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    answer_by = models.DateTimeField(_("to be answered by"), null=True, blank=True)
    pay_by = models.DateTimeField(_("to be paid by"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["commune", "number"], name="unique_order_number")]
        indexes = [
            models.Index(fields=["shop", "status", "placed_at"]),
            models.Index(fields=["commune", "placed_at"]),
            models.Index(fields=["status", "answer_by"]),
            models.Index(fields=["status", "pay_by"]),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def address(self) -> str:
        if self.fulfilment == self.Fulfilment.PICKUP or self.address_commune is None:
            return ""
        parts = [self.address_line, self.address_commune.name, self.address_commune.province.name]
        return ", ".join(p for p in parts if p)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, models.CASCADE, related_name="lines", verbose_name=_("order"))
    offer = models.ForeignKey(Offer, models.PROTECT, related_name="lines", verbose_name=_("offer"))
    product_name = models.CharField(_("product"), max_length=200)
    pack_label = models.CharField(_("pack"), max_length=60)
    packs = models.PositiveIntegerField(_("quantity"))
    lot_quantity = models.DecimalField(_("quantity from the lot"), max_digits=14, decimal_places=3)
    unit_price = models.PositiveBigIntegerField(_("price of a pack (VND)"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(packs__gt=0), name="order_line_positive")]

    def __str__(self) -> str:
        return f"{self.product_name} × {self.packs}"


class OrderEvent(models.Model):
    """One change of an order's status: who, when, why."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="events", verbose_name=_("order"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    source = models.CharField(_("source"), max_length=30, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("order change")
        verbose_name_plural = _("order changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.status}"


class Panorama(models.Model):
    """A 360° photo (equirectangular JPEG, 2:1) of a producer's farm, workshop or growing area."""

    shop = models.ForeignKey(Shop, models.CASCADE, related_name="panoramas", verbose_name=_("shop"))
    title = models.CharField(_("title"), max_length=120)
    image = models.ImageField(_("360° photo"), upload_to="market/360/%Y/")
    preview = models.ImageField(_("preview"), upload_to="market/360/%Y/")
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("360° photo")
        verbose_name_plural = _("360° photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Hotspot(models.Model):
    """A point in a 360° photo that links to an offer: yaw (-180…180°) and pitch (-90…90°)."""

    panorama = models.ForeignKey(Panorama, models.CASCADE, related_name="hotspots", verbose_name=_("360° photo"))
    offer = models.ForeignKey(Offer, models.CASCADE, related_name="hotspots", verbose_name=_("product on sale"))
    yaw = models.DecimalField(_("direction (degrees)"), max_digits=5, decimal_places=1)
    pitch = models.DecimalField(_("height (degrees)"), max_digits=4, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        constraints = [
            models.CheckConstraint(condition=models.Q(yaw__gte=-180, yaw__lte=180), name="hotspot_yaw_range"),
            models.CheckConstraint(condition=models.Q(pitch__gte=-90, pitch__lte=90), name="hotspot_pitch_range"),
        ]

    def __str__(self) -> str:
        return f"{self.panorama} → {self.offer}"


class ContractQuerySet(models.QuerySet):
    def in_commune(self, commune: Commune) -> "ContractQuerySet":
        return self.filter(commune=commune)

    def active_on(self, day) -> "ContractQuerySet":
        return self.filter(status=Contract.Status.SIGNED, starts_on__lte=day, ends_on__gte=day)


class Contract(models.Model):
    """A linkage contract (hợp đồng liên kết) between a producer and a buyer organisation: products,
    volumes, prices, period and delivery schedule; deliveries are recorded against it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")
        TERMINATED = "terminated", _("terminated early")

    commune = models.ForeignKey(Commune, models.PROTECT, related_name="contracts", verbose_name=_("commune"))
    number = models.CharField(_("contract number"), max_length=60)
    seller = models.ForeignKey(
        Organisation, models.PROTECT, related_name="sale_contracts", verbose_name=_("cooperative or producer")
    )
    buyer_name = models.CharField(_("buyer organisation"), max_length=200)
    buyer_tax_code = models.CharField(_("buyer's tax code"), max_length=14, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    document = models.FileField(_("signed contract (PDF)"), upload_to="market/contracts/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("linkage contract")
        verbose_name_plural = _("linkage contracts")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "number"], name="unique_contract_number"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_period"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.buyer_name}"

    def is_active(self, day) -> bool:
        return self.status == self.Status.SIGNED and self.starts_on <= day <= self.ends_on


class ContractItem(models.Model):
    """A product of a contract: the volume agreed (in the product's unit) and its price."""

    contract = models.ForeignKey(Contract, models.CASCADE, related_name="items", verbose_name=_("contract"))
    product = models.ForeignKey(Product, models.PROTECT, related_name="contract_items", verbose_name=_("product"))
    quantity = models.DecimalField(_("volume agreed"), max_digits=14, decimal_places=3)
    unit_price = models.PositiveBigIntegerField(_("unit price (VND)"))

    class Meta:
        verbose_name = _("contract product")
        verbose_name_plural = _("contract products")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["contract", "product"], name="unique_contract_product")]

    def __str__(self) -> str:
        return f"{self.product.name}: {self.quantity}"


class ScheduledDelivery(models.Model):
    """One step of a contract's delivery schedule: this much of a product by this day."""

    item = models.ForeignKey(ContractItem, models.CASCADE, related_name="schedule", verbose_name=_("product"))
    due_on = models.DateField(_("due on"))
    quantity = models.DecimalField(_("quantity due"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("scheduled delivery")
        verbose_name_plural = _("delivery schedule")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.item} {self.due_on}"


class Delivery(models.Model):
    """A delivery made under a contract; its lines name the lots delivered, and its shipping event is
    stored in traceability so each lot's history shows it."""

    contract = models.ForeignKey(Contract, models.PROTECT, related_name="deliveries", verbose_name=_("contract"))
    delivered_on = models.DateField(_("delivered on"))
    note_number = models.CharField(_("delivery note number"), max_length=60, blank=True)
    trace_event = models.ForeignKey(
        TraceEvent, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("shipping event")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["delivered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.delivered_on}"


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="lines", verbose_name=_("delivery"))
    item = models.ForeignKey(ContractItem, models.PROTECT, related_name="deliveries", verbose_name=_("product"))
    lot = models.ForeignKey(Lot, models.PROTECT, related_name="contract_deliveries", verbose_name=_("lot"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("delivered lot")
        verbose_name_plural = _("delivered lots")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="delivery_line_positive")]

    def __str__(self) -> str:
        return f"{self.lot.code} × {self.quantity}"
