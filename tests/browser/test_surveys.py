"""A household scans its slip on a phone (360 px), answers and sees the confirmation; a missing answer is
pointed out without losing what was typed; a conditional question shows and hides as answers change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from smartcommune.criteria.tests.conftest import mini_set  # noqa: F401
from smartcommune.surveys.tests.conftest import campaign, homes, open_campaign, slips  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_scan_answer_and_confirm_on_a_phone(phone_page, live, open_campaign, slips):  # noqa: F811
    from smartcommune.surveys.models import Answer, Response, Slip

    page = phone_page
    page.goto(f"{live}/khao-sat/tra-loi/?ma={slips['T01'][0]}")
    page.get_by_role("heading", name=open_campaign.title).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling at 360 px
    choices = page.locator("label.choice")
    assert choices.count() == 12
    box = choices.first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 120  # large touch targets

    for fieldset in page.locator("fieldset.q").all()[:-1]:
        fieldset.locator("label.choice").first.tap()  # "satisfied"
    page.locator("textarea").fill("Đề nghị sửa đèn đường <b>thôn</b>")
    page.locator("button.send").tap()

    page.wait_for_url("**/khao-sat/da-nhan/**")
    page.locator(".done").wait_for()
    assert open_campaign.title in page.locator("main").inner_text()
    assert Response.objects.count() == 1 and Slip.objects.filter(spent=True).count() == 1
    assert Answer.objects.get(question__name="y_kien").text == "Đề nghị sửa đèn đường <b>thôn</b>"

    page.goto(f"{live}/khao-sat/tra-loi/?ma={slips['T01'][0]}")  # the same slip again
    assert Response.objects.count() == 1
    assert page.locator("form.survey").count() == 0


def test_a_missing_answer_is_pointed_out(phone_page, live, open_campaign, slips):  # noqa: F811
    from smartcommune.surveys.models import Response

    page = phone_page
    page.goto(f"{live}/khao-sat/tra-loi/?ma={slips['T02'][0]}")
    page.locator("textarea").fill("Ý kiến giữ lại")
    page.locator("button.send").tap()
    page.locator(".msg.error").wait_for()
    assert page.locator("fieldset.has-error").count() == 6
    assert page.locator("textarea").input_value() == "Ý kiến giữ lại"
    assert not Response.objects.exists()


def test_a_question_shows_only_when_its_condition_is_met(page, live, commune, official, homes):  # noqa: F811
    from smartcommune.surveys import services
    from smartcommune.surveys.models import Answer, Question

    today = timezone.localdate()
    survey = services.campaign_create(
        commune=commune,
        kind="general",
        title="Nhu cầu số",
        opens_on=today,
        closes_on=today + timedelta(days=2),
        by=official,
    )
    phone = services.question_save(
        question=Question(campaign=survey, name="phone", kind="yes_no", text="Có điện thoại?", required=True),
        options=[("yes", "Có"), ("no", "Không")],
    )
    services.question_save(
        question=Question(campaign=survey, name="apps", kind="multiple", text="Ứng dụng?", required=True,
                          show_if_question=phone, show_if_value="yes"),
        options=[("zalo", "Zalo"), ("vneid", "VNeID")],
    )  # fmt: skip
    services.campaign_open(campaign=survey, by=official)
    code = services.slips_issue(campaign=survey, village=homes[0], by=official).codes[0]

    page.goto(f"{live}/khao-sat/tra-loi/?ma={code}")
    apps = page.locator("#q-apps")
    assert apps.is_hidden()
    page.get_by_label("Có", exact=True).check()
    assert apps.is_visible()
    page.get_by_label("Zalo").check()
    page.get_by_label("Không", exact=True).check()
    assert apps.is_hidden()
    page.locator("button.send").click()
    page.wait_for_url("**/khao-sat/da-nhan/**")
    assert list(Answer.objects.values_list("question__name", "option__value")) == [("phone", "no")]
