"""Demo community reports of Xã Vệ Giang: about 360 reports over the last twelve months, in every
category and village, most handled on time, some late, some still open and overdue (and escalated),
with the reporters' ratings; a cooperative handles irrigation reports.

Everything goes through the real services (numbers, deadlines in working time with the holidays
below, state changes by the demo officials, ratings that reopen), so the demo obeys every rule. The
reporters are synthetic ("Người Dân Mẫu 0042") and leave phone numbers only, so that running the
demo sends no e-mail. Contents are deterministic (one seeded generator); dates count back from the
day the demo runs. Run after the accounts demo (it needs the demo officials); a second run only
checks what is there.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from smartcommune.accounts.models import User
from smartcommune.core import identifiers
from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Organisation

from . import selectors, services, units, working_time
from .models import Category, Holiday, Question, Report, Status

SEED = 6_21238
REPORTS = 360
DAYS = 365
REPORTER_PREFIX = "Người Dân Mẫu"
# Public holidays of 2025–2026 as announced (the commune checks them and adds swapped days).
HOLIDAYS = [
    (date(2025, 1, 1), "Tết Dương lịch"),
    *((date(2025, 1, 27) + timedelta(days=i), "Tết Nguyên đán Ất Tỵ") for i in range(5)),
    (date(2025, 4, 7), "Giỗ Tổ Hùng Vương"),
    (date(2025, 4, 30), "Ngày Giải phóng miền Nam"),
    (date(2025, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2025, 5, 2), "Nghỉ bù (hoán đổi)"),
    (date(2025, 9, 1), "Quốc khánh"),
    (date(2025, 9, 2), "Quốc khánh"),
    (date(2026, 1, 1), "Tết Dương lịch"),
    *((date(2026, 2, 16) + timedelta(days=i), "Tết Nguyên đán Bính Ngọ") for i in range(5)),
    (date(2026, 4, 30), "Ngày Giải phóng miền Nam"),
    (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2026, 9, 2), "Quốc khánh"),
]
IRRIGATION = {
    "code": "THUY-LOI",
    "name": "Kênh mương, thủy lợi nội đồng",
    "group": "Nông nghiệp",
    "description": "Kênh mương bị bồi lấp, vỡ bờ, cống tưới tiêu hư hỏng.",
    "keywords": "kênh, mương, tưới, cống",
    "organisation": "HTX-VG01",
    "deadline": (3, "days"),
}
# Category code -> (weight, descriptions).
CONTENT = {
    "GT-DUONG": (25, [
        "Ổ gà lớn giữa đường, xe máy đi qua dễ ngã, nhất là buổi tối.",
        "Mặt đường bê tông bị sụt lún một đoạn khoảng 5 mét sau mưa lớn.",
        "Cống qua đường bị vỡ nắp, rất nguy hiểm cho học sinh đi xe đạp.",
        "Cây đổ chắn ngang đường liên thôn sau trận gió đêm qua.",
    ]),
    "DIEN-CS": (20, [
        "Cả dãy đèn đường không sáng từ mấy hôm nay.",
        "Một bóng đèn đường chập chờn, lúc sáng lúc tắt.",
        "Đèn đường sáng cả ban ngày, lãng phí điện.",
    ]),
    "MT-RAC": (20, [
        "Rác thải đổ bừa bãi ở bãi đất trống cạnh đường, bốc mùi hôi.",
        "Nước thải từ khu chăn nuôi chảy ra mương chung.",
        "Có người đốt rác, khói bay vào khu dân cư.",
        "Điểm tập kết rác chưa được thu gom nhiều ngày.",
    ]),
    "NUOC": (10, [
        "Mất nước sinh hoạt từ sáng đến giờ.",
        "Đường ống cấp nước bị vỡ, nước chảy tràn ra đường.",
        "Nước máy có màu đục và mùi lạ.",
    ]),
    "ANTT": (10, [
        "Nhóm thanh niên tụ tập, chạy xe gây ồn ào vào ban đêm.",
        "Lấn chiếm lề đường để buôn bán, gây cản trở giao thông.",
        "Mất trộm gà vịt nhiều lần trong tháng.",
    ]),
    "XA-HOI": (5, [
        "Đề nghị xem xét hỗ trợ cho một hộ người già neo đơn.",
        "Phản ánh về việc chi trả trợ cấp chậm.",
    ]),
    "THUY-LOI": (5, [
        "Kênh mương nội đồng bị bồi lấp, nước không về ruộng.",
        "Bờ kênh bị sạt lở một đoạn, nguy cơ vỡ khi mưa lớn.",
    ]),
    "KHAC": (5, [
        "Loa truyền thanh của thôn bị hỏng, không nghe được thông báo.",
        "Đề nghị bố trí thêm ghế ngồi ở nhà văn hóa thôn.",
    ]),
}  # fmt: skip
ANSWERS = {
    "GT-DUONG": lambda rng: {"MUC-DO": [rng.choice(["thap", "vua", "vua", "cao"])]},
    "DIEN-CS": lambda rng: {"SO-COT": [f"C-{rng.randint(1, 240):03d}"]} if rng.random() < 0.5 else {},
    "MT-RAC": lambda rng: {"LOAI": rng.sample(["rac", "nuoc-thai", "khoi-bui", "tieng-on"], rng.randint(1, 2))},
}
# Where each village's reports cluster, as offsets (degrees) from the commune's reference point.
VILLAGE_OFFSETS = {
    "SV01": (0.004, 0.012), "SV02": (0.000, 0.016), "SV03": (-0.004, 0.013), "SV04": (0.007, 0.018),
    "NH01": (0.018, 0.000), "NH02": (0.022, 0.008), "NH03": (0.026, -0.006), "NH04": (0.014, -0.010),
    "NP01": (-0.012, -0.010), "NP02": (-0.018, -0.018), "NP03": (-0.026, -0.024), "NP04": (-0.020, -0.030),
}  # fmt: skip
# Unit -> demo user who handles it (the leadership stands in for villages without a demo head).
HANDLERS = {"dept:kt": "xa.kinhte", "dept:vhxh": "xa.vhxh", "dept:vp": "xa.vanphong", "village:SV01": "thon.sv01"}
NOTES = {
    Status.ASSIGNED: ["Đã giao cán bộ phụ trách kiểm tra.", "Đã tiếp nhận, giao tổ công tác xử lý."],
    Status.IN_PROGRESS: ["Đã kiểm tra hiện trường, đang khắc phục.", "Đang phối hợp với thôn để xử lý."],
    Status.RESOLVED: [
        "Đã khắc phục xong, hiện trường đã được dọn dẹp.",
        "Đã xử lý dứt điểm, cảm ơn người dân đã phản ánh.",
        "Đã sửa chữa và đưa vào sử dụng bình thường.",
    ],
    Status.REJECTED: ["Kiểm tra thực tế không có vấn đề như phản ánh."],
    Status.NOT_RESPONSIBLE: ["Nội dung thuộc trách nhiệm của Điện lực, đã hướng dẫn người dân liên hệ."],
    Status.REFERRED: ["Đã chuyển Công an xã xem xét, xử lý theo thẩm quyền."],
}


def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    """Create the demo categories, holidays and reports that are not there yet."""
    villages = {v.code: v for v in Village.objects.in_commune(commune).filter(code__in=VILLAGE_OFFSETS)}
    if not villages:
        log("Reports: no demo villages, nothing created.")
        return
    with transaction.atomic():
        created = services.categories_load_defaults(commune=commune)
        created += _irrigation(commune)
        holidays = _holidays(commune)
        existing = Report.objects.filter(commune=commune, reporter_name__startswith=REPORTER_PREFIX).count()
        if existing:
            log(f"Reports: {existing} demo reports already there.")
            return
        count = _reports(commune, villages)
        escalated = services.reports_escalate(commune=commune, notify_leadership=False)
    log(
        f"Reports: {created} categories, {holidays} holidays, {count} reports created "
        f"({len(escalated)} overdue and escalated)."
    )


def _irrigation(commune: Commune) -> int:
    code = IRRIGATION["organisation"]
    if Category.objects.filter(commune=commune, code=IRRIGATION["code"]).exists():
        return 0
    if not Organisation.objects.in_commune(commune).filter(code=code).exists():
        return 0
    amount, unit = IRRIGATION["deadline"]
    services.category_save(
        category=Category(
            commune=commune,
            code=IRRIGATION["code"],
            name=IRRIGATION["name"],
            group=IRRIGATION["group"],
            description=IRRIGATION["description"],
            keywords=IRRIGATION["keywords"],
            unit=units.organisation(code),
            deadline_amount=amount,
            deadline_unit=unit,
            order=65,
        )
    )
    return 1


def _holidays(commune: Commune) -> int:
    known = set(Holiday.objects.filter(commune=commune).values_list("date", flat=True))
    new = [Holiday(commune=commune, date=day, name=name) for day, name in HOLIDAYS if day not in known]
    Holiday.objects.bulk_create(new)
    return len(new)


def _handlers() -> dict[str, User]:
    usernames = {*HANDLERS.values(), "htx.quanly"}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = usernames - set(users)
    if missing:
        raise RuntimeError(f"Run the accounts demo first: missing demo users {', '.join(sorted(missing))}.")
    return users


def _reports(commune: Commune, villages: dict[str, Village]) -> int:
    rng = random.Random(SEED)
    users = _handlers()
    area = selectors.area_for(commune)
    centre = (area.latitude, area.longitude) if area else (15.03, 108.80)
    categories = {c.code: c for c in Category.objects.filter(commune=commune, code__in=CONTENT)}
    codes = [code for code in CONTENT if code in categories]
    weights = [CONTENT[code][0] for code in codes]
    prefixes = sorted(identifiers.mobile_prefixes())
    now = timezone.now().replace(microsecond=0)
    start = now - timedelta(days=DAYS)
    moments = sorted(start + timedelta(seconds=rng.randrange(DAYS * 86400 - 3600)) for _ in range(REPORTS))
    required = {q.category_id for q in Question.objects.filter(category__commune=commune, required=True)}
    made: list[Report] = []
    for number, moment in enumerate(moments, start=1):
        code = rng.choices(codes, weights)[0]
        category = categories[code]
        village = villages[rng.choice(sorted(villages))]
        place = {"village": village}
        if rng.random() < 0.8:
            dlat, dlong = VILLAGE_OFFSETS[village.code]
            place |= {
                "latitude": round(centre[0] + dlat + rng.uniform(-0.0015, 0.0015), 6),
                "longitude": round(centre[1] + dlong + rng.uniform(-0.0015, 0.0015), 6),
            }
        answers = ANSWERS.get(code, lambda _rng: {})(rng)
        if category.pk in required and not answers:
            continue
        report = services.report_submit(
            commune=commune,
            category=category,
            description=rng.choice(CONTENT[code][1]),
            raw_answers=answers,
            reporter_name=f"{REPORTER_PREFIX} {number:04d}",
            reporter_phone=f"{rng.choice(prefixes)}{rng.randrange(10**7):07d}" if rng.random() < 0.6 else "",
            anonymous=rng.random() < 0.12,
            now=_moment(moment, now),
            **place,
        )
        _handle(rng, report, users, made, now)
        made.append(report)
    return len(made)


def _moment(moment: datetime, now: datetime) -> datetime:
    return min(moment, now - timedelta(minutes=5))


def _by(report: Report, users: dict[str, User]) -> User:
    if report.unit.startswith("org:"):
        return users["htx.quanly"]
    return users[HANDLERS.get(report.unit, "xa.vanphong")]


class _Clock:
    """Moments of one report's handling: inside office hours, each after the previous one, never in the future."""

    def __init__(self, start: datetime, now: datetime):
        self.last, self.now = start, now
        self.days_off = {day for day, _name in HOLIDAYS}

    def at(self, moment: datetime, *, office: bool = True) -> datetime | None:
        moment = max(moment, self.last + timedelta(minutes=7))
        if office:
            moment = working_time.add_working_hours(moment, 0, self.days_off)
        if moment >= self.now:
            return None
        self.last = moment
        return moment


