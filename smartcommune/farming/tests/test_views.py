import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from smartcommune.accounts.models import Role
from smartcommune.farming import services
from smartcommune.farming.models import DiaryEntry, GrowingArea, Plot

from .conftest import bowtie, square

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, *args, commune="21238"):
    return reverse(f"farming:{name}", args=[commune, *args])


def test_an_official_lists_the_areas_with_their_warnings(login, official, area):
    page = login(official).get(url("areas")).content.decode()
    assert area.code in page and "Cánh đồng lúa Đồng Lớn" in page


def test_the_area_list_makes_a_bounded_number_of_queries(login, official, area, commune, django_assert_max_num_queries):
    for i in range(5):
        extra = services.area_save(area=GrowingArea(commune=commune, code=f"VT-{i}", name=f"V{i}", crop="Rau"))
        services.plot_save(area=extra, name="A", geojson=square(40, east_m=200 * (i + 1)))
    client = login(official)
    with django_assert_max_num_queries(14):
        client.get(url("areas"))


def test_an_outsider_sees_and_changes_nothing(login, outsider, area):
    client = login(outsider)
    for response in [
        client.get(url("areas")),
        client.get(url("area", area.pk)),
        client.get(url("area_edit", area.pk)),
        client.get(url("area_create")),
        client.post(url("area_status", area.pk), {"status": "revoked", "reason": "x"}),
        client.post(url("plot_create", area.pk), {"name": "X", "geojson": json.dumps(square(40, east_m=300))}),
        client.post(url("plot_delete", area.pk, area.plots.get().pk)),
        client.get(url("diary")),
        client.post(url("diary_add"), {"area": area.pk, "kind": "irrigation", "date": TODAY.isoformat()}),
        client.get(url("staff_map")),
        client.get(url("layer_areas_staff")),
        client.get(url("settings")),
        client.get(url("season_create", area.pk)),
    ]:
        assert response.status_code == 403, response.request["PATH_INFO"]
    area.refresh_from_db()
    assert area.status == "active" and area.plots.count() == 1 and not DiaryEntry.objects.exists()


def test_a_coop_manager_reaches_only_their_own_organisation(login, coop_manager, area, commune):
    other = services.area_save(area=GrowingArea(commune=commune, code="VT-OTHER", name="Của người khác", crop="Rau"))
    client = login(coop_manager)
    page = client.get(url("areas")).content.decode()
    assert area.code in page and "VT-OTHER" not in page
    assert client.get(url("area", other.pk)).status_code == 403
    assert client.get(url("area_edit", area.pk)).status_code == 200
    form = client.get(url("area_create")).content.decode()
    assert "HTX-T01" not in form or "Hợp tác xã Đồng Lớn" in form


