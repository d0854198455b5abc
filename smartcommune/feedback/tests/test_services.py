import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from conftest import make_user
from smartcommune.accounts.models import Role
from smartcommune.feedback import selectors, services
from smartcommune.feedback.models import (
    ApiKey,
    Category,
    Holiday,
    Question,
    Report,
    ReportArea,
    ReportCounter,
    ReportUpdate,
    Status,
)
from smartcommune.feedback.working_time import TZ

from .conftest import HERE, MONDAY, photo

pytestmark = pytest.mark.django_db


# Submitting ---------------------------------------------------------------------------------------


def test_reports_are_numbered_per_commune_and_year(submit, other_commune, other_categories):
    first, second = submit(), submit()
    assert (first.number, second.number) == ("PA-2025-000001", "PA-2025-000002")
    elsewhere = services.report_submit(
        commune=other_commune,
        category=other_categories["KHAC"],
        description="Một vấn đề ở xã bên cạnh.",
        latitude=15.05,
        longitude=108.78,
        now=MONDAY,
    )
    assert elsewhere.number == "PA-2025-000001"
    next_year = submit(now=datetime(2026, 1, 5, 9, 0, tzinfo=TZ))
    assert next_year.number == "PA-2026-000001"


def test_the_number_year_is_the_local_year(submit):
    # 31/12/2025 18:30 UTC is already 01/01/2026 in Vietnam.
    report = submit(now=datetime(2025, 12, 31, 18, 30, tzinfo=UTC))
    assert report.number.startswith("PA-2026-")


def test_a_report_goes_to_the_category_unit_with_its_deadline(submit):
    report = submit()
    assert report.unit == "dept:kt"
    assert report.status == Status.RECEIVED and report.is_public
    assert report.deadline == datetime(2025, 6, 9, 17, 0, tzinfo=TZ)  # five working days
    assert report.answers == {"MUC-DO": "cao"}
    assert report.updates.get().kind == ReportUpdate.Kind.CREATED
    assert len(report.token) >= 40


def test_village_categories_go_to_the_head_of_the_report_village(submit, categories, villages, leader):
    security = categories["ANTT"]
    in_village = submit(category=security, raw_answers={}, village=villages[1])
    assert in_village.unit == "village:T02"
    assert in_village.deadline == datetime(2025, 6, 3, 8, 30, tzinfo=TZ)  # eight working hours
    without = submit(category=security, raw_answers={})
    assert without.unit == "dept:vp"  # the leadership routes it


def test_holidays_of_the_commune_push_the_deadline(submit, commune):
    Holiday.objects.create(commune=commune, date=date(2025, 6, 3), name="Nghỉ bù")
    assert submit().deadline == datetime(2025, 6, 10, 17, 0, tzinfo=TZ)


def test_private_categories_make_private_reports(submit, categories):
    report = submit(category=categories["XA-HOI"], raw_answers={})
    assert not report.is_public


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({"latitude": 48.85, "longitude": 2.35}, "latitude"),  # Paris
        ({"latitude": 21.03, "longitude": 105.85}, "latitude"),  # Hà Nội: Vietnam, not Vệ Giang
        ({"latitude": "abc", "longitude": "108.8"}, "latitude"),
        ({"latitude": "nan", "longitude": "108.8"}, "latitude"),
        ({"latitude": 15.03, "longitude": None}, "latitude"),
        ({"latitude": None, "longitude": None}, "latitude"),  # no pin, no village, no place
    ],
)
def test_bad_places_are_refused_and_nothing_is_stored(submit, place, field):
    with pytest.raises(ValidationError) as error:
        submit(**place)
    assert field in error.value.message_dict
    assert not Report.objects.exists()


def test_a_village_or_a_place_description_may_replace_the_pin(submit, villages):
    assert submit(latitude=None, longitude=None, village=villages[0]).village == villages[0]
    assert submit(latitude=None, longitude=None, place_text="Trước trường tiểu học").latitude is None


def test_a_village_of_another_commune_is_refused(submit, other_village):
    with pytest.raises(ValidationError) as error:
        submit(latitude=None, longitude=None, village=other_village)
    assert "village" in error.value.message_dict


def test_a_saved_area_replaces_the_reference_point(submit, commune):
    ReportArea.objects.create(commune=commune, latitude=15.10, longitude=108.70, radius_km=1)
    with pytest.raises(ValidationError):
        submit()
    assert submit(latitude=15.101, longitude=108.701).latitude == 15.101


