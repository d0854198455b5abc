"""Loading criteria-set files (criteria/data/*.yaml) into the database, refusing malformed ones.

Every problem is reported with the file and line, and a file is loaded whole or not at all.
Loading again changes nothing unless the file changed; changes keep history. Thresholds corrected
by a province (province set) are never touched by a reload.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from smartcommune.places.models import Region
from smartcommune.registry.selectors import AGGREGATE_FIELDS

from .models import CriteriaSet, Criterion, Indicator, IndicatorValue, Threshold

DATA_DIR = Path(__file__).parent / "data"
COMPARATORS = {c.value for c in Threshold.Comparator}
CONDITION_KEYS = {"field", "equals", "in", "not_empty"}


class CriteriaFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping under the key "__line__" so problems can name it."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


@dataclass
class _Checker:
    path: str
    problems: list[str] = field(default_factory=list)

    def fail(self, where: dict, message: str) -> None:
        self.problems.append(f"{self.path}:{where.get('__line__', '?')}: {message}")

    def require(self, where: dict, *keys: str) -> bool:
        missing = [k for k in keys if where.get(k) in (None, "")]
        for key in missing:
            self.fail(where, f"missing '{key}'")
        return not missing


def _check_condition(check: _Checker, where: dict, condition) -> set[str]:
    if not isinstance(condition, dict):
        check.fail(where, "a count condition must be a mapping such as {field: smartphone}")
        return set()
    keys = set(condition) - {"__line__"}
    if not keys:
        return set()
    if keys - CONDITION_KEYS or "field" not in keys:
        check.fail(condition, f"unknown condition keys: {sorted(keys - CONDITION_KEYS) or 'no field'}")
        return set()
    name = condition["field"]
    if name not in AGGREGATE_FIELDS:
        check.fail(condition, f"unknown field '{name}' in a formula")
        return set()
    allowed = AGGREGATE_FIELDS[name]
    values = condition.get("in", [condition["equals"]] if "equals" in condition else [])
    if allowed is not None:
        for value in values:
            if value not in allowed:
                check.fail(condition, f"'{value}' is not a value of {name} ({', '.join(allowed)})")
    return {name}


def _check_aggregate(check: _Checker, where: dict, aggregate) -> set[str]:
    if not isinstance(aggregate, dict) or len(set(aggregate) - {"__line__"}) != 1:
        check.fail(where, "an aggregate is {count: CONDITION} or {sum: FIELD}")
        return set()
    if "count" in aggregate:
        return _check_condition(check, aggregate, aggregate["count"])
    if "sum" in aggregate:
        name = aggregate["sum"]
        if name not in AGGREGATE_FIELDS or AGGREGATE_FIELDS[name] is not None:
            check.fail(aggregate, f"unknown field '{name}' in a formula")
            return set()
        return {name}
    check.fail(aggregate, "an aggregate is {count: CONDITION} or {sum: FIELD}")
    return set()


def _number(check: _Checker, where: dict, value, kind: str) -> Decimal | None:
    if kind == Indicator.Kind.PASS_FAIL:
        if not isinstance(value, bool):
            check.fail(where, "a pass/fail threshold value is true or false")
            return None
        return Decimal(int(value))
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        check.fail(where, f"'{value}' is not a number")
        return None


def _strip(data):
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k != "__line__"}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def parse(path: Path) -> dict:
    """Read and check one file; returns the clean structure or raises CriteriaFileError."""
    name = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise CriteriaFileError([f"{name}:{mark.line + 1 if mark else '?'}: not valid YAML ({error})"]) from error
    check = _Checker(name)
    if not isinstance(data, dict):
        raise CriteriaFileError([f"{name}:1: the file must hold one criteria set"])
    check.require(data, "code", "name", "kind", "legal_basis", "valid_from", "thresholds_by", "criteria")
    if data.get("kind") not in CriteriaSet.Kind.values:
        check.fail(data, f"unknown kind '{data.get('kind')}'")
    by = data.get("thresholds_by")
    if by not in CriteriaSet.ThresholdsBy.values:
        check.fail(data, f"thresholds_by must be region, group or none, not '{by}'")
    for key in ("valid_from", "valid_to"):
        if data.get(key) is not None and not isinstance(data[key], date):
            check.fail(data, f"{key} must be a date such as 2022-03-08")
    codes: dict[str, int] = {}
    numbers: set[int] = set()
    for criterion in data.get("criteria") or []:
        if not check.require(criterion, "number", "name", "indicators"):
            continue
        if criterion["number"] in numbers:
            check.fail(criterion, f"duplicate criterion number {criterion['number']}")
        numbers.add(criterion["number"])
        for indicator in criterion["indicators"]:
            _check_indicator(check, indicator, by, codes)
    if check.problems:
        raise CriteriaFileError(check.problems)
    return _strip(data)


def _check_indicator(check: _Checker, indicator: dict, by: str, codes: dict[str, int]) -> None:
    if not check.require(indicator, "code", "name", "kind", "source"):
        return
    code = str(indicator["code"])
    if code in codes:
        check.fail(indicator, f"duplicate indicator code '{code}' (first on line {codes[code]})")
    codes[code] = indicator["__line__"]
    kind, source = indicator["kind"], indicator["source"]
    if kind not in Indicator.Kind.values:
        check.fail(indicator, f"unknown kind '{kind}'")
    if source not in Indicator.Source.values:
        check.fail(indicator, f"unknown source '{source}'")
    formula = indicator.get("formula")
    if source == Indicator.Source.REGISTRY:
        if not isinstance(formula, dict) or "numerator" not in formula:
            check.fail(indicator, f"indicator {code} is computed from the registries and needs a formula")
        else:
            _check_aggregate(check, formula, formula["numerator"])
            if formula.get("denominator") is not None:
                _check_aggregate(check, formula, formula["denominator"])
            if "scale" in formula and _number(check, formula, formula["scale"], "amount") is None:
                return
    elif formula:
        check.fail(indicator, f"indicator {code} is entered, so it takes no formula")
    for threshold in indicator.get("thresholds") or []:
        if not check.require(threshold, "comparator", "value"):
            continue
        if threshold["comparator"] not in COMPARATORS:
            check.fail(threshold, f"unknown comparator '{threshold['comparator']}'")
        _number(check, threshold, threshold["value"], kind)
        regions, groups = threshold.get("regions"), threshold.get("groups")
        if by == "region":
            for region in regions or ["?"]:
                if region != "all" and region not in Region.values:
                    check.fail(threshold, f"threshold for an unknown region '{region}'")
        elif by == "group":
            for group in groups or ["?"]:
                if group != "all" and group not in (1, 2, 3):
                    check.fail(threshold, f"threshold for an unknown commune group '{group}'")
        elif regions or groups:
            check.fail(threshold, "this set has the same thresholds everywhere: no regions or groups")
        if threshold.get("year_from") and threshold.get("year_to") and threshold["year_from"] > threshold["year_to"]:
            check.fail(threshold, "year_from is after year_to")


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def load_all(directory: Path = DATA_DIR) -> LoadReport:
    """Load every *.yaml file of the directory; all files are checked before any is written."""
    files = sorted(directory.glob("*.yaml"))
    parsed, problems = [], []
    for path in files:
        try:
            parsed.append((path, parse(path)))
        except CriteriaFileError as error:
            problems += error.problems
    if problems:
        raise CriteriaFileError(problems)
    report = LoadReport()
    with transaction.atomic():
        for path, data in parsed:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if CriteriaSet.objects.filter(code=data["code"], file_digest=digest).exists():
                report.unchanged.append(data["code"])
                continue
            _write(data, path.name, digest)
            report.loaded.append(data["code"])
    return report


def _set_fields(obj, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


def _write(data: dict, file_name: str, digest: str) -> CriteriaSet:
    criteria_set, _ = CriteriaSet.objects.get_or_create(
        code=data["code"], defaults={"valid_from": data["valid_from"], "thresholds_by": data["thresholds_by"]}
    )
    _set_fields(
        criteria_set,
        {
            "name": data["name"],
            "kind": data["kind"],
            "legal_basis": data["legal_basis"],
            "issuer": data.get("issuer", ""),
            "valid_from": data["valid_from"],
            "valid_to": data.get("valid_to"),
            "thresholds_by": data["thresholds_by"],
            "source": data.get("source", ""),
            "needs_verification": bool(data.get("needs_verification")),
            "file_name": file_name,
            "file_digest": digest,
        },
    )
    criteria_set.save()
    kept_indicators = set()
    position = 0
    for item in data["criteria"]:
        criterion, _ = Criterion.objects.get_or_create(
            criteria_set=criteria_set, number=item["number"], defaults={"name": item["name"]}
        )
        if _set_fields(criterion, {"name": item["name"], "group": item.get("group", "")}):
            criterion.save()
        for ind in item["indicators"]:
            position += 1
            code = str(ind["code"])
            kept_indicators.add(code)
            indicator = Indicator.objects.filter(criteria_set=criteria_set, code=code).first() or Indicator(
                criteria_set=criteria_set, code=code
            )
            values = {
                "criterion_id": criterion.pk,
                "name": ind["name"],
                "kind": ind["kind"],
                "unit": ind.get("unit", "") or ("%" if ind["kind"] == "percent" else ""),
                "source": ind["source"],
                "village_level": bool(ind.get("village_level")),
                "responsible": ind.get("responsible", "") or "",
                "formula": ind.get("formula"),
                "validation": ind.get("validation") or {},
                "needs_verification": bool(ind.get("needs_verification")),
                "note": ind.get("note", "") or "",
                "position": position,
            }
            if _set_fields(indicator, values) or indicator.pk is None:
                indicator.save()
            _write_thresholds(indicator, ind.get("thresholds") or [])
    stale = Indicator.objects.filter(criteria_set=criteria_set).exclude(code__in=kept_indicators)
    used = IndicatorValue.objects.filter(indicator__in=stale).values_list("indicator__code", flat=True).distinct()
    if used:
        raise CriteriaFileError([f"{file_name}: indicators {', '.join(used)} have values; keep them in the file"])
    stale.delete()
    Criterion.objects.filter(criteria_set=criteria_set, indicators__isnull=True).delete()
    return criteria_set


def _write_thresholds(indicator: Indicator, items: list[dict]) -> None:
    wanted = []
    for item in items:
        value = Decimal(int(item["value"])) if isinstance(item["value"], bool) else Decimal(str(item["value"]))
        regions = [r for r in item.get("regions") or [""] if r != "all"] or [""]
        groups = [g for g in item.get("groups") or [None] if g != "all"] or [None]
        for region in regions:
            for group in groups:
                wanted.append(
                    (
                        item["comparator"],
                        value,
                        region,
                        group,
                        item.get("year_from"),
                        item.get("year_to"),
                        bool(item.get("needs_verification")),
                        item.get("source", "") or "",
                    )
                )
    national = Threshold.objects.filter(indicator=indicator, province__isnull=True)
    current = {
        (t.comparator, t.value, t.region, t.group, t.year_from, t.year_to, t.needs_verification, t.source)
        for t in national
    }
    if current == set(wanted):
        return
    national.delete()
    for comparator, value, region, group, year_from, year_to, verify, source in wanted:
        Threshold.objects.create(
            indicator=indicator,
            comparator=comparator,
            value=value,
            region=region,
            group=group,
            year_from=year_from,
            year_to=year_to,
            needs_verification=verify,
            source=source,
        )
