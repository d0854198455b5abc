"""Uploaded files are served through one view with a rule per folder: public photos to anyone, an
import file (names, ID numbers) only to the officials of its commune who may import."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from smartcommune.registry.models import ImportJob

pytestmark = pytest.mark.django_db

CSV = "Mã hộ,Họ tên chủ hộ\nVG-0001,Nguyễn Văn Mẫu\n".encode()


@pytest.fixture
def import_file(commune, official):
    job = ImportJob(commune=commune, kind="households", filename="ho.csv", by=official)
    job.file.save("ho.csv", ContentFile(CSV), save=True)
    return "/media/" + job.file.name


def test_an_import_file_reaches_only_the_officials_of_its_commune(client, login, import_file, official, outsider):
    assert Client().get(import_file).status_code == 404  # anonymous: not even told the file exists
    assert login(outsider).get(import_file).status_code == 404
    response = login(official).get(import_file)
    assert response.status_code == 200 and b"".join(response.streaming_content) == CSV
    assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]  # a CSV is downloaded, never rendered


def test_a_village_head_of_the_commune_may_not_read_import_files(login, import_file, village_head):
    assert login(village_head).get(import_file).status_code == 404


def test_product_photos_are_public_and_cacheable(client):
    name = default_storage.save("trace/products/2025/gao.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    response = client.get("/media/" + name)
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    assert "inline" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "path", ["/media/khac/tep.txt", "/media/imports/../trace/x.png", "/media/trace/products/none.png"]
)
def test_unknown_folders_traversal_and_missing_files_are_not_found(client, path):
    assert client.get(path).status_code == 404
