import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartcommune.accounts import services
from smartcommune.accounts.models import ApiToken, Role, RoleAssignment, User


def test_an_official_creates_a_village_head_for_their_commune(official, commune, villages):
    user = services.user_create(
        by=official,
        commune=commune,
        username="truongthon2",
        full_name="Trưởng Thôn Hai",
        password="Mat-khau-rat-dai-2025",
        role=Role.VILLAGE_HEAD,
        village=villages[1],
    )
    assert user.roles.get().village == villages[1]
    assert user.check_password("Mat-khau-rat-dai-2025")


def test_a_duplicate_user_name_is_refused_and_nothing_is_created(official, commune):
    User.objects.create_user(username="trung", password="x")
    with pytest.raises(ValidationError) as error:
        services.user_create(
            by=official,
            commune=commune,
            username="TRUNG",
            full_name="X",
            password="Mat-khau-rat-dai-2025",
            role=Role.FRONT_OFFICER,
        )
    assert "TRUNG" in error.value.message_dict["username"][0]
    assert User.objects.filter(username__iexact="trung").count() == 1


def test_a_weak_password_is_refused(official, commune):
    with pytest.raises(ValidationError) as error:
        services.user_create(
            by=official, commune=commune, username="yeu", full_name="Y", password="123", role=Role.RESIDENT
        )
    assert "password" in error.value.message_dict
    assert not User.objects.filter(username="yeu").exists()


def test_an_official_cannot_assign_a_role_in_another_commune(official, other_commune, resident):
    with pytest.raises(PermissionDenied):
        services.role_assign(by=official, user=resident, role=Role.FRONT_OFFICER, commune=other_commune)
    assert not RoleAssignment.objects.filter(commune=other_commune).exists()


def test_an_official_cannot_give_a_village_of_another_commune(official, commune, resident, other_village):
    with pytest.raises(ValidationError):
        services.role_assign(by=official, user=resident, role=Role.VILLAGE_HEAD, commune=commune, village=other_village)


def test_an_official_cannot_make_anyone_a_province_official(official, commune, resident):
    with pytest.raises(PermissionDenied):
        services.role_assign(by=official, user=resident, role=Role.PROVINCE_OFFICIAL, commune=commune)


def test_a_village_head_cannot_create_users(village_head, commune):
    with pytest.raises(PermissionDenied):
        services.user_create(
            by=village_head,
            commune=commune,
            username="x1",
            full_name="X",
            password="Mat-khau-rat-dai-2025",
            role=Role.RESIDENT,
        )
    assert not User.objects.filter(username="x1").exists()


def test_a_commune_official_needs_a_department(official, commune, resident):
    with pytest.raises(ValidationError):
        services.role_assign(by=official, user=resident, role=Role.COMMUNE_OFFICIAL, commune=commune)


def test_a_token_authenticates_its_user_until_it_is_revoked(official):
    token, key = services.token_create(user=official, name="Hệ thống tỉnh")
    assert ApiToken.objects.get().key_hash != key  # only the hash is stored
    assert services.token_authenticate(key) == official
    services.token_revoke(user=official, token=token)
    assert services.token_authenticate(key) is None


def test_a_token_of_a_deactivated_user_stops_working(official):
    _, key = services.token_create(user=official, name="x")
    official.is_active = False
    official.save()
    assert services.token_authenticate(key) is None


def test_nobody_revokes_another_users_token(official, outsider):
    token, _ = services.token_create(user=official, name="x")
    with pytest.raises(PermissionDenied):
        services.token_revoke(user=outsider, token=token)


def test_role_changes_are_kept_in_the_history(official, commune, resident):
    assignment = services.role_assign(by=official, user=resident, role=Role.FRONT_OFFICER, commune=commune)
    assignment_id = assignment.id
    services.role_remove(by=official, assignment=assignment)
    assert [h.history_type for h in RoleAssignment.history.filter(id=assignment_id).order_by("history_date")] == [
        "+",
        "-",
    ]
