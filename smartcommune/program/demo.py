"""Programme demo for Xã Vệ Giang: the 2025 plan (its number is illustrative and marked so), its targets —
some computed from the registries, the criteria, the surveys, the feedback service and the smart-village
checklist, some entered with evidence —, twelve tasks in every state with milestones and photos, a budget
from every group of sources with disbursements and a settlement, classes with attendance, outreach, and the
digital infrastructure of two villages (SV01, NH01) that pass the smart-village checklist.

Everything goes through the services, so the demo obeys the same rules as officials do. Names are
synthetic ("Mẫu" = sample). The run is deterministic; a second run sees the plan and stops."""

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from smartcommune.accounts.models import Department, User
from smartcommune.core.pdf import Document
from smartcommune.places.models import Commune, Village
from smartcommune.registry import selectors as registry
from smartcommune.registry.models import Household, Organisation

from . import catalogue
from .models import (
    Asset,
    Audience,
    Channel,
    Coverage,
    DigitalTeam,
    FundingSource,
    Objective,
    OutreachActivity,
    Plan,
    SocialChannel,
    SpendingCategory,
    Target,
    Task,
    Topic,
    TrainingClass,
    UnitKind,
)
from .services import budget, infrastructure, plans, tasks, training

PLAN_NUMBER = "45/KH-UBND"
YEAR = 2025
CENTRE = (Decimal("15.0310"), Decimal("108.8010"))  # near the commune's People's Committee (approximate)
# Offsets (north, east) in degrees of each village's centre from CENTRE: synthetic, for the map only.
VILLAGE_OFFSETS = {
    "SV01": (0.004, -0.003), "SV02": (0.008, 0.004), "SV03": (-0.002, 0.007), "SV04": (0.011, -0.006),
    "NH01": (-0.012, -0.010), "NH02": (-0.016, -0.002), "NH03": (-0.020, -0.012), "NH04": (-0.008, -0.018),
    "NP01": (0.018, -0.020), "NP02": (0.024, -0.028), "NP03": (0.030, -0.036), "NP04": (0.026, -0.044),
}  # fmt: skip
SMART = ("SV01", "NH01")

OBJECTIVES = [
    (1, "Chính quyền số: quản lý, điều hành Chương trình trên môi trường số", [
        ("1.1", "Xã đạt chỉ tiêu 8.4 (ứng dụng CNTT trong quản lý, điều hành) của Bộ tiêu chí xã NTM",
         "yes_no", "", "==", 1, "criteria.indicator:qd318-xa-ntm:8.4"),
        ("1.2", "Thí điểm chuẩn hóa dữ liệu nông thôn mới của xã trên nền tảng số", "yes_no", "", "==", 1, ""),
    ]),
    (2, "Kinh tế số: hợp tác xã ứng dụng công nghệ số trong liên kết sản xuất, tiêu thụ", [
        ("2.1", "Hợp tác xã tham gia mô hình liên kết sản xuất, tiêu thụ có ứng dụng công nghệ số", "number", "HTX",
         ">=", 2, "market.linkage_cooperatives"),
    ]),
    (3, "Xã hội số: người dân dùng dịch vụ số, góp ý trên nền tảng số", [
        ("3.1", "Có ít nhất 1 dịch vụ số thiết yếu (giám sát cộng đồng, an ninh, môi trường…)", "number", "dịch vụ",
         ">=", 1, "feedback.digital_service"),
        ("3.2", "Thu thập ý kiến sự hài lòng của người dân về kết quả xây dựng NTM trên nền tảng số", "number", "",
         ">=", 1, "surveys.satisfaction_online"),
        ("3.3", "Hộ gia đình có ít nhất một điện thoại thông minh", "percent", "%", ">=", 100, "registry.smartphone_pct"),
        ("3.4", "Lượt người được tập huấn kỹ năng số trong năm", "number", "người", ">=", 150, "program.people_trained"),
    ]),
    (4, "Hạ tầng số và mô hình thôn thông minh", [
        ("4.1", "Xây dựng ít nhất 1 mô hình thôn thông minh", "number", "thôn", ">=", 1, "program.smart_villages"),
    ]),
]  # fmt: skip

