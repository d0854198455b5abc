import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartcommune.registry.models import Household, HouseholdYear, ImportJob

from .conftest import csv_bytes, household_row

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"registry:{name}", args=["21238", *args])


def test_an_official_lists_the_households_with_their_year_figures(login, official, households):
    page = login(official).get(url("households")).content.decode()
    assert "H001" in page and "Trần Thị Lan" in page and "3 hộ" in page


def test_the_list_makes_a_bounded_number_of_queries(login, official, households, django_assert_max_num_queries):
    client = login(official)
    with django_assert_max_num_queries(14):
        client.get(url("households"))


def test_search_ignores_accents_and_case(login, official, households):
    page = login(official).get(url("households"), {"q": "dong"}).content.decode()
    assert "H001" in page and "H002" not in page
    page = login(official).get(url("households"), {"q": "LAN"}).content.decode()
    assert "H002" in page and "H001" not in page


def test_search_by_phone(login, official, households):
    assert "H002" in login(official).get(url("households"), {"q": "0987 654 321"}).content.decode()


def test_filters_by_poverty_and_missing_data(login, official, households, villages):
    HouseholdYear.objects.filter(household__code="H002").update(clean_water=None)
    client = login(official)
    poor = client.get(url("households"), {"poverty": "ngheo", "year": 2025}).content.decode()
    assert "H003" in poor and "H001" not in poor
    missing = client.get(url("households"), {"missing": "on", "year": 2025}).content.decode()
    assert "H002" in missing and "H001" not in missing


def test_a_village_head_sees_and_edits_only_their_village(login, village_head, households):
    client = login(village_head)
    page = client.get(url("households")).content.decode()
    assert "H001" in page and "H002" not in page
    assert client.get(url("household", households[1].pk)).status_code == 403
    assert client.post(url("household_edit", households[1].pk), {"code": "H002"}).status_code == 403


def test_an_outsider_sees_no_household_list_detail_or_form(login, outsider, households):
    client = login(outsider)
    assert client.get(url("households")).status_code == 403
    assert client.get(url("household", households[0].pk)).status_code == 403
    assert client.get(url("household_edit", households[0].pk)).status_code == 403
    assert client.get(url("household_year", households[0].pk, 2025)).status_code == 403
    assert client.get(url("household_create")).status_code == 403


def test_a_front_officer_cannot_read_household_records(login, front_officer, households):
    assert login(front_officer).get(url("households")).status_code == 403


def test_the_detail_masks_the_personal_id_number(login, official, households):
    page = login(official).get(url("household", households[0].pk)).content.decode()
    assert "051******456" in page and "051090123456" not in page


