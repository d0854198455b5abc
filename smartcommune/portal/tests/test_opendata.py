"""The open-data catalogue: stable downloads, data dictionaries, versions, clear refusals for unknown
versions and formats, DCAT that parses as RDF, schema.org markup, and the open-data API."""

import csv
import io
import json
import re

import pytest
import rdflib
import rdflib.compare
from django.urls import reverse
from ninja.testing import TestClient

from smartcommune.portal.api import router
from smartcommune.portal.models import DatasetVersion
from smartcommune.portal.opendata import dcat, registry, versions
from smartcommune.registry.models import Household, HouseholdYear

pytestmark = pytest.mark.django_db
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture
def households(commune, villages):
    for i, village in enumerate(villages):
        for n in range(i + 2):
            add_household(commune, village, f"H{i}{n}", f"Nguyễn Văn Tèo {i}{n}")


def add_household(commune, village, code, name):
    household = Household.objects.create(
        commune=commune, village=village, code=code, head_name=name, phone="0905123456"
    )
    HouseholdYear.objects.create(household=household, year=2025, members=4)


def test_every_builtin_dataset_has_a_typed_dictionary_and_a_licence():
    slugs = {d.slug for d in registry.all_datasets()}
    assert {"thon", "gia-tri-tieu-chi", "ket-qua-hai-long", "thong-ke-phan-anh", "vung-trong", "san-pham-ocop",
            "chi-tieu-ke-hoach", "tien-do-nhiem-vu", "ngan-sach"} <= slugs  # fmt: skip
    for dataset in registry.all_datasets():
        assert dataset.columns and dataset.licence_url.startswith("https://creativecommons.org/")
        assert all(c.type in registry.TYPES and str(c.description) for c in dataset.columns)


