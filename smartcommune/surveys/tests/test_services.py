from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from smartcommune.surveys import codes, services
from smartcommune.surveys.models import Answer, Campaign, Question, Response, Slip, SlipBatch

from .conftest import add_households, all_satisfied

pytestmark = pytest.mark.django_db


def counts():
    return Response.objects.count(), Answer.objects.count(), Slip.objects.filter(spent=True).count()


def question(campaign, name, kind, *, options=(), **fields):
    q = Question(campaign=campaign, name=name, kind=kind, text=name.title(), **fields)
    return services.question_save(question=q, options=list(options))


@pytest.fixture
def general(commune, official):
    today = timezone.localdate()
    return services.campaign_create(
        commune=commune,
        kind=Campaign.Kind.GENERAL,
        title="Khảo sát chung",
        opens_on=today,
        closes_on=today + timedelta(days=5),
        by=official,
    )


# Campaigns ----------------------------------------------------------------------------------------


def test_a_satisfaction_campaign_gets_one_item_per_criterion_an_overall_question_and_a_comment(campaign, mini_set):
    questions = list(campaign.questions.order_by("position"))
    criteria = list(mini_set.criteria.order_by("number"))
    items = [q for q in questions if q.role == Question.Role.ITEM]
    assert [q.criterion_id for q in items] == [c.pk for c in criteria]
    assert all(q.kind == Question.Kind.YES_NO and q.required for q in items)
    assert [q.role for q in questions[-2:]] == [Question.Role.OVERALL, Question.Role.COMMENT]
    assert questions[-1].kind == Question.Kind.TEXT and not questions[-1].required
    assert set(items[0].options.values_list("value", flat=True)) == {"yes", "no"}


def test_the_thresholds_default_to_90_80_70_and_stay_editable(campaign, front_officer):
    assert (campaign.overall_threshold, campaign.item_threshold, campaign.coverage_threshold) == (90, 80, 70)
    services.campaign_update(campaign=campaign, by=front_officer, overall_threshold=Decimal("95"), min_group_size=5)
    campaign.refresh_from_db()
    assert campaign.overall_threshold == 95 and campaign.min_group_size == 5
    assert campaign.history.count() == 2


def test_a_threshold_above_100_or_a_closing_date_before_the_opening_is_refused(campaign, front_officer):
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=campaign, by=front_officer, item_threshold=Decimal("120"))
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=campaign, by=front_officer, closes_on=campaign.opens_on - timedelta(days=1))
    campaign.refresh_from_db()
    assert campaign.item_threshold == 80


def test_a_survey_without_questions_cannot_open(general, official):
    with pytest.raises(ValidationError):
        services.campaign_open(campaign=general, by=official)


def test_opening_and_closing_follow_the_status(campaign, front_officer):
    services.campaign_open(campaign=campaign, by=front_officer)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    services.campaign_close(campaign=campaign, by=front_officer)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    with pytest.raises(ValidationError):
        services.campaign_close(campaign=campaign, by=front_officer)


# Slips ---------------------------------------------------------------------------------------------


def test_a_village_gets_one_slip_per_active_household(open_campaign, homes, front_officer):
    issued = services.slips_issue(campaign=open_campaign, village=homes[0], by=front_officer)
    assert len(issued.codes) == 4 and len(set(issued.codes)) == 4  # the inactive household gets none
    assert all(codes.normalize(c) == c for c in issued.codes)
    assert Slip.objects.filter(village=homes[0]).count() == 4
    assert SlipBatch.objects.get().kind == SlipBatch.Kind.FIRST


def test_only_digests_of_the_codes_are_stored(open_campaign, homes, front_officer):
    issued = services.slips_issue(campaign=open_campaign, village=homes[0], by=front_officer)
    stored = set(Slip.objects.values_list("code_digest", flat=True))
    assert stored == {codes.digest(c) for c in issued.codes}
    assert not stored & set(issued.codes)


