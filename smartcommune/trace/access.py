"""Who may read and change products, lots and events; every view and endpoint asks here.

Commune officials manage every product of their commune, province officials read them, and a
cooperative manager manages the products of their own organisation only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import User
from smartcommune.places.models import Commune

from .models import Lot, Product

READERS, EDITORS = scoping.PRODUCER_READERS, scoping.PRODUCER_EDITORS


def organisation_codes(user: User, commune: Commune, *, edit: bool = False) -> frozenset[str] | None:
    """The organisations whose products the user reaches in this commune; None means all of them."""
    return scoping.scope_for(user).producers_in(commune, edit=edit)


def products_for(user: User, commune: Commune, *, edit: bool = False) -> QuerySet[Product]:
    codes = organisation_codes(user, commune, edit=edit)
    products = Product.objects.filter(commune=commune)
    return products if codes is None else products.filter(owner__code__in=codes)


def lots_for(user: User, commune: Commune, *, edit: bool = False) -> QuerySet[Lot]:
    return Lot.objects.filter(product__in=products_for(user, commune, edit=edit))


def require_product(user: User, product: Product, *, edit: bool = False) -> None:
    codes = organisation_codes(user, product.commune, edit=edit)
    if codes is not None and product.owner.code not in codes:
        raise PermissionDenied(_("This product belongs to another organisation."))


def can_edit(user: User, product: Product) -> bool:
    try:
        require_product(user, product, edit=True)
    except PermissionDenied:
        return False
    return True
