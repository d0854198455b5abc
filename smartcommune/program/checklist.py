"""The smart-village checklist (program/data/smart_village.yaml) evaluated for every village of a commune.

Each item is computed from the infrastructure inventory where it can be (coverage against the registry's
households, the Wi-Fi point at the cultural house, the digital team, the social channel) or ticked by an
official with evidence. The whole commune is evaluated in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.db.models import Count, Q
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from smartcommune.places.models import Commune, Village
from smartcommune.registry import selectors as registry

from .models import Asset, ChecklistTick, Coverage, DigitalTeam, SocialChannel

DATA_FILE = Path(__file__).parent / "data" / "smart_village.yaml"
COMPUTE_KINDS = {"coverage", "wifi", "digital_team", "social_channel", "manual"}


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    source: str
    compute: str
    params: dict

    @property
    def is_manual(self) -> bool:
        return self.compute == "manual"


@dataclass(frozen=True)
class Checklist:
    code: str
    name: str
    source: str
    needs_verification: bool
    items: tuple[Item, ...]

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)


@cache
def checklist(path: Path = DATA_FILE) -> Checklist:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    items = []
    for raw in data["items"]:
        raw = dict(raw)
        code, name, compute = raw.pop("code"), raw.pop("name"), raw.pop("compute")
        if compute not in COMPUTE_KINDS:
            raise ValueError(f"{path}: item {code}: unknown compute '{compute}'")
        items.append(Item(code, name, raw.pop("source", ""), compute, raw))
    return Checklist(
        data["code"], data["name"], data.get("source", ""), data.get("needs_verification", True), tuple(items)
    )


@dataclass
class ItemResult:
    item: Item
    passed: bool | None  # None: nothing recorded yet
    detail: str = ""
    evidence_url: str = ""


@dataclass
class VillageProgress:
    village: Village
    results: list[ItemResult] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def passes(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def percent(self) -> int:
        return round(self.met * 100 / self.total) if self.total else 0


def _latest_households(commune: Commune, on: date) -> dict[int, int]:
    """Households with a record per village, in the latest registry year up to `on`."""
    years = [y for y in registry.household_years(commune) if y <= on.year]
    if not years:
        return {}
    rows = registry.household_aggregates(year=years[0], commune_ids=[commune.pk], measures={})
    return {village_id: figures["households"] for (_commune_id, village_id), figures in rows.items()}


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


def evaluate(commune: Commune, on: date, villages=None) -> list[VillageProgress]:
    """Every (active) village's progress on the checklist, as things stood on `on`."""
    spec = checklist()
    villages = list(villages if villages is not None else Village.objects.in_commune(commune).active().order_by("code"))
    ids = [v.pk for v in villages]
    households = _latest_households(commune, on)

    coverage: dict[tuple[int, str], Coverage] = {}
    for row in Coverage.objects.filter(village_id__in=ids, as_of__lte=on).order_by("as_of"):
        coverage[(row.village_id, row.technology)] = row  # the latest wins

    wifi = defaultdict(list)
    installed = Q(installed_on__isnull=True) | Q(installed_on__lte=on)
    for asset in Asset.objects.filter(
        installed, commune=commune, village_id__in=ids, kind=Asset.Kind.WIFI, status=Asset.Status.ACTIVE
    ):
        wifi[asset.village_id].append(asset)

    teams = defaultdict(list)
    for team in DigitalTeam.objects.filter(
        commune=commune, village_id__in=ids, is_active=True, founded_on__lte=on
    ).annotate(active_members=Count("members", filter=Q(members__is_active=True))):
        teams[team.village_id].append(team)

    channels = defaultdict(list)
    for channel in SocialChannel.objects.filter(
        commune=commune, village_id__in=ids, is_active=True, started_on__lte=on
    ):
        channels[channel.village_id].append(channel)

    ticks = {
        (t.village_id, t.item_code): t for t in ChecklistTick.objects.filter(village_id__in=ids, ticked_on__lte=on)
    }

    progress = []
    for village in villages:
        results = []
        for item in spec.items:
            if item.compute == "coverage":
                results.append(_coverage(item, coverage, households.get(village.pk, 0), village.pk))
            elif item.compute == "wifi":
                results.append(_wifi(item, wifi[village.pk]))
            elif item.compute == "digital_team":
                results.append(_team(item, teams[village.pk], on))
            elif item.compute == "social_channel":
                results.append(_channel(item, channels[village.pk]))
            else:
                tick = ticks.get((village.pk, item.code))
                results.append(
                    ItemResult(
                        item,
                        tick.passed if tick else None,
                        (tick.note or _("ticked on %(date)s") % {"date": f"{tick.ticked_on:%d/%m/%Y}"}) if tick else "",
                        tick.evidence.url if tick and tick.evidence else "",
                    )
                )
        progress.append(VillageProgress(village, results))
    return progress