def test_printing_again_before_any_answer_cancels_the_earlier_sheet(open_campaign, homes, front_officer):
    first = services.slips_issue(campaign=open_campaign, village=homes[0], by=front_officer).codes
    second = services.slips_issue(campaign=open_campaign, village=homes[0], by=front_officer)
    assert second.kind == SlipBatch.Kind.REPLACEMENT and len(second.codes) == 4
    with pytest.raises(services.CodeProblem) as problem:
        services.slip_find(first[0])
    assert problem.value.reason == "wrong"
    assert services.slip_find(second.codes[0])


def test_once_slips_are_used_only_new_households_get_extra_slips(open_campaign, slips, homes, front_officer):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    with pytest.raises(ValidationError):
        services.slips_issue(campaign=open_campaign, village=homes[0], by=front_officer)
    add_households(homes[0], 2)
    extra = services.slips_issue(campaign=open_campaign, village=homes[0], by=front_officer)
    assert extra.kind == SlipBatch.Kind.EXTRA and len(extra.codes) == 2
    assert services.slip_find(slips["T01"][1])  # the first sheet still works
    assert Slip.objects.filter(village=homes[0]).count() == 6


def test_slips_are_stored_in_digest_order_not_in_printing_order(open_campaign, commune, villages, front_officer):
    add_households(villages[0], 60)
    issued = services.slips_issue(campaign=open_campaign, village=villages[0], by=front_officer)
    stored = list(Slip.objects.order_by("pk").values_list("code_digest", flat=True))
    assert stored == sorted(stored)
    printed = [codes.digest(c) for c in issued.codes]
    assert printed != stored  # the sheet's order tells nothing about the rows


def test_a_closed_survey_prints_no_slips(open_campaign, homes, front_officer):
    services.campaign_close(campaign=open_campaign, by=front_officer)
    with pytest.raises(ValidationError):
        services.slips_issue(campaign=open_campaign, village=homes[0], by=front_officer)


# Answering -----------------------------------------------------------------------------------------


def test_an_answer_is_stored_and_its_code_spent_together(open_campaign, slips):
    response = services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, y_kien="Tốt"))
    assert counts() == (1, 7, 1)
    assert response.village.code == "T01" and response.channel == Response.Channel.ONLINE
    assert response.submitted_on == timezone.localdate()
    assert Answer.objects.get(text="Tốt").review == Answer.Review.PENDING


def test_a_code_answers_once(open_campaign, slips):
    code = slips["T01"][0]
    services.response_submit(code=code, answers=all_satisfied(open_campaign))
    with pytest.raises(services.CodeProblem) as problem:
        services.response_submit(code=code, answers=all_satisfied(open_campaign))
    assert problem.value.reason == "used"
    assert counts() == (1, 6, 1)


def test_a_code_is_accepted_in_small_letters_with_spaces_and_a_dash(open_campaign, slips):
    code = slips["T02"][0]
    typed = f" {code[:4].lower()} - {code[4:].lower()} "
    services.response_submit(code=typed, answers=all_satisfied(open_campaign))
    assert counts()[0] == 1


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFGHJ", "0000-0000", "<script>"])
def test_a_malformed_code_is_a_wrong_code(open_campaign, slips, typed):
    with pytest.raises(services.CodeProblem) as problem:
        services.response_submit(code=typed, answers={})
    assert problem.value.reason == "wrong"


def test_a_typing_mistake_is_caught_by_the_check_character(open_campaign, slips):
    code = slips["T01"][0]
    wrong = code[:2] + ("2" if code[2] != "2" else "3") + code[3:]
    with pytest.raises(services.CodeProblem):
        services.response_submit(code=wrong, answers=all_satisfied(open_campaign))
    assert counts() == (0, 0, 0)


def test_a_well_formed_code_that_was_never_printed_is_wrong(open_campaign, slips):
    body = "ABCDEFG"
    with pytest.raises(services.CodeProblem) as problem:
        services.slip_find(body + codes.check_character(body))
    assert problem.value.reason == "wrong"


