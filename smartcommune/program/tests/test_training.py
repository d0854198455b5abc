"""Training classes, attendance by household or organisation, materials, outreach, and the totals that
feed the targets and the portal."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from smartcommune.core import metrics
from smartcommune.program import selectors
from smartcommune.program.models import Attendance, Material, OutreachActivity, TrainingClass
from smartcommune.program.services import training
from smartcommune.registry.models import Household

from .conftest import jpeg_file, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_class(commune, villages):
    return training.class_save(
        training_class=TrainingClass(
            commune=commune, title="Kỹ năng số cơ bản", topic="digital_skills", audience="residents",
            held_on=date(2025, 5, 22), place="Nhà văn hóa thôn Đồng Lớn", trainer="Tổ CNSCĐ", village=villages[0],
        )
    )  # fmt: skip


def test_attendance_by_household_organisation_or_group_adds_up(training_class, households, coop):
    training.attendance_record(training_class=training_class, household=households[0], participants=2)
    training.attendance_record(training_class=training_class, household=households[1], participants=1)
    training.attendance_record(training_class=training_class, organisation=coop, participants=6)
    training.attendance_record(training_class=training_class, group_name="Phòng Kinh tế", participants=4)
    training.attendance_record(training_class=training_class, household=households[0], participants=3)  # corrected
    totals = selectors.training_totals(training_class.commune, 2025)
    assert (totals.classes, totals.participants, totals.households, totals.organisations) == (1, 14, 2, 1)
    assert totals.by_topic == {"digital_skills": 14} and totals.by_audience == {"residents": 14}
    assert Attendance.objects.count() == 4


def test_attendance_rules(training_class, households, other_household, coop):
    for kwargs, field in (
        ({"household": other_household, "participants": 1}, "household"),
        ({"participants": 1}, "__all__"),
        ({"household": households[0], "organisation": coop, "participants": 1}, "__all__"),
        ({"household": households[0], "participants": 0}, "participants"),
    ):
        with pytest.raises(ValidationError) as error:
            training.attendance_record(training_class=training_class, **kwargs)
        assert field in error.value.message_dict
    assert not Attendance.objects.exists()


def test_totals_feed_the_metrics_for_targets_and_the_portal(training_class, households, commune):
    training.attendance_record(training_class=training_class, household=households[0], participants=2)
    training.outreach_save(
        activity=OutreachActivity(
            commune=commune, held_on=date(2025, 6, 1), channel="zalo", title="Hướng dẫn VNeID", reach=420
        )
    )
    assert metrics.read("program.people_trained", commune, date(2025, 12, 31)).value == 2
    assert metrics.read("program.households_trained", commune, date(2025, 12, 31)).value == 1
    assert metrics.read("program.outreach_reach", commune, date(2025, 12, 31)).value == 420
    assert metrics.read("program.people_trained", commune, date(2025, 5, 1)) is None  # before the class
    assert metrics.read("program.people_trained", commune, date(2026, 6, 1)) is None  # another year


def test_materials_are_checked_by_content(training_class, official):
    training.material_add(training_class=training_class, upload=pdf_file("slide.pdf"), by=official)
    with pytest.raises(ValidationError):
        training.material_add(
            training_class=training_class, upload=SimpleUploadedFile("virus.pptx", b"MZ\x90\x00"), by=official
        )
    assert Material.objects.count() == 1


def test_a_material_photo_is_stored_without_its_gps_position(training_class, official):
    material = training.material_add(training_class=training_class, upload=jpeg_file(with_gps=True), by=official)
    with material.file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif().get(0x8825)  # the GPS block
    assert material.size == material.file.size


def test_a_class_in_another_communes_village_is_refused(commune, other_village):
    with pytest.raises(ValidationError) as error:
        training.class_save(
            training_class=TrainingClass(commune=commune, title="x", topic="other", audience="residents",
                                         held_on=date(2025, 5, 1), place="x", trainer="x", village=other_village)
        )  # fmt: skip
    assert "village" in error.value.message_dict


def test_attendance_through_the_page_by_household_code(login, official, training_class, households, other_household):
    url = reverse("program:attendance", args=["21238", training_class.pk])
    client = login(official)
    assert client.post(url, {"household_code": "h001", "participants": "2"}).status_code == 302
    assert client.post(url, {"household_code": other_household.code, "participants": "2"}).status_code == 400
    assert Attendance.objects.get().household == Household.objects.get(code="H001")
    page = client.get(reverse("program:class", args=["21238", training_class.pk])).content.decode()
    assert "H001" in page and households[0].head_name not in page  # household codes, not names


def test_an_official_records_a_class_and_outreach_through_the_pages(login, official, villages):
    client = login(official)
    response = client.post(
        reverse("program:class_create", args=["21238"]),
        {"title": "Bán hàng trên sàn TMĐT", "topic": "e_commerce", "audience": "cooperatives", "held_on": "12/09/2025",
         "place": "Trụ sở HTX", "trainer": "Chuyên gia"},
    )  # fmt: skip
    assert response.status_code == 302 and TrainingClass.objects.get().held_on == date(2025, 9, 12)
    response = client.post(
        reverse("program:outreach", args=["21238"]),
        {"held_on": "08/09/2025", "channel": "leaflet", "title": "Tờ rơi phòng chống lừa đảo", "reach": "650",
         "village": villages[1].pk},
    )  # fmt: skip
    assert response.status_code == 302 and OutreachActivity.objects.get().reach == 650