def test_a_wrong_personal_id_number_gets_a_message_and_changes_nothing(login, official, households, villages):
    response = login(official).post(
        url("household_edit", households[0].pk),
        {
            "code": "H001",
            "village": villages[0].pk,
            "head_name": "Nguyễn Văn Đồng",
            "head_id_number": "999",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "12 chữ số" in response.content.decode()
    households[0].refresh_from_db()
    assert households[0].head_id_number == "051090123456"


def test_editing_keeps_the_number_on_file_and_records_history(login, official, households, villages):
    client = login(official)
    response = client.post(
        url("household_edit", households[0].pk),
        {
            "code": "H001",
            "village": villages[0].pk,
            "head_name": "Nguyễn Văn Đồng Mới",
            "phone": "+84 912 000 111",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    households[0].refresh_from_db()
    assert households[0].head_id_number == "051090123456" and households[0].phone == "0912000111"
    page = client.get(url("household", households[0].pk)).content.decode()
    assert "Nguyễn Văn Đồng → Nguyễn Văn Đồng Mới" in page


def test_yearly_figures_that_contradict_each_other_are_refused(login, official, households):
    data = {"members": 3, "insured_members": 5, "digital_address": ""}
    response = login(official).post(url("household_year", households[0].pk, 2026), data)
    assert response.status_code == 400
    assert not HouseholdYear.objects.filter(year=2026).exists()


def test_an_official_records_a_new_year(login, official, households):
    data = {"members": 3, "insured_members": 3, "smartphone": "true", "income": "150.000.000", "digital_address": ""}
    response = login(official).post(url("household_year", households[0].pk, 2026), data)
    assert response.status_code == 302
    record = HouseholdYear.objects.get(household=households[0], year=2026)
    assert record.income == 150_000_000 and record.smartphone is True


def test_organisations_are_listed_for_staff_and_hidden_from_outsiders(login, official, outsider, organisation):
    assert "Hợp tác xã Đồng Lớn" in login(official).get(url("organisations")).content.decode()
    assert login(outsider).get(url("organisations")).status_code == 403
    assert login(outsider).get(url("organisation", organisation.pk)).status_code == 403


def test_a_coop_manager_edits_their_own_organisation_only(login, coop_manager, organisation, commune):
    from smartcommune.registry.models import Organisation

    other = Organisation.objects.create(commune=commune, code="DN-1", name="Doanh nghiệp", kind="dn")
    client = login(coop_manager)
    assert client.get(url("organisation_edit", organisation.pk)).status_code == 200
    assert client.get(url("organisation_edit", other.pk)).status_code == 403


def test_members_are_set_by_household_code(login, official, organisation, households):
    response = login(official).post(url("organisation", organisation.pk), {"members": "H001 h002"})
    assert response.status_code == 302
    assert set(organisation.members.values_list("code", flat=True)) == {"H001", "H002"}


def test_importing_through_the_page_reports_every_bad_row(login, official, villages):
    data = csv_bytes([household_row("H1"), household_row("H2", village="ZZ"), household_row("H3", members=0)])
    response = login(official).post(
        url("import"), {"kind": "households", "file": SimpleUploadedFile("ho.csv", data, "text/csv")}, follow=True
    )
    page = response.content.decode()
    assert "Mã thôn" in page and "ZZ" in page and "Số nhân khẩu" in page
    assert not Household.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and len(job.errors) == 2
    report = login(official).get(url("import_errors", job.pk, "csv"))
    assert report.status_code == 200 and "ZZ" in report.content.decode("utf-8-sig")


def test_a_good_file_through_the_page(login, official, villages):
    data = csv_bytes([household_row("H1"), household_row("H2")])
    response = login(official).post(
        url("import"), {"kind": "households", "file": SimpleUploadedFile("ho.csv", data)}, follow=True
    )
    assert Household.objects.count() == 2
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert response.status_code == 200


def test_an_oversized_file_is_refused_before_reading(login, official, villages, settings):
    settings.IMPORT_MAX_BYTES = 100
    data = csv_bytes([household_row("H1"), household_row("H2")])
    response = login(official).post(url("import"), {"kind": "households", "file": SimpleUploadedFile("ho.csv", data)})
    assert response.status_code == 400 and not ImportJob.objects.exists()


def test_an_outsider_cannot_import_export_or_read_a_job(login, outsider, official, villages):
    data = csv_bytes([household_row("H1")])
    login(official).post(url("import"), {"kind": "households", "file": SimpleUploadedFile("ho.csv", data)})
    job = ImportJob.objects.get()
    client = login(outsider)
    assert (
        client.post(url("import"), {"kind": "households", "file": SimpleUploadedFile("x.csv", data)}).status_code == 403
    )
    assert client.get(url("import_job", job.pk)).status_code == 403
    assert client.get(url("export", "households", "csv")).status_code == 403


def test_a_village_head_cannot_export_personal_id_numbers(login, village_head, households):
    assert login(village_head).get(url("export", "households", "xlsx")).status_code == 403


def test_templates_download_with_vietnamese_headers(login, official):
    response = login(official).get(url("template", "households", "csv"))
    assert "Mã hộ" in response.content.decode("utf-8-sig")


def test_the_export_downloads_every_household(login, official, households):
    response = login(official).get(url("export", "households", "csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 4 and "051090123456" in body