def test_a_draft_survey_is_not_open_yet(campaign, homes, front_officer):
    issued = services.slips_issue(campaign=campaign, village=homes[0], by=front_officer)
    with pytest.raises(services.CodeProblem) as problem:
        services.response_submit(code=issued.codes[0], answers=all_satisfied(campaign))
    assert problem.value.reason == "not_open"


def test_after_the_closing_date_or_once_closed_no_answer_is_taken(open_campaign, slips, front_officer):
    Campaign.objects.filter(pk=open_campaign.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(services.CodeProblem) as problem:
        services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    assert problem.value.reason == "closed"
    Campaign.objects.filter(pk=open_campaign.pk).update(closes_on=timezone.localdate(), status=Campaign.Status.CLOSED)
    with pytest.raises(services.CodeProblem) as problem:
        services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    assert problem.value.reason == "closed"
    assert counts() == (0, 0, 0)


def test_an_answer_to_an_unknown_question_is_refused_and_the_code_stays_unused(open_campaign, slips):
    with pytest.raises(ValidationError) as error:
        services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, secret="x"))
    assert "secret" in error.value.message_dict["__all__"][0]
    assert counts() == (0, 0, 0)
    assert services.slip_find(slips["T01"][0])


def test_a_missing_required_answer_is_named(open_campaign, slips):
    answers = all_satisfied(open_campaign)
    del answers["tong_the"]
    with pytest.raises(ValidationError) as error:
        services.response_submit(code=slips["T01"][0], answers=answers)
    assert list(error.value.message_dict) == ["tong_the"]
    assert counts() == (0, 0, 0)


def test_an_oversized_comment_is_refused(open_campaign, slips):
    with pytest.raises(ValidationError) as error:
        services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, y_kien="x" * 2001))
    assert "2001" in error.value.message_dict["y_kien"][0]
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, y_kien="x" * 2000))
    assert counts()[0] == 1


def test_a_script_in_a_comment_is_kept_as_text_without_control_characters(open_campaign, slips):
    text = "<script>alert('x')</script>\x00 Đường đẹp"
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, y_kien=text))
    assert Answer.objects.get(question__name="y_kien").text == "<script>alert('x')</script> Đường đẹp"


def test_a_yes_no_answer_must_be_one_of_its_options(open_campaign, slips):
    with pytest.raises(ValidationError) as error:
        services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, tong_the="maybe"))
    assert "tong_the" in error.value.message_dict
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, tong_the=False))
    assert Answer.objects.get(question__name="tong_the").option.value == "no"


# Questions of every kind, and conditions ---------------------------------------------------------


@pytest.fixture
def questionnaire(general, official, homes):
    smart = question(general, "smartphone", Question.Kind.YES_NO, required=True)
    question(
        general,
        "services",
        Question.Kind.MULTIPLE,
        options=[("pay", "Thanh toán"), ("dvc", "Dịch vụ công"), ("shop", "Mua sắm")],
        show_if_question=smart,
        show_if_value="yes",
        required=True,
    )
    question(general, "ease", Question.Kind.SCALE)
    question(general, "channel", Question.Kind.SINGLE, options=[("a", "Tổ công nghệ số"), ("b", "Lớp học")])
    question(general, "members", Question.Kind.NUMBER, whole_number=True)
    question(general, "income", Question.Kind.NUMBER)
    question(general, "last", Question.Kind.DATE)
    question(general, "intro", Question.Kind.NOTE)
    question(general, "other", Question.Kind.TEXT, max_length=50)
    services.campaign_open(campaign=general, by=official)
    return general


@pytest.fixture
def general_codes(questionnaire, homes, official):
    return services.slips_issue(campaign=questionnaire, village=homes[0], by=official).codes


