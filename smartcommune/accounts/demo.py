"""One demo account for each role in Xã Vệ Giang, plus a neighbouring commune's official."""

from collections.abc import Callable

from smartcommune.places.models import Commune, Village

from .models import Department, Role, RoleAssignment, User

DEMO_ORGANISATION = "HTX-VG01"

# username, full name (synthetic), role, where, description shown after `make run`
ACCOUNTS = [
    ("tinh.quangngai", "Cán Bộ Tỉnh Mẫu", Role.PROVINCE_OFFICIAL, "province", "province official, Quảng Ngãi"),
    (
        "xa.vhxh",
        "Cán Bộ Văn Hóa Mẫu",
        Role.COMMUNE_OFFICIAL,
        Department.CULTURE_SOCIAL,
        "commune official, culture and society (leads the programme)",
    ),
    ("xa.kinhte", "Cán Bộ Kinh Tế Mẫu", Role.COMMUNE_OFFICIAL, Department.ECONOMY, "commune official, economy"),
    ("xa.vanphong", "Cán Bộ Văn Phòng Mẫu", Role.COMMUNE_OFFICIAL, Department.OFFICE, "commune official, office"),
    ("thon.sv01", "Trưởng Thôn Mẫu", Role.VILLAGE_HEAD, "SV01", "village head, Tổ dân phố Mẫu Sông Vệ 1"),
    ("mttq", "Cán Bộ Mặt Trận Mẫu", Role.FRONT_OFFICER, "", "Fatherland Front officer (surveys)"),
    ("htx.quanly", "Quản Lý HTX Mẫu", Role.COOP_MANAGER, DEMO_ORGANISATION, "cooperative manager"),
    ("dan.mau", "Người Dân Mẫu", Role.RESIDENT, "", "resident"),
    (
        "xa.tunghia",
        "Cán Bộ Xã Bên Cạnh",
        Role.COMMUNE_OFFICIAL,
        Department.OFFICE,
        "official of Xã Tư Nghĩa (sees nothing of Vệ Giang)",
    ),
]


def run(
    *, commune: Commune, password: str, log: Callable[[str], None], password_changed: bool = True
) -> list[tuple[str, str]]:
    neighbour = Commune.objects.get(code="21235")
    for username, full_name, role, where, _description in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "is_demo": True, "email": f"{username}@example.invalid"},
        )
        if created or password_changed:
            user.set_password(password)
            user.save()
        place = {"commune": neighbour if username == "xa.tunghia" else commune}
        if role == Role.PROVINCE_OFFICIAL:
            place = {"province": commune.province}
        elif role == Role.COMMUNE_OFFICIAL:
            place["department"] = where
        elif role == Role.VILLAGE_HEAD:
            place["village"] = Village.objects.get(commune=commune, code=where)
        elif role == Role.COOP_MANAGER:
            place["organisation_code"] = where
        RoleAssignment.objects.get_or_create(user=user, role=role, **place)
    log(f"Accounts: {len(ACCOUNTS)} demo users.")
    return [(username, description) for username, *_rest, description in ACCOUNTS]