# code, objective, title, unit (kind, department/village/organisation code), start, deadline, final status,
# progress, milestones [(date, text, with photo)]
TASKS = [
    ("NV-01", 3, "Cập nhật thông tin điện thoại thông minh, cáp quang, thanh toán điện tử của hộ vào cơ sở dữ liệu",
     (UnitKind.DEPARTMENT, Department.CULTURE_SOCIAL), date(2025, 3, 1), date(2025, 9, 30), "done", 100,
     [(date(2025, 6, 30), "Các thôn rà soát xong phiếu thông tin hộ, nhập 80% số hộ", False),
      (date(2025, 9, 26), "Hoàn thành cập nhật cơ sở dữ liệu hộ gia đình năm 2025", False)]),
    ("NV-02", 4, "Thành lập, kiện toàn tổ công nghệ số cộng đồng ở các thôn",
     (UnitKind.DEPARTMENT, Department.CULTURE_SOCIAL), date(2025, 7, 15), date(2025, 8, 31), "done", 100,
     [(date(2025, 8, 22), "UBND xã ban hành quyết định kiện toàn tổ công nghệ số cộng đồng (minh họa)", False)]),
    ("NV-03", 4, "Lắp đặt Wi-Fi miễn phí tại nhà văn hóa TDP Mẫu Sông Vệ 1 và thôn Mẫu Nghĩa Hiệp 1",
     (UnitKind.DEPARTMENT, Department.ECONOMY), date(2025, 5, 1), date(2025, 9, 15), "done", 100,
     [(date(2025, 6, 28), "Lắp xong điểm Wi-Fi tại nhà văn hóa TDP Mẫu Sông Vệ 1", True),
      (date(2025, 8, 30), "Lắp xong điểm Wi-Fi tại nhà văn hóa thôn Mẫu Nghĩa Hiệp 1, nghiệm thu", True)]),
    ("NV-04", 2, "Hỗ trợ HTX Nông nghiệp Mẫu Vệ Giang bán hàng trên sàn thương mại điện tử, ký hợp đồng liên kết",
     (UnitKind.ORGANISATION, "HTX-VG01"), date(2025, 8, 1), date(2025, 12, 15), "in_progress", 70,
     [(date(2025, 10, 5), "Đưa 3 sản phẩm gạo lên sàn thương mại điện tử", True)]),
    ("NV-05", 2, "Ứng dụng nhật ký sản xuất điện tử và truy xuất nguồn gốc rau an toàn",
     (UnitKind.ORGANISATION, "HTX-VG02"), date(2025, 9, 1), date(2025, 11, 30), "in_progress", 40,
     [(date(2025, 10, 18), "Tập huấn ghi nhật ký điện tử cho 15 hộ thành viên", False)]),
    ("NV-06", 3, "Tổ chức lấy ý kiến sự hài lòng của người dân về kết quả xây dựng NTM trên nền tảng số",
     (UnitKind.FRONT, ""), date(2025, 10, 1), date(2025, 12, 20), "in_progress", 60, []),
    ("NV-07", 1, "Thí điểm chuẩn hóa dữ liệu NTM của xã (bộ tiêu chí, hồ sơ minh chứng) trên nền tảng số",
     (UnitKind.DEPARTMENT, Department.OFFICE), date(2025, 8, 1), date(2025, 11, 30), "done", 100,
     [(date(2025, 11, 27), "Nhập đủ số liệu 19 tiêu chí năm 2025 kèm minh chứng", False)]),
    ("NV-08", 3, "Tuyên truyền, hướng dẫn người dân dùng dịch vụ công trực tuyến qua loa truyền thanh và nhóm Zalo",
     (UnitKind.VILLAGE, "SV01"), date(2025, 3, 15), date(2025, 12, 31), "in_progress", 80, []),
    ("NV-09", 3, "Mở lớp tập huấn kỹ năng số cho người dân, cán bộ và hợp tác xã",
     (UnitKind.DEPARTMENT, Department.CULTURE_SOCIAL), date(2025, 4, 1), date(2025, 12, 15), "in_progress", 75, []),
    ("NV-10", 4, "Lắp camera an ninh tại các trục đường chính thôn Mẫu Nghĩa Phương 3",
     (UnitKind.VILLAGE, "NP03"), date(2025, 10, 1), date(2025, 12, 31), "not_started", 0, []),
    ("NV-11", 1, "Xây dựng ứng dụng bản đồ số riêng của xã",
     (UnitKind.DEPARTMENT, Department.ECONOMY), date(2025, 7, 15), date(2025, 10, 31), "cancelled", 0,
     [(date(2025, 8, 10), "Dừng: dùng bản đồ của nền tảng Xã thông minh thay cho ứng dụng riêng", False)]),
    ("NV-12", 4, "Phối hợp doanh nghiệp viễn thông phủ cáp quang và sóng 4G đến mọi hộ",
     (UnitKind.DEPARTMENT, Department.ECONOMY), date(2025, 3, 1), date(2025, 11, 30), "done", 100,
     [(date(2025, 10, 31), "Doanh nghiệp báo cáo phủ cáp quang, 4G đến mọi hộ ở SV01, NH01", False)]),
]  # fmt: skip

