import pytest
from django.core import mail
from django.urls import reverse

from smartcommune.accounts.models import ApiToken, Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Test-12345"


def test_an_official_logs_in_and_lands_on_the_commune_home(client, official, commune):
    response = client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:staff_home", args=[commune.code])
    assert "Xã Vệ Giang" in response.content.decode()


def test_a_wrong_password_gets_a_vietnamese_message(client, official):
    response = client.post(reverse("accounts:login"), {"username": "official", "password": "sai"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, official):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "official", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(login, official):
    client = login(official)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_an_email_with_a_link(client, official):
    official.email = "official@example.invalid"
    official.save()
    client.post(reverse("accounts:password_reset"), {"email": "official@example.invalid"})
    assert len(mail.outbox) == 1
    assert "/tai-khoan/dat-lai/" in mail.outbox[0].body


def test_a_user_changes_their_password(login, official):
    client = login(official)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2025", "new_password2": "Mot-mat-khau-moi-2025"},
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.check_password("Mot-mat-khau-moi-2025")


def test_an_official_creates_a_user_from_the_management_page(login, official, commune):
    response = login(official).post(
        reverse("accounts:users", args=[commune.code]),
        {
            "username": "mttq2",
            "full_name": "Cán bộ MTTQ",
            "password": "Mat-khau-rat-dai-2025",
            "role": Role.FRONT_OFFICER,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="mttq2").roles.get().commune == commune


def test_the_user_list_shows_only_people_of_the_commune(login, official, outsider, commune):
    page = login(official).get(reverse("accounts:users", args=[commune.code])).content.decode()
    assert "official" in page and "outsider" not in page


def test_an_outsider_cannot_open_or_post_to_the_user_management(login, outsider, official, commune):
    client = login(outsider)
    assert client.get(reverse("accounts:users", args=[commune.code])).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[commune.code, official.pk])).status_code == 403
    response = client.post(
        reverse("accounts:users", args=[commune.code]),
        {"username": "intruder", "full_name": "X", "password": "Mat-khau-rat-dai-2025", "role": Role.RESIDENT},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="intruder").exists()


def test_an_outsider_cannot_deactivate_a_ve_giang_user(login, outsider, village_head, commune):
    url = reverse("accounts:user_set_active", args=[commune.code, village_head.pk])
    assert login(outsider).post(url, {"active": "0"}).status_code == 403
    village_head.refresh_from_db()
    assert village_head.is_active


def test_an_official_deactivates_a_village_head(login, official, village_head, commune):
    url = reverse("accounts:user_set_active", args=[commune.code, village_head.pk])
    assert login(official).post(url, {"active": "0"}).status_code == 302
    village_head.refresh_from_db()
    assert not village_head.is_active


def test_a_new_token_is_shown_once(login, official):
    client = login(official)
    response = client.post(reverse("accounts:token_create"), {"name": "Cổng tỉnh"})
    token = ApiToken.objects.get(user=official)
    assert token.prefix in response.content.decode()
    assert token.prefix in client.get(reverse("accounts:profile")).content.decode()


def test_pages_are_in_vietnamese_by_default(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="vi"' in page and "Đăng nhập" in page


def test_nobody_revokes_someone_elses_token_through_the_page(login, official, outsider):
    from smartcommune.accounts import services

    token, _ = services.token_create(user=official, name="Cổng tỉnh")
    assert login(outsider).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_commune_chooser_lists_only_the_users_communes(login, province_official):
    page = login(province_official).get(reverse("accounts:home")).content.decode()
    assert "Xã Vệ Giang" in page and "Phường Ba Đình" not in page