def _step(report: Report, status: str, when: datetime | None, users, rng) -> Report | None:
    if when is None:
        return None
    return services.report_transition(
        report=report, status=status, note=rng.choice(NOTES[status]), by=_by(report, users), now=when
    )


def _handle(rng: random.Random, report: Report, users: dict[str, User], earlier: list[Report], now: datetime) -> None:
    """Play the report's life up to now: most are handled within their deadline, some late, some open."""
    received = report.created_at
    window = report.deadline - received
    if window.total_seconds() <= 0 or received + window * 0.3 > now:
        return  # just arrived: still "received"
    clock = _Clock(received, now)
    recent = received > now - timedelta(days=45)  # what stays open is recent: weeks overdue, not months
    outcome = rng.choices(
        ["on_time", "late", "rejected", "not_ours", "duplicate", "open"], [78, 8, 4, 3, 3, 15 if recent else 0]
    )[0]
    if outcome == "duplicate":
        twins = [r for r in earlier[-40:] if r.category_id == report.category_id]
        when = clock.at(received + window * 0.1)
        if twins and when:
            services.report_merge(report=report, into=twins[-1], note="", by=_by(report, users), now=when)
            return
        outcome = "on_time"
    report = _step(report, Status.ASSIGNED, clock.at(received + window * rng.uniform(0.02, 0.15)), users, rng)
    if report is None:
        return
    if outcome == "open":
        if received + window * 0.5 < now:
            _step(report, Status.IN_PROGRESS, clock.at(received + window * 0.4), users, rng)
        return  # stays open; past its deadline it is escalated
    if outcome in ("rejected", "not_ours"):
        status = Status.REJECTED if outcome == "rejected" else rng.choice([Status.NOT_RESPONSIBLE, Status.REFERRED])
        _step(report, status, clock.at(received + window * rng.uniform(0.2, 0.6)), users, rng)
        return
    share = rng.uniform(0.3, 0.9) if outcome == "on_time" else rng.uniform(1.2, 2.5)
    finished = received + window * share
    working = _step(report, Status.IN_PROGRESS, clock.at(received + (finished - received) * 0.4), users, rng)
    if working is None:
        return
    report = _step(working, Status.RESOLVED, clock.at(finished), users, rng)
    if report is None or rng.random() >= 0.6:
        return
    rated_at = clock.at(report.closed_at + timedelta(hours=rng.randint(2, 72)), office=False)
    if rated_at is None:
        return
    satisfied = rng.random() < 0.88
    comment = "" if satisfied else "Vẫn chưa khắc phục triệt để."
    report = services.report_rate(report=report, satisfied=satisfied, comment=comment, now=rated_at)
    if report.status == Status.IN_PROGRESS:  # reopened: handled again, within the new deadline
        again = _step(report, Status.RESOLVED, clock.at(rated_at + (report.deadline - rated_at) * 0.5), users, rng)
        rated_again = clock.at(rated_at + timedelta(days=3), office=False) if again else None
        if rated_again:
            services.report_rate(report=again, satisfied=rng.random() < 0.7, now=rated_again)
