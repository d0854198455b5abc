"""Staff pages: products, OCOP ratings, lots (from harvests, by processing), cartons, shipments,
QR labels and exports. Public pages (the resolver) are in public.py."""

import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role
from smartcommune.core import tabular
from smartcommune.core.forms import apply_errors
from smartcommune.core.history import history_of
from smartcommune.farming import access as farm_access
from smartcommune.places.models import Commune
from smartcommune.places.shortcuts import commune_or_404
from smartcommune.registry.models import Organisation

from . import access, epcis, labels, selectors, services
from .forms import (
    CertificationForm,
    LabelForm,
    LotFromHarvestForm,
    LotStatusForm,
    OcopForm,
    PackForm,
    PeriodForm,
    ProcessForm,
    ProductForm,
    ShipForm,
)
from .models import Certification, Container, Lot, OcopRating, Product

JSONLD = "application/ld+json"
PORTAL_COLUMNS = [
    tabular.Column("product_name", "Tên sản phẩm"),
    tabular.Column("gtin", "Mã GTIN"),
    tabular.Column("internal_code", "Mã nội bộ"),
    tabular.Column("brand", "Nhãn hiệu"),
    tabular.Column("producer_name", "Tên cơ sở sản xuất"),
    tabular.Column("producer_tax_code", "Mã số thuế"),
    tabular.Column("producer_address", "Địa chỉ cơ sở sản xuất"),
    tabular.Column("production_date", "Ngày sản xuất"),
    tabular.Column("lot", "Số lô"),
    tabular.Column("expiry_date", "Hạn sử dụng"),
    tabular.Column("quantity", "Số lượng"),
    tabular.Column("unit", "Đơn vị"),
    tabular.Column("image_url", "Ảnh sản phẩm"),
    tabular.Column("trace_url", "Đường dẫn truy xuất"),
]


def _owners(request, commune: Commune):
    codes = access.organisation_codes(request.user, commune, edit=True)
    owners = Organisation.objects.in_commune(commune).order_by("name")
    return owners if codes is None else owners.filter(code__in=codes)


def _product(request, commune: Commune, product_id: int, *, edit: bool = False) -> Product:
    product = get_object_or_404(Product.objects.select_related("owner", "commune"), pk=product_id, commune=commune)
    access.require_product(request.user, product, edit=edit)
    return product


def _lot(request, commune: Commune, lot_id: int, *, edit: bool = False) -> Lot:
    lot = get_object_or_404(
        Lot.objects.select_related("product", "product__owner", "product__commune"), pk=lot_id, product__commune=commune
    )
    access.require_product(request.user, lot.product, edit=edit)
    return lot


def _form_page(
    request, commune, form, title, *, back=None, status=None, multipart=False, template="trace/form.html", **extra
):
    return render(
        request,
        template,
        {"commune": commune, "form": form, "title": title, "back": back, "multipart": multipart, **extra},
        status=status or (400 if form.errors else 200),
    )


# Products ---------------------------------------------------------------------------------------


@login_required
def product_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    products = access.products_for(request.user, commune)
    q = request.GET.get("q", "")
    rows = list(selectors.product_list(products, q=q))
    for product in rows:
        product.rating = selectors.current_rating(product.ocop_ratings.all())
    scope = scoping.scope_for(request.user)
    return render(
        request,
        "trace/product_list.html",
        {
            "commune": commune,
            "rows": rows,
            "q": q,
            "expiring": selectors.ocop_expiring(products),
            "can_edit": scope.has_role(commune, *access.EDITORS),
        },
    )


@login_required
def product_detail(request, commune_code: str, product_id: int):
    commune = commune_or_404(commune_code)
    product = _product(request, commune, product_id)
    ratings = list(product.ocop_ratings.all())
    return render(
        request,
        "trace/product_detail.html",
        {
            "commune": commune,
            "product": product,
            "ratings": ratings,
            "rating": selectors.current_rating(ratings),
            "certifications": list(product.certifications.all()),
            "lots": selectors.lot_list(Lot.objects.filter(product=product))[:50],
            "can_edit": access.can_edit(request.user, product),
            "changes": history_of(product),
        },
    )


