"""Demo registry of Xã Vệ Giang: about 11,000 synthetic households with their 2024 and 2025 figures,
eight organisations and the members of the two cooperatives.

Everything is made up and looks it: heads are called "Nguyễn Văn Mẫu 00042" ("mẫu" = sample). The
figures are shaped to tell the story that the criteria pages show: 2025 is better than 2024 on
every indicator, and two upland villages (NP03, NP04) pull the commune's hygienic latrines below
90 % while every other village is at 92 % or more.

How the figures stay plausible and consistent: each household gets a hidden "wellbeing" score;
for every indicator, the households lacking it are the lowest of a noisy copy of that score, in
exact numbers per village (so commune rates are what the table below says, at any size). The same
ordering serves both years and 2025 lacks no more than 2024, so a household that had a latrine in
2024 still has one in 2025. Counts of people (insured, employed, trained, certified) are chosen
the same way over person slots, which keeps certified ≤ trained ≤ working age ≤ members.

The rows go through the real import path (`importing.import_rows`), cell parsers included. The
run is deterministic (one seeded random generator) and a second run only checks what is there.
"""

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from stdnum.vn import mst

from smartcommune.core import identifiers
from smartcommune.core.tabular import Column, ValidRow
from smartcommune.places.models import Commune, Village

from . import importing
from .models import Household, Housing, Membership, Organisation, Poverty

SEED = 21238
YEARS = (2024, 2025)
HOUSEHOLDS = 11_000
# Households per village at the default size (sum 11,000); other sizes scale these.
VILLAGE_SIZES = {
    "SV01": 1180, "SV02": 1050, "SV03": 960, "SV04": 890,
    "NH01": 1120, "NH02": 980, "NH03": 870, "NH04": 760,
    "NP01": 940, "NP02": 830, "NP03": 720, "NP04": 700,
}  # fmt: skip
# How well off a village is: the old town (SV) above, the upland villages of Nghĩa Phương below.
STANDING = {
    "SV01": 0.8, "SV02": 0.6, "SV03": 0.5, "SV04": 0.4,
    "NH01": 0.2, "NH02": 0.0, "NH03": -0.1, "NH04": -0.3,
    "NP01": -0.2, "NP02": -0.4, "NP03": -1.0, "NP04": -1.0,
}  # fmt: skip
WEAK_VILLAGES = ("NP03", "NP04")


@dataclass(frozen=True)
class Lack:
    """Share of households lacking something in (2024, 2025), and how that share is spread."""

    share: tuple[float, float]
    correlation: float  # with the household's wellbeing: who lacks it
    sensitivity: float = 0.3  # to the village's standing: where the lacking households live
    fixed: dict[str, tuple[float, float]] = field(default_factory=dict)  # village -> its own shares
    only: tuple[str, ...] = ()  # when set, no other village lacks it
    ranking: str = ""  # lacks sharing a ranking are nested: the poor are among the poor or near-poor


