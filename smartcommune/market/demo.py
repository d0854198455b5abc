"""Demo storefront of Xã Vệ Giang: the trace demo's bagged rice and safe vegetables on sale, orders in
every state, two linkage contracts with deliveries tied to lots, and a 360° photo of the rice field
(drawn here with Pillow, nothing downloaded). Buyers' names and phones are made up.

Run after the registry, farming, trace and accounts demos; a second run changes nothing.
"""

import io
import math
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from smartcommune.accounts.models import User
from smartcommune.places.models import Commune
from smartcommune.registry.models import Organisation
from smartcommune.trace.models import Lot, Product

from .models import Category, Contract, Offer, Order, Status
from .services import catalogue, contracts, orders

BUYERS = [
    ("Khách Hàng Mẫu Một", "0905123401", "Số 12 đường Mẫu, Tổ dân phố Sông Vệ 1"),
    ("Khách Hàng Mẫu Hai", "0935123402", "Thôn Mẫu An Hòa"),
    ("Khách Hàng Mẫu Ba", "0978123403", "Số 5 hẻm Mẫu"),
]
# The state each demo order is brought to, with how it is paid.
ORDER_PLAN = [
    (Status.PLACED, "vietqr"),
    (Status.CONFIRMED, "vietqr"),
    (Status.PAID, "vietqr"),
    (Status.PACKED, "cod"),
    (Status.SHIPPED, "vietqr"),
    (Status.DELIVERED, "cod"),
    (Status.DELIVERED, "vietqr"),
    (Status.CANCELLED, "vietqr"),
]
PATHS = {
    "vietqr": [Status.CONFIRMED, Status.PAID, Status.PACKED, Status.SHIPPED, Status.DELIVERED],
    "cod": [Status.CONFIRMED, Status.PACKED, Status.SHIPPED, Status.DELIVERED],
}


