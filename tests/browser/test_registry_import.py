import pytest

from conftest import make_user
from smartcommune.registry.tests.conftest import csv_bytes, household_row

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_official_imports_a_household_file_and_sees_the_bad_row(page, live, commune, villages, tmp_path):
    from smartcommune.accounts.models import Department, Role
    from smartcommune.registry.models import Household

    make_user("canbo", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.ECONOMY)
    bad_file = tmp_path / "ho-gia-dinh.csv"
    bad_file.write_bytes(csv_bytes([household_row("H1"), household_row("H2", members="bốn"), household_row("H3")]))

    page.goto(f"{live}/tai-khoan/dang-nhap/?next=/so-bo/21238/nhap-du-lieu/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("pw-Test-12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Nội dung tệp").select_option("households")
    page.get_by_label("Tệp (.xlsx hoặc .csv)").set_input_files(str(bad_file))
    page.get_by_role("button", name="Nhập dữ liệu").click()

    status = page.locator("#import-status")
    status.get_by_text("Không nhập tệp").wait_for()
    row = status.locator("tbody tr")
    assert row.count() == 1
    assert row.first.inner_text().split("\t")[:3] == ["3", "Số nhân khẩu", "bốn"]
    assert Household.objects.count() == 0