def test_every_kind_of_answer_is_stored_in_its_column(questionnaire, general_codes):
    services.response_submit(
        code=general_codes[0],
        answers={
            "smartphone": "yes",
            "services": ["pay", "dvc"],
            "ease": "4",
            "channel": "b",
            "members": "3",
            "income": "1.234,5",
            "last": "05/03/2025",
            "other": "Không",
        },
    )
    stored = {
        (a.question.name, a.option.value if a.option else None)
        for a in Answer.objects.select_related("question", "option")
    }
    assert ("services", "pay") in stored and ("services", "dvc") in stored and ("channel", "b") in stored
    assert Answer.objects.get(question__name="ease").number == 4
    assert Answer.objects.get(question__name="income").number == Decimal("1234.5")
    assert Answer.objects.get(question__name="last").date == date(2025, 3, 5)
    assert not Answer.objects.filter(question__name="intro").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ease", "6"),
        ("channel", "z"),
        ("members", "2,5"),
        ("members", "nhiều"),
        ("last", "31/02/2025"),
        ("services", ["pay", "x"]),
        ("other", "y" * 51),
        ("channel", ["a", "b"]),
    ],
)
def test_a_wrong_value_of_any_kind_is_refused_with_its_question(questionnaire, general_codes, name, value):
    answers = {"smartphone": "yes", "services": ["pay"], name: value}
    with pytest.raises(ValidationError) as error:
        services.response_submit(code=general_codes[0], answers=answers)
    assert list(error.value.message_dict) == [name]
    assert not Response.objects.exists()


def test_a_question_hidden_by_its_condition_is_neither_required_nor_stored(questionnaire, general_codes):
    services.response_submit(code=general_codes[0], answers={"smartphone": "no", "services": ["pay"]})
    assert not Answer.objects.filter(question__name="services").exists()


def test_a_question_shown_by_its_condition_is_required(questionnaire, general_codes):
    with pytest.raises(ValidationError) as error:
        services.response_submit(code=general_codes[0], answers={"smartphone": "yes"})
    assert list(error.value.message_dict) == ["services"]


def test_a_condition_must_point_to_an_earlier_choice_question_and_one_of_its_answers(general, official):
    text = question(general, "free", Question.Kind.TEXT)
    with pytest.raises(ValidationError):
        question(general, "after_text", Question.Kind.TEXT, show_if_question=text, show_if_value="x")
    yes_no = question(general, "yn", Question.Kind.YES_NO)
    with pytest.raises(ValidationError):
        question(general, "bad_value", Question.Kind.TEXT, show_if_question=yes_no, show_if_value="perhaps")
    later = question(general, "later", Question.Kind.YES_NO)
    first = Question.objects.get(name="free")
    first.show_if_question, first.show_if_value = later, "yes"
    with pytest.raises(ValidationError):
        services.question_save(question=first)


def test_question_keys_are_checked_and_unique(general):
    with pytest.raises(ValidationError):
        question(general, "1 bad key", Question.Kind.TEXT)
    question(general, "good", Question.Kind.TEXT)
    with pytest.raises(ValidationError):
        question(general, "good", Question.Kind.TEXT)


def test_choice_questions_need_two_distinct_options(general):
    with pytest.raises(ValidationError):
        question(general, "one", Question.Kind.SINGLE, options=[("a", "A")])
    with pytest.raises(ValidationError):
        question(general, "same", Question.Kind.SINGLE, options=[("a", "A"), ("a", "B")])


def test_options_are_typed_one_per_line_with_an_optional_key():
    assert services.parse_options("Có\n\nkhong = Không\n 3 = Ba ") == [("1", "Có"), ("khong", "Không"), ("3", "Ba")]


# Items lock once answered ----------------------------------------------------------------------------


def test_items_cannot_change_once_any_answer_exists(open_campaign, slips, front_officer):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    item = open_campaign.questions.filter(role=Question.Role.ITEM).first()
    item.text = "Đã sửa"
    with pytest.raises(ValidationError):
        services.question_save(question=item)
    with pytest.raises(ValidationError):
        services.question_delete(question=item)
    with pytest.raises(ValidationError):
        services.question_move(question=item, step=1)
    with pytest.raises(ValidationError):
        question(open_campaign, "new_item", Question.Kind.TEXT)
    assert not Question.objects.filter(text="Đã sửa").exists()
    services.campaign_update(campaign=open_campaign, by=front_officer, title="Tên mới")  # the description may change