def test_a_village_head_keeps_the_diary_of_their_village_but_cannot_edit_areas(
    login, village_head, area, commune, villages
):
    elsewhere = services.area_save(
        area=GrowingArea(commune=commune, code="VT-T02", name="Thôn 2", crop="Rau", village=villages[1])
    )
    client = login(village_head)
    page = client.get(url("areas")).content.decode()
    assert area.code in page and "VT-T02" not in page
    assert client.get(url("area_edit", area.pk)).status_code == 403
    response = client.post(
        url("diary_add"),
        {
            "area": area.pk,
            "kind": "irrigation",
            "date": TODAY.isoformat(),
            "inputs-TOTAL_FORMS": 0,
            "inputs-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302 and DiaryEntry.objects.filter(growing_area=area).count() == 1
    response = client.post(
        url("diary_add"),
        {
            "area": elsewhere.pk,
            "kind": "irrigation",
            "date": TODAY.isoformat(),
            "inputs-TOTAL_FORMS": 0,
            "inputs-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 400 and not DiaryEntry.objects.filter(growing_area=elsewhere).exists()


def diary_post(area, **data):
    base = {
        "area": area.pk,
        "date": TODAY.isoformat(),
        "inputs-TOTAL_FORMS": 2,
        "inputs-INITIAL_FORMS": 0,
        "inputs-MIN_NUM_FORMS": 0,
        "inputs-MAX_NUM_FORMS": 10,
    }
    return base | data


def test_a_harvest_inside_the_interval_is_refused_on_the_phone_form(login, official, area):
    client = login(official)
    sprayed = (TODAY - timedelta(days=2)).isoformat()
    response = client.post(
        url("diary_add"),
        diary_post(
            area,
            kind="spraying",
            date=sprayed,
            **{
                "inputs-0-kind": "pesticide",
                "inputs-0-product": "Regent 800WG",
                "inputs-0-pre_harvest_days": "7",
                "inputs-0-dose": "25",
            },
        ),
    )
    assert response.status_code == 302
    response = client.post(url("diary_add"), diary_post(area, kind="harvest", quantity="1.200", unit="KGM"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Regent 800WG" in page and (TODAY + timedelta(days=5)).strftime("%d/%m/%Y") in page
    assert not DiaryEntry.objects.filter(kind="harvest").exists()


def test_a_harvest_with_a_vietnamese_number_is_recorded(login, official, area):
    response = login(official).post(url("diary_add"), diary_post(area, kind="harvest", quantity="1.250,5", unit="KGM"))
    assert response.status_code == 302
    assert str(DiaryEntry.objects.get().quantity) == "1250.500"


def test_the_diary_form_fits_a_phone(login, village_head, area):
    page = login(village_head).get(url("diary_add") + f"?vung={area.pk}&kind=harvest").content.decode()
    assert 'name="viewport"' in page and 'inputmode="decimal"' in page and 'type="date"' in page


def test_drawing_a_plot_saves_it_and_a_crossing_one_is_refused(login, official, area):
    client = login(official)
    response = client.post(
        url("plot_create", area.pk), {"name": "Thửa 2", "geojson": json.dumps(square(50, east_m=300))}
    )
    assert response.status_code == 302 and area.plots.count() == 2
    response = client.post(url("plot_create", area.pk), {"name": "Thửa 3", "geojson": json.dumps(bowtie())})
    assert response.status_code == 400 and area.plots.count() == 2
    response = client.post(url("plot_create", area.pk), {"name": "Thửa 3", "geojson": "{oops"})
    assert response.status_code == 400 and area.plots.count() == 2


def test_importing_a_kml_file_through_the_page(login, official, area):
    coords = " ".join(f"{x},{y}" for x, y in square(60, east_m=400)["coordinates"][0])
    kml = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>Thửa KML</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>'
    response = login(official).post(url("plot_import", area.pk), {"file": SimpleUploadedFile("vung.kml", kml.encode())})
    assert response.status_code == 302 and area.plots.filter(name="Thửa KML").exists()


def test_status_changes_are_for_commune_officials(login, official, coop_manager, area):
    assert (
        login(coop_manager).post(url("area_status", area.pk), {"status": "suspended", "reason": "x"}).status_code == 403
    )
    response = login(official).post(url("area_status", area.pk), {"status": "suspended", "reason": ""})
    assert response.status_code == 400
    response = login(official).post(
        url("area_status", area.pk), {"status": "suspended", "reason": "Phát hiện sinh vật gây hại"}
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.status == "suspended"


def test_the_public_map_and_layer_hold_no_personal_data(client, area, households):
    plot = area.plots.get()
    plot.household = households[0]
    plot.save()
    page = client.get(url("map")).content.decode()
    assert "farm-map-config" in page and "xstatic/leaflet/leaflet.js" in page
    layer = client.get(url("layer_areas"))
    assert layer["Content-Type"] == "application/geo+json"
    data = layer.json()
    assert data["features"][0]["properties"]["code"] == area.code
    assert "Nguyễn Văn Đồng" not in layer.content.decode() and "H001" not in layer.content.decode()
    public = client.get(url("public_area", area.code)).content.decode()
    assert area.name in public and "Nguyễn Văn Đồng" not in public


def test_the_staff_layer_shows_the_plot_holder_to_the_commune(login, official, area, households):
    plot = area.plots.get()
    plot.household = households[0]
    plot.save()
    data = login(official).get(url("layer_areas_staff")).json()
    assert "H001" in data["features"][0]["properties"]["household"]


def test_village_markers_form_their_own_layer(client, login, official, villages):
    response = login(official).post(
        url("settings"), {"save_point": "1", "village": villages[0].pk, "latitude": "15,031", "longitude": "108.795"}
    )
    assert response.status_code == 302
    client.logout()
    features = client.get(url("layer_villages")).json()["features"]
    assert features[0]["properties"]["title"] == villages[0].name
    assert features[0]["geometry"]["coordinates"] == [108.795, 15.031]


def test_other_parts_can_add_a_layer_to_the_map(client, commune):
    from smartcommune.farming import maps

    maps.register_layer("test-reports", "Phản ánh", "farming:layer_villages", colour="#b42318")
    try:
        page = client.get(url("map")).content.decode()
        assert "Phản ánh" in page and reverse("farming:layer_villages", args=["21238"]) in page
    finally:
        maps._layers.pop("test-reports")


def test_the_settings_mark_the_reference_point_checked(login, official, commune):
    response = login(official).post(
        url("settings"),
        {
            "save_settings": "1",
            "latitude": "15.0301",
            "longitude": "108.8002",
            "max_distance_km": "12",
            "min_area_perennial_ha": "1",
            "min_area_annual_ha": "0,2",
            "verified": "on",
        },
    )
    assert response.status_code == 302
    from smartcommune.farming.models import FarmSettings

    farm = FarmSettings.objects.get(commune=commune)
    assert (
        not farm.needs_verification and str(farm.min_area_annual_ha) == "0.200" and str(farm.longitude) == "108.800200"
    )


def test_province_officials_read_but_do_not_write(login, province_official, area):
    client = login(province_official)
    assert client.get(url("area", area.pk)).status_code == 200
    assert client.get(url("area_edit", area.pk)).status_code == 403
    assert client.post(url("diary_add"), {"area": area.pk}).status_code == 403


def test_the_area_page_lists_plots_seasons_and_history(login, official, area):
    page = login(official).get(url("area", area.pk)).content.decode()
    assert "Thửa 1" in page and "farm-map-config" in page


def test_only_commune_officials_delete_diary_entries(login, official, coop_manager, area):
    entry = services.diary_entry_add(area=area, kind="irrigation", on=TODAY, by=None)
    assert login(coop_manager).post(url("diary_delete", entry.pk)).status_code == 403
    assert login(official).post(url("diary_delete", entry.pk)).status_code == 302
    assert not DiaryEntry.objects.exists()


def test_a_manager_of_another_commune_with_the_same_organisation_code_sees_nothing(login, area, other_commune):
    stranger = make_user("stranger", Role.COOP_MANAGER, commune=other_commune, organisation_code="HTX-T01")
    assert login(stranger).get(url("area", area.pk)).status_code == 403
    assert Plot.objects.count() == 1
