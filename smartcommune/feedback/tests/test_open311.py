"""Open311 GeoReport v2, tested against the specification's field lists and examples, in XML and JSON.

Element and key names below are copied from http://wiki.open311.org/GeoReport_v2 (and Service_Discovery,
and FixMyStreet's servicerequestupdates); XML is parsed with xml.etree as a client would."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from smartcommune.feedback import services
from smartcommune.feedback.models import Report, Status

from .conftest import HERE, photo

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"

DISCOVERY_FIELDS = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]  # fmt: skip
POST_RESPONSE_FIELDS = ["service_request_id", "service_notice", "account_id"]
UPDATE_FIELDS = ["update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"]


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert "}" not in root.tag  # no namespace
    return root


def jsonof(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


@pytest.fixture
def api_key(commune, official):
    _, key = services.api_key_create(commune=commune, name="GeoReporter", by=official)
    return key


@pytest.fixture
def recent(submit, economy, categories):
    """Three reports received in the last days: one open, one resolved, one private (never listed)."""
    now = timezone.now()
    open_one = submit(now=now - timedelta(days=2), description="Ổ gà lớn <b>đầu cầu</b>")
    done = submit(now=now - timedelta(days=1), photos=[photo()])
    done = services.report_transition(report=done, status=Status.RESOLVED, note="Đã vá xong.", by=economy)
    private = submit(category=categories["XA-HOI"], raw_answers={}, now=now - timedelta(hours=5))
    return open_one, done, private


# Discovery and services ---------------------------------------------------------------------------


def test_discovery_in_both_formats(client, categories):
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and children(root) == DISCOVERY_FIELDS
    endpoint = root.find("endpoints/endpoint")
    assert children(endpoint) == ENDPOINT_FIELDS
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    data = jsonof(client.get(f"{BASE}/discovery.json"))
    assert isinstance(data, dict) and list(data) == DISCOVERY_FIELDS
    assert list(data["endpoints"][0]) == ENDPOINT_FIELDS
    assert data["endpoints"][0]["url"].endswith("/open311/v2")


def test_the_service_list_has_the_spec_fields(client, categories):
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services_ = root.findall("service")
    assert len(services_) == 7 and all(children(s) == SERVICE_FIELDS for s in services_)
    road = next(s for s in services_ if s.findtext("service_code") == "GT-DUONG")
    assert (road.findtext("metadata"), road.findtext("type"), road.findtext("group")) == ("true", "realtime", "Hạ tầng")
    water = next(s for s in services_ if s.findtext("service_code") == "NUOC")
    assert water.findtext("metadata") == "false"
    data = jsonof(client.get(f"{BASE}/services.json"))
    assert isinstance(data, list) and list(data[0]) == SERVICE_FIELDS
    assert {d["service_code"]: d["metadata"] for d in data}["GT-DUONG"] is True


def test_a_service_definition_lists_the_extra_questions_as_attributes(client, categories):
    root = xml(client.get(f"{BASE}/services/MT-RAC.xml"))
    assert root.tag == "service_definition" and children(root) == ["service_code", "attributes"]
    attribute = root.find("attributes/attribute")
    assert children(attribute) == [*ATTRIBUTE_FIELDS, "values"]
    assert (attribute.findtext("code"), attribute.findtext("datatype"), attribute.findtext("required")) == (
        "LOAI",
        "multivaluelist",
        "true",
    )
    assert next((v.findtext("key"), v.findtext("name")) for v in attribute.findall("values/value")) == (
        "rac",
        "Rác thải",
    )
    data = jsonof(client.get(f"{BASE}/services/MT-RAC.json"))
    assert isinstance(data, dict) and data["service_code"] == "MT-RAC"
    assert data["attributes"][0]["variable"] is True and data["attributes"][0]["order"] == 1
    assert data["attributes"][0]["datatype_description"] is None
    assert data["attributes"][0]["values"][0] == {"key": "rac", "name": "Rác thải"}


def test_an_unknown_service_code_is_a_404_in_the_error_format(client, categories):
    response = client.get(f"{BASE}/services/KHONG-CO.xml")
    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors" and children(root.find("error")) == ["code", "description"]
    assert root.findtext("error/code") == "404"
    response = client.get(f"{BASE}/services/KHONG-CO.json")
    assert response.status_code == 404 and jsonof(response)[0]["code"] == 404


def test_an_unknown_format_is_a_404(client, categories):
    response = client.get(f"{BASE}/services.html")
    assert response.status_code == 404 and xml(response).tag == "errors"


# Jurisdictions ------------------------------------------------------------------------------------


def test_jurisdiction_id_is_needed_once_two_communes_take_reports(client, categories, other_categories):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 400 and "jurisdiction_id" in jsonof(response)[0]["description"]
    assert len(jsonof(client.get(f"{BASE}/services.json", {"jurisdiction_id": "21238"}))) == 7
    response = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "99999"})
    assert response.status_code == 404 and xml(response).findtext("error/code") == "404"


def test_with_one_commune_the_jurisdiction_may_be_left_out_or_empty(client, categories):
    assert len(jsonof(client.get(f"{BASE}/services.json", {"jurisdiction_id": ""}))) == 7


def test_without_any_commune_the_lists_are_empty(client, commune):
    assert jsonof(client.get(f"{BASE}/services.json")) == []
    assert jsonof(client.get(f"{BASE}/requests.json")) == []


# POST requests ------------------------------------------------------------------------------------


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_post_creates_a_request_like_the_spec_example(client, api_key, categories, villages):
    response = post(
        client,
        "xml",
        api_key=api_key,
        jurisdiction_id="21238",
        service_code="GT-DUONG",
        lat=str(HERE[0]),
        long=str(HERE[1]),
        address_string="Đầu cầu Sông Vệ",
        email="nguoi.dan@example.invalid",
        device_id="tt222111",
        account_id="123456",
        first_name="Văn",
        last_name="Mẫu",
        phone="0912 345 678",
        description="Ổ gà lớn\nxe máy dễ ngã",
        media_url="https://example.invalid/anh/1.jpg",
        **{"attribute[MUC-DO]": "cao"},
    )
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests" and children(root.find("request")) == POST_RESPONSE_FIELDS
    report = Report.objects.get()
    assert root.findtext("request/service_request_id") == report.number
    assert (report.source, report.reporter_phone, report.reporter_name) == ("open311", "0912345678", "Văn Mẫu")
    assert (report.answers, report.place_text, report.media_url) == (
        {"MUC-DO": "cao"},
        "Đầu cầu Sông Vệ",
        "https://example.invalid/anh/1.jpg",
    )


def test_post_in_json_with_multivalue_attributes_and_an_address_id(client, api_key, categories, villages):
    response = client.post(
        f"{BASE}/requests.json",
        f"api_key={api_key}&service_code=MT-RAC&address_id=T02&attribute%5BLOAI%5D%5B%5D=rac&attribute%5BLOAI%5D%5B%5D=khoi-bui",
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code == 200
    data = jsonof(response)
    assert isinstance(data, list) and list(data[0]) == POST_RESPONSE_FIELDS and data[0]["account_id"] is None
    report = Report.objects.get(number=data[0]["service_request_id"])
    assert report.answers == {"LOAI": ["rac", "khoi-bui"]} and report.village.code == "T02"


def test_post_without_or_with_a_bad_api_key_is_403(client, api_key, categories):
    for key in ("", "sai-khoa", None):
        data = {"service_code": "NUOC", "lat": HERE[0], "long": HERE[1]}
        if key is not None:
            data["api_key"] = key
        response = client.post(f"{BASE}/requests.xml", data)
        assert response.status_code == 403 and xml(response).findtext("error/code") == "403"
    assert not Report.objects.exists()


def test_a_key_of_another_commune_is_refused(client, other_commune, other_categories, categories, outsider):
    _, key = services.api_key_create(commune=other_commune, name="Xã bên", by=outsider)
    response = post(client, api_key=key, jurisdiction_id="21238", service_code="NUOC", lat=HERE[0], long=HERE[1])
    assert response.status_code == 403 and not Report.objects.exists()


def test_a_revoked_key_is_refused(client, api_key, categories):
    from smartcommune.feedback.models import ApiKey

    ApiKey.objects.update(revoked_at=timezone.now())
    assert post(client, api_key=api_key, service_code="NUOC", lat=HERE[0], long=HERE[1]).status_code == 403


def test_post_errors_name_the_arguments(client, api_key, categories):
    response = post(client, api_key=api_key)
    assert response.status_code == 400 and "service_code" in jsonof(response)[0]["description"]
    response = post(client, api_key=api_key, service_code="KHONG-CO", lat=HERE[0], long=HERE[1])
    assert response.status_code == 404
    response = post(client, api_key=api_key, service_code="GT-DUONG", lat="48.85", long="2.35", phone="123")
    assert response.status_code == 400
    descriptions = " ".join(e["description"] for e in jsonof(response))
    assert "lat:" in descriptions and "phone:" in descriptions and "attribute[MUC-DO]:" in descriptions
    response = post(client, api_key=api_key, service_code="NUOC")  # no location at all
    assert response.status_code == 400
    response = post(client, api_key=api_key, service_code="NUOC", address_id="ZZ")
    assert response.status_code == 400
    response = post(
        client, api_key=api_key, service_code="NUOC", lat=HERE[0], long=HERE[1], media_url="javascript:alert(1)"
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_flood_from_one_client_is_refused_with_429(client, commune, official, categories):
    _, api_key = services.api_key_create(commune=commune, name="Ứng dụng lỗi", by=official, hourly_limit=5)
    for _ in range(5):
        assert post(client, api_key=api_key, service_code="NUOC", lat=HERE[0], long=HERE[1]).status_code == 200
    response = post(client, "xml", api_key=api_key, service_code="NUOC", lat=HERE[0], long=HERE[1])
    assert response.status_code == 429 and xml(response).findtext("error/code") == "429"
    assert Report.objects.count() == 5


def test_get_on_post_only_and_other_methods(client, categories):
    assert client.put(f"{BASE}/requests.json").status_code == 405
    assert client.post(f"{BASE}/services.json").status_code == 405


# GET requests -------------------------------------------------------------------------------------


def test_get_requests_has_the_spec_fields_and_only_public_reports(client, recent):
    open_one, done, private = recent
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    items = root.findall("request")
    assert [i.findtext("service_request_id") for i in items] == [done.number, open_one.number]
    assert all(children(i) == REQUEST_FIELDS for i in items)
    first = items[0]
    assert (first.findtext("status"), first.findtext("status_notes")) == ("closed", "Đã vá xong.")
    assert first.findtext("media_url").startswith("http") and first.findtext("zipcode") == ""
    assert items[1].findtext("status") == "open" and items[1].findtext("description") == "Ổ gà lớn <b>đầu cầu</b>"
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert first.findtext(name).endswith("+07:00")
    data = jsonof(client.get(f"{BASE}/requests.json"))
    assert [d["service_request_id"] for d in data] == [done.number, open_one.number]
    assert all(list(d) == REQUEST_FIELDS for d in data)
    assert data[1]["status_notes"] is None and data[1]["zipcode"] is None
    assert data[0]["agency_responsible"] == "Phòng Kinh tế"
    assert data[0]["service_notice"] == "Thời hạn xử lý: 5 ngày làm việc."
    text = client.get(f"{BASE}/requests.json").content.decode()
    for personal in ("Nguyễn Văn Mẫu", "0912345678", "mau@example.invalid", open_one.token, private.number):
        assert personal not in text


def test_get_requests_snaps_points_and_gives_the_village_as_address(client, submit, villages):
    submit(now=timezone.now() - timedelta(days=2))
    submit(now=timezone.now() - timedelta(days=1), village=villages[0], place_text="Nhà ông Tư, số 12")
    with_village, without = jsonof(client.get(f"{BASE}/requests.json"))
    assert (with_village["lat"], with_village["long"]) == (15.03, 108.8)
    assert with_village["address"] == "Thôn Đồng Lớn, Xã Vệ Giang, Tỉnh Quảng Ngãi"
    assert with_village["address_id"] == "T01"
    assert (without["address"], without["address_id"]) == ("Xã Vệ Giang, Tỉnh Quảng Ngãi", None)


def test_get_requests_filters(client, recent):
    open_one, done, _ = recent
    ids = lambda **q: [d["service_request_id"] for d in jsonof(client.get(f"{BASE}/requests.json", q))]  # noqa: E731
    assert ids(status="open") == [open_one.number]
    assert ids(status="closed") == [done.number]
    assert ids(status="open,closed") == [done.number, open_one.number]
    assert ids(service_code="NUOC") == []
    assert ids(service_code="NUOC,GT-DUONG") == [done.number, open_one.number]
    now = timezone.now()
    assert ids(start_date=(now - timedelta(hours=36)).isoformat()) == [done.number]
    assert ids(end_date=(now - timedelta(hours=36)).isoformat()) == [open_one.number]
    # service_request_id overrides every other argument
    assert ids(service_request_id=f"{open_one.number},{done.number}", status="closed") == [done.number, open_one.number]


def test_get_requests_defaults_to_the_last_90_days(client, submit):
    old = submit(now=timezone.now() - timedelta(days=120))
    recent = submit(now=timezone.now() - timedelta(days=10))
    ids = [d["service_request_id"] for d in jsonof(client.get(f"{BASE}/requests.json"))]
    assert ids == [recent.number]
    start = (timezone.now() - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = [d["service_request_id"] for d in jsonof(client.get(f"{BASE}/requests.json", {"start_date": start}))]
    assert ids == [old.number]  # 90 days from the start


def test_get_requests_refuses_bad_dates_and_spans(client, categories):
    for query in (
        {"start_date": "hôm qua"},
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},  # more than 90 days
        {"start_date": "2025-06-01T00:00:00Z", "end_date": "2025-05-01T00:00:00Z"},
        {"status": "pending"},
    ):
        response = client.get(f"{BASE}/requests.xml", query)
        assert response.status_code == 400 and xml(response).findtext("error/code") == "400", query


def test_an_offset_sent_without_url_encoding_is_understood(client, recent):
    response = client.get(
        f"{BASE}/requests.json?start_date=2025-06-01T00:00:00+07:00&end_date=2025-06-30T00:00:00+07:00"
    )
    assert response.status_code == 200


def test_get_requests_returns_at_most_1000(client, submit, monkeypatch):
    from smartcommune.feedback import open311

    monkeypatch.setattr(open311, "MAX_REQUESTS", 3)
    for _ in range(4):
        submit(now=timezone.now() - timedelta(days=1))
    assert len(jsonof(client.get(f"{BASE}/requests.json"))) == 3


def test_get_one_request_is_a_list_of_one(client, recent):
    open_one, _, private = recent
    root = xml(client.get(f"{BASE}/requests/{open_one.number}.xml"))
    assert root.tag == "service_requests" and len(root.findall("request")) == 1
    assert children(root.find("request")) == REQUEST_FIELDS
    data = jsonof(client.get(f"{BASE}/requests/{open_one.number}.json"))
    assert isinstance(data, list) and data[0]["service_request_id"] == open_one.number
    for missing in (private.number, "PA-2025-999999"):
        response = client.get(f"{BASE}/requests/{missing}.json")
        assert response.status_code == 404 and jsonof(response)[0]["code"] == 404


def test_tokens_are_not_used(client, categories):
    response = client.get(f"{BASE}/tokens/12345.xml")
    assert response.status_code == 404 and xml(response).tag == "errors"


# FixMyStreet's updates ----------------------------------------------------------------------------


def test_servicerequestupdates_publish_the_public_history(client, recent, leader):
    _open_one, done, private = recent
    services.report_transition(report=private, status=Status.IN_PROGRESS, note="Riêng tư.", by=leader)
    root = xml(client.get(f"{BASE}/servicerequestupdates.xml"))
    assert root.tag == "service_requests_updates"
    items = root.findall("request_update")
    assert [children(i)[:6] for i in items] == [UPDATE_FIELDS]
    assert (items[0].findtext("service_request_id"), items[0].findtext("status")) == (done.number, "fixed")
    assert items[0].findtext("description") == "Đã vá xong."
    assert items[0].findtext("external_status_code") == "resolved"
    data = jsonof(client.get(f"{BASE}/servicerequestupdates.json"))
    assert [d["service_request_id"] for d in data] == [done.number]
    assert "Riêng tư" not in client.get(f"{BASE}/servicerequestupdates.json").content.decode()


def test_update_statuses_follow_fixmystreet(client, submit, economy, leader):
    report = submit(now=timezone.now() - timedelta(days=1))
    other = submit(now=timezone.now() - timedelta(days=1))
    services.report_transition(report=report, status=Status.NOT_RESPONSIBLE, note="Điện lực phụ trách.", by=economy)
    services.report_merge(report=other, into=report, note="", by=economy)
    statuses = [d["status"] for d in jsonof(client.get(f"{BASE}/servicerequestupdates.json"))]
    assert statuses == ["not_councils_responsibility", "duplicate"]
    data = jsonof(client.get(f"{BASE}/requests/{other.number}.json"))
    assert data[0]["status"] == "closed" and report.number in data[0]["status_notes"]