LACKS = {
    "safe_electricity": Lack((0.008, 0.005), 0.3),
    "clean_water": Lack((0.10, 0.08), 0.3, 0.2, {"NP03": (0.34, 0.28), "NP04": (0.36, 0.30)}),
    "hygienic_latrine": Lack((0.137, 0.115), 0.5, 0.2, {"NP03": (0.48, 0.42), "NP04": (0.50, 0.44)}),
    "temporary_house": Lack((0.005, 0.003), 0.8, only=WEAK_VILLAGES, ranking="housing"),
    "not_solid": Lack((0.28, 0.24), 0.8, ranking="housing"),  # semi-solid or temporary
    "poor": Lack((0.033, 0.025), 0.9, 0.8, ranking="poverty"),
    "poor_or_near_poor": Lack((0.071, 0.055), 0.9, 0.8, ranking="poverty"),
    "smartphone": Lack((0.25, 0.15), 0.5),
    "broadband": Lack((0.42, 0.35), 0.5, 0.6),
}
E_PAYMENT = (0.50, 0.60)  # share of all households, chosen among smartphone owners
# Share of person slots, commune-wide: (2024, 2025).
UNINSURED = (0.09, 0.07)  # of members; poor and near-poor households are insured by the state
UNEMPLOYED = (0.065, 0.05)  # of working-age members
TRAINED = (0.66, 0.70)  # of working-age members
CERTIFIED = (0.31, 0.35)  # of working-age members, among the trained
INCOME_PER_HEAD_2025 = 69_000_000  # VND a year, village means spread by standing
INCOME_GROWTH = 1.085  # 2025 over 2024
POOR_PER_HEAD = (11_500_000, 17_500_000)  # under the rural poverty line (1.5 million a month)
NEAR_POOR_PER_HEAD = (18_500_000, 23_500_000)  # under the near-poor line (2 million a month)
MEMBERS = {1: 7, 2: 17, 3: 22, 4: 28, 5: 15, 6: 7, 7: 3, 8: 1}  # household size -> weight
OPERATORS = ("Viettel", "VinaPhone", "MobiFone")  # phones get these operators' prefixes
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương")

ORGANISATIONS = [
    # code, name, kind, OCOP, village, bank (BIN, account, name) or None, founded, description
    ("HTX-VG01", "Hợp tác xã Nông nghiệp Mẫu Vệ Giang", Organisation.Kind.COOPERATIVE, True, "NH01",
     ("970405", "4300205000101", "HTX NONG NGHIEP MAU VE GIANG"), date(2016, 3, 15),
     "Sản xuất và tiêu thụ lúa gạo chất lượng cao; dịch vụ giống, làm đất, tưới tiêu cho xã viên."),
    ("HTX-VG02", "Hợp tác xã Mẫu Rau an toàn Nghĩa Hiệp", Organisation.Kind.COOPERATIVE, False, "NH03",
     ("970418", "5801000123456", "HTX MAU RAU AN TOAN NGHIA HIEP"), date(2019, 8, 1),
     "Trồng rau an toàn theo VietGAP và tiêu thụ rau cho bếp ăn, siêu thị trong tỉnh."),
    ("THT-VG01", "Tổ hợp tác Mẫu Trồng nấm Nghĩa Phương", Organisation.Kind.COOPERATIVE_GROUP, False, "NP02",
     None, date(2021, 5, 10), "Trồng nấm rơm và nấm bào ngư từ rơm rạ sau thu hoạch."),
    ("DN-VG01", "Công ty TNHH Mẫu Chế biến Nông sản Vệ Giang", Organisation.Kind.ENTERPRISE, True, "SV02",
     None, date(2014, 11, 20), "Chế biến gạo, bột gạo và nông sản sấy; bao tiêu lúa của hợp tác xã."),
    ("DN-VG02", "Công ty Cổ phần Mẫu Thương mại Sông Vệ", Organisation.Kind.ENTERPRISE, False, "SV01",
     None, date(2012, 6, 5), "Thu mua và phân phối nông sản, vật tư nông nghiệp."),
    ("HKD-VG01", "Hộ kinh doanh Mẫu Bánh tráng Sông Vệ", Organisation.Kind.HOUSEHOLD_BUSINESS, True, "SV03",
     None, date(2010, 2, 1), "Làm bánh tráng và bánh ít lá gai theo cách truyền thống."),
    ("HKD-VG02", "Hộ kinh doanh Mẫu Tạp hóa Nghĩa Phương", Organisation.Kind.HOUSEHOLD_BUSINESS, False, "NP01",
     None, date(2018, 9, 12), "Bán lẻ hàng tiêu dùng và vật tư nông nghiệp."),
    ("DV-VG01", "Tổ dịch vụ Mẫu Cơ giới hóa Nông nghiệp Vệ Giang", Organisation.Kind.SERVICE_PROVIDER, False, "NH02",
     None, date(2017, 4, 25), "Làm đất, gieo sạ và gặt đập liên hợp thuê cho hộ và hợp tác xã."),
]  # fmt: skip
# Cooperative -> (members wanted, villages they come from).
MEMBERSHIPS = {
    "HTX-VG01": (64, ("NH01", "NH02", "NH03", "NH04", "NP01", "NP02")),
    "HTX-VG02": (47, ("NH02", "NH03", "NH04")),
}


