import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform.xls2xform import convert

from smartcommune.surveys import services, xlsform
from smartcommune.surveys.models import Campaign, Question

pytestmark = pytest.mark.django_db
VI = "label::Tiếng Việt (vi)"


def row(number: int) -> str:
    """How a problem message names its row, in the active language ("Dòng 2: …")."""
    return _("Row %(row)s: %(message)s") % {"row": number, "message": ""}


def rows_of(messages: list[str]) -> list[int]:
    return [next(n for n in range(1, 100) if m.startswith(row(n))) for m in messages]


def workbook(survey: list[list], choices: list[list] | None = None, settings: list[list] | None = None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    if settings:
        sheet = book.create_sheet("settings")
        for row in settings:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


FORM = workbook(
    [
        ["type", "name", VI, "label::English (en)", "hint::Tiếng Việt (vi)", "required", "relevant"],
        ["note", "intro", "Xin chào", "Hello", None, None, None],
        ["select_one yn", "has_phone", "Hộ có điện thoại thông minh?", "Smartphone?", None, "yes", None],
        ["select_multiple apps", "apps", "Ứng dụng đã dùng", "Apps", "Chọn nhiều", "true", "${has_phone} = 'yes'"],
        ["select_one kenh", "channel", "Kênh hướng dẫn", "Channel", None, None, None],
        ["integer", "members", "Số người", "Members", None, None, None],
        ["decimal", "area", "Diện tích (ha)", "Area", None, None, None],
        ["date", "last", "Ngày gần nhất", "Last", None, None, None],
        [],
        ["text", "other", "Ý kiến khác", "Other", None, None, "selected(${apps}, 'zalo')"],
    ],
    [
        ["list_name", "name", VI, "label::English (en)"],
        ["yn", "yes", "Có", "Yes"],
        ["yn", "no", "Không", "No"],
        ["apps", "zalo", "Zalo", "Zalo"],
        ["apps", "vneid", "VNeID", "VNeID"],
        ["kenh", "loa", "Loa truyền thanh", "Loudspeaker"],
        ["kenh", "lop", "Lớp học", "Class"],
    ],
    [["form_title", "form_id"], ["Nhu cầu chuyển đổi số", "nhu_cau"]],
).getvalue()


def test_an_xlsform_becomes_a_draft_questionnaire_with_vietnamese_labels(commune, official):
    campaign, skipped = xlsform.import_campaign(commune=commune, fileobj=io.BytesIO(FORM), by=official)
    assert campaign.kind == Campaign.Kind.GENERAL and campaign.status == Campaign.Status.DRAFT
    assert campaign.title == "Nhu cầu chuyển đổi số" and skipped == []
    questions = {q.name: q for q in campaign.questions.all()}
    assert [q.name for q in campaign.questions.order_by("position")] == [
        "intro", "has_phone", "apps", "channel", "members", "area", "last", "other",
    ]  # fmt: skip
    assert questions["has_phone"].kind == Question.Kind.YES_NO and questions["has_phone"].required
    assert questions["has_phone"].text == "Hộ có điện thoại thông minh?"
    assert questions["apps"].kind == Question.Kind.MULTIPLE and questions["apps"].help_text == "Chọn nhiều"
    assert (questions["apps"].show_if_question, questions["apps"].show_if_value) == (questions["has_phone"], "yes")
    assert questions["other"].show_if_question == questions["apps"] and questions["other"].show_if_value == "zalo"
    assert questions["members"].whole_number and not questions["area"].whole_number
    assert list(questions["channel"].options.values_list("value", "label")) == [
        ("loa", "Loa truyền thanh"),
        ("lop", "Lớp học"),
    ]
    assert questions["intro"].kind == Question.Kind.NOTE and questions["last"].kind == Question.Kind.DATE


def test_a_plain_label_column_is_enough(commune, official):
    book = workbook([["type", "name", "label"], ["text", "q1", "Câu hỏi một"]])
    campaign, _ = xlsform.import_campaign(commune=commune, fileobj=book, by=official, title="Đặt tên")
    assert campaign.title == "Đặt tên" and campaign.questions.get().text == "Câu hỏi một"


def problems(book) -> list[str]:
    from smartcommune.places.models import Commune

    with pytest.raises(ValidationError) as error:
        xlsform.import_campaign(commune=Commune.objects.get(code="21238"), fileobj=book, by=None)
    assert not Campaign.objects.exists()
    return error.value.messages


def test_repeats_groups_and_calculations_are_refused_with_their_rows(commune):
    messages = problems(
        workbook(
            [
                ["type", "name", "label"],
                ["begin_repeat", "members", "Thành viên"],
                ["text", "name", "Tên"],
                ["end_repeat", None, None],
                ["calculate", "total", None],
                ["geopoint", "where", "Vị trí"],
            ]
        )
    )
    assert rows_of(messages) == [2, 4, 5, 6]
    assert "begin_repeat" in messages[0]


def test_complex_conditions_and_unsupported_columns_are_refused(commune):
    messages = problems(
        workbook(
            [
                ["type", "name", "label", "relevant", "constraint", "required"],
                ["integer", "age", "Tuổi", None, ". > 0", None],
                ["text", "why", "Vì sao", "${age} > 18 and ${age} < 60", None, None],
                ["text", "more", "Thêm", None, None, "${age} > 3"],
            ]
        )
    )
    assert len(messages) == 3
    assert rows_of(messages) == [2, 3, 4]
    assert "constraint" in messages[0] and "${age} > 18" in messages[1]


def test_a_condition_on_a_later_or_free_text_question_is_refused(commune):
    messages = problems(
        workbook(
            [
                ["type", "name", "label", "relevant"],
                ["text", "first", "Một", "${second} = 'yes'"],
                ["text", "second", "Hai", None],
                ["text", "third", "Ba", "${second} = 'x'"],
            ]
        )
    )
    assert rows_of(messages) == [2, 4]


def test_collection_metadata_is_left_out_and_said_so(commune, official):
    book = workbook(
        [["type", "name", "label"], ["start", "start", None], ["deviceid", "device", None], ["text", "q", "Hỏi"]]
    )
    campaign, skipped = xlsform.import_campaign(commune=commune, fileobj=book, by=official)
    assert [q.name for q in campaign.questions.all()] == ["q"]
    assert rows_of(skipped) == [2, 3]


def test_an_invalid_form_gets_pyxforms_message_and_a_non_workbook_a_clear_one(commune):
    messages = problems(workbook([["type", "name", "label"], ["select_one missing", "q", "Hỏi"]]))
    assert (
        messages[0].startswith(_("The form is not valid XLSForm: %(error)s") % {"error": ""})
        and "choices" in messages[0]
    )
    assert problems(io.BytesIO(b"type,name,label\ntext,q,Q\n")) == [_("This file is not an XLSForm workbook (.xlsx).")]


def test_export_reads_back_the_same_questionnaire_and_pyxform_converts_it(commune, official, homes):
    original, _ = xlsform.import_campaign(commune=commune, fileobj=io.BytesIO(FORM), by=official)
    services.question_save(
        question=Question(campaign=original, name="ease", kind="scale", text="Dễ dùng?", required=True)
    )
    exported = xlsform.export(original)
    assert "<h:html" in convert(xlsform=io.BytesIO(exported), file_type=".xlsx").xform
    copy, _ = xlsform.import_campaign(commune=commune, fileobj=io.BytesIO(exported), by=official)

    def shape(campaign):
        return [
            (q.name, q.kind, q.text, q.help_text, q.required, q.whole_number,
             q.show_if_question.name if q.show_if_question else None, q.show_if_value,
             list(q.options.values_list("value", "label")))
            for q in campaign.questions.order_by("position")
        ]  # fmt: skip

    assert shape(copy) == shape(original)
    assert copy.title == original.title


def test_a_satisfaction_survey_exports_its_items_as_yes_no_questions(campaign):
    copy, _ = xlsform.import_campaign(commune=campaign.commune, fileobj=io.BytesIO(xlsform.export(campaign)), by=None)
    assert [q.kind for q in copy.questions.order_by("position")][:-1] == [Question.Kind.YES_NO] * 6


def test_the_import_page_creates_the_draft_and_shows_row_errors(login, official):
    client = login(official)
    page = client.post(
        reverse("surveys:xlsform_import", args=["21238"]),
        {
            "file": SimpleUploadedFile(
                "f.xlsx", workbook([["type", "name", "label"], ["begin_group", "g", "Nhóm"]]).getvalue()
            )
        },
    )
    assert page.status_code == 400 and row(2).strip() in page.content.decode()
    response = client.post(
        reverse("surveys:xlsform_import", args=["21238"]), {"file": SimpleUploadedFile("f.xlsx", FORM), "title": ""}
    )
    assert response.status_code == 302 and Campaign.objects.count() == 1
    export = client.get(reverse("surveys:xlsform_export", args=["21238", Campaign.objects.get().pk]))
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_the_import_refuses_people_who_cannot_create_surveys(login, village_head):
    assert login(village_head).get(reverse("surveys:xlsform_import", args=["21238"])).status_code == 403


def test_an_imported_questionnaire_runs_end_to_end(commune, official, homes):
    campaign, _ = xlsform.import_campaign(commune=commune, fileobj=io.BytesIO(FORM), by=official)
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() + timedelta(days=3))
    services.campaign_open(campaign=campaign, by=official)
    code = services.slips_issue(campaign=campaign, village=homes[0], by=official).codes[0]
    response = services.response_submit(code=code, answers={"has_phone": "yes", "apps": ["zalo"], "other": "Tốt"})
    assert response.answers.count() == 3
