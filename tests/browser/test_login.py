import pytest

from conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_commune_official_logs_in_sees_the_commune_home_and_logs_out(page, live, commune):
    from smartcommune.accounts.models import Department, Role

    make_user("canbo", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.CULTURE_SOCIAL)
    page.goto(f"{live}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("pw-Test-12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live}/quan-ly/21238/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Xã Vệ Giang")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live}/")
    assert page.get_by_role("link", name="Đăng nhập").is_visible()