def test_a_new_dataset_is_added_in_one_place_and_appears_everywhere(client, commune):
    registry.register(
        registry.Dataset(
            slug="san-pham", title="Sản phẩm địa phương", description="Thử nghiệm",
            columns=[registry.Column("name", "string", "Tên"), registry.Column("price", "integer", "Giá", "VND")],
            rows=lambda c: [{"name": "Tỏi", "price": 50000}],
        )
    )  # fmt: skip
    try:
        assert "san-pham" in client.get(reverse("portal:opendata", args=[commune.code])).content.decode()
        rows = client.get(reverse("portal:dataset_download", args=[commune.code, "san-pham", "json"])).json()
        assert rows == [{"name": "Tỏi", "price": 50000}]
        graph = rdflib.Graph().parse(
            data=client.get(reverse("portal:dcat", args=[commune.code, "ttl"])).content, format="turtle"
        )
        assert any("san-pham" in str(s) for s in graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    finally:
        registry._datasets.pop("san-pham")


def test_the_villages_dataset_counts_households_without_naming_anyone(client, commune, villages, households):
    response = client.get(reverse("portal:dataset_download", args=[commune.code, "thon", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["code"], r["households"]) for r in rows] == [("T01", "2"), ("T02", "3"), ("T03", "4")]
    assert "Tèo" not in response.content.decode() and "0905123456" not in response.content.decode()


def test_the_growing_areas_come_as_geojson(client, commune):
    response = client.get(reverse("portal:dataset_download", args=[commune.code, "vung-trong", "geojson"]))
    assert response["Content-Type"].startswith("application/geo+json")
    assert response.json()["type"] == "FeatureCollection"


def test_an_unknown_format_or_version_gets_a_clear_message(client, commune, villages):
    bad_format = client.get(reverse("portal:dataset_download", args=[commune.code, "thon", "xlsx"]))
    assert bad_format.status_code == 404 and "csv, json" in bad_format.content.decode()
    geo_for_table = client.get(reverse("portal:dataset_download", args=[commune.code, "thon", "geojson"]))
    assert geo_for_table.status_code == 404
    missing = client.get(reverse("portal:dataset_version", args=[commune.code, "thon", 7, "csv"]))
    assert missing.status_code == 404 and "7" in missing.content.decode()
    assert client.get(reverse("portal:dataset", args=[commune.code, "khong-co"])).status_code == 404
    assert client.get(reverse("portal:dcat", args=[commune.code, "xml"])).status_code == 404
    assert not DatasetVersion.objects.exists()


def test_versions_are_recorded_only_when_the_data_changes_and_stay_downloadable(client, commune, villages, households):
    dataset = registry.get("thon")
    first, created = versions.record(commune, dataset)
    assert created and first.number == 1
    assert versions.record(commune, dataset) == (first, False)
    add_household(commune, villages[0], "HX", "Lê Thị Mới")
    second, created = versions.record(commune, dataset)
    assert created and second.number == 2
    old = client.get(reverse("portal:dataset_version", args=[commune.code, "thon", 1, "json"])).json()
    new = client.get(reverse("portal:dataset_download", args=[commune.code, "thon", "json"])).json()
    assert old[0]["households"] == 2 and new[0]["households"] == 3
    page = client.get(reverse("portal:dataset", args=[commune.code, "thon"])).content.decode()
    assert "/du-lieu-mo/thon/phien-ban/1.csv" in page and "/du-lieu-mo/thon/phien-ban/2.csv" in page


def test_only_a_publishing_official_records_versions(login, commune, villages, economy_official, outsider, official):
    url = reverse("portal:record_versions", args=[commune.code])
    assert login(outsider).post(url).status_code == 403
    assert login(economy_official).post(url).status_code == 403
    assert not DatasetVersion.objects.exists()
    assert login(official).post(url).status_code == 302
    assert DatasetVersion.objects.filter(commune=commune).count() == len(registry.all_datasets())


def test_the_dcat_catalogue_parses_as_rdf_in_json_ld_and_turtle(client, commune, villages):
    for dataset in registry.all_datasets():  # recorded content carries a fixed modification time
        versions.record(commune, dataset)
    jsonld = client.get(reverse("portal:dcat", args=[commune.code, "jsonld"]))
    turtle = client.get(reverse("portal:dcat", args=[commune.code, "ttl"]))
    assert jsonld["Content-Type"].startswith("application/ld+json") and turtle["Content-Type"].startswith("text/turtle")
    from_jsonld = rdflib.Graph().parse(data=jsonld.content, format="json-ld")
    from_turtle = rdflib.Graph().parse(data=turtle.content, format="turtle")
    assert len(from_jsonld) == len(from_turtle) > 100
    assert rdflib.compare.isomorphic(from_jsonld, from_turtle)
    datasets = set(from_turtle.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert len(datasets) == len(registry.all_datasets())
    villages_uri = rdflib.URIRef(dcat.absolute(reverse("portal:dataset", args=[commune.code, "thon"])))
    assert from_turtle.value(villages_uri, DCT.license) == rdflib.URIRef(registry.LICENCE_URL)
    assert from_turtle.value(villages_uri, DCAT.version) == rdflib.Literal("1")
    downloads = {
        str(o)
        for d in from_turtle.objects(villages_uri, DCAT.distribution)
        for o in from_turtle.objects(d, DCAT.downloadURL)
    }
    assert any(u.endswith("/du-lieu-mo/thon.csv") for u in downloads)


def test_turtle_escapes_quotes_and_line_breaks_in_titles():
    triples = [("https://x.vn/a", "dct:title", dcat.Literal('Tên "lạ"\nxuống dòng\\', "vi"))]
    graph = rdflib.Graph().parse(data=dcat.to_turtle(triples), format="turtle")
    assert str(graph.value(rdflib.URIRef("https://x.vn/a"), DCT.title)) == 'Tên "lạ"\nxuống dòng\\'


def test_a_dataset_page_carries_schema_org_dataset_markup(client, commune, villages):
    page = client.get(reverse("portal:dataset", args=[commune.code, "thon"])).content.decode()
    markup = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert markup["@type"] == "Dataset" and markup["license"] == registry.LICENCE_URL
    assert {d["encodingFormat"] for d in markup["distribution"]} == {"text/csv", "application/json"}
    assert [v["name"] for v in markup["variableMeasured"]] == ["code", "name", "households", "year"]
    assert "Data dictionary" in page or "Từ điển dữ liệu" in page


def test_the_open_data_api_lists_describes_and_serves_versions(commune, villages, households):
    versions.record(commune, registry.get("thon"))
    api = TestClient(router)
    listing = api.get(f"/communes/{commune.code}/datasets").json()
    assert {d["slug"] for d in listing} == {d.slug for d in registry.all_datasets()}
    detail = api.get(f"/communes/{commune.code}/datasets/thon").json()
    assert detail["columns"][2] == {
        "name": "households", "type": "integer", "unit": detail["columns"][2]["unit"], "description": detail["columns"][2]["description"]
    } and detail["versions"][0]["number"] == 1  # fmt: skip
    rows = api.get(f"/communes/{commune.code}/datasets/thon/rows?version=1").json()
    assert rows["version"] == 1 and [r["households"] for r in rows["rows"]] == [2, 3, 4]
    missing = api.get(f"/communes/{commune.code}/datasets/thon/rows?version=9")
    assert missing.status_code == 404 and "9" in missing.json()["detail"]
    assert api.get(f"/communes/{commune.code}/datasets/khong-co").status_code == 404


def test_the_open_data_api_is_in_the_sites_openapi_document(client, commune, villages):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/open-data/communes/{commune_code}/datasets/{slug}/rows" in schema["paths"]
    listing = client.get(f"/api/v1/open-data/communes/{commune.code}/datasets")
    assert listing.status_code == 200 and "thon" in {d["slug"] for d in listing.json()}


def test_the_editors_assets_are_served_from_our_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find("django_prose_editor/editor.js") and finders.find("django_prose_editor/editor.css")