def run(*, commune: Commune, log: Callable[[str], None], households: int = HOUSEHOLDS) -> None:
    """Create the demo households, organisations and memberships that are not there yet."""
    villages = {v.code: v for v in Village.objects.in_commune(commune).filter(code__in=VILLAGE_SIZES)}
    if not villages:
        log("Households: no demo villages, nothing created.")
        return
    with transaction.atomic():
        _households(commune, villages, households, log)
        _organisations(commune, log)
        _memberships(commune, log)


# Households -------------------------------------------------------------------------------------


def _households(commune: Commune, villages: dict[str, Village], size: int, log: Callable[[str], None]) -> None:
    existing = Household.objects.in_commune(commune).count()
    if existing:
        log(f"Households: {existing} already there.")
        return
    rows = generate(villages, size)
    result = importing.import_rows(spec=importing.HOUSEHOLDS, commune=commune, rows=_valid_rows(rows))
    if result.errors:
        raise RuntimeError(f"The demo households do not pass the import checks: {result.errors[:5]}")
    created = result.rows // len(YEARS)
    log(f"Households: {created} created in {len(villages)} villages, {result.created} yearly records.")


def _valid_rows(rows: list[dict]) -> Iterator[ValidRow]:
    for number, values in enumerate(rows, start=2):  # row 1 would be the header
        yield _parsed(importing.HOUSEHOLD_COLUMNS, number, values)


def _parsed(columns: list[Column], number: int, values: dict) -> ValidRow:
    """Each cell through its column's parser, as a file's cells would be: the demo obeys the import rules."""
    return ValidRow(
        number, {c.key: None if values.get(c.key) in (None, "") else c.parse(values[c.key]) for c in columns}
    )


@dataclass
class _Household:
    village: str
    wellbeing: float
    members: tuple[int, int]  # (2024, 2025)
    working_age: tuple[int, int]
    row: dict  # household-level columns
    lacks: dict = field(default_factory=dict)  # indicator -> (lacks in 2024, in 2025)
    keys: dict = field(default_factory=dict)  # shared ranking -> this household's key


