import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from smartcommune.criteria.models import Assessment, IndicatorValue
from smartcommune.places.models import Village

from .conftest import add_households

pytestmark = pytest.mark.django_db


def dashboard(year=2025):
    return f"{reverse('criteria:dashboard', args=['21238'])}?set=test-mini&year={year}"


def test_the_dashboard_shows_each_criterion_with_its_status(login, official, mini_set, picture):
    page = login(official).get(dashboard()).content.decode()
    assert "Điện" in page and "Chưa đạt" in page and "Đạt" in page and "Thiếu dữ liệu" in page
    assert "92 %" in page or "92%" in page or "92 " in page
    assert "⚠" in page  # 9.2's threshold needs verification


def test_the_dashboard_makes_the_same_number_of_queries_whatever_the_villages(
    login, official, mini_set, picture, commune, django_assert_max_num_queries
):
    client = login(official)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(dashboard())
    for i in range(20):
        village = Village.objects.create(commune=commune, code=f"Z{i:02d}", name=f"Thôn Z{i}")
        add_households(village, 2, safe_electricity=True, housing="kien_co", income=1, insured_members=4)
    with CaptureQueriesContext(connection) as many:
        client.get(dashboard())
    assert len(many) == len(few)


def test_the_indicator_page_lists_the_villages_that_hold_it_back(login, official, mini_set, picture):
    url = reverse("criteria:indicator", args=["21238", "test-mini", 2025, "4.2"])
    page = login(official).get(url).content.decode()
    assert "Thôn An Hòa" in page and "80" in page


def test_an_official_enters_a_value_through_the_page(login, official, mini_set, commune):
    url = reverse("criteria:indicator", args=["21238", "test-mini", 2025, "8.5"])
    response = login(official).post(url, {"value": "87,5", "note": "Báo cáo đài truyền thanh"})
    assert response.status_code == 302
    assert str(IndicatorValue.objects.get().value) == "87.5000"


def test_a_village_head_cannot_enter_values(login, village_head, mini_set):
    url = reverse("criteria:indicator", args=["21238", "test-mini", 2025, "8.4"])
    assert login(village_head).post(url, {"passed": "1"}).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_outsiders_see_no_page_and_change_nothing(login, outsider, mini_set, picture):
    client = login(outsider)
    args = ["21238", "test-mini", 2025]
    assert client.get(dashboard()).status_code == 403
    assert client.get(reverse("criteria:indicator", args=[*args, "4.2"])).status_code == 403
    assert client.get(reverse("criteria:villages", args=args)).status_code == 403
    assert client.get(reverse("criteria:report", args=[*args, "pdf"])).status_code == 403
    assert client.post(reverse("criteria:workflow", args=[*args, "submit"])).status_code == 403
    assert client.post(reverse("criteria:indicator", args=[*args, "8.4"]), {"passed": "1"}).status_code == 403
    assert not Assessment.objects.exists() and not IndicatorValue.objects.exists()


def test_the_province_view_is_for_that_provinces_officials(
    login, province_official, outsider, official, mini_set, picture
):
    url = reverse("criteria:province", args=["51"]) + "?set=test-mini&year=2025"
    page = login(province_official).get(url).content.decode()
    assert "Xã Vệ Giang" in page
    assert login(official).get(url).status_code == 403


def test_submit_and_approve_through_the_pages(login, official, province_official, mini_set, picture):
    args = ["21238", "test-mini", 2025]
    login(official).post(reverse("criteria:workflow", args=[*args, "submit"]))
    assert Assessment.objects.get().status == "submitted"
    login(province_official).post(reverse("criteria:workflow", args=[*args, "approve"]))
    assert Assessment.objects.get().status == "approved"


def test_an_official_cannot_approve(login, official, mini_set, picture):
    args = ["21238", "test-mini", 2025]
    login(official).post(reverse("criteria:workflow", args=[*args, "submit"]))
    assert login(official).post(reverse("criteria:workflow", args=[*args, "approve"])).status_code == 403


def test_the_xlsx_report_holds_every_indicator(login, official, mini_set, picture):
    response = login(official).get(reverse("criteria:report", args=["21238", "test-mini", 2025, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert {"4.2", "9.1", "9.2", "10", "15.1", "8.4", "8.5"} <= set(codes)


def test_the_pdf_report_is_a_pdf_with_vietnamese_text(login, official, mini_set, picture):
    from pypdf import PdfReader

    response = login(official).get(reverse("criteria:report", args=["21238", "test-mini", 2025, "pdf"]))
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Xã Vệ Giang" in text and "Chưa đạt" in text


def test_the_csv_has_commune_and_village_values(login, official, mini_set, picture):
    body = (
        login(official)
        .get(reverse("criteria:report", args=["21238", "test-mini", 2025, "csv"]))
        .content.decode("utf-8-sig")
    )
    assert "test-mini,2025,21238,,4.2,92.00,23,25,unmet" in body
    assert "test-mini,2025,21238,T02,4.2,80.00,8,10,unmet" in body


def test_a_province_official_corrects_a_threshold_for_the_province(login, province_official, outsider, mini_set):
    threshold = mini_set.indicators.get(code="4.2").thresholds.get()
    url = reverse("criteria:set", args=["test-mini"])
    login(outsider).post(url, {"threshold": threshold.pk, "province": 1, "value": "90", "reason": "x"})
    assert mini_set.indicators.get(code="4.2").thresholds.count() == 1
    province = province_official.roles.get().province
    login(province_official).post(
        url, {"threshold": threshold.pk, "province": province.pk, "value": "95", "reason": "QĐ 5/QĐ-UBND"}
    )
    correction = mini_set.indicators.get(code="4.2").thresholds.get(province=province)
    assert correction.value == 95 and correction.source == "QĐ 5/QĐ-UBND"
