"""What a Vietnamese household and official read (these need the surveys translations in locale/vi)."""

import pytest
from django.urls import reverse

from smartcommune.surveys import services

from .conftest import all_satisfied

pytestmark = pytest.mark.django_db
ANSWER = "/khao-sat/tra-loi/"


def test_the_household_reads_the_answer_page_and_the_confirmation_in_vietnamese(client, open_campaign, slips):
    code = slips["T01"][0]
    page = client.get(ANSWER, {"ma": code}).content.decode()
    assert "Gửi câu trả lời" in page and "Mỗi hộ trả lời một lần" in page
    assert "Tiêu chí 4: Điện" in page and "Hài lòng" in page and "Không hài lòng" in page
    data = {"ma": code, **{f"a_{k}": v for k, v in all_satisfied(open_campaign).items()}}
    thanks = client.get(client.post(ANSWER, data)["Location"]).content.decode()
    assert "Cảm ơn! Câu trả lời của hộ đã được ghi nhận." in thanks


def test_refusals_are_clear_in_vietnamese(client, open_campaign, slips, settings):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    assert "Mã này đã được sử dụng" in client.get(ANSWER, {"ma": slips["T01"][0]}).content.decode()
    assert "Mã không đúng" in client.get(ANSWER, {"ma": "ABCD-EFGH"}).content.decode()
    data = {"ma": slips["T01"][1]}
    assert "Câu hỏi này cần được trả lời." in client.post(ANSWER, data).content.decode()
    settings.SURVEYS_RATE_LIMIT = 1
    client.get(ANSWER, {"ma": slips["T02"][0]})
    assert "Có quá nhiều lượt gửi từ kết nối của bạn" in client.get(ANSWER, {"ma": slips["T02"][0]}).content.decode()


def test_officials_read_results_in_vietnamese(login, official, open_campaign, slips):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    page = login(official).get(reverse("surveys:results", args=["21238", open_campaign.pk])).content.decode()
    assert "Số hộ đã trả lời theo thôn" in page and "Mức hài lòng chung" in page and "Chưa đạt" in page