def generate(villages: dict[str, Village], size: int = HOUSEHOLDS, seed: int = SEED) -> list[dict]:
    """The demo rows (one per household and year) as import values: the same for the same arguments."""
    rng = random.Random(seed)
    sizes = _village_sizes([code for code in VILLAGE_SIZES if code in villages], size)
    people = _people(rng, sum(sizes.values()))
    homes: list[_Household] = []
    for code, count in sizes.items():
        village = villages[code]
        for number in range(1, count + 1):
            homes.append(_household(rng, village, number, next(people)))
    by_village = {code: [] for code in sizes}
    for h in homes:
        by_village[h.village].append(h)
    for name, lack in LACKS.items():
        _mark_lacking(rng, name, lack, by_village, sizes)
    poor = [tuple(h.lacks["poor"][y] for y in range(2)) for h in homes]
    near = [tuple(h.lacks["poor_or_near_poor"][y] and not h.lacks["poor"][y] for y in range(2)) for h in homes]
    # The state insures poor and near-poor households: the uninsured are all in other households.
    insurable = [[0 if poor[i][y] or near[i][y] else h.members[y] for y in range(2)] for i, h in enumerate(homes)]
    members = (sum(h.members[0] for h in homes), sum(h.members[1] for h in homes))
    uninsured = _pick(_slot_order(rng, insurable), insurable, UNINSURED, of=members)
    working = [list(h.working_age) for h in homes]
    unemployed = _pick(_slot_order(rng, working), working, UNEMPLOYED)
    skills = _slot_order(rng, working)  # one order: the untrained are among the uncertified
    untrained = _pick(skills, working, (1 - TRAINED[0], 1 - TRAINED[1]))
    uncertified = _pick(skills, working, (1 - CERTIFIED[0], 1 - CERTIFIED[1]))
    e_payment = _e_payment(rng, homes)
    rows = []
    for i, h in enumerate(homes):
        per_head = _income_per_head(rng, h, poor[i], near[i])
        for y, year in enumerate(YEARS):
            wa = h.working_age[y]
            housing = (
                Housing.TEMPORARY if h.lacks["temporary_house"][y]
                else Housing.SEMI_SOLID if h.lacks["not_solid"][y]
                else Housing.SOLID
            )  # fmt: skip
            rows.append(
                h.row
                | {
                    "year": year,
                    "members": h.members[y],
                    "poverty": Poverty.POOR if poor[i][y] else Poverty.NEAR_POOR if near[i][y] else Poverty.NONE,
                    "housing": housing,
                    "safe_electricity": not h.lacks["safe_electricity"][y],
                    "clean_water": not h.lacks["clean_water"][y],
                    "hygienic_latrine": not h.lacks["hygienic_latrine"][y],
                    "insured_members": h.members[y] - uninsured[i][y],
                    "working_age_members": wa,
                    "employed_members": wa - unemployed[i][y],
                    "trained_workers": wa - untrained[i][y],
                    "certified_workers": wa - uncertified[i][y],
                    "income": h.members[y] * per_head[y],
                    "smartphone": not h.lacks["smartphone"][y],
                    "broadband": not h.lacks["broadband"][y],
                    "e_payment": e_payment[i][y],
                }
            )
    return rows


def _village_sizes(codes: list[str], size: int) -> dict[str, int]:
    weights = {code: VILLAGE_SIZES[code] for code in codes}
    return {code: max(1, n) for code, n in _allocate(size, weights).items()}


def _allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """`total` split in proportion to `weights`, largest remainders first, so that the parts add up."""
    weight_sum = sum(weights.values())
    if not weight_sum:
        return dict.fromkeys(weights, 0)
    exact = {key: total * w / weight_sum for key, w in weights.items()}
    parts = {key: math.floor(x) for key, x in exact.items()}
    for key in sorted(exact, key=lambda k: parts[k] - exact[k])[: total - sum(parts.values())]:
        parts[key] += 1
    return parts


def _people(rng: random.Random, count: int) -> Iterator[dict]:
    """Heads of household: synthetic names, a personal ID for about 60 %, a phone for about 70 %."""
    serials = iter(rng.sample(range(10**6), count))
    phones = iter(rng.sample(range(10**7), count))
    prefixes = sorted(prefix for prefix, operator in identifiers.mobile_prefixes().items() if operator in OPERATORS)
    for n in range(1, count + 1):
        female = rng.random() < 0.3
        born = rng.randint(1940, 2002)
        head = {"head_name": f"{rng.choice(SURNAMES)} {'Thị' if female else 'Văn'} Mẫu {n:05d}"}
        serial, phone = next(serials), next(phones)
        if rng.random() < 0.6:  # 051 = Quảng Ngãi; then century and sex, year of birth, serial
            century = (born - 1900) // 100 * 2 + female
            head["head_id_number"] = f"051{century}{born % 100:02d}{serial:06d}"
        if rng.random() < 0.7:
            head["phone"] = f"{rng.choice(prefixes)}{phone:07d}"
        yield head


