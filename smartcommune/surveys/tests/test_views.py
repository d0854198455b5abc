import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import make_user
from smartcommune.accounts.models import Department, Role
from smartcommune.surveys import codes, services
from smartcommune.surveys.models import Answer, Campaign, Question, Response, Slip

from .conftest import all_satisfied

pytestmark = pytest.mark.django_db
ANSWER = "/khao-sat/tra-loi/"


def url(name, *args):
    return reverse(f"surveys:{name}", args=["21238", *args])


def form_data(campaign, code, **overrides):
    return {"ma": code, **{f"a_{k}": v for k, v in all_satisfied(campaign, **overrides).items()}}


def stored():
    return Response.objects.count(), Slip.objects.filter(spent=True).count()


# The household's page ---------------------------------------------------------------------------


def test_the_code_page_asks_for_the_code(client):
    page = client.get(ANSWER)
    assert page.status_code == 200
    assert 'name="ma"' in page.content.decode()


def test_scanning_a_slip_opens_the_questions_on_a_small_page(client, open_campaign, slips):
    page = client.get(ANSWER, {"ma": slips["T01"][0]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lấy ý kiến sự hài lòng" in html and "Thôn Đồng Lớn" in html
    assert html.count('type="radio"') == 2 * 6  # five items and the overall question
    assert 'name="a_y_kien"' in html and "<script src=" in html
    assert len(page.content) < 40_000  # light on a slow network
    assert "cdn" not in html.lower()


def test_an_answer_is_received_and_confirmed(client, open_campaign, slips):
    response = client.post(ANSWER, form_data(open_campaign, slips["T01"][0], y_kien="Tốt"))
    assert response.status_code == 302
    assert stored() == (1, 1)
    assert Response.objects.get().channel == Response.Channel.ONLINE
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Lấy ý kiến sự hài lòng" in thanks.content.decode()


def test_a_used_code_gets_a_clear_refusal(client, open_campaign, slips):
    client.post(ANSWER, form_data(open_campaign, slips["T01"][0]))
    assert client.get(ANSWER, {"ma": slips["T01"][0]}).status_code == 409
    assert client.post(ANSWER, form_data(open_campaign, slips["T01"][0])).status_code == 409
    assert stored() == (1, 1)


def test_a_wrong_code_gets_a_clear_refusal_and_a_second_chance(client, open_campaign, slips):
    page = client.get(ANSWER, {"ma": "ABCD-EFGH"})
    assert page.status_code == 400
    assert 'name="ma"' in page.content.decode()


def test_a_closed_or_not_yet_open_survey_is_said_so(client, open_campaign, slips):
    Campaign.objects.filter(pk=open_campaign.pk).update(status=Campaign.Status.CLOSED)
    assert client.get(ANSWER, {"ma": slips["T01"][0]}).status_code == 410
    Campaign.objects.filter(pk=open_campaign.pk).update(
        status=Campaign.Status.OPEN, opens_on=timezone.localdate() + timedelta(days=1)
    )
    assert client.get(ANSWER, {"ma": slips["T01"][0]}).status_code == 403


def test_a_missing_answer_keeps_what_was_typed_and_saves_nothing(client, open_campaign, slips):
    data = form_data(open_campaign, slips["T01"][0], y_kien="Giữ lại ý kiến này")
    del data["a_tong_the"]
    page = client.post(ANSWER, data)
    html = page.content.decode()
    assert page.status_code == 400
    assert "Giữ lại ý kiến này" in html and 'id="e-tong_the"' in html
    assert stored() == (0, 0)


def test_an_answer_to_an_unknown_question_is_refused(client, open_campaign, slips):
    data = form_data(open_campaign, slips["T01"][0])
    data["a_khong_co"] = "1"
    assert client.post(ANSWER, data).status_code == 400
    assert stored() == (0, 0)


def test_an_oversized_comment_is_refused(client, open_campaign, slips):
    assert client.post(ANSWER, form_data(open_campaign, slips["T01"][0], y_kien="x" * 2001)).status_code == 400
    assert stored() == (0, 0)


def test_flooding_from_one_address_is_refused_with_429(client, open_campaign, slips, settings):
    settings.SURVEYS_RATE_LIMIT = 5
    statuses = [client.get(ANSWER, {"ma": slips["T01"][0]}).status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    refused = client.post(ANSWER, form_data(open_campaign, slips["T01"][0]))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert stored() == (0, 0)
    other = client.get(ANSWER, {"ma": slips["T01"][0]}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_guessing_codes_holds_the_address_back(client, open_campaign, slips, settings):
    settings.SURVEYS_WRONG_CODE_LIMIT = 3
    body = "ABCDEFG"
    guess = body + codes.check_character(body)
    statuses = [client.get(ANSWER, {"ma": guess}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 400]
    assert client.get(ANSWER, {"ma": slips["T01"][0]}).status_code == 429  # even a right code, for an hour


def test_the_answer_page_works_without_javascript_for_every_kind(client, commune, official, homes):
    today = timezone.localdate()
    campaign = services.campaign_create(
        commune=commune, kind="general", title="Chung", opens_on=today, closes_on=today, by=official
    )
    yn = services.question_save(question=Question(campaign=campaign, name="yn", kind="yes_no", text="Có?"))
    for name, kind, options in [
        ("many", "multiple", [("a", "A"), ("b", "B")]),
        ("scale", "scale", []),
        ("when", "date", []),
        ("count", "number", []),
    ]:
        services.question_save(
            question=Question(
                campaign=campaign,
                name=name,
                kind=kind,
                text=name,
                show_if_question=yn if name == "many" else None,
                show_if_value="yes" if name == "many" else "",
            ),
            options=options,
        )
    services.campaign_open(campaign=campaign, by=official)
    code = services.slips_issue(campaign=campaign, village=homes[0], by=official).codes[0]
    html = client.get(ANSWER, {"ma": code}).content.decode()
    assert 'type="checkbox"' in html and 'type="date"' in html and 'inputmode="decimal"' in html
    assert 'data-show-if="a_yn"' in html
    response = client.post(
        ANSWER,
        {"ma": code, "a_yn": "yes", "a_many": ["a", "b"], "a_scale": "5", "a_when": "2025-10-02", "a_count": "2,5"},
    )
    assert response.status_code == 302
    assert Answer.objects.filter(question__name="many").count() == 2


# Staff: creating and running a campaign ----------------------------------------------------------


def test_a_front_officer_creates_a_satisfaction_survey_with_its_items(login, front_officer, mini_set):
    client = login(front_officer)
    today = timezone.localdate()
    response = client.post(
        url("campaign_create"),
        {
            "kind": "satisfaction",
            "criteria_set": mini_set.pk,
            "title": "Hài lòng 2025",
            "legal_basis": "HD 78",
            "introduction": "",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=20)).isoformat(),
            "overall_threshold": "90",
            "item_threshold": "80",
            "coverage_threshold": "70",
            "min_group_size": "10",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.questions.filter(role=Question.Role.ITEM).count() == 5
    assert client.get(url("campaign", campaign.pk)).status_code == 200
    assert client.get(url("preview", campaign.pk)).status_code == 200


def test_a_commune_official_runs_general_questionnaires_but_not_the_satisfaction_survey(login, official, campaign):
    client = login(official)
    page = client.get(url("campaign_create")).content.decode()
    assert 'value="general"' in page and 'value="satisfaction"' not in page
    assert client.post(url("campaign_action", campaign.pk, "open")).status_code == 403
    assert client.get(url("campaign_edit", campaign.pk)).status_code == 403
    assert client.get(url("results", campaign.pk)).status_code == 200  # but reads its results


def test_a_village_head_and_a_resident_cannot_create_surveys(login, village_head, resident):
    assert login(village_head).get(url("campaign_create")).status_code == 403
    assert login(resident).get(url("campaigns")).status_code == 403


def test_the_manager_edits_thresholds_and_adds_a_question(login, front_officer, campaign):
    client = login(front_officer)
    data = {
        "title": campaign.title,
        "legal_basis": "HD 78",
        "introduction": "",
        "opens_on": campaign.opens_on.isoformat(),
        "closes_on": campaign.closes_on.isoformat(),
        "overall_threshold": "95",
        "item_threshold": "85",
        "coverage_threshold": "60",
        "min_group_size": "5",
    }
    assert client.post(url("campaign_edit", campaign.pk), data).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.overall_threshold, campaign.item_threshold, campaign.coverage_threshold) == (95, 85, 60)
    response = client.post(
        url("question_create", campaign.pk),
        {
            "text": "Kênh nhận thông tin?",
            "name": "kenh",
            "kind": "single",
            "options": "Loa\nZalo",
            "max_length": "1000",
        },
    )
    assert response.status_code == 302
    assert list(Question.objects.get(name="kenh").options.values_list("label", flat=True)) == ["Loa", "Zalo"]


def test_questions_cannot_be_edited_through_the_page_once_answered(login, front_officer, open_campaign, slips):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    question = open_campaign.questions.first()
    client = login(front_officer)
    response = client.post(
        url("question", open_campaign.pk, question.pk),
        {
            "text": "Sửa",
            "name": question.name,
            "kind": "yes_no",
            "role": "item",
            "required": "on",
            "max_length": "1000",
        },
    )
    assert response.status_code == 400
    assert Question.objects.get(pk=question.pk).text != "Sửa"
    client.post(url("question_action", open_campaign.pk, question.pk, "delete"))
    assert Question.objects.filter(pk=question.pk).exists()


def test_open_close_and_publish(login, front_officer, campaign, homes):
    client = login(front_officer)
    client.post(url("campaign_action", campaign.pk, "open"))
    campaign.refresh_from_db()
    assert campaign.status == "open"
    code = services.slips_issue(campaign=campaign, village=homes[0], by=front_officer).codes[0]
    services.response_submit(code=code, answers=all_satisfied(campaign))
    client.post(url("campaign_action", campaign.pk, "close"))
    client.post(url("campaign_action", campaign.pk, "publish"))
    campaign.refresh_from_db()
    assert campaign.status == "closed" and campaign.is_published
    assert client.get(reverse("surveys:public", args=[campaign.pk])).status_code == 200


# Slips and paper forms ---------------------------------------------------------------------------


def test_the_slip_sheet_is_a_pdf_with_no_household_data(login, front_officer, open_campaign, homes):
    client = login(front_officer)
    assert client.get(url("slips", open_campaign.pk)).status_code == 200
    response = client.post(url("slips", open_campaign.pk), {"village": homes[0].pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "no-store"
    assert Slip.objects.filter(village=homes[0]).count() == 4
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Thôn Đồng Lớn" in text and "Nguyễn Văn Mẫu" not in text and "T01-" not in text


def test_a_village_head_prints_and_enters_paper_forms_only_for_their_village(
    login, village_head, open_campaign, slips, homes
):
    client = login(village_head)
    assert client.post(url("slips", open_campaign.pk), {"village": homes[1].pk}).status_code == 404
    page = client.get(url("paper", open_campaign.pk), {"ma": slips["T02"][0]})
    assert page.status_code == 403
    page = client.get(url("paper", open_campaign.pk), {"ma": slips["T01"][0]})
    assert page.status_code == 200
    response = client.post(url("paper", open_campaign.pk), form_data(open_campaign, slips["T01"][0]))
    assert response.status_code == 302
    assert Response.objects.get().channel == Response.Channel.PAPER
    again = client.post(url("paper", open_campaign.pk), form_data(open_campaign, slips["T01"][0]))
    assert again.status_code == 409 and Response.objects.count() == 1  # "already used", nothing more


def test_a_village_front_officer_is_held_to_their_village(login, commune, villages, open_campaign, slips):
    officer = make_user("front_t02", Role.FRONT_OFFICER, commune=commune, village=villages[1])
    client = login(officer)
    assert client.get(url("paper", open_campaign.pk), {"ma": slips["T01"][0]}).status_code == 403
    assert client.post(url("paper", open_campaign.pk), form_data(open_campaign, slips["T02"][0])).status_code == 302
    assert client.get(url("campaign_edit", open_campaign.pk)).status_code == 403


def test_the_survey_list_asks_once_whether_the_user_is_the_communes_front_officer(login, front_officer, campaign):
    client = login(front_officer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("campaigns")).status_code == 200
    front_lookups = [q["sql"] for q in queries if "accounts_roleassignment" in q["sql"] and "IS NULL" in q["sql"]]
    assert len(front_lookups) == 1


# Results, exports, moderation --------------------------------------------------------------------


@pytest.fixture
def answered(open_campaign, slips):
    """T01: 3 of 4 answered, one not satisfied with the first item; T02: 1 of 3, with a script comment."""
    first_item = open_campaign.questions.filter(role=Question.Role.ITEM).first().name
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    services.response_submit(code=slips["T01"][1], answers=all_satisfied(open_campaign, **{first_item: "no"}))
    services.response_submit(code=slips["T01"][2], answers=all_satisfied(open_campaign), channel="paper")
    services.response_submit(
        code=slips["T02"][0], answers=all_satisfied(open_campaign, y_kien="<script>alert(1)</script> Cảm ơn")
    )
    return open_campaign


def test_the_results_page_shows_coverage_rates_and_shortfalls(login, official, answered, django_assert_max_num_queries):
    client = login(official)
    with django_assert_max_num_queries(20):
        page = client.get(url("results", answered.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "75,0 %" in html  # T01: 3 of 4 households
    assert "66,7" in html  # the first item in T01: 2 of 3
    assert 'class="fail"' in html


def test_comments_reach_the_results_only_once_approved_and_always_escaped(login, front_officer, answered):
    client = login(front_officer)
    assert "alert(1)" not in client.get(url("results", answered.pk)).content.decode()
    moderation = client.get(url("comments", answered.pk)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in moderation and "<script>alert(1)" not in moderation
    comment = Answer.objects.get(text__contains="alert")
    client.post(url("comments", answered.pk), {"answer": [comment.pk], "decision": "approved"})
    html = client.get(url("results", answered.pk)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Cảm ơn" in html and "<script>alert(1)" not in html
    client.post(url("comments", answered.pk), {"answer": [comment.pk], "decision": "hidden"})
    assert "alert(1)" not in client.get(url("results", answered.pk)).content.decode()


def test_results_export_to_excel_and_pdf(login, official, answered):
    client = login(official)
    xlsx = client.get(url("results_export", answered.pk, "xlsx"))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert {"Tong hop", "Theo thon", "Noi dung", "Cau hoi", "Y kien"} <= set(book.sheetnames)
    villages = {row[0].value: row[2].value for row in book["Theo thon"].iter_rows(min_row=2)}
    assert villages["Thôn Đồng Lớn"] == 3
    pdf = client.get(url("results_export", answered.pk, "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(url("results_export", answered.pk, "doc")).status_code == 404


def test_an_exported_comment_never_becomes_a_formula(login, front_officer, open_campaign, slips):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, y_kien="=HYPERLINK(1)"))
    services.comments_review(
        campaign=open_campaign,
        answer_ids=Answer.objects.exclude(text="").values_list("pk", flat=True),
        decision="approved",
    )
    book = load_workbook(io.BytesIO(login(front_officer).get(url("results_export", open_campaign.pk, "xlsx")).content))
    cell = book["Y kien"]["C2"]
    assert cell.data_type == "s" and cell.value.endswith("=HYPERLINK(1)")


def test_the_public_summary_appears_only_once_published_and_merges_small_villages(client, front_officer, answered):
    public = reverse("surveys:public", args=[answered.pk])
    assert client.get(public).status_code == 404
    services.campaign_update(campaign=answered, by=front_officer, min_group_size=2)
    services.campaign_publish(campaign=answered, by=front_officer)
    html = client.get(public).content.decode()
    assert "Thôn Đồng Lớn" in html  # 3 answers: shown
    assert "Thôn An Hòa" not in html  # 1 answer: merged
    assert "alert" not in html  # no comment is ever published


# Outsiders ---------------------------------------------------------------------------------------


def test_an_outsider_sees_and_changes_nothing(login, outsider, answered, homes):
    client = login(outsider)
    pk = answered.pk
    question = answered.questions.first()
    for name, args in [
        ("campaigns", ()), ("campaign_create", ()), ("xlsform_import", ()), ("campaign", (pk,)),
        ("campaign_edit", (pk,)), ("preview", (pk,)), ("slips", (pk,)), ("paper", (pk,)), ("results", (pk,)),
        ("comments", (pk,)), ("xlsform_export", (pk,)), ("question", (pk, question.pk)), ("question_create", (pk,)),
    ]:  # fmt: skip
        assert client.get(url(name, *args)).status_code in (403, 404), name
    assert client.get(url("results_export", pk, "xlsx")).status_code in (403, 404)
    for action in ("close", "publish", "delete"):
        assert client.post(url("campaign_action", pk, action)).status_code in (403, 404)
    assert client.post(url("slips", pk), {"village": homes[0].pk}).status_code in (403, 404)
    assert client.post(url("question_action", pk, question.pk, "delete")).status_code in (403, 404)
    answered.refresh_from_db()
    assert answered.status == "open" and not answered.is_published
    assert Slip.objects.count() == 9 and Question.objects.filter(pk=question.pk).exists()


def test_a_coop_manager_of_the_commune_reads_no_survey(login, coop_manager, campaign):
    assert login(coop_manager).get(url("campaigns")).status_code == 403


def test_the_province_reads_results_but_runs_nothing(login, province_official, answered):
    client = login(province_official)
    assert client.get(url("results", answered.pk)).status_code == 200
    assert client.post(url("campaign_action", answered.pk, "close")).status_code == 403


def test_another_communes_official_cannot_reach_a_campaign_through_their_own_commune(login, other_commune, answered):
    other = make_user("tn", Role.COMMUNE_OFFICIAL, commune=other_commune, department=Department.OFFICE)
    response = login(other).get(reverse("surveys:results", args=[other_commune.code, answered.pk]))
    assert response.status_code == 404


def test_once_answered_the_blank_form_comes_from_the_cache_and_stays_complete(client, open_campaign, slips):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    first = client.get(ANSWER, {"ma": slips["T01"][1]}).content.decode()
    second = client.get(ANSWER, {"ma": slips["T01"][2]}).content.decode()
    assert services.questions_frozen(open_campaign)
    assert first.count('type="radio"') == second.count('type="radio"') == 12
    assert slips["T01"][2] in second and slips["T01"][1] not in second  # the code is outside the cached part