@login_required
def product_edit(request, commune_code: str, product_id: int | None = None):
    commune = commune_or_404(commune_code)
    if product_id is None:
        access.organisation_codes(request.user, commune, edit=True)
        product = Product(commune=commune)
    else:
        product = _product(request, commune, product_id, edit=True)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product, owners=_owners(request, commune))
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_save(product=form.save(commit=False))
            if form.cleaned_data.get("photo_upload"):
                services.product_photo_set(product=product, upload=form.cleaned_data["photo_upload"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The product was saved."))
            return redirect("trace:product", commune.code, product.pk)
    return _form_page(
        request,
        commune,
        form,
        product.name if product.pk else _("Add a product"),
        back=product if product.pk else None,
        multipart=True,
    )


@login_required
def ocop_add(request, commune_code: str, product_id: int):
    commune = commune_or_404(commune_code)
    scoping.require_role(request.user, commune, Role.COMMUNE_OFFICIAL)  # a recognition is the commune's record
    product = _product(request, commune, product_id, edit=True)
    form = OcopForm(request.POST or None, instance=OcopRating(product=product))
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.ocop_save(rating=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("OCOP rating saved: %(stars)s stars.") % {"stars": rating.stars})
            return redirect("trace:product", commune.code, product.pk)
    return _form_page(request, commune, form, _("OCOP rating"), back=product)


@login_required
def certification_add(request, commune_code: str, product_id: int):
    commune = commune_or_404(commune_code)
    product = _product(request, commune, product_id, edit=True)
    form = CertificationForm(request.POST or None, instance=Certification(product=product))
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_save(certification=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The certificate was saved."))
            return redirect("trace:product", commune.code, product.pk)
    return _form_page(request, commune, form, _("Certificate"), back=product)


# Lots -------------------------------------------------------------------------------------------


@login_required
def lot_list(request, commune_code: str):
    commune = commune_or_404(commune_code)
    lots = access.lots_for(request.user, commune)
    q = request.GET.get("q", "")
    page = Paginator(selectors.lot_list(lots, q=q), 50).get_page(request.GET.get("page"))
    scope = scoping.scope_for(request.user)
    return render(
        request,
        "trace/lot_list.html",
        {
            "commune": commune,
            "page": page,
            "q": q,
            "query": f"q={q}",
            "can_edit": scope.has_role(commune, *access.EDITORS),
        },
    )


@login_required
def lot_detail(request, commune_code: str, lot_id: int):
    commune = commune_or_404(commune_code)
    lot = _lot(request, commune, lot_id)
    link = selectors.digital_link(lot)
    return render(
        request,
        "trace/lot_detail.html",
        {
            "commune": commune,
            "lot": lot,
            "link": link,
            "qr_svg": labels.qr_svg(link, scale=4),
            "events": epcis.lot_events(lot),
            "harvests": lot.harvests.select_related("harvest__growing_area"),
            "inputs": lot.inputs.select_related("input__product"),
            "uses": lot.uses.select_related("output__product"),
            "cartons": Container.objects.filter(items__lot=lot).distinct(),
            "scans": selectors.scans(lot),
            "can_edit": access.can_edit(request.user, lot.product),
            "label_form": LabelForm(),
            "status_form": LotStatusForm(initial={"status": lot.status}),
            "changes": history_of(lot),
        },
    )


def _harvest_areas(request, commune: Commune):
    """Growing areas whose harvests this user may put in lots: a manager's own, or all for officials."""
    return farm_access.areas_for(request.user, commune)


@login_required
def lot_from_harvests(request, commune_code: str):
    commune = commune_or_404(commune_code)
    products = access.products_for(request.user, commune, edit=True)
    harvests = selectors.harvest_options(_harvest_areas(request, commune))
    form = LotFromHarvestForm(request.POST or None, products=products, harvests=harvests)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lot = services.lot_from_harvests(
                product=data["product"],
                code=data["code"],
                parts=form.parts(),
                produced_on=data["produced_on"],
                expires_on=data["expires_on"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Lot %(lot)s was created; print its QR labels below.") % {"lot": lot.code})
            return redirect("trace:lot", commune.code, lot.pk)
    return _form_page(request, commune, form, _("New lot from harvests"), template="trace/lot_harvest_form.html")


@login_required
def lot_process(request, commune_code: str):
    commune = commune_or_404(commune_code)
    products = access.products_for(request.user, commune, edit=True)
    lots = list(
        access.lots_for(request.user, commune, edit=True)
        .filter(remaining__gt=0, status=Lot.Status.ACTIVE)
        .select_related("product")
        .order_by("-produced_on")[:200]
    )
    form = ProcessForm(request.POST or None, products=products, lots=lots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.lot_process(
                commune=commune,
                inputs=form.inputs(),
                outputs=[
                    {
                        "product": data["product"],
                        "code": data["code"],
                        "quantity": data["quantity"],
                        "produced_on": data["produced_on"],
                        "expires_on": data["expires_on"],
                    }
                ],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Lot %(lot)s was made.") % {"lot": made[0].code})
            return redirect("trace:lot", commune.code, made[0].pk)
    return _form_page(
        request, commune, form, _("Processing: new lot from other lots"), template="trace/lot_process_form.html"
    )


@login_required
def lot_pack(request, commune_code: str, lot_id: int):
    commune = commune_or_404(commune_code)
    lot = _lot(request, commune, lot_id, edit=True)
    form = PackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cartons = services.lot_pack(
                lot=lot,
                cartons=form.cleaned_data["cartons"],
                per_carton=form.cleaned_data["per_carton"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(count)s cartons packed.") % {"count": len(cartons)})
            return redirect("trace:lot", commune.code, lot.pk)
    return _form_page(request, commune, form, _("Pack into cartons"), lot=lot)


@login_required
def lot_ship(request, commune_code: str, lot_id: int):
    commune = commune_or_404(commune_code)
    lot = _lot(request, commune, lot_id, edit=True)
    cartons = Container.objects.filter(items__lot=lot, shipped_at__isnull=True).distinct()
    form = ShipForm(request.POST or None, cartons=cartons)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ship(
                organisation=lot.product.owner,
                containers=data["cartons"],
                lot_quantities=[(lot, data["quantity"])] if data["quantity"] else [],
                transaction_type=data["transaction_type"],
                transaction_ref=data["transaction_ref"],
                buyer_uri=data["buyer_uri"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The shipment was recorded."))
            return redirect("trace:lot", commune.code, lot.pk)
    return _form_page(request, commune, form, _("Ship"), lot=lot)


@login_required
@require_POST
def lot_status(request, commune_code: str, lot_id: int):
    commune = commune_or_404(commune_code)
    lot = _lot(request, commune, lot_id, edit=True)
    form = LotStatusForm(request.POST)
    if form.is_valid():
        lot.status = form.cleaned_data["status"]
        lot.save(update_fields=["status", "updated_at"])
        epcis.touch(lot_ids=[lot.pk])
        messages.success(request, _("The status of the lot was changed."))
    return redirect("trace:lot", commune.code, lot.pk)


@login_required
def lot_qr(request, commune_code: str, lot_id: int, fmt: str):
    commune = commune_or_404(commune_code)
    lot = _lot(request, commune, lot_id)
    link = selectors.digital_link(lot)
    if fmt == "svg":
        return HttpResponse(labels.qr_svg(link, scale=8), content_type="image/svg+xml")
    if fmt == "png":
        response = HttpResponse(labels.qr_png(link, scale=12), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="qr-{lot.product.internal_code}-{lot.code}.png"'
        return response
    raise Http404


@login_required
def lot_labels(request, commune_code: str, lot_id: int):
    """A PDF sheet of QR labels for the lot."""
    commune = commune_or_404(commune_code)
    lot = _lot(request, commune, lot_id)
    form = LabelForm(request.GET or None)
    if not form.is_valid():
        return _form_page(request, commune, form, _("Print QR labels"), lot=lot, status=200 if not request.GET else 400)
    data = form.cleaned_data
    pdf = labels.label_sheet(
        lot=lot,
        uri=selectors.digital_link(lot),
        layout=labels.LAYOUTS[data["layout"]],
        count=data["count"],
        skip=data.get("skip") or 0,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tem-{lot.code}-{data["layout"]}.pdf"'
    return response


@login_required
def lot_epcis(request, commune_code: str, lot_id: int):
    commune = commune_or_404(commune_code)
    lot = _lot(request, commune, lot_id)
    return _jsonld(epcis.lot_document(lot), f"epcis-{lot.code}.jsonld")


def _jsonld(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type=f"{JSONLD}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Exports ----------------------------------------------------------------------------------------


@login_required
def exports(request, commune_code: str):
    """EPCIS events of a period, and the national traceability portal's fields, as files."""
    commune = commune_or_404(commune_code)
    codes = access.organisation_codes(request.user, commune)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    what = request.GET.get("what", "")
    if form.is_valid() and what:
        start, end = selectors.period_bounds(form.cleaned_data["start"], form.cleaned_data["end"])
        if what == "epcis":
            document = epcis.period_document(commune=commune, start=start, end=end, organisation_codes=codes)
            return _jsonld(document, f"epcis-{commune.code}-{form.cleaned_data['start']:%Y%m%d}.jsonld")
        lots = access.lots_for(request.user, commune)
        rows = selectors.portal_rows(lots, start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        if what == "portal.json":
            body = json.dumps(rows, ensure_ascii=False, default=str, indent=1)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="txng-{commune.code}.json"'
            return response
        if what == "portal.csv":
            out = io.StringIO()
            tabular.write_csv(PORTAL_COLUMNS, rows, out)
            response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="txng-{commune.code}.csv"'
            return response
        raise Http404
    return _form_page(request, commune, form, _("Exports"), template="trace/exports.html", status=200)
