"""Writes to the administrative tree. Permission checks happen in the views, through accounts.scoping."""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import update_change_reason
from vietnam_provinces import Province as PkgProvince
from vietnam_provinces import VietNamDivisionType as DivisionType
from vietnam_provinces import Ward as PkgWard

from .models import Commune, CommunePredecessor, Province, Region, Village

DATA = Path(__file__).parent / "data"

_PROVINCE_KIND = {DivisionType.TINH: Province.Kind.PROVINCE, DivisionType.THANH_PHO_TRUNG_UONG: Province.Kind.CITY}
_COMMUNE_KIND = {
    DivisionType.XA: Commune.Kind.XA,
    DivisionType.PHUONG: Commune.Kind.PHUONG,
    DivisionType.DAC_KHU: Commune.Kind.DAC_KHU,
}


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged"


def _sync(model, rows: dict[str, dict], report: LoadReport, label: str) -> dict[str, object]:
    """Create or update rows keyed by code; return code -> instance. Touches only what changed."""
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
            report.created.append(f"{label} {code} {values['name']}")
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            fields.update(changed)
            to_update.append(obj)
            report.updated.append(f"{label} {code}: {', '.join(changed)}")
        else:
            report.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=1000)
    return {obj.code: obj for obj in model.objects.all()}


@transaction.atomic
def places_load() -> LoadReport:
    """Load or refresh the 34 provinces and 3,321 communes from the vietnam-provinces package.

    Idempotent: a second run changes nothing and says so. Regions and groups that officials set on a
    commune are kept; only the official names, kinds and province links follow the package.
    """
    report = LoadReport()
    regions = json.loads((DATA / "regions.json").read_text(encoding="utf-8"))["provinces"]
    province_rows = {
        f"{int(p.code):02d}": {
            "name": p.name,
            "kind": _PROVINCE_KIND[p.division_type],
            "codename": p.codename,
            "phone_code": p.phone_code,
            "default_region": regions.get(f"{int(p.code):02d}", {}).get("region", ""),
        }
        for p in PkgProvince.iter_all()
    }
    provinces = _sync(Province, province_rows, report, "province")
    commune_rows = {
        f"{int(w.code):05d}": {
            "name": w.name,
            "kind": _COMMUNE_KIND[w.division_type],
            "codename": w.codename,
            "province_id": provinces[f"{int(w.province_code):02d}"].pk,
        }
        for w in PkgWard.iter_all()
    }
    communes = _sync(Commune, commune_rows, report, "commune")
    _load_predecessors(communes, report)
    return report


def _load_predecessors(communes: dict, report: LoadReport) -> None:
    data = json.loads((DATA / "predecessors.json").read_text(encoding="utf-8"))["communes"]
    for code, entry in data.items():
        commune = communes[code]
        valid_from = date.fromisoformat(entry["valid_from"])
        if commune.valid_from != valid_from:
            Commune.objects.filter(pk=commune.pk).update(valid_from=valid_from)
        for item in entry["predecessors"]:
            _, created = CommunePredecessor.objects.update_or_create(
                commune=commune,
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "old_district": item.get("old_district", ""),
                    "old_district_code": item.get("old_district_code", ""),
                    "merged_on": valid_from,
                    "legal_basis": entry.get("legal_basis", ""),
                },
            )
            if created:
                report.created.append(f"predecessor {item['code']} of {code}")


def _check_code_free(commune: Commune, code: str, *, exclude: Village | None = None) -> None:
    clash = Village.objects.filter(commune=commune, code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        message = _("Another village of this commune already has the code %(code)s.")
        raise ValidationError({"code": ValidationError(message, params={"code": code})})


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the village name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name is longer than 100 characters.")})
    return name


@transaction.atomic
def village_create(*, commune: Commune, code: str, name: str, kind: str = Village.Kind.THON) -> Village:
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        raise ValidationError({"code": _("Enter a code of at most 20 characters.")})
    _check_code_free(commune, code)
    if kind not in Village.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of village.")})
    return Village.objects.create(commune=commune, code=code, name=_clean_name(name), kind=kind)


@transaction.atomic
def village_rename(*, village: Village, name: str, reason: str = "") -> Village:
    village = Village.objects.select_for_update().get(pk=village.pk)
    village.name = _clean_name(name)
    village.save()
    update_change_reason(village, reason or str(_("renamed")))
    return village


def _require_active(village: Village) -> None:
    if village.status != Village.Status.ACTIVE:
        raise ValidationError(_("The village %(name)s is no longer active."), params={"name": village.name})


@transaction.atomic
def village_merge(*, sources: list[Village], into: Village, on: date | None = None, reason: str = "") -> Village:
    """Merge villages into another of the same commune; the merged ones stay, marked, for history."""
    if not sources:
        raise ValidationError(_("Choose at least one village to merge."))
    _require_active(into)
    for source in sources:
        if source.pk == into.pk:
            raise ValidationError(_("A village cannot be merged into itself."))
        if source.commune_id != into.commune_id:
            raise ValidationError(_("Only villages of the same commune can be merged."))
        _require_active(source)
    for source in Village.objects.select_for_update().filter(pk__in=[s.pk for s in sources]):
        source.status, source.merged_into, source.retired_on = Village.Status.MERGED, into, on or timezone.localdate()
        source.save()
        update_change_reason(source, reason or str(_("merged")))
    return into


@transaction.atomic
def village_retire(*, village: Village, on: date | None = None, reason: str = "") -> Village:
    _require_active(village)
    village.status, village.retired_on = Village.Status.RETIRED, on or timezone.localdate()
    village.save()
    update_change_reason(village, reason or str(_("retired")))
    return village


@transaction.atomic
def commune_update_settings(*, commune: Commune, region: str, group: int | None, introduction: str) -> Commune:
    if region and region not in Region.values:
        raise ValidationError({"region": _("Unknown region.")})
    commune.region, commune.group, commune.introduction = region, group, introduction
    commune.save()
    return commune
