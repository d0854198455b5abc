"""Who may read and change products, lots and events; every view and endpoint asks here.

Commune officials manage every product of their commune, province officials read them, and a
cooperative manager manages the products of their own organisation only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role, User
from smartcommune.places.models import Commune

from .models import Lot, Product

READERS = (Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.COOP_MANAGER)
EDITORS = (Role.COMMUNE_OFFICIAL, Role.COOP_MANAGER)


def organisation_codes(user: User, commune: Commune, *, edit: bool = False) -> frozenset[str] | None:
    """The organisations whose products the user reaches in this commune; None means all of them."""
    scope = scoping.scope_for(user)
    roles = scope.roles_in(commune)
    allowed = EDITORS if edit else READERS
    if not roles & set(allowed):
        raise PermissionDenied(_("Your role does not allow this in this commune."))
    if Role.COMMUNE_OFFICIAL in roles or (not edit and Role.PROVINCE_OFFICIAL in roles):
        return None
    return scope.organisation_codes


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
