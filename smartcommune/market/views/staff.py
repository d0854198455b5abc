"""The producer's side: order inbox and its steps, offers, shop settings with 360° photos and listings
elsewhere, the sales report (.xlsx), linkage contracts with their deliveries, and the figures."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core import tabular
from smartcommune.core.forms import apply_errors
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404
from smartcommune.trace.models import Lot, Product

from .. import access, feeds, payments, selectors
from ..forms import (
    AdvanceForm,
    ContractForm,
    DeliveryForm,
    HotspotForm,
    ListingForm,
    OfferForm,
    PanoramaForm,
    PaymentForm,
    ShopForm,
)
from ..models import ExternalListing, Offer, Order, Panorama, Status
from ..services import catalogue, contracts, orders


def _order(request, commune: Commune, order_id: int, *, edit: bool = False) -> Order:
    return get_object_or_404(
        access.orders_for(request.user, commune, edit=edit).select_related(
            "shop__organisation", "address_commune__province", "commune"
        ),
        pk=order_id,
    )


# Orders -----------------------------------------------------------------------------------------


@login_required
def inbox(request, commune_code: str):
    commune = commune_or_404(commune_code)
    visible = access.orders_for(request.user, commune)
    status = request.GET.get("trang-thai", "")
    status = status if status in Status.values else ""
    page = Paginator(selectors.inbox(visible, status=status, q=request.GET.get("q", "")), 50).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "market/staff/inbox.html",
        {
            "commune": commune,
            "page": page,
            "status": status,
            "q": request.GET.get("q", ""),
            "counts": selectors.status_counts(visible),
            "statuses": Status.choices,
            "can_edit": access.can_edit(request.user, commune),
            "year": timezone.localdate().year,
        },
    )


@login_required
def order_detail(request, commune_code: str, order_id: int):
    commune = commune_or_404(commune_code)
    order = _order(request, commune, order_id)
    can_edit = access.can_edit(request.user, commune) and (
        access.orders_for(request.user, commune, edit=True).filter(pk=order.pk).exists()
    )
    steps = orders.allowed_next(order) if can_edit else []
    return render(
        request,
        "market/staff/order.html",
        {
            "commune": commune,
            "order": order,
            "lines": list(order.lines.select_related("offer__lot")),
            "events": list(order.events.select_related("by")),
            "steps": [(s, Status(s).label) for s in steps if s not in (Status.PAID, Status.CANCELLED)],
            "can_pay": Status.PAID in steps,
            "can_cancel": Status.CANCELLED in steps,
            "payment_form": PaymentForm(initial={"amount": order.total}),
            "advance_form": AdvanceForm(),
        },
    )


@login_required
@require_POST
def order_advance(request, commune_code: str, order_id: int):
    commune = commune_or_404(commune_code)
    order = _order(request, commune, order_id, edit=True)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown order status."))
        return redirect("market:order", commune.code, order.pk)
    try:
        orders.order_advance(
            order=order, to=form.cleaned_data["to"], by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Order %(number)s updated.") % {"number": order.number})
    return redirect("market:order", commune.code, order.pk)


@login_required
@require_POST
def order_paid(request, commune_code: str, order_id: int):
    commune = commune_or_404(commune_code)
    order = _order(request, commune, order_id, edit=True)
    form = PaymentForm(request.POST)
    if form.is_valid():
        notice = payments.PaymentNotice(
            order_number=order.number, amount=form.cleaned_data["amount"], reference=form.cleaned_data["reference"]
        )
        try:
            orders.payment_record(commune=commune, notice=notice, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Payment recorded for order %(number)s.") % {"number": order.number})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("market:order", commune.code, order.pk)


@login_required
def sales_report(request, commune_code: str):
    commune = commune_or_404(commune_code)
    visible = access.orders_for(request.user, commune)
    year = request.GET.get("nam", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    out = io.BytesIO()
    tabular.write_xlsx(feeds.SALES_COLUMNS, selectors.sales_rows(visible, year), out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="doanh-so-{commune.code}-{year}.xlsx"'
    return response


# Offers, shop, listings, 360° -------------------------------------------------------------------


@login_required
def offer_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    offers = access.offers_for(request.user, commune).select_related("product", "lot", "shop__organisation")
    return render(
        request,
        "market/staff/offers.html",
        {
            "commune": commune,
            "offers": offers.order_by("shop__organisation__name", "product__name"),
            "shops": access.organisations_for(request.user, commune),
            "can_edit": access.can_edit(request.user, commune),
        },
    )


@login_required
def offer_edit(request, commune_code: str, organisation_code: str, offer_id: int | None = None):
    commune = commune_or_404(commune_code)
    organisation = get_object_or_404(access.organisations_for(request.user, commune, edit=True), code=organisation_code)
    shop = catalogue.shop_for(organisation)
    offer = get_object_or_404(Offer, pk=offer_id, shop=shop) if offer_id else Offer(shop=shop)
    lots = Lot.objects.filter(product__owner=organisation, status=Lot.Status.ACTIVE).select_related("product")
    initial = {}
    if offer.pk:
        initial = {
            "lot": offer.lot_id,
            "category": offer.category,
            "pack_label": offer.pack_label,
            "pack_size": f"{offer.pack_size.normalize():f}".replace(".", ","),
            "price": offer.price,
            "stock": offer.stock,
            "is_active": offer.is_active,
        }
    form = OfferForm(request.POST or None, lots=lots, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            catalogue.offer_save(offer=offer, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect("market:offers", commune.code)
    return render(
        request,
        "market/staff/form.html",
        {"commune": commune, "form": form, "title": _("Offer of %(name)s") % {"name": organisation.name}},
        status=400 if form.errors else 200,
    )


@login_required
def shop_edit(request, commune_code: str, organisation_code: str):
    commune = commune_or_404(commune_code)
    organisation = get_object_or_404(access.organisations_for(request.user, commune, edit=True), code=organisation_code)
    shop = catalogue.shop_for(organisation)
    products = Product.objects.filter(owner=organisation)
    offers = Offer.objects.filter(shop=shop).select_related("product")
    action = request.POST.get("action", "")
    shop_form = ShopForm(request.POST if action == "shop" else None, instance=shop)
    listing_form = ListingForm(request.POST if action == "listing" else None, products=products)
    panorama_form = PanoramaForm(request.POST if action == "panorama" else None, request.FILES or None)
    hotspot_form = HotspotForm(request.POST if action == "hotspot" else None, offers=offers)
    if request.method == "POST":
        try:
            if action == "shop" and shop_form.is_valid():
                catalogue.shop_save(shop=shop_form.save(commit=False))
            elif action == "listing" and listing_form.is_valid():
                catalogue.listing_add(**listing_form.cleaned_data)
            elif action == "listing_remove":
                ExternalListing.objects.filter(product__owner=organisation, pk=request.POST.get("id")).delete()
            elif action == "panorama" and panorama_form.is_valid():
                catalogue.panorama_add(
                    shop=shop, title=panorama_form.cleaned_data["title"], upload=panorama_form.cleaned_data["image"]
                )
            elif action == "panorama_remove":
                catalogue.panorama_delete(panorama=get_object_or_404(Panorama, shop=shop, pk=request.POST.get("id")))
            elif action == "hotspot" and hotspot_form.is_valid():
                panorama = get_object_or_404(Panorama, shop=shop, pk=request.POST.get("panorama"))
                catalogue.hotspot_add(panorama=panorama, **hotspot_form.cleaned_data)
            else:
                raise ValidationError(_("Please correct the errors below."))
        except ValidationError as error:
            form = {"shop": shop_form, "listing": listing_form, "panorama": panorama_form, "hotspot": hotspot_form}
            if action in form:
                apply_errors(form[action], error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("market:shop_edit", commune.code, organisation.code)
    return render(
        request,
        "market/staff/shop.html",
        {
            "commune": commune,
            "organisation": organisation,
            "shop": shop,
            "shop_form": shop_form,
            "listing_form": listing_form,
            "panorama_form": panorama_form,
            "hotspot_form": hotspot_form,
            "listings": ExternalListing.objects.filter(product__owner=organisation).select_related("product"),
            "panoramas": list(shop.panoramas.prefetch_related("hotspots__offer__product")),
            "bank_problem": payments.bank_problem(organisation),
        },
        status=400 if request.method == "POST" else 200,
    )


# Contracts --------------------------------------------------------------------------------------


@login_required
def contract_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    visible = access.contracts_for(request.user, commune).select_related("seller")
    today = timezone.localdate()
    rows = [selectors.fulfilment(c, today=today) for c in selectors.with_progress(visible)]
    return render(
        request,
        "market/staff/contracts.html",
        {
            "commune": commune,
            "rows": rows,
            "today": today,
            "cooperatives": selectors.linkage_cooperatives(commune, today)
            if access.organisation_codes(request.user, commune) is None
            else None,
            "can_edit": access.can_edit(request.user, commune),
        },
    )


def _contract_specs(form: ContractForm) -> tuple[list, list]:
    data, items, schedule = form.cleaned_data, [], []
    for i in range(3):
        product, quantity, price = (data.get(f"item_{i}_{n}") for n in ("product", "quantity", "price"))
        if product or quantity or price:
            if not (product and quantity and price):
                raise ValidationError(_("Each product line needs its product, volume and price."))
            items.append(contracts.ItemSpec(product, quantity, price))
    for i in range(6):
        product, due_on, quantity = (data.get(f"due_{i}_{n}") for n in ("product", "on", "quantity"))
        if product or due_on or quantity:
            if not (product and due_on and quantity):
                raise ValidationError(_("Each scheduled delivery needs its product, date and quantity."))
            schedule.append(contracts.ScheduleSpec(product, due_on, quantity))
    return items, schedule


@login_required
def contract_create(request, commune_code: str):
    commune = commune_or_404(commune_code)
    sellers = access.organisations_for(request.user, commune, edit=True)
    products = Product.objects.filter(owner__in=sellers).order_by("name")
    form = ContractForm(request.POST or None, request.FILES or None, sellers=sellers, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            items, schedule = _contract_specs(form)
            contract = contracts.contract_create(
                commune=commune,
                seller=data["seller"],
                number=data["number"],
                buyer_name=data["buyer_name"],
                buyer_tax_code=data["buyer_tax_code"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                signed_on=data["signed_on"],
                notes=data["notes"],
                document=data["document"],
                items=items,
                schedule=schedule,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The contract is recorded."))
            return redirect("market:contract", commune.code, contract.pk)
    return render(
        request,
        "market/staff/contract_form.html",
        {"commune": commune, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def contract_detail(request, commune_code: str, contract_id: int):
    commune = commune_or_404(commune_code)
    contract = get_object_or_404(access.contracts_for(request.user, commune).select_related("seller"), pk=contract_id)
    can_edit = (
        access.contracts_for(request.user, commune, edit=True).filter(pk=contract.pk).exists()
        if (access.can_edit(request.user, commune))
        else False
    )
    items = contract.items.select_related("product")
    lots = Lot.objects.filter(product__in=items.values("product"), status=Lot.Status.ACTIVE).select_related("product")
    form = DeliveryForm(request.POST or None, items=items, lots=lots)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Your role does not allow this in this commune."))
        action = request.POST.get("action", "delivery")
        try:
            if action == "sign":
                contracts.contract_sign(
                    contract=contract, signed_on=timezone.localdate(), document=request.FILES.get("document")
                )
            elif action == "terminate":
                contracts.contract_terminate(contract=contract, reason=request.POST.get("reason", ""))
            elif form.is_valid():
                contracts.delivery_record(
                    contract=contract,
                    delivered_on=form.cleaned_data["delivered_on"],
                    note_number=form.cleaned_data["note_number"],
                    lines=form.lines(),
                    by=request.user,
                )
            else:
                raise ValidationError(_("Please correct the errors below."))
        except ValidationError as error:
            if action == "delivery":
                apply_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("market:contract", commune.code, contract.pk)
    return render(
        request,
        "market/staff/contract.html",
        {
            "commune": commune,
            "contract": contract,
            "progress": selectors.fulfilment(contract),
            "deliveries": contract.deliveries.prefetch_related("lines__lot__product", "lines__item__product"),
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )


@login_required
def contract_document(request, commune_code: str, contract_id: int):
    commune = commune_or_404(commune_code)
    contract = get_object_or_404(access.contracts_for(request.user, commune), pk=contract_id)
    if not contract.document:
        raise PermissionDenied(_("This contract has no document."))
    return FileResponse(contract.document.open("rb"), content_type="application/pdf", filename=f"{contract.number}.pdf")


@login_required
def figures(request, commune_code: str):
    commune = commune_or_404(commune_code)
    access.organisation_codes(request.user, commune)  # any reader of the commune
    today = timezone.localdate()
    return render(
        request,
        "market/staff/figures.html",
        {"commune": commune, "figures": selectors.monthly_figures(commune, today.year, today.month)},
    )
