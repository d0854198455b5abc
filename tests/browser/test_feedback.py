"""A report goes from a resident's phone to the unit's inbox, through handling, back to the resident's rating."""

import io
import re

import pytest
from PIL import Image

from conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def no_tiles(page):
    """Map tiles come from the internet, which tests do not reach: answer them with nothing."""
    page.route(re.compile(r"^https?://[^/]*tile[^/]*/.*"), lambda route: route.abort())


def log_in(page, live, username, next_url):
    page.goto(f"{live}/tai-khoan/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("pw-Test-12345")
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_report_from_a_phone_is_handled_by_the_unit_and_rated(phone_page, page, live, commune, villages, tmp_path):
    from smartcommune.accounts.models import Department, Role
    from smartcommune.feedback import services
    from smartcommune.feedback.models import Report

    services.categories_load_defaults(commune=commune)
    make_user("canbo.kt", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.ECONOMY)
    picture = tmp_path / "den-hong.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 30, 60)).save(buffer, "JPEG")
    picture.write_bytes(buffer.getvalue())

    # The resident, on a 360 px phone, without an account.
    no_tiles(phone_page)
    phone_page.goto(f"{live}/phan-anh/21238/gui/")
    phone_page.locator("#id_category").select_option(label="Đèn chiếu sáng công cộng")
    phone_page.locator("#questions").get_by_text("Số hiệu cột đèn").wait_for()  # htmx brought the question
    phone_page.locator("#id_q_SO-COT").fill("C-017")
    phone_page.locator("#id_description").fill("Cả dãy đèn đường trước chợ không sáng ba hôm nay.")
    phone_page.locator("#pick-map").click()  # the pin goes where the resident taps
    assert phone_page.locator("#id_latitude").input_value().startswith("15.0")
    phone_page.locator("#id_photos").set_input_files(str(picture))
    phone_page.locator("#id_reporter_phone").fill("0912 345 678")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    phone_page.locator("#report-form button[type=submit]").click()
    phone_page.get_by_text("Phản ánh của bạn đã được tiếp nhận").wait_for()
    report = Report.objects.get()
    follow_url = phone_page.locator(".follow-link").inner_text().strip()
    assert report.number in phone_page.locator("h1").inner_text()
    assert follow_url.endswith(f"/phan-anh/theo-doi/{report.token}/")
    assert (report.unit, report.answers, report.photos.count()) == ("dept:kt", {"SO-COT": "C-017"}, 1)

    # The Economy Office finds it in its inbox and resolves it.
    no_tiles(page)
    log_in(page, live, "canbo.kt", "/phan-anh/21238/quan-ly/")
    page.get_by_role("link", name=report.number).click()
    page.locator("#id_t-status").select_option("in_progress")
    page.locator("#id_t-note").fill("Đã cử thợ điện kiểm tra.")
    page.locator("form[action$='/trang-thai/'] button[type=submit]").click()
    page.locator(".msg.success").wait_for()
    page.locator("#id_t-status").select_option("resolved")
    page.locator("#id_t-note").fill("Đã thay bóng và sửa dây, đèn sáng bình thường.")
    page.get_by_role("button", name="Lưu và báo người phản ánh").click()
    page.get_by_text("Đã cập nhật phản ánh và báo cho người phản ánh.").wait_for()
    report.refresh_from_db()
    assert report.status == "resolved"

    # Back on the phone, the resident reads the outcome and rates it.
    phone_page.goto(f"{live}/phan-anh/theo-doi/{report.token}/")  # the link, on the test server's address
    assert "Đã thay bóng và sửa dây" in phone_page.locator(".timeline").inner_text()
    phone_page.locator("input[name=satisfied][value=yes]").check()
    phone_page.locator("#id_comment").fill("Cảm ơn cán bộ xã.")
    phone_page.locator("form button[type=submit]").last.click()
    phone_page.get_by_text("Cảm ơn bạn đã đánh giá.").wait_for()
    report.refresh_from_db()
    assert report.satisfied is True and report.rating_comment == "Cảm ơn cán bộ xã."

    # The public page shows the outcome without the reporter's phone.
    phone_page.goto(f"{live}/phan-anh/21238/{report.number}/")
    text = phone_page.locator("main").inner_text()
    assert "Đã thay bóng" in text and "0912345678" not in text