def test_a_category_of_another_commune_or_closed_is_refused(submit, other_categories, road):
    with pytest.raises(ValidationError) as error:
        submit(category=other_categories["GT-DUONG"])
    assert "category" in error.value.message_dict
    road.is_active = False
    road.save()
    with pytest.raises(ValidationError):
        submit()
    with pytest.raises(ValidationError):
        submit(category=None)


def test_a_missing_required_answer_is_refused_without_using_a_number(submit):
    with pytest.raises(ValidationError) as error:
        submit(raw_answers={})
    assert "q_MUC-DO" in error.value.message_dict
    assert not Report.objects.exists() and not ReportCounter.objects.filter(last__gt=0).exists()
    assert submit().number == "PA-2025-000001"


def test_descriptions_must_say_something_but_not_too_much(submit):
    with pytest.raises(ValidationError) as error:
        submit(description="  hư  ")
    assert "description" in error.value.message_dict
    with pytest.raises(ValidationError):
        submit(description="x" * 4001)


def test_script_in_a_description_is_stored_as_text(submit):
    report = submit(description="<script>alert('x')</script> ổ gà")
    assert report.description == "<script>alert('x')</script> ổ gà"  # escaped when shown (see test_views)


def test_bad_contacts_are_refused(submit):
    with pytest.raises(ValidationError) as error:
        submit(reporter_phone="12345", reporter_email="không-phải-email")
    assert {"reporter_phone", "reporter_email"} <= set(error.value.message_dict)


def test_the_phone_is_stored_in_its_national_form(submit):
    assert submit(reporter_phone="+84 912 345 678").reporter_phone == "0912345678"


def test_photos_are_checked_resized_renamed_and_stripped_of_exif(submit):
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh của Nguyễn Văn A"  # camera maker
    report = submit(photos=[photo("nguyen-van-a.jpg", "JPEG", (3000, 2000), exif=exif), photo()])
    stored = list(report.photos.all())
    assert len(stored) == 2
    with stored[0].image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert max(image.size) == 1600 and not image.getexif()
    assert "nguyen" not in stored[0].image.name


