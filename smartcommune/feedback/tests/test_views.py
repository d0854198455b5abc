import json
from datetime import timedelta

import pytest
from django.urls import reverse

from smartcommune.feedback import access, selectors, services
from smartcommune.feedback.models import ApiKey, Category, Holiday, Question, Report, ReportArea, Status
from smartcommune.feedback.views import public as public_views

from .conftest import HERE, MONDAY, photo

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"feedback:{name}", args=["21238", *args])


def form_data(category, **overrides):
    data = {
        "category": category.pk,
        "description": "Đèn đường không sáng cả tuần nay.",
        "latitude": str(HERE[0]),
        "longitude": str(HERE[1]),
        "reporter_name": "Trần Thị Mẫu",
        "reporter_phone": "0987654321",
    }
    data.update(overrides)
    return data


@pytest.fixture
def lighting(categories):
    return categories["DIEN-CS"]


# Public pages -------------------------------------------------------------------------------------


def test_the_index_lists_communes_that_take_reports(client, categories):
    page = client.get(reverse("feedback:index")).content.decode()
    assert "Xã Vệ Giang" in page and url("new") in page


def test_the_public_list_shows_public_reports_without_reporters(client, submit, categories):
    submit(description="<script>alert('x')</script> ổ gà đầu cầu", place_text="Nhà ông Tư số 12")
    submit(category=categories["XA-HOI"], raw_answers={}, description="Chuyện riêng tư của một hộ dân.")
    page = client.get(url("list")).content.decode()
    assert "PA-2025-000001" in page and "PA-2025-000002" not in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    for private in ("Nguyễn Văn Mẫu", "0912345678", "mau@example.invalid", "Nhà ông Tư", "riêng tư"):
        assert private not in page


def test_the_public_list_filters_by_status(client, submit, economy):
    services.report_transition(report=submit(), status=Status.RESOLVED, note="Xong.", by=economy)
    submit()
    page = client.get(url("list"), {"status": "open"}).content.decode()
    assert "PA-2025-000002" in page and "PA-2025-000001" not in page


def test_the_map_layer_has_public_reports_snapped_and_nothing_personal(client, submit, categories, monkeypatch):
    recent = submit(now=MONDAY.replace(year=2099))  # "now" in the future keeps it inside the 90 days
    submit(category=categories["XA-HOI"], raw_answers={}, now=MONDAY.replace(year=2099))
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY.replace(year=2099) + timedelta(days=1))
    response = client.get(url("geojson"))
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert [f["properties"]["number"] for f in data["features"]] == [recent.number]
    long, lat = data["features"][0]["geometry"]["coordinates"]
    assert (lat, long) == (15.03, 108.8)
    text = json.dumps(data, ensure_ascii=False)
    assert "0912345678" not in text and "Nguyễn" not in text and "description" not in text


def test_the_public_detail_escapes_text_and_hides_the_reporter(client, submit):
    report = submit(description="<img src=x onerror=alert(1)> ổ gà")
    page = client.get(url("public", report.number)).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Nguyễn Văn Mẫu" not in page and "0912345678" not in page and report.token not in page
    assert "15.0301" not in page  # only the snapped point


def test_private_or_unknown_reports_have_no_public_page(client, submit, categories):
    private = submit(category=categories["XA-HOI"], raw_answers={})
    assert client.get(url("public", private.number)).status_code == 404
    assert client.get(url("public", "PA-2025-999999")).status_code == 404
    assert client.get("/phan-anh/99999/").status_code == 404


def test_a_resident_sends_a_report_and_gets_the_private_link(client, lighting):
    response = client.post(url("new"), form_data(lighting, photos=[photo()]))
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback:follow", args=[report.token])
    assert report.photos.count() == 1 and report.reporter_phone == "0987654321"
    page = client.get(response["Location"]).content.decode()
    assert report.number in page and f"/phan-anh/theo-doi/{report.token}/" in page


