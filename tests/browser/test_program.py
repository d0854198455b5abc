import io
from datetime import date

import pytest
from PIL import Image

from conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live, username, next_url):
    page.goto(f"{live}/tai-khoan/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("pw-Test-12345")
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_village_head_updates_the_village_task_with_a_milestone_photo_on_a_phone(
    phone_page, live, commune, villages, tmp_path
):
    from smartcommune.accounts.models import Role
    from smartcommune.program.models import Milestone, Objective, Plan, Task
    from smartcommune.program.services import tasks

    plan = Plan.objects.create(
        commune=commune, number="45/KH-UBND", issued_on=date(2025, 7, 15), title="Kế hoạch 2025",
        period_from=date(2025, 1, 1), period_to=date(2025, 12, 31),
    )  # fmt: skip
    objective = Objective.objects.create(plan=plan, number=4, title="Hạ tầng số")
    task = tasks.task_create(
        objective=objective, by=None, code="NV-03", title="Lắp Wi-Fi tại nhà văn hóa thôn", unit_kind="village",
        village=villages[0], start_on=date(2025, 5, 1), deadline=date(2025, 9, 15),
    )  # fmt: skip
    make_user("truongthon", Role.VILLAGE_HEAD, commune=commune, village=villages[0])
    photo = tmp_path / "wifi.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (20, 110, 200)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    page = phone_page
    log_in(page, live, "truongthon", f"/chuong-trinh/21238/nhiem-vu/{task.pk}/")
    form = page.locator("form[action$='/cap-nhat/']")
    form.locator("select[name=status]").select_option("in_progress")
    form.get_by_label("Tiến độ (%)").fill("60")
    form.locator("textarea[name=milestone_text]").fill("Đã lắp bộ phát Wi-Fi, chờ nghiệm thu")
    form.locator("input[name=happened_on]").fill("28/06/2025")
    form.locator("input[name=photo]").set_input_files(str(photo))
    form.get_by_role("button", name="Lưu cập nhật").click()

    milestone = page.locator(".milestones li").first
    milestone.get_by_text("Đã lắp bộ phát Wi-Fi, chờ nghiệm thu").wait_for()
    assert "28/06/2025" in milestone.inner_text() and "60 %" in milestone.inner_text()
    src = milestone.locator("img").get_attribute("src")  # tests keep uploads in memory: the file is not served
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # readable on a 360 px phone

    task.refresh_from_db()
    saved = Milestone.objects.get(task=task)
    assert (task.status, task.progress, saved.happened_on) == (Task.Status.IN_PROGRESS, 60, date(2025, 6, 28))
    assert saved.photo.name.endswith(".jpg") and src.endswith(saved.photo.name)