# source, category, content, planned, decision, [(task, allocated, allocated_on, [(paid_on, amount or
# (days, rate, goods), number)], settlement (date, amount, number) or None)]
BUDGET = [
    ("I.2", "sn-dao-tao", "Tập huấn kỹ năng số cho cán bộ, hợp tác xã và người dân", 120_000_000, "QĐ 112/QĐ-UBND",
     [("NV-09", 110_000_000, date(2025, 4, 10), [(date(2025, 6, 12), 35_500_000, "PC 012/2025"),
                                                  (date(2025, 9, 20), 28_750_000, "PC 047/2025"),
                                                  (date(2025, 11, 25), 31_200_000, "PC 071/2025")], None)]),
    ("I.2", "sn-truyen-thong", "Truyền thông về chuyển đổi số trong xây dựng NTM", 40_000_000, "QĐ 112/QĐ-UBND",
     [("NV-08", 40_000_000, date(2025, 4, 10), [(date(2025, 5, 20), 8_000_000, "PC 009/2025"),
                                                 (date(2025, 10, 10), 12_500_000, "PC 055/2025")], None)]),
    ("II.1", "dt-ha-tang-so", "Điểm Wi-Fi công cộng miễn phí tại nhà văn hóa thôn", 150_000_000, "QĐ 85/QĐ-UBND tỉnh",
     [("NV-03", 150_000_000, date(2025, 5, 5), [(date(2025, 6, 28), 60_000_000, "UNC 021/2025"),
                                                 (date(2025, 8, 30), 82_400_000, "UNC 038/2025")],
       (date(2025, 10, 15), 142_400_000, "QĐ 201/QĐ-UBND"))]),
    ("II.2", "sn-he-thong-thong-tin", "Chuẩn hóa, số hóa dữ liệu nông thôn mới của xã", 60_000_000, "QĐ 15/QĐ-UBND",
     [("NV-07", 60_000_000, date(2025, 8, 5), [(date(2025, 10, 5), 45_000_000, "PC 051/2025"),
                                                (date(2025, 11, 28), 15_000_000, "PC 074/2025")], None)]),
    ("II.2", "dt-truyen-thanh", "Nâng cấp cụm loa truyền thanh ứng dụng CNTT – viễn thông", 85_000_000,
     "QĐ 15/QĐ-UBND", [("NV-08", 85_000_000, date(2025, 8, 5), [(date(2025, 11, 10), 40_000_000, "UNC 060/2025")],
                        None)]),
    ("III", "sn-ho-tro-san-xuat", "Hỗ trợ HTX ứng dụng thương mại điện tử, truy xuất nguồn gốc (lồng ghép OCOP)",
     200_000_000, "QĐ 140/QĐ-UBND",
     [("NV-04", 120_000_000, date(2025, 8, 10), [(date(2025, 9, 15), 50_000_000, "UNC 041/2025")], None),
      ("NV-05", 80_000_000, date(2025, 9, 5), [(date(2025, 10, 20), 22_000_000, "UNC 057/2025")], None)]),
    ("IV", "sn-ho-tro-san-xuat", "Vay vốn ưu đãi mua thiết bị sản xuất, sơ chế của hộ thành viên HTX", 100_000_000, "",
     [("NV-04", 100_000_000, date(2025, 8, 1), [(date(2025, 8, 5), 100_000_000, "HĐTD 0815/2025")], None)]),
    ("V", "dt-ha-tang-so", "Doanh nghiệp viễn thông đầu tư kéo cáp quang, trạm 4G", 300_000_000, "",
     [("NV-12", 300_000_000, date(2025, 3, 20), [(date(2025, 4, 15), 120_000_000, "BB 03/2025"),
                                                  (date(2025, 9, 30), 150_000_000, "BB 11/2025")], None)]),
    ("VI.1", "dt-ha-tang-so", "Người dân góp tiền lắp camera an ninh thôn", 25_000_000, "",
     [("NV-10", 25_000_000, date(2025, 10, 5), [], None)]),
    ("VI.2", "dt-ha-tang-so", "Ngày công, vật liệu của người dân khi kéo cáp, lắp thiết bị", 30_000_000, "",
     [("NV-12", 30_000_000, date(2025, 3, 20), [(date(2025, 8, 20), (Decimal(80), 250_000, 2_500_000), "BB 07/2025"),
                                                 (date(2025, 10, 25), (Decimal("24.5"), 250_000, 0), "BB 12/2025")],
       None)]),
]  # fmt: skip

