"""Who may read and change shops, offers, orders and contracts; every staff view and endpoint asks here.

Commune officials manage every producer of their commune, province officials read them, and a
cooperative manager manages the shop, orders and contracts of their own organisation only. The
storefront itself is public.
"""

from django.db.models import QuerySet

from smartcommune.accounts import scoping
from smartcommune.accounts.models import User
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation

from .models import Contract, Offer, Order

READERS, EDITORS = scoping.PRODUCER_READERS, scoping.PRODUCER_EDITORS


def organisation_codes(user: User, commune: Commune, *, edit: bool = False) -> frozenset[str] | None:
    """The producers the user reaches in this commune; None means all of them."""
    return scoping.scope_for(user).producers_in(commune, edit=edit)


def _narrow(qs: QuerySet, codes: frozenset[str] | None, path: str) -> QuerySet:
    return qs if codes is None else qs.filter(**{f"{path}__in": codes})


def organisations_for(user: User, commune: Commune, *, edit: bool = False) -> QuerySet[Organisation]:
    codes = organisation_codes(user, commune, edit=edit)
    return _narrow(Organisation.objects.in_commune(commune), codes, "code")


def offers_for(user: User, commune: Commune, *, edit: bool = False) -> QuerySet[Offer]:
    codes = organisation_codes(user, commune, edit=edit)
    return _narrow(Offer.objects.filter(commune=commune), codes, "shop__organisation__code")


def orders_for(user: User, commune: Commune, *, edit: bool = False) -> QuerySet[Order]:
    codes = organisation_codes(user, commune, edit=edit)
    return _narrow(Order.objects.filter(commune=commune), codes, "shop__organisation__code")


def contracts_for(user: User, commune: Commune, *, edit: bool = False) -> QuerySet[Contract]:
    codes = organisation_codes(user, commune, edit=edit)
    return _narrow(Contract.objects.filter(commune=commune), codes, "seller__code")


def can_edit(user: User, commune: Commune) -> bool:
    return scoping.scope_for(user).has_role(commune, *EDITORS)