def _coverage(item: Item, coverage: dict, households: int, village_id: int) -> ItemResult:
    minimum = Decimal(str(item.params.get("min_percent", 100)))
    fibre = coverage.get((village_id, Coverage.Technology.FIBRE))
    mobile = coverage.get((village_id, Coverage.Technology.MOBILE))
    if not households or fibre is None or mobile is None:
        return ItemResult(item, None, _("no coverage figures or no households on record"))
    fibre_pct = min(Decimal(100), _percent(fibre.households_covered, households))
    mobile_pct = min(Decimal(100), _percent(mobile.households_covered, households))
    detail = _("fibre %(fibre)s%%, 3G/4G %(mobile)s%% of %(households)s households") % {
        "fibre": floatformat(fibre_pct, -1),
        "mobile": floatformat(mobile_pct, -1),
        "households": households,
    }
    return ItemResult(item, fibre_pct >= minimum and mobile_pct >= minimum, detail)


def _wifi(item: Item, assets: list[Asset]) -> ItemResult:
    good = [
        a
        for a in assets
        if a.at_cultural_house and a.free_of_charge and (a.meets_standard or not item.params.get("require_standard"))
    ]
    if good:
        return ItemResult(item, True, good[0].name)
    return ItemResult(item, False if assets else None, _("no free Wi-Fi point at the cultural house"))


def _team(item: Item, teams: list[DigitalTeam], on: date) -> ItemResult:
    minimum = int(item.params.get("min_members", 1))
    within = item.params.get("active_within_days")
    for team in teams:
        recent = within is None or (team.last_activity_on and team.last_activity_on >= on - timedelta(days=int(within)))
        if team.active_members >= minimum and recent:
            return ItemResult(
                item, True, _("%(name)s, %(count)s members") % {"name": team.name, "count": team.active_members}
            )
    if teams:
        return ItemResult(item, False, _("the team has too few members or no recent activity"))
    return ItemResult(item, None, _("no team recorded"))


def _channel(item: Item, channels: list[SocialChannel]) -> ItemResult:
    used = [c for c in channels if c.takes_feedback]
    if used:
        return ItemResult(item, True, f"{used[0].get_platform_display()}: {used[0].name}")
    return ItemResult(item, False if channels else None, _("no channel that also takes feedback"))


def smart_villages(commune: Commune, on: date) -> tuple[int, int]:
    """(villages passing the checklist, active villages)."""
    progress = evaluate(commune, on)
    return sum(1 for p in progress if p.passes), len(progress)


@dataclass(frozen=True)
class CriteriaEvidence:
    """A value for an "evidence" indicator of the smart-commune criteria set, with what it rests on."""

    passed: bool | None = None
    value: Decimal | None = None
    note: str = ""


# Indicators of criteria/data/xa-ntm-thong-minh.yaml that the inventory answers.
SMART_SET = "xa-ntm-thong-minh"


def criteria_evidence(commune: Commune, on: date) -> dict[str, CriteriaEvidence]:
    """Values the criteria demo (or an official) can enter for the smart-commune set's evidence indicators:
    3.3 digital team active, 3.4 social platform used, 4.3 % of villages with free Wi-Fi at the cultural
    house, 4.4 number of smart villages."""
    progress = evaluate(commune, on)
    total = len(progress)

    def count(code: str) -> int:
        return sum(1 for p in progress for r in p.results if r.item.code == code and r.passed)

    by_compute = {i.compute: i.code for i in checklist().items}
    teams = count(by_compute["digital_team"]) if "digital_team" in by_compute else 0
    channels = count(by_compute["social_channel"]) if "social_channel" in by_compute else 0
    wifi = count(by_compute["wifi"]) if "wifi" in by_compute else 0
    smart = sum(1 for p in progress if p.passes)
    source = _("from the programme's infrastructure inventory on %(date)s") % {"date": f"{on:%d/%m/%Y}"}
    return {
        "3.3": CriteriaEvidence(passed=teams > 0, note=_("%(n)s villages with an active team, %(source)s") % {"n": teams, "source": source}),
        "3.4": CriteriaEvidence(passed=channels > 0, note=_("%(n)s villages with a channel in use, %(source)s") % {"n": channels, "source": source}),
        "4.3": CriteriaEvidence(value=_percent(wifi, total), note=_("%(n)s of %(total)s villages, %(source)s") % {"n": wifi, "total": total, "source": source}),
        "4.4": CriteriaEvidence(value=Decimal(smart), note=_("%(n)s of %(total)s villages, %(source)s") % {"n": smart, "total": total, "source": source}),
    }  # fmt: skip