# title, topic, audience, date, place, trainer, village, task, attendance: households (village, count, people)
# or organisations/groups [(code or name, people)]
CLASSES = [
    ("Kỹ năng số cơ bản cho người dân", Topic.DIGITAL_SKILLS, Audience.RESIDENTS, date(2025, 5, 22),
     "Nhà văn hóa TDP Mẫu Sông Vệ 1", "Tổ công nghệ số cộng đồng xã", "SV01", "NV-09", ("SV01", 25, 2), []),
    ("Sử dụng dịch vụ công trực tuyến và VNeID", Topic.ONLINE_SERVICES, Audience.OFFICIALS, date(2025, 6, 18),
     "Hội trường UBND xã", "Giảng viên Sở (minh họa)", None, "NV-09", None,
     [("Phòng Văn hóa – Xã hội", 6), ("Phòng Kinh tế", 5), ("Văn phòng HĐND và UBND xã", 7)]),
    ("Bán hàng trên sàn thương mại điện tử", Topic.E_COMMERCE, Audience.COOPERATIVES, date(2025, 9, 12),
     "Trụ sở HTX Nông nghiệp Mẫu Vệ Giang", "Chuyên gia sàn TMĐT (minh họa)", "NH01", "NV-04", None,
     [("HTX-VG01", 8), ("HTX-VG02", 6)]),
    ("An toàn trên không gian mạng, phòng chống lừa đảo", Topic.SAFE_INTERNET, Audience.RESIDENTS, date(2025, 10, 8),
     "Nhà văn hóa thôn Mẫu Nghĩa Hiệp 1", "Công an xã", "NH01", "NV-09", ("NH01", 30, 1), []),
    ("Ứng dụng AI và nhật ký điện tử trong sản xuất nông nghiệp", Topic.AI_FARMING, Audience.COOPERATIVES,
     date(2025, 11, 14), "Nhà văn hóa thôn Mẫu Nghĩa Hiệp 3", "Trung tâm Dịch vụ nông nghiệp (minh họa)", "NH03",
     "NV-05", ("NH03", 15, 1), [("HTX-VG02", 10)]),
]  # fmt: skip

OUTREACH = [
    (date(2025, 4, 2), Channel.WEB_PAGE, "Đăng tin hướng dẫn nộp hồ sơ trực tuyến trên trang thông tin điện tử xã",
     None, 1800),
    (date(2025, 5, 12), Channel.ZALO, "Hướng dẫn cài đặt VNeID qua nhóm Zalo TDP Mẫu Sông Vệ 1", "SV01", 420),
    (date(2025, 7, 20), Channel.LOUDSPEAKER, "Phát thanh về dịch vụ công trực tuyến, 3 buổi/tuần", "SV01", 1200),
    (date(2025, 9, 8), Channel.LEAFLET, "Phát tờ rơi phòng chống lừa đảo qua mạng", "NH01", 650),
    (date(2025, 10, 15), Channel.ZALO, "Hướng dẫn góp ý sự hài lòng trên nền tảng số qua nhóm Zalo thôn", "NH01", 380),
]  # fmt: skip


