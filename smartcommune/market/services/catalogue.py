"""Writes on shops, offers, listings elsewhere and 360° photos."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from smartcommune.registry.models import Organisation
from smartcommune.trace.models import Lot, Product

from .. import panoramas
from ..models import ExternalListing, Hotspot, Offer, Panorama, Shop


def shop_for(organisation: Organisation) -> Shop:
    """The organisation's shop, opened on first use."""
    shop, _created = Shop.objects.get_or_create(
        organisation=organisation, defaults={"commune_id": organisation.commune_id}
    )
    return shop


@transaction.atomic
def shop_save(*, shop: Shop) -> Shop:
    if shop.organisation.commune_id != shop.commune_id:
        raise ValidationError(_("The producer does not belong to this commune."))
    shop.pickup_address = shop.pickup_address.strip()
    shop.save()
    return shop


@transaction.atomic
def offer_save(
    *,
    offer: Offer,
    lot: Lot,
    pack_label: str,
    pack_size: Decimal,
    price: int,
    stock: int,
    category: str,
    is_active: bool = True,
) -> Offer:
    """Put (part of) a lot up for sale, or change an offer. The packs put up for sale must fit in what
    is left of the lot and cannot go below what confirmed orders already hold."""
    locked = Lot.objects.select_for_update(of=("self",)).select_related("product").get(pk=lot.pk)
    if offer.pk:
        current = Offer.objects.select_for_update().get(pk=offer.pk)
        if current.lot_id != locked.pk and current.taken:
            raise ValidationError({"lot": _("Orders hold packs of this offer's lot: the lot cannot change now.")})
        taken = current.taken
    else:
        taken = 0
    product: Product = locked.product
    if product.owner_id != offer.shop.organisation_id:
        raise ValidationError({"lot": _("This lot is not a product of this producer.")})
    if locked.status != Lot.Status.ACTIVE:
        raise ValidationError({"lot": _("Lot %(lot)s has been recalled and cannot be sold.") % {"lot": locked.code}})
    if pack_size is None or pack_size <= 0:
        raise ValidationError({"pack_size": _("The pack size must be more than zero.")})
    if price is None or price <= 0:
        raise ValidationError({"price": _("The price must be more than zero.")})
    if stock is None or stock < 0:
        raise ValidationError({"stock": _("The number of packs cannot be negative.")})
    if stock < taken:
        raise ValidationError(
            {"stock": _("Confirmed orders already hold %(taken)s packs: put up at least that many.") % {"taken": taken}}
        )
    if Decimal(stock - taken) * pack_size > locked.remaining:
        raise ValidationError(
            {
                "stock": _("Lot %(lot)s has only %(left)s %(unit)s left: at most %(packs)s packs of this size.")
                % {
                    "lot": locked.code,
                    "left": f"{locked.remaining.normalize():f}".replace(".", ","),
                    "unit": locked.get_unit_display(),
                    "packs": int(locked.remaining // pack_size) + taken,
                }
            }
        )
    if category not in dict(Offer._meta.get_field("category").choices):
        raise ValidationError({"category": _("Choose a category.")})
    offer.commune_id = offer.shop.commune_id
    offer.product, offer.lot = product, locked
    offer.pack_label = " ".join(pack_label.split())[:60] or _("pack")
    offer.pack_size, offer.price, offer.stock, offer.taken = pack_size, price, stock, taken
    offer.category, offer.is_active = category, is_active
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError as error:
        raise ValidationError({"lot": _("This lot is already on sale in another offer.")}) from error
    return offer


@transaction.atomic
def listing_add(*, product: Product, marketplace: str, url: str, name: str = "") -> ExternalListing:
    if marketplace not in ExternalListing.Marketplace.values:
        raise ValidationError({"marketplace": _("Choose a marketplace.")})
    if marketplace == ExternalListing.Marketplace.OTHER and not name.strip():
        raise ValidationError({"name": _("Give the name of the marketplace.")})
    url = url.strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"url": _("Give the full address of the listing, starting with https://.")})
    if ExternalListing.objects.filter(product=product, url=url).exists():
        raise ValidationError({"url": _("This listing is already recorded.")})
    listing = ExternalListing(product=product, marketplace=marketplace, url=url, name=name.strip()[:80])
    listing.full_clean()
    listing.save()
    return listing


@transaction.atomic
def panorama_add(*, shop: Shop, title: str, upload) -> Panorama:
    if not title.strip():
        raise ValidationError({"title": _("Give the 360° photo a title, e.g. the rice field in August.")})
    cleaned = panoramas.clean_panorama(upload)
    panorama = Panorama(shop=shop, title=title.strip()[:120], width=cleaned.width, height=cleaned.height)
    panorama.image.save(cleaned.image.name, cleaned.image, save=False)
    panorama.preview.save(cleaned.preview.name, cleaned.preview, save=False)
    panorama.save()
    return panorama


@transaction.atomic
def panorama_delete(*, panorama: Panorama) -> None:
    panorama.image.delete(save=False)
    panorama.preview.delete(save=False)
    panorama.delete()


@transaction.atomic
def hotspot_add(*, panorama: Panorama, offer: Offer, yaw: Decimal, pitch: Decimal) -> Hotspot:
    if offer.shop_id != panorama.shop_id:
        raise ValidationError({"offer": _("A hotspot links to a product of the same producer.")})
    if yaw is None or not -180 <= yaw <= 180:
        raise ValidationError({"yaw": _("The direction is between -180 and 180 degrees.")})
    if pitch is None or not -90 <= pitch <= 90:
        raise ValidationError({"pitch": _("The height is between -90 and 90 degrees.")})
    return Hotspot.objects.create(panorama=panorama, offer=offer, yaw=yaw, pitch=pitch)
