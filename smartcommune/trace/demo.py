"""Demo products and lots of Xã Vệ Giang, made from the farming demo's harvests.

Three products: fresh paddy of HTX-VG01 (no GTIN yet: internal identifier), its milled rice in 5 kg
bags (OCOP 4 stars, a synthetic GTIN with the 893 prefix), and safe vegetables of HTX-VG02 (OCOP
3 stars, no GTIN). Lots come from the diary's harvests; the bagged rice is processed from a paddy
lot, packed in cartons and partly shipped under a purchase order. Names and numbers are made up.
Run farming's demo first; a second run finds the products and lots and changes nothing.
"""

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from smartcommune.farming.models import DiaryEntry, GrowingArea
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation

from . import services
from .models import Certification, Lot, OcopRating, Product

PADDY, RICE, GREENS = (
    "Lúa tươi Mẫu Vệ Giang ĐV108",
    "Gạo Mẫu Vệ Giang ĐV108 túi 5 kg",
    "Rau cải ngọt an toàn Mẫu Nghĩa Hiệp",
)
RICE_GTIN = "8936000001018"  # synthetic: 893 (GS1 Vietnam) + made-up company and item numbers, valid check digit


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _product(commune, owner, name, **fields) -> tuple[Product, bool]:
    existing = Product.objects.filter(commune=commune, name=name).first()
    if existing:
        return existing, False
    return services.product_save(product=Product(commune=commune, owner=owner, name=name, **fields)), True


def _rating(product: Product, scores: tuple[int, int, int], number: str, decided: date) -> None:
    if product.ocop_ratings.exists():
        return
    a, b, c = (Decimal(s) for s in scores)
    services.ocop_save(
        rating=OcopRating(
            product=product,
            sector=OcopRating.Sector.FOOD,
            product_set="Gạo, ngũ cốc" if "Gạo" in product.name else "Rau, củ, quả tươi",
            score_a=a,
            score_b=b,
            score_c=c,
            decision_number=number,
            decision_date=decided,
        )
    )


def _harvests(commune: Commune, crop: str) -> list[DiaryEntry]:
    return list(
        DiaryEntry.objects.harvests()
        .filter(growing_area__commune=commune, growing_area__crop=crop, growing_area__status=GrowingArea.Status.ACTIVE)
        .order_by("date", "pk")
    )


@transaction.atomic
def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    vg01 = Organisation.objects.get(commune=commune, code="HTX-VG01")
    vg02 = Organisation.objects.get(commune=commune, code="HTX-VG02")
    paddy, _new = _product(
        commune, vg01, PADDY, brand="Vệ Giang", unit="KGM", description="Lúa tươi thu hoạch từ cánh đồng lớn."
    )
    rice, _new = _product(
        commune, vg01, RICE, brand="Vệ Giang", gtin=RICE_GTIN, unit="BG",
        description="Gạo trắng xát từ lúa ĐV108 của cánh đồng lớn Nghĩa Hiệp, đóng túi 5 kg.",
    )  # fmt: skip
    greens, _new = _product(
        commune, vg02, GREENS, brand="Rau sạch Nghĩa Hiệp", unit="KGM",
        description="Rau cải ngọt trồng theo VietGAP, thu hoạch trong ngày.",
    )  # fmt: skip
    _rating(rice, (32, 19, 27), "1234/QĐ-UBND (mẫu)", date(2024, 9, 16))  # 78 points: 4 stars
    _rating(greens, (24, 14, 20), "1235/QĐ-UBND (mẫu)", date(2024, 9, 16))  # 58 points: 3 stars
    if not Certification.objects.filter(product=greens).exists():
        services.certification_save(
            certification=Certification(
                product=greens, kind=Certification.Kind.VIETGAP, number="VietGAP-TT-25-02-51-0031",
                issuer="Tổ chức chứng nhận mẫu", issued_on=date(2025, 3, 1), expires_on=date(2027, 3, 1),
            )
        )  # fmt: skip
        services.certification_save(
            certification=Certification(
                product=rice, kind=Certification.Kind.FOOD_SAFETY, number="ATTP-51-2024-0107",
                issuer="Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi (mẫu)", issued_on=date(2024, 5, 2), expires_on=date(2027, 5, 2),
            )
        )  # fmt: skip
    made = 0
    if not Lot.objects.filter(product=paddy).exists():
        rice_harvests = _harvests(commune, "Lúa")
        if rice_harvests:
            first = rice_harvests[0]
            paddy_lot = services.lot_from_harvests(
                product=paddy,
                code="LT-HT25-01",
                parts=[(first, first.quantity_kg)],
                produced_on=first.date,
                expires_on=None,
                when=_at(first.date, 16),
            )
            bags = services.lot_process(
                commune=commune,
                inputs=[(paddy_lot, Decimal("4000"))],
                outputs=[
                    {
                        "product": rice,
                        "code": "G-HT25-01",
                        "quantity": Decimal("520"),
                        "produced_on": date(2025, 8, 28),
                        "expires_on": date(2026, 8, 28),
                    }
                ],
                when=_at(date(2025, 8, 28), 9),
            )[0]
            cartons = services.lot_pack(lot=bags, cartons=20, per_carton=Decimal("10"), when=_at(date(2025, 8, 28), 15))
            services.ship(
                organisation=vg01,
                containers=cartons[:10],
                transaction_type="po",
                transaction_ref="HĐ-LK-2025-014",
                when=_at(date(2025, 8, 30), 8),
            )
            made += 2
            for second in rice_harvests[1:2]:
                services.lot_from_harvests(
                    product=paddy, code="LT-HT25-02", parts=[(second, second.quantity_kg)],
                    produced_on=second.date, when=_at(second.date, 17),
                )  # fmt: skip
                made += 1
    if not Lot.objects.filter(product=greens).exists():
        for number, harvest in enumerate(_harvests(commune, "Rau"), start=1):
            services.lot_from_harvests(
                product=greens,
                code=f"RC-2509-{number:02d}",
                parts=[(harvest, harvest.quantity_kg)],
                produced_on=harvest.date,
                expires_on=date.fromordinal(harvest.date.toordinal() + 5),
                when=_at(harvest.date, 7),
            )
            made += 1
    log(f"Traceability: 3 products, {made} lots created (QR labels from each lot's page).")