def test_an_open_survey_without_answers_can_still_be_corrected(open_campaign):
    item = open_campaign.questions.filter(role=Question.Role.ITEM).first()
    item.text = "Tiêu chí 4: Điện (sửa lỗi chính tả)"
    services.question_save(question=item, options=[("yes", "Hài lòng"), ("no", "Chưa hài lòng")])
    assert item.options.get(value="no").label == "Chưa hài lòng"


def test_questions_move_but_never_above_the_question_they_depend_on(questionnaire, official):
    Response.objects.all().delete()
    services_q = Question.objects.get(name="services")
    with pytest.raises(ValidationError):
        services.question_move(question=services_q, step=-1)
    ease = Question.objects.get(name="ease")
    services.question_move(question=ease, step=-1)
    assert Question.objects.get(name="ease").position < Question.objects.get(name="services").position


# Paper forms, mixing, moderation ---------------------------------------------------------------------


def test_a_paper_form_is_recorded_with_its_channel_only_for_the_officers_villages(open_campaign, slips, villages):
    with pytest.raises(ValidationError):
        services.response_submit(
            code=slips["T02"][0], answers=all_satisfied(open_campaign), channel="paper", villages=[villages[0].pk]
        )
    response = services.response_submit(
        code=slips["T01"][0], answers=all_satisfied(open_campaign), channel="paper", villages=[villages[0].pk]
    )
    assert response.channel == Response.Channel.PAPER
    assert counts()[0] == 1


def test_closing_rewrites_the_used_slips_and_keeps_them_used(open_campaign, slips, front_officer):
    for code in slips["T01"][:3]:
        services.response_submit(code=code, answers=all_satisfied(open_campaign))
    before = set(Slip.objects.filter(spent=True).values_list("pk", "code_digest"))
    services.campaign_close(campaign=open_campaign, by=front_officer)
    after = set(Slip.objects.filter(spent=True).values_list("pk", "code_digest"))
    assert {d for _pk, d in before} == {d for _pk, d in after}
    assert not {pk for pk, _d in before} & {pk for pk, _d in after}
    assert Slip.objects.count() == 9
    with pytest.raises(services.CodeProblem) as problem:
        services.slip_find(slips["T01"][0])
    assert problem.value.reason == "used"


def test_comments_are_reviewed_only_within_their_campaign(open_campaign, slips):
    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign, y_kien="Tốt lắm"))
    comment = Answer.objects.get(text="Tốt lắm")
    assert services.comments_review(campaign=open_campaign, answer_ids=[comment.pk], decision="approved") == 1
    comment.refresh_from_db()
    assert comment.review == Answer.Review.APPROVED
    with pytest.raises(ValidationError):
        services.comments_review(campaign=open_campaign, answer_ids=[comment.pk], decision="deleted")
    other = Campaign.objects.create(
        commune=open_campaign.commune, title="Khác", opens_on=open_campaign.opens_on, closes_on=open_campaign.closes_on
    )
    assert services.comments_review(campaign=other, answer_ids=[comment.pk], decision="hidden") == 0


def test_a_draft_without_slips_can_be_deleted_but_not_once_slips_exist(campaign, homes, front_officer):
    services.slips_issue(campaign=campaign, village=homes[0], by=front_officer)
    with pytest.raises(ValidationError):
        services.campaign_delete(campaign=campaign)
    Slip.objects.all().delete()
    services.campaign_delete(campaign=campaign)
    assert not Campaign.objects.exists()


def test_the_daily_command_rewrites_the_used_slips_of_open_surveys(open_campaign, slips):
    import io

    from django.core.management import call_command

    services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    before = Slip.objects.get(spent=True).pk
    out = io.StringIO()
    call_command("surveys_mix", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert Slip.objects.get(spent=True).pk != before and Slip.objects.count() == 9