def _pdf(title: str, text: str, name: str) -> SimpleUploadedFile:
    doc = Document(issuer="UBND Xã Vệ Giang", title=title, subtitle="Văn bản minh họa (demo), không có giá trị pháp lý")
    doc.paragraph(text)
    return SimpleUploadedFile(name, doc.bytes(), content_type="application/pdf")


def _photo(text: str, colour: tuple[int, int, int], name: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 220, 600, 360), fill=(240, 240, 235))
    draw.text((60, 60), "Anh minh hoa (demo)", fill=(255, 255, 255))
    draw.text((60, 250), text[:70], fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _point(code: str | None, north: float = 0, east: float = 0) -> tuple[Decimal, Decimal]:
    dn, de = VILLAGE_OFFSETS.get(code, (0, 0)) if code else (0, 0)
    lat = (CENTRE[0] + Decimal(str(dn + north))).quantize(Decimal("0.000001"))
    lon = (CENTRE[1] + Decimal(str(de + east))).quantize(Decimal("0.000001"))
    return lat, lon


def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    catalogue.load()
    if Plan.objects.filter(commune=commune, number=PLAN_NUMBER).exists():
        log("Programme: demo plan already there.")
        return
    villages = {v.code: v for v in Village.objects.in_commune(commune)}
    organisations = {o.code: o for o in Organisation.objects.in_commune(commune)}
    if not {"SV01", "NH01", "NP03"} <= set(villages) or not {"HTX-VG01", "HTX-VG02"} <= set(organisations):
        log("Programme: the demo villages and cooperatives are missing; run the places and registry demos first.")
        return
    users = {u.username: u for u in User.objects.filter(username__in=["xa.vhxh", "xa.kinhte", "mttq", "thon.sv01"])}
    official = users.get("xa.vhxh")
    with transaction.atomic():
        plan, targets = _plan(commune, official)
        task_by_code = _tasks(commune, plan, villages, organisations, users)
        _budget(commune, task_by_code, users.get("xa.kinhte"))
        people = _training(commune, villages, organisations, task_by_code, official)
        _infrastructure(commune, villages, official)
    log(
        f"Programme: plan {PLAN_NUMBER} with {len(targets)} targets, {len(task_by_code)} tasks, "
        f"{len(BUDGET)} budget lines, {len(CLASSES)} classes ({people} participants), "
        f"{len(SMART)} smart villages."
    )


def _plan(commune: Commune, official: User | None) -> tuple[Plan, list[Target]]:
    plan = plans.plan_save(
        plan=Plan(
            commune=commune,
            number=PLAN_NUMBER,
            is_demo_number=True,
            issued_on=date(2025, 7, 15),
            title=(
                "Kế hoạch chuyển đổi số trong xây dựng nông thôn mới, hướng tới nông thôn mới thông minh "
                "trên địa bàn xã Vệ Giang năm 2025"
            ),
            period_from=date(2025, 1, 1),
            period_to=date(2025, 12, 31),
            legal_bases=(
                "Quyết định số 924/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ phê duyệt Chương trình chuyển đổi "
                "số trong xây dựng nông thôn mới, hướng tới nông thôn mới thông minh giai đoạn 2021–2025;\n"
                "Quyết định số 318/QĐ-TTg ngày 08/3/2022 của Thủ tướng Chính phủ ban hành Bộ tiêu chí quốc gia về "
                "xã nông thôn mới giai đoạn 2021–2025;\n"
                "Kế hoạch năm 2025 của thị trấn Sông Vệ, xã Nghĩa Hiệp và xã Nghĩa Phương (trước sắp xếp đơn vị "
                "hành chính), do xã Vệ Giang kế thừa từ ngày 01/7/2025."
            ),
        ),
        document=_pdf(
            f"Kế hoạch số {PLAN_NUMBER} (minh họa)",
            "Kế hoạch chuyển đổi số trong xây dựng nông thôn mới năm 2025 của xã Vệ Giang. Số hiệu văn bản là "
            "số minh họa, không phải văn bản thật.",
            "ke-hoach-45-kh-ubnd-minh-hoa.pdf",
        ),
    )
    targets = []
    for number, title, items in OBJECTIVES:
        objective = plans.objective_save(objective=Objective(plan=plan, number=number, title=title))
        for code, name, kind, unit, comparator, value, metric_key in items:
            targets.append(
                plans.target_save(
                    target=Target(
                        objective=objective,
                        code=code,
                        name=name,
                        kind=kind,
                        unit=unit,
                        comparator=comparator,
                        target_value=Decimal(value),
                        deadline=date(2025, 12, 31),
                        metric_key=metric_key,
                    )
                )
            )
    by_code = {t.code: t for t in targets}
    # Entered figures: where the platform holds no data (yet), with their evidence and date.
    for as_of, value, note in ((date(2025, 6, 30), 1, "HTX Nông nghiệp Mẫu Vệ Giang ký hợp đồng liên kết tiêu thụ"),
                               (date(2025, 11, 30), 2, "Thêm HTX Mẫu Rau an toàn Nghĩa Hiệp")):  # fmt: skip
        plans.target_figure_add(
            target=by_code["2.1"],
            value=Decimal(value),
            as_of=as_of,
            note=note,
            by=official,
            evidence=_pdf("Báo cáo hợp đồng liên kết (minh họa)", note, f"lien-ket-{as_of:%Y%m%d}.pdf"),
        )
    plans.target_figure_add(
        target=by_code["1.2"],
        value=Decimal(1),
        as_of=date(2025, 11, 30),
        note="Dữ liệu 19 tiêu chí năm 2025 đã nhập đủ kèm minh chứng trên nền tảng",
        by=official,
        evidence=_pdf("Biên bản kiểm tra dữ liệu NTM (minh họa)", "Đã nhập đủ số liệu.", "chuan-hoa-du-lieu.pdf"),
    )
    return plan, targets


def _tasks(commune, plan, villages, organisations, users) -> dict[str, Task]:
    objectives = {o.number: o for o in plan.objectives.all()}
    colours = [(11, 110, 79), (23, 92, 211), (154, 91, 0)]
    created = {}
    for index, (code, objective, title, unit, start, deadline, status, progress, steps) in enumerate(TASKS):
        kind, where = unit
        task = tasks.task_create(
            objective=objectives[objective],
            by=users.get("xa.vhxh"),
            code=code,
            title=title,
            unit_kind=kind,
            department=where if kind == UnitKind.DEPARTMENT else "",
            village=villages.get(where) if kind == UnitKind.VILLAGE else None,
            organisation=organisations.get(where) if kind == UnitKind.ORGANISATION else None,
            start_on=start,
            deadline=deadline,
        )
        by = users.get("xa.vhxh")
        for step, (when, text, with_photo) in enumerate(steps, start=1):
            last = step == len(steps)
            tasks.task_update(
                task=task,
                by=by,
                status=status if last else "in_progress",
                progress=progress if last else max(10, progress // 2),
                milestone_text=text,
                happened_on=when,
                photo=_photo(text, colours[index % 3], f"{code.lower()}-{step}.jpg") if with_photo else None,
            )
        if not steps and (status != "not_started" or progress):
            tasks.task_update(task=task, by=by, status=status, progress=progress)
        created[code] = task
    tasks.task_comment_add(
        task=created["NV-05"],
        author=users.get("xa.kinhte") or users.get("xa.vhxh"),
        text="Đề nghị HTX đẩy nhanh tiến độ, bảo đảm hoàn thành trong quý IV.",
    )
    if users.get("thon.sv01"):
        tasks.task_comment_add(
            task=created["NV-08"],
            author=users["thon.sv01"],
            text="Nhóm Zalo của tổ dân phố đã có trên 400 thành viên.",
        )
    return created


def _budget(commune, task_by_code, official) -> None:
    sources = {s.code: s for s in FundingSource.objects.all()}
    categories = {c.code: c for c in SpendingCategory.objects.all()}
    for source, category, content, planned, decision, allocations in BUDGET:
        line = budget.budget_line_create(
            commune=commune,
            year=YEAR,
            source=sources[source],
            category=categories[category],
            content=content,
            planned=planned,
            decision_number=decision,
            by=official,
        )
        for task_code, amount, allocated_on, payments, settlement in allocations:
            allocation = budget.allocation_set(
                line=line, task=task_by_code[task_code], amount=amount, allocated_on=allocated_on, by=official
            )
            for paid_on, value, number in payments:
                if isinstance(value, tuple):
                    days, rate, goods = value
                    budget.disbursement_create(
                        allocation=allocation,
                        paid_on=paid_on,
                        document_number=number,
                        labour_days=days,
                        daily_rate=rate,
                        in_kind_value=goods,
                        by=official,
                        note="Biên bản xác nhận ngày công, vật liệu của người dân (minh họa)",
                    )
                else:
                    budget.disbursement_create(
                        allocation=allocation, paid_on=paid_on, amount=value, document_number=number, by=official
                    )
            if settlement:
                settled_on, amount, number = settlement
                budget.settlement_create(
                    allocation=allocation, settled_on=settled_on, amount=amount, document_number=number, by=official
                )


def _training(commune, villages, organisations, task_by_code, official) -> int:
    people = 0
    for title, topic, audience, held_on, place, trainer, village, task, households, groups in CLASSES:
        training_class = training.class_save(
            training_class=TrainingClass(
                commune=commune,
                title=title,
                topic=topic,
                audience=audience,
                held_on=held_on,
                place=place,
                trainer=trainer,
                village=villages.get(village) if village else None,
                task=task_by_code.get(task),
                created_by=official,
            )
        )
        if households:
            code, count, each = households
            for household in Household.objects.in_village(villages[code]).active().order_by("code")[:count]:
                training.attendance_record(training_class=training_class, household=household, participants=each)
                people += each
        for who, count in groups:
            if who in organisations:
                training.attendance_record(
                    training_class=training_class, organisation=organisations[who], participants=count
                )
            else:
                training.attendance_record(training_class=training_class, group_name=who, participants=count)
            people += count
        if topic == Topic.DIGITAL_SKILLS:
            training.material_add(
                training_class=training_class,
                upload=_pdf("Tài liệu kỹ năng số cơ bản (minh họa)", "Cài đặt VNeID, thanh toán điện tử, "
                            "nhận biết tin giả.", "tai-lieu-ky-nang-so.pdf"),
                by=official,
            )  # fmt: skip
    for held_on, channel, title, village, reach in OUTREACH:
        training.outreach_save(
            activity=OutreachActivity(
                commune=commune,
                held_on=held_on,
                channel=channel,
                title=title,
                village=villages.get(village) if village else None,
                reach=reach,
                task=task_by_code["NV-08"],
                created_by=official,
            )
        )
    return people


def _infrastructure(commune, villages, official) -> None:
    years = [y for y in registry.household_years(commune) if y <= YEAR]
    counts = {}
    if years:
        rows = registry.household_aggregates(year=years[0], commune_ids=[commune.pk], measures={})
        counts = {village_id: figures["households"] for (_c, village_id), figures in rows.items()}
    for code, village in sorted(villages.items()):
        if code not in VILLAGE_OFFSETS:
            continue
        households = counts.get(village.pk, 0)
        share = Decimal(1) if code in SMART else Decimal("0.86") if code.startswith("SV") else Decimal("0.72")
        for technology, extra in (
            (Coverage.Technology.FIBRE, Decimal(0)),
            (Coverage.Technology.MOBILE, Decimal("0.1")),
        ):
            covered = households if code in SMART else int(households * min(Decimal(1), share + extra))
            infrastructure.coverage_record(
                village=village, technology=technology, households_covered=covered, as_of=date(2025, 10, 31),
                provider="Doanh nghiệp viễn thông (minh họa)",
            )  # fmt: skip

    def asset(kind, name, code, **fields):
        lat, lon = _point(code, *fields.pop("offset", (0, 0)))
        infrastructure.asset_save(
            asset=Asset(commune=commune, village=villages.get(code) if code else None, kind=kind, name=name,
                        latitude=lat, longitude=lon, **fields)
        )  # fmt: skip

    asset(
        Asset.Kind.WIFI,
        "Wi-Fi nhà văn hóa TDP Mẫu Sông Vệ 1",
        "SV01",
        at_cultural_house=True,
        meets_standard=True,
        installed_on=date(2025, 6, 28),
    )
    asset(
        Asset.Kind.WIFI,
        "Wi-Fi nhà văn hóa thôn Mẫu Nghĩa Hiệp 1",
        "NH01",
        at_cultural_house=True,
        meets_standard=True,
        installed_on=date(2025, 8, 30),
    )
    asset(Asset.Kind.WIFI, "Wi-Fi bộ phận một cửa UBND xã", None, installed_on=date(2024, 3, 1), meets_standard=True)
    asset(
        Asset.Kind.WIFI,
        "Wi-Fi nhà văn hóa thôn Mẫu Nghĩa Phương 2",
        "NP02",
        at_cultural_house=True,
        status=Asset.Status.BROKEN,
        installed_on=date(2023, 5, 10),
    )
    for code in ("SV01", "SV02", "NH01", "NH02", "NP01"):
        asset(
            Asset.Kind.LOUDSPEAKER,
            f"Cụm loa truyền thanh thông minh {villages[code].name}",
            code,
            quantity=4,
            offset=(0.001, 0.001),
            installed_on=date(2024, 11, 1),
        )
    asset(
        Asset.Kind.CAMERA,
        "Camera an ninh ngã tư trung tâm TDP Mẫu Sông Vệ 1",
        "SV01",
        quantity=4,
        offset=(-0.001, 0.002),
        installed_on=date(2025, 4, 1),
    )
    asset(
        Asset.Kind.CAMERA,
        "Camera an ninh đường liên thôn Mẫu Nghĩa Hiệp 1",
        "NH01",
        quantity=2,
        offset=(0.001, -0.002),
        installed_on=date(2025, 9, 1),
    )
    asset(Asset.Kind.POSTAL, "Bưu điện văn hóa xã", None, offset=(0.0005, 0.0008))

    members = {
        "SV01": ["Nguyễn Văn Mẫu 1", "Trần Thị Mẫu 2", "Lê Văn Mẫu 3", "Phạm Thị Mẫu 4"],
        "NH01": ["Võ Văn Mẫu 5", "Huỳnh Thị Mẫu 6", "Đặng Văn Mẫu 7"],
        "NP01": ["Bùi Văn Mẫu 8", "Đỗ Thị Mẫu 9"],
    }
    for code, names in members.items():
        team = infrastructure.team_save(
            team=DigitalTeam(
                commune=commune,
                village=villages[code],
                name=f"Tổ công nghệ số cộng đồng {villages[code].name}",
                decision_number="QĐ 230/QĐ-UBND (minh họa)",
                founded_on=date(2025, 8, 22),
                last_activity_on=date(2025, 11, 20),
            )
        )
        for position, name in enumerate(names):
            infrastructure.member_add(team=team, full_name=name, position="leader" if position == 0 else "member")
    for code, platform, name, count in (
        ("SV01", SocialChannel.Platform.ZALO, "Zalo TDP Mẫu Sông Vệ 1", 412),
        ("NH01", SocialChannel.Platform.ZALO, "Zalo thôn Mẫu Nghĩa Hiệp 1", 365),
        (None, SocialChannel.Platform.FACEBOOK, "Trang Facebook UBND xã Vệ Giang (minh họa)", 2300),
    ):
        infrastructure.channel_save(
            channel=SocialChannel(
                commune=commune,
                village=villages.get(code) if code else None,
                platform=platform,
                name=name,
                members=count,
                started_on=date(2024, 9, 1),
            )
        )
    for code in SMART:
        infrastructure.tick_set(
            village=villages[code],
            item_code="thong-bao-so",
            passed=True,
            ticked_on=date(2025, 11, 25),
            note="Biên bản kiểm tra: 100% hộ, tổ chức nhận thông báo qua nhóm Zalo, loa truyền thanh",
            by=official,
            evidence=_pdf(
                "Biên bản kiểm tra thông báo qua kênh số (minh họa)", villages[code].name, f"thong-bao-{code}.pdf"
            ),
        )
