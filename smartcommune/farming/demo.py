"""Demo farm data of Xã Vệ Giang: the map's settings, village markers, two cooperatives' growing areas
(rice of HTX-VG01, safe vegetables of HTX-VG02) drawn near the commune, and one season's diaries.

Everything is synthetic and marked so: the points are placed around the approximate reference point
and flagged as needing verification; the codes follow the domestic layout with made-up numbers.
A second run finds the areas by code and changes nothing.
"""

import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import transaction

from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Organisation

from . import selectors, services
from .models import CropType, DiaryEntry, FarmSettings, GrowingArea, Season, VillagePoint

# Village markers: offsets in km (east, north) from the reference point. Sông Vệ (SV) is the old town
# by the river and the highway, Nghĩa Hiệp (NH) its rice plain to the west, Nghĩa Phương (NP) the hills south-west.
VILLAGE_OFFSETS = {
    "SV01": (0.6, 0.9), "SV02": (1.2, 0.5), "SV03": (0.9, 1.6), "SV04": (1.8, 1.1),
    "NH01": (-2.2, 0.4), "NH02": (-3.0, 1.2), "NH03": (-2.6, -0.8), "NH04": (-3.8, -0.2),
    "NP01": (-1.5, -2.6), "NP02": (-2.6, -3.4), "NP03": (-3.9, -4.2), "NP04": (-4.8, -3.1),
}  # fmt: skip


def _offset(km_east: float, km_north: float, ref) -> tuple[float, float]:
    lat = float(ref.latitude) + km_north / 111.32
    lon = float(ref.longitude) + km_east / (111.32 * math.cos(math.radians(float(ref.latitude))))
    return round(lat, 6), round(lon, 6)


