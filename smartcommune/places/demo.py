"""Demo villages of Xã Vệ Giang. The names are synthetic ("Mẫu" = sample): the real list is the commune's."""

from collections.abc import Callable

from .models import Commune, CommuneGroup, Region, Village

COMMUNE_CODE = "21238"
OTHER_COMMUNE_CODE = "21235"  # Xã Tư Nghĩa, a neighbour, used to show that communes are kept apart

VILLAGES = [
    *((f"SV{i:02d}", f"Tổ dân phố Mẫu Sông Vệ {i}", Village.Kind.TO_DAN_PHO) for i in range(1, 5)),
    *((f"NH{i:02d}", f"Thôn Mẫu Nghĩa Hiệp {i}", Village.Kind.THON) for i in range(1, 5)),
    *((f"NP{i:02d}", f"Thôn Mẫu Nghĩa Phương {i}", Village.Kind.THON) for i in range(1, 5)),
]

INTRODUCTION = (
    "Xã Vệ Giang (tỉnh Quảng Ngãi) được thành lập ngày 01/07/2025 trên cơ sở thị trấn Sông Vệ, "
    "xã Nghĩa Hiệp và xã Nghĩa Phương. Dữ liệu trên trang này là dữ liệu minh họa."
)


def run(*, log: Callable[[str], None]) -> Commune:
    commune = Commune.objects.get(code=COMMUNE_CODE)
    if not commune.region or not commune.introduction:
        commune.region, commune.group, commune.introduction = Region.DHNTB, CommuneGroup.TWO, INTRODUCTION
        commune.save()
    created = 0
    for code, name, kind in VILLAGES:
        _, was_created = Village.objects.get_or_create(
            commune=commune, code=code, defaults={"name": name, "kind": kind}
        )
        created += was_created
    log(f"Villages: {created} created, {len(VILLAGES) - created} already there.")
    return commune