def test_a_file_that_is_not_an_image_is_refused(submit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        submit(photos=[fake])
    assert "photos" in error.value.message_dict
    assert not Report.objects.exists()


def test_photos_over_the_limit_or_too_many_are_refused(submit, monkeypatch):
    with pytest.raises(ValidationError) as error:
        submit(photos=[photo(), photo(), photo(), photo()])
    assert "photos" in error.value.message_dict
    monkeypatch.setattr(services.reports, "PHOTO_MAX_BYTES", 100)
    with pytest.raises(ValidationError):
        submit(photos=[photo(size=(400, 400))])
    assert not Report.objects.exists()


def test_the_reporter_is_told_with_the_private_link(submit, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert report.number in message.subject and f"/phan-anh/theo-doi/{report.token}/" in message.body
    assert message.to == ["mau@example.invalid"]


def test_no_message_without_contacts(submit, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(reporter_phone="", reporter_email="")
    assert mailoutbox == []


def test_a_signed_in_resident_is_linked_to_the_report(submit, resident):
    assert submit(user=resident).reporter == resident


# Handling -----------------------------------------------------------------------------------------


def test_the_unit_moves_a_report_to_resolution(submit, economy, mailoutbox, django_capture_on_commit_callbacks):
    report = submit()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_transition(
            report=report, status=Status.ASSIGNED, note="Đã giao tổ giao thông.", by=economy
        )
        report = services.report_transition(
            report=report, status=Status.IN_PROGRESS, note="Đang vá.", by=economy, photo=photo()
        )
        report = services.report_transition(report=report, status=Status.RESOLVED, note="Đã vá xong.", by=economy)
    report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.closed_at is not None
    assert report.status_notes == "Đã vá xong."
    kinds = list(report.updates.values_list("kind", "status"))
    assert kinds == [("created", "received"), ("status", "assigned"), ("status", "in_progress"), ("status", "resolved")]
    assert report.updates.get(status="in_progress").photo
    assert len(mailoutbox) == 3


def test_a_note_is_required_for_every_change(submit, economy):
    report = submit()
    with pytest.raises(ValidationError) as error:
        services.report_transition(report=report, status=Status.IN_PROGRESS, note="  ", by=economy)
    assert "note" in error.value.message_dict
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_closed_reports_cannot_be_moved_and_duplicate_needs_a_merge(submit, economy):
    report = submit()
    report = services.report_transition(report=report, status=Status.REJECTED, note="Không có ổ gà.", by=economy)
    with pytest.raises(ValidationError):
        services.report_transition(report=report, status=Status.IN_PROGRESS, note="Mở lại.", by=economy)
    with pytest.raises(ValidationError):
        services.report_transition(report=submit(), status=Status.DUPLICATE, note="Trùng.", by=economy)
    with pytest.raises(ValidationError):
        services.report_transition(report=submit(), status="lost", note="?", by=economy)


def test_another_unit_or_commune_cannot_change_a_report(
    submit, official, village_head, coop_manager, outsider, province_official
):
    report = submit()
    for user in (official, village_head, coop_manager, outsider, province_official):
        with pytest.raises(PermissionDenied):
            services.report_transition(report=report, status=Status.IN_PROGRESS, note="Không phải của tôi.", by=user)
        with pytest.raises(PermissionDenied):
            services.report_reassign(report=report, unit="dept:vhxh", note="Chuyển.", by=user)
    report.refresh_from_db()
    assert report.status == Status.RECEIVED and report.unit == "dept:kt"
    assert report.updates.count() == 1


def test_the_leadership_may_handle_any_report(submit, leader):
    report = services.report_transition(report=submit(), status=Status.IN_PROGRESS, note="Văn phòng xử lý.", by=leader)
    assert report.status == Status.IN_PROGRESS


def test_reassignment_gives_the_report_to_the_new_unit(submit, economy, official, organisation):
    report = services.report_reassign(report=submit(), unit="dept:vhxh", note="Thuộc văn hóa – xã hội.", by=economy)
    assert (report.unit, report.status) == ("dept:vhxh", Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        services.report_transition(report=report, status=Status.IN_PROGRESS, note="Làm tiếp.", by=economy)
    report = services.report_reassign(report=report, unit="org:HTX-T01", note="Hợp tác xã phụ trách.", by=official)
    assert report.unit == "org:HTX-T01"


def test_a_cooperative_manager_handles_reports_given_to_the_cooperative(submit, economy, organisation, coop_manager):
    report = services.report_reassign(report=submit(), unit="org:HTX-T01", note="Kênh mương của HTX.", by=economy)
    report = services.report_transition(report=report, status=Status.RESOLVED, note="Đã nạo vét.", by=coop_manager)
    assert report.status == Status.RESOLVED


def test_a_village_head_handles_the_reports_of_the_village(submit, categories, villages, village_head):
    report = submit(category=categories["ANTT"], raw_answers={}, village=villages[0])
    report = services.report_transition(report=report, status=Status.RESOLVED, note="Đã nhắc nhở.", by=village_head)
    assert report.status == Status.RESOLVED
    other = submit(category=categories["ANTT"], raw_answers={}, village=villages[1])
    with pytest.raises(PermissionDenied):
        services.report_transition(report=other, status=Status.RESOLVED, note="?", by=village_head)


def test_reassignment_to_an_unknown_unit_is_refused(submit, economy, other_village):
    report = submit()
    for unit in ("dept:xx", "org:KHONG-CO", f"village:{other_village.code}", "dept:kt"):
        with pytest.raises(ValidationError):
            services.report_reassign(report=report, unit=unit, note="Chuyển.", by=economy)


def test_merging_closes_a_duplicate_into_the_first_report(submit, economy, other_commune, other_categories):
    first, second, third = submit(), submit(), submit()
    services.report_merge(report=second, into=first, note="", by=economy)
    merged = services.report_merge(report=third, into=second, note="Cùng ổ gà.", by=economy)
    assert merged.duplicate_of == first  # a duplicate of a duplicate joins the first
    assert merged.status == Status.DUPLICATE and merged.closed_at
    second.refresh_from_db()
    assert "PA-2025-000001" in second.status_notes
    with pytest.raises(ValidationError):
        services.report_merge(report=first, into=first, note="", by=economy)
    elsewhere = services.report_submit(
        commune=other_commune,
        category=other_categories["KHAC"],
        description="Xã bên cạnh báo.",
        latitude=15.05,
        longitude=108.78,
    )
    with pytest.raises(ValidationError):
        services.report_merge(report=first, into=elsewhere, note="", by=economy)


def test_hiding_a_report_takes_it_off_the_public_side(submit, economy):
    report = services.report_set_public(report=submit(), is_public=False, by=economy)
    assert not Report.objects.public().filter(pk=report.pk).exists()


# Rating -------------------------------------------------------------------------------------------


def resolved(submit, economy, **kw):
    report = submit(**kw)
    return services.report_transition(
        report=report, status=Status.RESOLVED, note="Đã sửa.", by=economy, now=MONDAY + timedelta(hours=2)
    )


def test_only_resolved_reports_can_be_rated_once(submit, economy):
    with pytest.raises(ValidationError):
        services.report_rate(report=submit(), satisfied=True)
    report = services.report_rate(report=resolved(submit, economy), satisfied=True, comment="Cảm ơn.")
    assert report.satisfied is True and report.status == Status.RESOLVED
    with pytest.raises(ValidationError):
        services.report_rate(report=report, satisfied=False)


def test_not_satisfied_reopens_once_with_a_new_deadline(submit, economy):
    report = resolved(submit, economy)
    later = MONDAY + timedelta(days=10)
    report = services.report_rate(report=report, satisfied=False, comment="Vẫn còn ổ gà.", now=later)
    assert (report.status, report.reopened, report.closed_at) == (Status.IN_PROGRESS, True, None)
    assert report.deadline == services.deadline_for(report.category, later)
    report = services.report_transition(report=report, status=Status.RESOLVED, note="Đã vá lại.", by=economy)
    report = services.report_rate(report=report, satisfied=False, comment="Vẫn chưa ổn.")
    assert report.status == Status.RESOLVED and report.satisfied is False  # recorded, not reopened again
    assert list(report.updates.filter(kind="reopened").values_list("status", flat=True)) == ["in_progress"]


# Escalation ---------------------------------------------------------------------------------------


def test_overdue_reports_are_escalated_once(submit, economy, leader, mailoutbox):
    late, on_time, closed = submit(), submit(), submit()
    services.report_transition(report=closed, status=Status.RESOLVED, note="Xong.", by=economy)
    Report.objects.filter(pk=on_time.pk).update(deadline=MONDAY + timedelta(days=30))
    after = MONDAY + timedelta(days=20)
    escalated = services.reports_escalate(now=after)
    assert [r.number for r in escalated] == [late.number]
    assert services.reports_escalate(now=after) == []
    late.refresh_from_db()
    assert late.escalated_at == after
    assert late.updates.get(kind="escalated").is_public is False
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["vanphong@example.invalid"]
    assert late.number in mailoutbox[0].body


def test_the_escalate_command_can_run_again_and_again(submit, capsys):
    from django.core.management import call_command

    submit()
    Report.objects.update(deadline=MONDAY)
    call_command("feedback_escalate")
    call_command("feedback_escalate", "--commune", "21238")
    assert Report.objects.filter(escalated_at__isnull=False).count() == 1
    assert ReportUpdate.objects.filter(kind="escalated").count() == 1
    assert "1 report(s) escalated." in capsys.readouterr().out


# Reads --------------------------------------------------------------------------------------------


def test_nearby_open_reports_of_the_same_category(submit, categories, economy, commune, road):
    near = submit()
    submit(latitude=HERE[0] + 0.0027, longitude=HERE[1])  # about 300 m north
    submit(category=categories["DIEN-CS"], raw_answers={})
    services.report_transition(report=submit(), status=Status.RESOLVED, note="Xong.", by=economy)
    found = selectors.nearby_open_reports(commune, road, HERE[0] + 0.0005, HERE[1] + 0.0005)
    assert [(r.number, d < 200) for r, d in found] == [(near.number, True)]


def test_statistics_per_category_and_village(submit, economy, categories, villages, commune):
    on_time = resolved(submit, economy)  # resolved at once: on time
    services.report_rate(report=on_time, satisfied=True)
    late = submit(village=villages[0])
    Report.objects.filter(pk=late.pk).update(deadline=MONDAY - timedelta(days=1))
    late = services.report_transition(
        report=late, status=Status.RESOLVED, note="Muộn.", by=economy, now=MONDAY + timedelta(hours=2)
    )
    services.report_rate(report=late, satisfied=False)  # reopened, so not handled any more
    submit(category=categories["DIEN-CS"], raw_answers={}, village=villages[1])
    dup = submit()
    services.report_merge(report=dup, into=on_time, note="", by=economy)
    stats = selectors.public_statistics(commune)
    assert (stats.total.count, stats.total.handled, stats.total.on_time, stats.total.rated) == (3, 1, 1, 2)
    assert stats.total.satisfied_pct == 50.0
    roads = next(row for row in stats.by_category if row.key == "GT-DUONG")
    assert (roads.count, roads.on_time_pct) == (2, 100.0)
    assert roads.average_days is not None and roads.average_days < 1
    by_village = {row.key: row.count for row in stats.by_village}
    assert by_village == {"T01": 1, "T02": 1, "": 1}


def test_statistics_of_a_period(submit, commune):
    submit()
    assert selectors.public_statistics(commune, since=MONDAY + timedelta(days=1)).total.count == 0


# Set-up -------------------------------------------------------------------------------------------


def test_the_starting_categories_load_once(commune, villages):
    assert services.categories_load_defaults(commune=commune) == 7
    assert services.categories_load_defaults(commune=commune) == 0
    road = Category.objects.get(commune=commune, code="GT-DUONG")
    assert road.questions.get().values[2] == {"key": "cao", "name": "Cao – dễ gây tai nạn"}


def test_category_units_and_codes_are_checked(commune, categories):
    with pytest.raises(ValidationError) as error:
        services.category_save(
            category=Category(commune=commune, code="gt-duong", name="Trùng", unit="dept:kt", deadline_amount=1)
        )
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.category_save(
            category=Category(commune=commune, code="MOI", name="Mới", unit="org:KHONG-CO", deadline_amount=1)
        )
    with pytest.raises(ValidationError):
        services.category_save(
            category=Category(commune=commune, code="CÓ DẤU", name="Mới", unit="dept:kt", deadline_amount=1)
        )


def test_list_questions_need_choices_and_orders_are_unique(road):
    with pytest.raises(ValidationError):
        services.question_save(
            question=Question(category=road, code="A", description="?", datatype="singlevaluelist", order=2)
        )
    with pytest.raises(ValidationError):
        services.question_save(question=Question(category=road, code="B", description="?", datatype="string", order=1))
    question = services.question_save(
        question=Question(category=road, code="c", description="Làn nào?", datatype="multivaluelist", order=2),
        values_text="trai: Làn trái\nLàn phải",
    )
    assert question.code == "C" and question.values == [
        {"key": "trai", "name": "Làn trái"},
        {"key": "lan-phai", "name": "Làn phải"},
    ]


def test_holidays_are_unique_per_day(commune):
    services.holiday_add(commune=commune, date=date(2026, 2, 17), name="Tết")
    with pytest.raises(ValidationError):
        services.holiday_add(commune=commune, date=date(2026, 2, 17), name="Tết")


def test_api_keys_are_stored_hashed_and_can_be_revoked(commune, official):
    api_key, clear = services.api_key_create(commune=commune, name="Ứng dụng thử", by=official)
    assert clear not in api_key.key_hash and api_key.key_hash == ApiKey.hash(clear)
    assert services.api_key_authenticate(clear) == api_key
    services.api_key_revoke(api_key=api_key)
    assert services.api_key_authenticate(clear) is None
    assert services.api_key_authenticate("") is None


def test_a_village_head_of_another_village_is_not_the_unit(submit, categories, villages):
    head2 = make_user("head2", Role.VILLAGE_HEAD, commune=villages[1].commune, village=villages[1])
    report = submit(category=categories["ANTT"], raw_answers={}, village=villages[0])
    with pytest.raises(PermissionDenied):
        services.report_transition(report=report, status=Status.IN_PROGRESS, note="?", by=head2)


def test_the_service_counts_as_a_digital_service_once_reports_arrive_online(submit, commune, other_commune):
    from smartcommune.core import metrics

    day = MONDAY.date()
    assert metrics.read("feedback.digital_service", commune, day).value == 0
    submit(source=Report.Source.STAFF)  # typed in by staff: not the residents' online service
    assert metrics.read("feedback.digital_service", commune, day).value == 0
    submit()
    reading = metrics.read("feedback.digital_service", commune, day)
    assert reading.value == 1 and reading.detail.startswith("1 ")
    assert metrics.read("feedback.digital_service", other_commune, day).value == 0
    assert metrics.read("feedback.digital_service", commune, day + timedelta(days=400)).value == 0