def _rectangle(ref, km_east: float, km_north: float, width_m: float, height_m: float, tilt: float = 0.0) -> dict:
    """A slightly tilted rectangle (paddies are rarely square to the compass), as a closed GeoJSON ring."""
    lat0, lon0 = _offset(km_east, km_north, ref)
    m_lat = 1 / 111_320
    m_lon = 1 / (111_320 * math.cos(math.radians(lat0)))
    corners = [(0, 0), (width_m, 0), (width_m, height_m), (0, height_m)]
    ring = []
    for x, y in corners:
        xr = x * math.cos(tilt) - y * math.sin(tilt)
        yr = x * math.sin(tilt) + y * math.cos(tilt)
        ring.append([round(lon0 + xr * m_lon, 7), round(lat0 + yr * m_lat, 7)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


# code, name, cooperative, village, crop, variety, type, standard, certificate, declared ha,
# plots: (name, km east, km north, width m, height m)
AREAS = [
    ("VN-51-522-21238-01-25", "Cánh đồng lớn Mẫu Nghĩa Hiệp 1", "HTX-VG01", "NH01", "Lúa", "ĐV108", CropType.ANNUAL,
     GrowingArea.Standard.VIETGAP, "VietGAP-TT-25-01-51-0012", Decimal("7.1"),
     [("Thửa 1", -2.5, 0.2, 220, 110), ("Thửa 2", -2.5, 0.36, 220, 100), ("Thửa 3", -2.24, 0.2, 120, 210)]),
    ("VN-51-522-21238-02-25", "Cánh đồng lớn Mẫu Nghĩa Hiệp 2", "HTX-VG01", "NH02", "Lúa", "TBR225", CropType.ANNUAL,
     GrowingArea.Standard.NONE, "", Decimal("4.5"),
     [("Thửa 1", -3.3, 1.0, 200, 120), ("Thửa 2", -3.3, 1.16, 200, 100)]),
    ("VN-51-522-21238-03-25", "Vùng rau an toàn Mẫu Nghĩa Hiệp", "HTX-VG02", "NH03", "Rau", "Cải ngọt, rau muống",
     CropType.ANNUAL, GrowingArea.Standard.VIETGAP, "VietGAP-TT-25-02-51-0031", Decimal("1.2"),
     [("Luống A", -2.8, -1.0, 80, 60), ("Luống B", -2.8, -0.92, 80, 60), ("Luống C", -2.7, -1.0, 60, 50)]),
]  # fmt: skip

SEASONS = {
    "Lúa": ("Hè Thu 2025", date(2025, 5, 5), date(2025, 8, 20), Decimal("6.2")),
    "Rau": ("Vụ rau Thu 2025", date(2025, 8, 1), date(2025, 9, 25), Decimal("9.0")),
}

# The season's diary: (day offset from the season's start, kind, inputs, harvest kg per hectare)
RICE_DIARY = [
    (0, DiaryEntry.Kind.SOIL_PREPARATION, [], None),
    (3, DiaryEntry.Kind.PLANTING, [{"kind": "seed", "product": "Giống lúa ĐV108 xác nhận", "dose": "100", "dose_unit": "kg/ha"}], None),
    (15, DiaryEntry.Kind.FERTILISING, [{"kind": "fertiliser", "product": "NPK 20-20-15", "dose": "200", "dose_unit": "kg/ha"}], None),
    (30, DiaryEntry.Kind.IRRIGATION, [], None),
    (42, DiaryEntry.Kind.PEST_OBSERVATION, [], None),
    (45, DiaryEntry.Kind.SPRAYING, [{"kind": "pesticide", "product": "Regent 800WG", "active_ingredient": "Fipronil",
                                     "dose": "25", "dose_unit": "g/ha", "pre_harvest_days": 14}], None),
    (60, DiaryEntry.Kind.FERTILISING, [{"kind": "fertiliser", "product": "Kali clorua", "dose": "80", "dose_unit": "kg/ha"}], None),
    (75, DiaryEntry.Kind.SPRAYING, [{"kind": "pesticide", "product": "Anvil 5SC", "active_ingredient": "Hexaconazole",
                                     "dose": "1", "dose_unit": "l/ha", "pre_harvest_days": 7}], None),
    (105, DiaryEntry.Kind.HARVEST, [], Decimal("6000")),
]  # fmt: skip
VEGETABLE_DIARY = [
    (0, DiaryEntry.Kind.SOIL_PREPARATION, [{"kind": "fertiliser", "product": "Phân hữu cơ vi sinh", "dose": "2000", "dose_unit": "kg/ha"}], None),
    (2, DiaryEntry.Kind.PLANTING, [{"kind": "seed", "product": "Hạt giống cải ngọt", "dose": "1", "dose_unit": "kg/ha"}], None),
    (10, DiaryEntry.Kind.IRRIGATION, [], None),
    (18, DiaryEntry.Kind.PEST_OBSERVATION, [], None),
    (20, DiaryEntry.Kind.SPRAYING, [{"kind": "pesticide", "product": "Dipel 6.4WG", "active_ingredient": "Bacillus thuringiensis",
                                     "dose": "0.5", "dose_unit": "kg/ha", "pre_harvest_days": 3}], None),
    (35, DiaryEntry.Kind.HARVEST, [], Decimal("9000")),
]  # fmt: skip


def _settings(commune: Commune) -> FarmSettings:
    farm = FarmSettings.objects.filter(commune=commune).first()
    if farm is None:
        farm = selectors.farm_settings(commune)
        services.farm_settings_save(settings=farm)
    return farm


@transaction.atomic
def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    farm = _settings(commune)
    villages = {v.code: v for v in Village.objects.filter(commune=commune)}
    points = 0
    for code, (east, north) in VILLAGE_OFFSETS.items():
        if code in villages and not VillagePoint.objects.filter(village=villages[code]).exists():
            lat, lon = _offset(east, north, farm)
            VillagePoint.objects.create(village=villages[code], latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))
            points += 1
    created = 0
    for code, name, coop, village, crop, variety, crop_type, standard, certificate, declared, plots in AREAS:
        if GrowingArea.objects.filter(code=code).exists():
            continue
        cooperative = Organisation.objects.get(commune=commune, code=coop)
        area = services.area_save(
            area=GrowingArea(
                commune=commune,
                village=villages.get(village),
                code=code,
                name=name,
                issuer="Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Quảng Ngãi (mẫu)",
                issued_on=date(2025, 3, 10),
                crop=crop,
                variety=variety,
                crop_type=crop_type,
                standard=standard,
                certificate_number=certificate,
                certificate_expires_on=date(2027, 3, 9) if certificate else None,
                target_market=GrowingArea.Market.DOMESTIC,
                cooperative=cooperative,
                declared_area_ha=declared,
            ),
            reason="Dữ liệu minh họa",
        )
        members = list(cooperative.members.order_by("code")[:12])
        area.households.set(members)
        for number, (plot_name, east, north, width, height) in enumerate(plots):
            services.plot_save(
                area=area,
                name=plot_name,
                geojson=_rectangle(farm, east, north, width, height, tilt=0.12),
                household=members[number] if number < len(members) else None,
                source="dữ liệu minh họa",
            )
        _season(area)
        created += 1
    log(f"Farming: {created} growing areas created, {points} village markers, map settings for {commune.name}.")


def _season(area: GrowingArea) -> None:
    name, starts, harvest_on, expected = SEASONS[area.crop]
    area.refresh_from_db()
    season = services.season_save(
        season=Season(
            growing_area=area,
            name=name,
            variety=area.variety,
            area_ha=area.measured_area_ha.quantize(Decimal("0.01")),
            starts_on=starts,
            expected_harvest_on=harvest_on,
            expected_yield_t=(expected * area.measured_area_ha).quantize(Decimal("0.1")),
        )
    )
    diary = RICE_DIARY if area.crop == "Lúa" else VEGETABLE_DIARY
    total = Decimal("0")
    for offset, kind, inputs, per_ha in diary:
        quantity = (per_ha * area.measured_area_ha).quantize(Decimal("1")) if per_ha else None
        services.diary_entry_add(
            area=area,
            season=season,
            kind=kind,
            on=date.fromordinal(starts.toordinal() + offset),
            performed_by="Tổ sản xuất mẫu",
            quantity=quantity,
            unit="KGM" if quantity else "",
            inputs=inputs,
            by=None,
        )
        total += quantity or 0
    season.actual_yield_t = (total / 1000).quantize(Decimal("0.001"))
    services.season_save(season=season)
