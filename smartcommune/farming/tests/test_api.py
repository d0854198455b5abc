from datetime import timedelta

import pytest
from django.utils import timezone

from smartcommune.farming import services
from smartcommune.farming.models import DiaryEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_staff_list_their_areas_and_outsiders_are_refused(login, official, outsider, area):
    data = login(official).get("/api/v1/farming/communes/21238/growing-areas").json()
    assert [a["code"] for a in data] == [area.code] and data[0]["cooperative_code"] == "HTX-T01"
    assert login(outsider).get("/api/v1/farming/communes/21238/growing-areas").status_code == 403
    assert login(outsider).get(f"/api/v1/farming/growing-areas/{area.pk}").status_code == 403


def test_the_area_detail_carries_plots_and_warnings(login, official, area):
    data = login(official).get(f"/api/v1/farming/growing-areas/{area.pk}").json()
    assert data["plots"][0]["geometry"]["type"] == "Polygon" and isinstance(data["warnings"], list)


def test_a_harvest_inside_the_interval_is_refused_through_the_api(login, official, area):
    services.diary_entry_add(
        area=area,
        kind="spraying",
        on=TODAY - timedelta(days=1),
        by=None,
        inputs=[{"kind": "pesticide", "product": "Anvil 5SC", "pre_harvest_days": 10}],
    )
    client = login(official)
    response = client.post(
        f"/api/v1/farming/growing-areas/{area.pk}/diary",
        {"kind": "harvest", "date": TODAY.isoformat(), "quantity": "900", "unit": "KGM"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "Anvil 5SC" in response.json()["detail"]
    assert not DiaryEntry.objects.filter(kind="harvest").exists()
    response = client.post(
        f"/api/v1/farming/growing-areas/{area.pk}/diary",
        {
            "kind": "fertilising",
            "date": TODAY.isoformat(),
            "inputs": [{"kind": "fertiliser", "product": "NPK 16-16-8", "dose": "300", "dose_unit": "kg/ha"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/farming/growing-areas/{area.pk}/diary").json()[0]["kind"] == "fertilising"


def test_an_outsider_cannot_write_in_the_diary_through_the_api(login, outsider, area):
    response = login(outsider).post(
        f"/api/v1/farming/growing-areas/{area.pk}/diary",
        {"kind": "irrigation", "date": TODAY.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403 and not DiaryEntry.objects.exists()
