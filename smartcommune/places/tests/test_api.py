import pytest

from smartcommune.accounts import services as account_services
from smartcommune.places.models import Village

pytestmark = pytest.mark.django_db


def bearer(user):
    _, key = account_services.token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_anyone_reads_the_provinces(client):
    data = client.get("/api/v1/places/provinces").json()
    assert len(data) == 34
    assert {"code": "51", "name": "Quảng Ngãi", "kind": "tinh", "default_region": "DHNTB"} in data


def test_communes_of_a_province_are_paginated_with_a_total(client):
    data = client.get("/api/v1/places/provinces/51/communes?page=1").json()
    assert data["count"] == 96
    assert len(data["items"]) == 96


def test_commune_search_ignores_accents(client):
    data = client.get("/api/v1/places/provinces/51/communes?q=ve giang").json()
    assert [c["code"] for c in data["items"]] == ["21238"]


def test_a_commune_shows_its_region_and_date(client):
    data = client.get("/api/v1/places/communes/21238").json()
    assert data["region"] == "DHNTB" and data["valid_from"] == "2025-07-01" and data["province_code"] == "51"


def test_an_unknown_commune_code_is_a_404_with_the_usual_body(client):
    response = client.get("/api/v1/places/communes/99999")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_villages_of_a_commune_are_public(client, villages):
    data = client.get("/api/v1/places/communes/21238/villages").json()
    assert data["count"] == 3 and data["items"][0]["code"] == "T01"


def test_an_official_adds_a_village_with_a_token(client, official):
    response = client.post(
        "/api/v1/places/communes/21238/villages",
        {"code": "T20", "name": "Thôn Hai Mươi"},
        content_type="application/json",
        **bearer(official),
    )
    assert response.status_code == 201
    assert response.json()["code"] == "T20"


def test_a_duplicate_village_code_is_a_400_naming_the_field(client, official, villages):
    response = client.post(
        "/api/v1/places/communes/21238/villages",
        {"code": "T01", "name": "Trùng"},
        content_type="application/json",
        **bearer(official),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "code"
    assert Village.objects.filter(code="T01").count() == 1


def test_a_bad_token_is_a_401_and_changes_nothing(client):
    response = client.post(
        "/api/v1/places/communes/21238/villages",
        {"code": "T30", "name": "X"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not Village.objects.filter(code="T30").exists()


def test_an_outsider_cannot_add_or_rename_a_ve_giang_village(client, outsider, villages):
    headers = bearer(outsider)
    created = client.post(
        "/api/v1/places/communes/21238/villages",
        {"code": "T31", "name": "X"},
        content_type="application/json",
        **headers,
    )
    renamed = client.patch(
        f"/api/v1/places/villages/{villages[0].pk}", {"name": "Đổi"}, content_type="application/json", **headers
    )
    assert created.status_code == 403 and renamed.status_code == 403
    villages[0].refresh_from_db()
    assert villages[0].name == "Thôn Đồng Lớn" and not Village.objects.filter(code="T31").exists()


def test_a_session_write_without_csrf_is_refused(official, villages):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(official, backend="django.contrib.auth.backends.ModelBackend")
    response = client.patch(
        f"/api/v1/places/villages/{villages[0].pk}", {"name": "Đổi"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    villages[0].refresh_from_db()
    assert villages[0].name == "Thôn Đồng Lớn"


def test_a_schema_error_uses_the_same_error_body(client, official):
    response = client.post(
        "/api/v1/places/communes/21238/villages",
        {"name": "Thiếu mã"},
        content_type="application/json",
        **bearer(official),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "code"


def test_the_openapi_document_and_docs_page_exist(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/places/provinces" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_me_lists_the_users_roles(client, official):
    data = client.get("/api/v1/accounts/me", **bearer(official)).json()
    assert data["roles"][0]["commune_code"] == "21238" and data["communes"] == ["21238"]