def _household(rng: random.Random, village: Village, number: int, head: dict) -> _Household:
    members_2025 = rng.choices(list(MEMBERS), weights=list(MEMBERS.values()))[0]
    change = rng.random()
    members_2024 = max(1, members_2025 + (-1 if change < 0.04 else 1 if change < 0.07 else 0))
    working_2025 = sum(rng.random() < 0.63 for _ in range(members_2025))
    working_age = (min(working_2025, members_2024), working_2025)
    place = f"Số {rng.randint(1, 250)}" if village.kind == Village.Kind.TO_DAN_PHO else f"Xóm {rng.randint(1, 6)}"
    code = f"VG-{village.code}-{number:04d}"
    row = {"code": code, "village": village.code, "address": f"{place}, {village.name}", **head}
    return _Household(village.code, rng.gauss(0, 1), (members_2024, members_2025), working_age, row)


def _mark_lacking(rng: random.Random, name: str, lack: Lack, by_village: dict, sizes: dict[str, int]) -> None:
    """Sets h.lacks[name] = (2024, 2025): exact counts per village, the least well-off first."""
    total = sum(sizes.values())
    counts = []
    for y in range(2):
        fixed = {v: round(shares[y] * sizes[v]) for v, shares in lack.fixed.items() if v in sizes}
        weights = {
            v: n * math.exp(-lack.sensitivity * STANDING[v])
            for v, n in sizes.items()
            if v not in fixed and (not lack.only or v in lack.only)
        }
        rest = max(0, round(lack.share[y] * total) - sum(fixed.values()))
        counts.append(fixed | _allocate(rest, weights))
    noise = math.sqrt(1 - lack.correlation**2)

    def key(h: _Household) -> float:
        if lack.ranking:
            if lack.ranking not in h.keys:
                h.keys[lack.ranking] = lack.correlation * h.wellbeing + noise * rng.gauss(0, 1)
            return h.keys[lack.ranking]
        return lack.correlation * h.wellbeing + noise * rng.gauss(0, 1)

    for code, homes in by_village.items():
        ranked = sorted(homes, key=key)
        k2024 = min(counts[0].get(code, 0), len(homes))
        k2025 = min(counts[1].get(code, 0), k2024)  # never worse in 2025
        for position, h in enumerate(ranked):
            h.lacks[name] = (position < k2024, position < k2025)


def _slot_order(rng: random.Random, slots: list[list[int]]) -> list[tuple[int, int]]:
    """Person slots (household index, slot number) in a random order kept for both years."""
    keys = {(i, j): rng.random() for i, counts in enumerate(slots) for j in range(max(counts))}
    return sorted(keys, key=keys.__getitem__)


def _pick(
    order: list[tuple[int, int]], slots: list[list[int]], shares: tuple[float, float], of: tuple[int, int] | None = None
) -> list[tuple[int, int]]:
    """Per household, how many of its slots are picked in (2024, 2025): the first `shares` of the
    slots that exist that year (share of `of` when given). Picks with one order and a larger share
    contain those with a smaller one, and a household that did not change keeps its picks."""
    picked = []
    for y in range(2):
        available = [(i, j) for i, j in order if j < slots[i][y]]
        per_home = [0] * len(slots)
        for i, _j in available[: round(shares[y] * (of[y] if of else len(available)))]:
            per_home[i] += 1
        picked.append(per_home)
    return list(zip(*picked, strict=True))


def _e_payment(rng: random.Random, homes: list[_Household]) -> list[tuple[bool, bool]]:
    """E-payment accounts: the best-off smartphone owners, E_PAYMENT of all households each year."""
    order = sorted(range(len(homes)), key=lambda i: -(0.6 * homes[i].wellbeing + 0.8 * rng.gauss(0, 1)))
    result = [[False, False] for _ in homes]
    for y in range(2):
        owners = [i for i in order if not homes[i].lacks["smartphone"][y]]
        for i in owners[: round(E_PAYMENT[y] * len(homes))]:
            result[i][y] = True
    return [tuple(r) for r in result]