def test_bad_reports_get_messages_and_store_nothing(client, road):
    response = client.post(
        url("new"),
        form_data(road, description="", latitude="48.85", longitude="2.35", reporter_phone="123"),
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"description", "latitude", "reporter_phone", "q_MUC-DO"}
    page = response.content.decode()
    assert "Vị trí này nằm ngoài lãnh thổ Việt Nam." in page and "Hãy trả lời câu hỏi này." in page
    assert not Report.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_on_the_form(client, lighting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 an executable", content_type="image/png")
    response = client.post(url("new"), form_data(lighting, photos=[fake]))
    assert response.status_code == 400 and "photos" in response.context["form"].errors
    assert not Report.objects.exists()


def test_an_unknown_category_is_refused(client, other_categories, categories):
    response = client.post(url("new"), form_data(other_categories["DIEN-CS"]))
    assert response.status_code == 400 and "category" in response.context["form"].errors
    assert not Report.objects.exists()


def test_the_category_questions_come_with_the_form(client, road):
    page = client.get(url("new"), {"category": road.pk}).content.decode()
    assert 'name="q_MUC-DO"' in page
    partial = client.get(url("questions"), {"category": road.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="q_MUC-DO"' in partial and "<html" not in partial


def test_nearby_reports_are_shown_before_a_second_report_is_sent(client, submit, lighting):
    first = submit(category=lighting, raw_answers={})
    partial = client.get(
        url("nearby"), {"category": lighting.pk, "latitude": HERE[0] + 0.0003, "longitude": HERE[1]}
    ).content.decode()
    assert first.number in partial and 'name="confirm_new"' in partial
    # Without JavaScript: the first try shows them and stores nothing, the confirmed one is stored.
    response = client.post(url("new"), form_data(lighting))
    assert response.status_code == 200 and first.number in response.content.decode()
    assert Report.objects.count() == 1
    response = client.post(url("new"), form_data(lighting, confirm_new="on"))
    assert response.status_code == 302 and Report.objects.count() == 2


def test_the_nearby_notice_states_the_distance_the_search_uses(client, submit, lighting, monkeypatch):
    submit(category=lighting, raw_answers={})
    monkeypatch.setattr(selectors, "NEARBY_METRES", 1500)  # the text only: the search keeps its default
    near = {"category": lighting.pk, "latitude": HERE[0] + 0.0003, "longitude": HERE[1]}
    assert "1.500 m." in client.get(url("nearby"), near).content.decode()
    assert "1.500 m." in client.post(url("new"), form_data(lighting)).content.decode()


def test_a_flood_from_one_address_is_refused(client, lighting, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(public_views, "SUBMIT_LIMIT", 2)
    data = form_data(lighting, confirm_new="on")
    assert client.post(url("new"), data).status_code == 302
    assert client.post(url("new"), data).status_code == 302
    response = client.post(url("new"), data)
    assert response.status_code == 429 and Report.objects.count() == 2
    assert "quá nhiều phản ánh" in response.content.decode()
    cache.clear()


def test_a_signed_in_resident_finds_their_reports(login, resident, lighting, submit):
    client = login(resident)
    client.post(url("new"), form_data(lighting))
    submit()  # somebody else's
    page = client.get(reverse("feedback:mine")).content.decode()
    mine = Report.objects.get(reporter=resident)
    assert mine.number in page and "PA-2025-000002" not in page


def test_my_reports_need_a_login(client):
    assert client.get(reverse("feedback:mine")).status_code == 302


def test_the_reporter_rates_through_the_private_link(client, submit, economy):
    report = submit()
    follow = reverse("feedback:follow", args=[report.token])
    assert 'name="satisfied"' not in client.get(follow).content.decode()
    assert client.post(follow, {"satisfied": "no"}).status_code == 302  # refused with a message
    report.refresh_from_db()
    assert report.satisfied is None
    services.report_transition(report=report, status=Status.RESOLVED, note="Đã vá.", by=economy)
    page = client.get(follow).content.decode()
    assert 'name="satisfied"' in page and "Đã vá." in page
    assert client.post(follow, {"satisfied": "no", "comment": "Vẫn còn."}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.reopened


def test_an_unknown_follow_link_is_not_found(client):
    assert client.get(reverse("feedback:follow", args=["khong-co"])).status_code == 404


def test_the_statistics_page(client, submit, categories):
    submit()
    page = client.get(url("statistics"), {"ky": "all"}).content.decode()
    assert "Đường giao thông, cầu cống" in page


# Staff pages --------------------------------------------------------------------------------------


def test_a_unit_opens_its_inbox_on_its_own_reports(login, economy, submit, categories):
    submit()
    submit(category=categories["XA-HOI"], raw_answers={})
    page = login(economy).get(url("inbox")).content.decode()
    assert "PA-2025-000001" in page and "PA-2025-000002" not in page


def test_a_unit_may_widen_its_inbox_to_every_report_it_reads_and_still_counts_its_own(
    login, economy, leader, commune, submit, categories
):
    own = submit()
    other = submit(category=categories["XA-HOI"], raw_answers={})
    assert list(access.inbox_for(economy, commune)) == [own]
    assert set(access.inbox_for(leader, commune)) == set(access.reports_for(economy, commune)) == {own, other}
    response = login(economy).get(url("inbox"), {"unit": ""})
    page = response.content.decode()
    assert own.number in page and other.number in page
    assert response.context["summary"]["open"] == 1


def test_the_leadership_sees_every_report_and_overdue_ones_stand_out(login, leader, submit, categories):
    submit()
    submit(category=categories["XA-HOI"], raw_answers={})
    page = login(leader).get(url("inbox")).content.decode()
    assert "PA-2025-000001" in page and "PA-2025-000002" in page
    assert 'class="overdue"' in page  # the deadlines of June 2025 are past


def test_the_inbox_filters_escalated_reports(login, leader, submit):
    submit()
    escalated = submit()
    Report.objects.filter(pk=escalated.pk).update(escalated_at=MONDAY)
    page = login(leader).get(url("inbox"), {"escalated": "on"}).content.decode()
    assert escalated.number in page and "PA-2025-000001" not in page


def test_the_inbox_makes_a_bounded_number_of_queries(login, leader, submit, django_assert_max_num_queries):
    for _ in range(5):
        submit()
    client = login(leader)
    with django_assert_max_num_queries(22):
        client.get(url("inbox"))


def test_village_heads_and_cooperatives_see_only_their_reports(
    login, village_head, coop_manager, submit, categories, villages, economy, organisation
):
    mine = submit(category=categories["ANTT"], raw_answers={}, village=villages[0])
    submit(category=categories["ANTT"], raw_answers={}, village=villages[1])
    coop = services.report_reassign(report=submit(), unit="org:HTX-T01", note="HTX.", by=economy)
    page = login(village_head).get(url("inbox")).content.decode()
    assert mine.number in page and "PA-2025-000002" not in page and coop.number not in page
    assert login(village_head).get(url("report", "PA-2025-000002")).status_code == 404
    page = login(coop_manager).get(url("inbox")).content.decode()
    assert coop.number in page and mine.number not in page


def test_outsiders_see_no_staff_page(client, login, outsider, front_officer, resident, submit, categories):
    report = submit()
    category = categories["GT-DUONG"]
    question = category.questions.first()
    holiday = Holiday.objects.create(commune=report.commune, date=MONDAY.date(), name="Nghỉ")
    pages = [
        url("inbox"),
        url("report", report.number),
        url("categories"),
        url("category_create"),
        url("category", category.pk),
        url("question_create", category.pk),
        url("question", category.pk, question.pk),
        url("holidays"),
        url("area"),
        url("api_keys"),
    ]
    posts = [
        url("transition", report.number),
        url("reassign", report.number),
        url("merge", report.number),
        url("visibility", report.number),
        url("question_delete", category.pk, question.pk),
        url("holiday_delete", holiday.pk),
        url("categories"),
    ]
    for user in (outsider, front_officer, resident):
        signed_in = login(user)
        for page in pages:
            assert signed_in.get(page).status_code == 403, (user, page)
        for page in posts:
            assert signed_in.post(page, {"t-status": "resolved", "t-note": "x"}).status_code == 403, (user, page)
    client.logout()
    assert client.get(url("inbox")).status_code == 302
    report.refresh_from_db()
    assert (
        report.status == Status.RECEIVED
        and Holiday.objects.exists()
        and Question.objects.filter(pk=question.pk).exists()
    )


def test_the_detail_shows_contacts_to_the_unit_and_masks_them_for_readers(
    login, economy, province_official, official, submit
):
    report = submit()
    page = login(economy).get(url("report", report.number)).content.decode()
    assert "Nguyễn Văn Mẫu" in page and "0912345678" in page
    for reader in (province_official, official):
        page = login(reader).get(url("report", report.number)).content.decode()
        assert "0912345678" not in page and "Nguyễn Văn Mẫu" not in page and "N. V. M." in page
        assert "t-status" not in page  # no handling form


def test_anonymous_reports_hide_the_reporter_from_staff(login, economy, submit):
    report = submit(anonymous=True)
    page = login(economy).get(url("report", report.number)).content.decode()
    assert "0912345678" not in page and "Nguyễn Văn Mẫu" not in page


def test_the_unit_changes_the_status_on_the_page(login, economy, submit):
    report = submit()
    client = login(economy)
    response = client.post(url("transition", report.number), {"t-status": "in_progress", "t-note": "Đang xử lý."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    response = client.post(url("transition", report.number), {"t-status": "in_progress", "t-note": ""})
    assert response.status_code == 400


def test_another_department_cannot_change_the_status(login, official, submit):
    report = submit()
    response = login(official).post(url("transition", report.number), {"t-status": "resolved", "t-note": "Xong."})
    assert response.status_code == 403
    assert "Chỉ đơn vị được giao xử lý phản ánh này hoặc lãnh đạo xã mới được thay đổi." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_reassign_merge_and_hide_on_the_page(login, economy, leader, submit):
    first, second = submit(), submit()
    client = login(economy)
    response = client.post(url("merge", second.number), {"m-into": "PA-2025-999999"})
    assert response.status_code == 400
    assert client.post(url("merge", second.number), {"m-into": first.number}).status_code == 302
    assert client.post(url("visibility", first.number), {"public": "0"}).status_code == 302
    response = client.post(url("reassign", first.number), {"r-unit": "dept:vhxh", "r-note": "Không thuộc kinh tế."})
    assert response.status_code == 302  # commune officials still read it, read-only
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.unit, first.is_public, second.duplicate_of_id) == ("dept:vhxh", False, first.pk)
    assert login(leader).post(url("reassign", first.number), {"r-unit": "dept:xx", "r-note": "?"}).status_code == 400


def test_officials_set_up_categories_and_questions(login, official, commune, villages):
    client = login(official)
    assert client.post(url("categories")).status_code == 302
    assert Category.objects.filter(commune=commune).count() == 7
    response = client.post(
        url("category_create"),
        {
            "code": "cay-xanh",
            "name": "Cây xanh",
            "unit": "dept:kt",
            "deadline_amount": "3",
            "deadline_unit": "days",
            "is_public": "on",
            "is_active": "on",
            "order": "5",
        },
    )
    category = Category.objects.get(code="CAY-XANH")
    assert response.status_code == 302
    response = client.post(
        url("question_create", category.pk),
        {
            "code": "LOAI",
            "description": "Loại cây",
            "datatype": "singlevaluelist",
            "order": "1",
            "variable": "on",
            "values_text": "to: Cây to\nnho: Cây nhỏ",
        },
    )
    assert response.status_code == 302 and category.questions.get().values[0] == {"key": "to", "name": "Cây to"}
    response = client.post(
        url("category_create"), {"code": "X", "name": "X", "unit": "org:KHONG", "deadline_amount": "0"}
    )
    assert response.status_code == 400


def test_village_heads_cannot_set_up_categories(login, village_head, categories):
    assert login(village_head).get(url("categories")).status_code == 403


def test_holidays_area_and_keys_pages(login, official, commune):
    client = login(official)
    assert client.post(url("holidays"), {"date": "17/02/2026", "name": "Tết Bính Ngọ"}).status_code == 302
    assert Holiday.objects.get(commune=commune).date.isoformat() == "2026-02-17"
    assert client.post(url("holidays"), {"date": "17/02/2026", "name": "Lại"}).status_code == 400
    page = client.get(url("area")).content.decode()
    assert "15.03" in page or "15,03" in page
    response = client.post(url("area"), {"latitude": "48.8", "longitude": "2.3", "radius_km": "5"})
    assert response.status_code == 400 and not ReportArea.objects.exists()
    response = client.post(url("area"), {"latitude": "15.031", "longitude": "108.801", "radius_km": "6,5"})
    assert response.status_code == 302 and float(ReportArea.objects.get().radius_km) == 6.5
    response = client.post(url("api_keys"), {"name": "Ứng dụng Hue-S thử", "hourly_limit": "100"})
    api_key = ApiKey.objects.get()
    assert response.status_code == 200 and api_key.prefix in response.content.decode()
    assert client.post(url("api_key_revoke", api_key.pk)).status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
