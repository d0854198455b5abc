"""Published documents: number, date, issuer and summary, searchable; files checked; scoped staff pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartcommune.portal import documents
from smartcommune.portal.models import Document

from .conftest import pdf

pytestmark = pytest.mark.django_db


def make(commune, by, number="45/KH-UBND", title="Kế hoạch chuyển đổi số năm 2025", **extra):
    fields = {
        "kind": "ke-hoach",
        "issued_on": date(2025, 2, 10),
        "issuer": "UBND xã",
        "summary": "Mục tiêu và nhiệm vụ",
    }
    return documents.document_create(commune=commune, by=by, number=number, title=title, upload=pdf(), **fields | extra)


def test_documents_are_searched_by_number_title_or_summary_without_accents(client, commune, official):
    make(commune, official)
    make(commune, official, number="112/QĐ-UBND", title="Quyết định thành lập tổ công nghệ số", kind="quyet-dinh")
    url = reverse("portal:documents", args=[commune.code])
    assert "45/KH-UBND" in client.get(url, {"q": "ke hoach chuyen doi"}).content.decode()
    page = client.get(url, {"q": "to cong nghe"}).content.decode()
    assert "112/QĐ-UBND" in page and "45/KH-UBND" not in page
    assert "45/KH-UBND" not in client.get(url, {"loai": "quyet-dinh"}).content.decode()
    assert "45/KH-UBND" in client.get(url, {"nam": "2025"}).content.decode()


def test_the_file_downloads_and_private_documents_stay_hidden(client, commune, official):
    public = make(commune, official)
    private = make(commune, official, number="9/BC-UBND", title="Báo cáo nội bộ", is_public=False)
    response = client.get(reverse("portal:document_file", args=[commune.code, public.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(reverse("portal:document_file", args=[commune.code, private.pk])).status_code == 404
    assert "Báo cáo nội bộ" not in client.get(reverse("portal:documents", args=[commune.code])).content.decode()


def test_a_bad_file_or_a_repeated_number_is_refused_and_nothing_is_saved(commune, official):
    make(commune, official)
    with pytest.raises(ValidationError) as error:
        make(commune, official)
    assert "number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        documents.document_create(
            commune=commune, by=official, kind="bao-cao", number="1/BC", issued_on=date(2025, 1, 1), issuer="UBND",
            title="Báo cáo", upload=SimpleUploadedFile("bao-cao.pdf", b"<html>not a pdf</html>"),
        )  # fmt: skip
    assert "file" in error.value.message_dict
    assert Document.objects.count() == 1


def test_only_a_publishing_official_publishes_documents(commune, economy_official, village_head):
    for user in (economy_official, village_head):
        with pytest.raises(PermissionDenied):
            make(commune, user)
    assert not Document.objects.exists()


def test_the_document_form_shows_errors_in_vietnamese_and_saves_a_good_document(login, commune, official):
    client = login(official)
    url = reverse("portal:staff_document_create", args=[commune.code])
    bad = client.post(url, {"kind": "ke-hoach", "number": "1/KH", "issued_on": "31/02/2025", "issuer": "UBND",
                            "title": "Kế hoạch", "is_public": "on", "file": pdf()})  # fmt: skip
    assert bad.status_code == 200 and not Document.objects.exists()
    good = client.post(url, {"kind": "ke-hoach", "number": "1/KH", "issued_on": "05/03/2025", "issuer": "UBND",
                             "title": "Kế hoạch", "is_public": "on", "file": pdf()})  # fmt: skip
    assert good.status_code == 302
    assert Document.objects.get().issued_on == date(2025, 3, 5)


def test_an_outsider_sees_nothing_of_ve_giangs_staff_documents(login, commune, official, outsider):
    document = make(commune, official)
    client = login(outsider)
    assert client.get(reverse("portal:staff_documents", args=[commune.code])).status_code == 403
    assert client.get(reverse("portal:staff_document_create", args=[commune.code])).status_code == 403
    assert client.get(reverse("portal:staff_document_edit", args=[commune.code, document.pk])).status_code == 403
    assert (
        client.post(reverse("portal:staff_document_edit", args=[commune.code, document.pk]), {"title": "x"}).status_code
        == 403
    )
    assert Document.objects.get().title == "Kế hoạch chuyển đổi số năm 2025"


def test_another_communes_document_file_is_not_served_under_ve_giang(client, commune, other_commune, outsider):
    from conftest import make_user
    from smartcommune.accounts.models import Department, Role

    publisher = make_user("tunghia", Role.COMMUNE_OFFICIAL, commune=other_commune, department=Department.OFFICE)
    document = make(other_commune, publisher)
    assert client.get(reverse("portal:document_file", args=[commune.code, document.pk])).status_code == 404