def panorama_jpeg(width: int = 2048, seed: int = 7) -> bytes:
    """An equirectangular picture of a rice field under a sky, with hills and a cooperative's shed."""
    height = width // 2
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = height // 2
    for y in range(horizon):  # sky, darker towards the zenith
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(70 + 110 * t), int(130 + 90 * t), int(200 + 40 * t)))
    for y in range(horizon, height):  # field, rows of rice getting denser towards the horizon
        t = (y - horizon) / (height - horizon)
        shade = (int(60 + 60 * t), int(140 + 50 * (1 - t)), int(40 + 20 * t))
        draw.line([(0, y), (width, y)], fill=shade)
    for y in range(horizon + 4, height, 6):
        draw.line([(0, y), (width, y)], fill=(50, 120, 40), width=1)
    hills = [
        (x, horizon - int(60 + 40 * math.sin(x / width * 2 * math.pi * 3) + 25 * math.sin(x / width * 2 * math.pi * 7)))
        for x in range(0, width + 1, 8)
    ]
    draw.polygon([(0, horizon), *hills, (width, horizon)], fill=(60, 110, 80))
    for _cloud in range(18):
        x, y = rnd.randrange(width), rnd.randrange(horizon // 8, horizon // 2)
        for _puff in range(5):
            r = rnd.randrange(18, 40)
            dx = rnd.randrange(-50, 50)
            draw.ellipse([x + dx - r, y - r // 2, x + dx + r, y + r // 2], fill=(245, 247, 250))
    shed_x = int(width * 0.58)  # the cooperative's drying shed, straight ahead of the rice hotspot
    draw.rectangle([shed_x, horizon - 70, shed_x + 160, horizon + 10], fill=(190, 170, 140))
    draw.polygon(
        [(shed_x - 20, horizon - 70), (shed_x + 80, horizon - 120), (shed_x + 180, horizon - 70)], fill=(150, 60, 40)
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _offer(shop, product: Product, lot: Lot, **fields) -> Offer:
    existing = Offer.objects.filter(lot=lot).first()
    if existing:
        return existing
    return catalogue.offer_save(offer=Offer(shop=shop), lot=lot, **fields)


def _orders(commune: Commune, rice: Offer, greens: Offer, manager: User | None) -> int:
    if Order.objects.filter(commune=commune).exists():
        return 0
    vg01 = rice.shop
    made = 0
    for number, (target, payment) in enumerate(ORDER_PLAN):
        name, phone, line = BUYERS[number % len(BUYERS)]
        lines = [(rice.pk, 1 + number % 3)]
        if number % 2 == 0 and greens is not None:
            lines.append((greens.pk, 2))  # the same cart also gives an order to the vegetable cooperative
        placed = orders.checkout(
            commune=commune,
            lines=lines,
            buyer=orders.Buyer(
                name=name, phone=phone, fulfilment="delivery", address_line=line, address_commune=commune
            ),
            payment=payment,
        )
        made += len(placed)
        order = next(o for o in placed if o.shop_id == vg01.pk)
        if target == Status.CANCELLED:
            orders.order_advance(order=order, to=Status.CONFIRMED, by=manager)
            orders.order_advance(
                order=order, to=Status.CANCELLED, by=manager, reason="Khách đổi ý, đã gọi điện xác nhận."
            )
            continue
        for step in PATHS[payment]:
            if order.status == target or Status.values.index(order.status) >= Status.values.index(target):
                break
            if step == Status.PAID:
                orders.payment_record(
                    commune=commune,
                    notice=orders.payments.PaymentNotice(
                        order_number=order.number, amount=order.total, reference="FT-MAU"
                    ),
                    by=manager,
                )
                order.refresh_from_db()
            else:
                order = orders.order_advance(order=order, to=step, by=manager)
    return made


def _contracts(commune: Commune, vg01, vg02, rice, paddy, greens, manager) -> int:
    made = 0
    today = timezone.localdate()
    ends = max(date(2026, 12, 31), today + timedelta(days=180))
    specs = [
        (
            "HĐLK-2025-014/HTX-VG01", vg01, "Công ty TNHH Mẫu Chế biến Nông sản Vệ Giang", "",
            [contracts.ItemSpec(paddy, Decimal("20000"), 7_800), contracts.ItemSpec(rice, Decimal("200"), 140_000)],
            [(paddy, date(2025, 9, 15), Decimal("5000")), (paddy, date(2025, 12, 15), Decimal("5000")),
             (rice, date(2025, 10, 1), Decimal("100"))],
        ),
        (
            "HĐLK-2025-021/HTX-VG02", vg02, "Bếp ăn tập thể Mẫu Trường Tiểu học Vệ Giang", "",
            [contracts.ItemSpec(greens, Decimal("600"), 18_000)],
            [(greens, date(2025, 9, 30), Decimal("100")), (greens, date(2025, 10, 31), Decimal("100"))],
        ),
    ]  # fmt: skip
    for number, seller, buyer, tax, items, schedule in specs:
        if Contract.objects.filter(commune=commune, number=number).exists():
            continue
        contract = contracts.contract_create(
            commune=commune, seller=seller, number=number, buyer_name=buyer, buyer_tax_code=tax,
            starts_on=date(2025, 8, 1), ends_on=ends, signed_on=date(2025, 7, 25),
            items=items, schedule=[contracts.ScheduleSpec(p, d, q) for p, d, q in schedule],
            document=SimpleUploadedFile("hop-dong.pdf", _pdf(number), content_type="application/pdf"),
            notes="Hợp đồng mẫu cho dữ liệu trình diễn.",
        )  # fmt: skip
        made += 1
        by_product = {item.product_id: item for item in contract.items.all()}
        for product, quantity, when in _deliveries(seller, paddy, greens):
            lot = Lot.objects.filter(product=product, remaining__gte=quantity * 2).first()
            if lot is None or product.pk not in by_product:
                continue
            contracts.delivery_record(
                contract=contract, delivered_on=max(when, lot.produced_on), lines=[(by_product[product.pk], lot, quantity)],
                note_number=f"PGH-{when:%y%m%d}", by=manager,
            )  # fmt: skip
    return made


def _deliveries(seller, paddy, greens):
    if seller.code == "HTX-VG01":
        return [(paddy, Decimal("3000"), date(2025, 9, 12)), (paddy, Decimal("2000"), date(2025, 12, 20))]
    return [(greens, Decimal("80"), date(2025, 9, 28)), (greens, Decimal("60"), date(2025, 11, 5))]


def _pdf(number: str) -> bytes:
    from smartcommune.core import pdf

    document = pdf.Document(issuer="HỢP TÁC XÃ (MẪU)", title="HỢP ĐỒNG LIÊN KẾT SẢN XUẤT VÀ TIÊU THỤ", subtitle=number)
    document.paragraph("Bản mẫu cho dữ liệu trình diễn; không có giá trị pháp lý.")
    return document.bytes()


@transaction.atomic
def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    vg01 = Organisation.objects.get(commune=commune, code="HTX-VG01")
    vg02 = Organisation.objects.get(commune=commune, code="HTX-VG02")
    rice = Product.objects.filter(commune=commune, owner=vg01, unit="BG").first()
    paddy = Product.objects.filter(commune=commune, owner=vg01, unit="KGM").first()
    greens = Product.objects.filter(commune=commune, owner=vg02).first()
    if rice is None or greens is None or paddy is None:
        log("Market: skipped (run the trace demo first).")
        return
    manager = User.objects.filter(username="htx.quanly").first()
    shop1, shop2 = catalogue.shop_for(vg01), catalogue.shop_for(vg02)
    if not shop1.pickup_address:
        shop1.pickup_address, shop1.delivery_note = "Kho HTX, thôn Mẫu Nghĩa Hiệp", "Giao trong xã miễn phí, 1–2 ngày."
        catalogue.shop_save(shop=shop1)
        shop2.pickup_address, shop2.delivery_note = "Nhà sơ chế rau, thôn Mẫu", "Giao buổi sáng trong xã."
        catalogue.shop_save(shop=shop2)
    rice_lot = Lot.objects.filter(product=rice).order_by("-produced_on").first()
    greens_lot = Lot.objects.filter(product=greens).order_by("-produced_on").first()
    rice_offer = _offer(
        shop1, rice, rice_lot, category=Category.RICE, pack_label="túi 5 kg", pack_size=Decimal("1"),
        price=150_000, stock=100,
    )  # fmt: skip
    greens_offer = _offer(
        shop2, greens, greens_lot, category=Category.VEGETABLES, pack_label="bó 500 g", pack_size=Decimal("0.5"),
        price=15_000, stock=min(80, int(greens_lot.remaining / Decimal("0.5"))),
    )  # fmt: skip
    made = _orders(commune, rice_offer, greens_offer, manager)
    contracts_made = _contracts(commune, vg01, vg02, rice, paddy, greens, manager)
    if not shop1.panoramas.exists():
        upload = SimpleUploadedFile("canh-dong-lua.jpg", panorama_jpeg(), content_type="image/jpeg")
        panorama = catalogue.panorama_add(shop=shop1, title="Cánh đồng lúa ĐV108 của hợp tác xã", upload=upload)
        catalogue.hotspot_add(panorama=panorama, offer=rice_offer, yaw=Decimal("30"), pitch=Decimal("-5"))
    log(f"Market: 2 shops, 2 offers, {made} orders, {contracts_made} linkage contracts, a 360° photo.")
