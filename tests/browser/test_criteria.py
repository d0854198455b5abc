import pytest

from conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live, username, next_url):
    page.goto(f"{live}/tai-khoan/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("pw-Test-12345")
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_household_change_moves_the_indicator_then_the_year_is_submitted_and_approved(page, live, commune, villages):
    from smartcommune.accounts.models import Department, Role
    from smartcommune.criteria import loading
    from smartcommune.criteria.models import Assessment
    from smartcommune.criteria.tests.conftest import DATA, add_households

    loading.load_all(DATA)
    good = dict(safe_electricity=True, housing="kien_co", income=280_000_000, insured_members=4)
    add_households(villages[0], 23, **good)
    dark = add_households(villages[1], 2, **{**good, "safe_electricity": False})
    make_user("canbo", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.CULTURE_SOCIAL)
    make_user("tinh", Role.PROVINCE_OFFICIAL, province=commune.province)
    dashboard = "/tieu-chi/21238/?set=test-mini&year=2025"

    log_in(page, live, "canbo", dashboard)
    electricity = page.locator("li", has_text="Tỷ lệ hộ sử dụng điện an toàn")
    assert "92" in electricity.inner_text()

    page.goto(f"{live}/so-bo/21238/ho-gia-dinh/{dark[0].pk}/nam/2025/")
    page.get_by_label("Sử dụng điện an toàn").select_option("true")
    page.get_by_role("button", name="Lưu").click()
    page.goto(f"{live}{dashboard}")
    assert "96" in page.locator("li", has_text="Tỷ lệ hộ sử dụng điện an toàn").inner_text()

    page.get_by_role("button", name="Gửi duyệt").click()
    page.get_by_text("Đã gửi bản tự đánh giá").wait_for()
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, live, "tinh", dashboard)
    page.get_by_role("button", name="Phê duyệt").click()
    page.get_by_text("Đã phê duyệt").first.wait_for()
    assert Assessment.objects.get().status == "approved"