def _income_per_head(rng: random.Random, h: _Household, poor: tuple, near: tuple) -> tuple[int, int]:
    """Income per member in (2024, 2025), inside the poverty bands for poor and near-poor years."""
    mean = INCOME_PER_HEAD_2025 * math.exp(0.12 * STANDING[h.village])
    sigma = 0.35
    z = 0.6 * h.wellbeing + 0.8 * rng.gauss(0, 1)
    value_2025 = mean * math.exp(sigma * z - sigma**2 / 2)
    growth = INCOME_GROWTH + rng.uniform(-0.05, 0.05)
    result = []
    for y, value in enumerate((value_2025 / growth, value_2025)):
        if poor[y]:
            value = rng.uniform(*POOR_PER_HEAD)
        elif near[y]:
            value = rng.uniform(*NEAR_POOR_PER_HEAD)
        else:
            value = max(value, 25_000_000)
        result.append(round(value, -5))
    return result[0], result[1]


# Organisations ----------------------------------------------------------------------------------


def _organisations(commune: Commune, log: Callable[[str], None]) -> None:
    existing = set(Organisation.objects.in_commune(commune).values_list("code", flat=True))
    villages = dict(Village.objects.in_commune(commune).values_list("code", "name"))
    rows, descriptions = [], {}
    for number, (code, name, kind, ocop, village, bank, founded, description) in enumerate(ORGANISATIONS, start=2):
        if code in existing or village not in villages:
            continue
        rng = random.Random(f"{SEED}-{code}")
        values = {
            "code": code,
            "name": name,
            "kind": kind,
            "is_ocop_subject": ocop,
            "tax_code": _tax_code(rng),
            "representative": f"{rng.choice(SURNAMES)} Văn Mẫu Đại Diện {number - 1}",
            "address": f"{villages[village]}, {commune.name}",
            "village": village,
            "phone": f"0905{rng.randrange(10**6):06d}",
            "founded_on": founded,
            "status": Organisation.Status.ACTIVE,
        }
        if bank:
            values.update(bank_bin=bank[0], bank_account=bank[1], bank_account_name=bank[2])
        rows.append(_parsed(importing.ORG_COLUMNS, number, values))
        descriptions[code] = description
    if not rows:
        log(f"Organisations: {len(existing)} already there.")
        return
    result = importing.import_rows(spec=importing.ORGANISATIONS, commune=commune, rows=rows)
    if result.errors:
        raise RuntimeError(f"The demo organisations do not pass the import checks: {result.errors}")
    for code, description in descriptions.items():  # not an import column
        Organisation.objects.filter(commune=commune, code=code).update(description=description)
    ocop = sum(row.values["is_ocop_subject"] for row in rows)
    log(f"Organisations: {result.created} created ({ocop} OCOP subjects), {len(existing)} already there.")


def _tax_code(rng: random.Random) -> str:
    """A 10-digit tax code of Quảng Ngãi (43…) with a correct check digit."""
    while True:
        body = f"43{rng.randrange(10**7):07d}"
        check = mst.calc_check_digit(body)
        if len(check) == 1:  # a remainder of 0 gives no valid digit
            return body + check


def _memberships(commune: Commune, log: Callable[[str], None]) -> None:
    created = there = 0
    for code, (wanted, villages) in MEMBERSHIPS.items():
        organisation = Organisation.objects.in_commune(commune).filter(code=code).first()
        if organisation is None or organisation.memberships.exists():
            there += organisation is not None
            continue
        rng = random.Random(f"{SEED}-{code}-members")
        candidates = list(
            Household.objects.in_commune(commune)
            .filter(village__code__in=villages)
            .order_by("code")
            .values_list("code", "id")
        )
        chosen = sorted(rng.sample(candidates, min(wanted, len(candidates))))
        Membership.objects.bulk_create(
            Membership(organisation=organisation, household_id=pk, joined_on=_day(rng, 2016, 2024))
            for _code, pk in chosen
        )
        created += len(chosen)
    log(f"Memberships: {created} created, {there} cooperatives already had their members.")


def _day(rng: random.Random, first_year: int, last_year: int) -> date:
    return date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))
