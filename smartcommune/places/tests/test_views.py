import pytest
from django.urls import reverse

from smartcommune.places.models import Village

pytestmark = pytest.mark.django_db


def test_an_official_adds_a_village(login, official, commune):
    response = login(official).post(
        reverse("places:villages", args=[commune.code]), {"code": "T09", "name": "Thôn Mới", "kind": "thon"}
    )
    assert response.status_code == 302
    assert Village.objects.filter(commune=commune, code="T09", name="Thôn Mới").exists()


def test_a_duplicate_code_gets_a_message_and_changes_nothing(login, official, commune, villages):
    response = login(official).post(
        reverse("places:villages", args=[commune.code]), {"code": "T01", "name": "Khác", "kind": "thon"}
    )
    assert response.status_code == 400
    assert "T01" in response.content.decode()
    assert Village.objects.filter(commune=commune).count() == 3


def test_an_outsider_sees_no_village_list_and_cannot_add(login, outsider, commune, villages):
    client = login(outsider)
    assert client.get(reverse("places:villages", args=[commune.code])).status_code == 403
    response = client.post(reverse("places:villages", args=[commune.code]), {"code": "Z1", "name": "X", "kind": "thon"})
    assert response.status_code == 403
    assert not Village.objects.filter(code="Z1").exists()


def test_an_outsider_cannot_open_or_rename_a_village(login, outsider, commune, villages):
    url = reverse("places:village", args=[commune.code, villages[0].pk])
    client = login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "rename", "name": "Đổi"}).status_code == 403
    villages[0].refresh_from_db()
    assert villages[0].name == "Thôn Đồng Lớn"


def test_a_village_cannot_be_reached_through_another_communes_url(login, outsider, other_commune, villages):
    url = reverse("places:village", args=[other_commune.code, villages[0].pk])
    assert login(outsider).get(url).status_code == 404


def test_a_village_head_sees_only_their_village(login, village_head, commune, villages):
    client = login(village_head)
    page = client.get(reverse("places:villages", args=[commune.code])).content.decode()
    assert "Thôn Đồng Lớn" in page and "Thôn An Hòa" not in page
    assert client.get(reverse("places:village", args=[commune.code, villages[1].pk])).status_code == 403


def test_a_village_head_cannot_rename_their_village(login, village_head, commune, villages):
    url = reverse("places:village", args=[commune.code, villages[0].pk])
    assert login(village_head).post(url, {"action": "rename", "name": "Đổi"}).status_code == 403


def test_renaming_shows_in_the_history_on_the_page(login, official, commune, villages):
    client = login(official)
    url = reverse("places:village", args=[commune.code, villages[0].pk])
    assert client.post(url, {"action": "rename", "name": "Thôn Đồng Mới", "reason": "NQ 5"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Thôn Đồng Lớn → Thôn Đồng Mới" in page and "NQ 5" in page and "official" in page.lower()


def test_merging_through_the_page(login, official, commune, villages):
    url = reverse("places:village", args=[commune.code, villages[1].pk])
    response = login(official).post(url, {"action": "merge", "into": villages[0].pk, "on": "01/07/2025"})
    assert response.status_code == 302
    villages[1].refresh_from_db()
    assert villages[1].merged_into == villages[0]
    assert villages[1].retired_on.isoformat() == "2025-07-01"


def test_an_official_sets_the_commune_group(login, official, commune):
    url = reverse("places:commune_settings", args=[commune.code])
    response = login(official).post(url, {"region": "DHNTB", "group": "2", "introduction": "Giới thiệu"})
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.group == 2


def test_an_outsider_cannot_open_commune_settings(login, outsider, commune):
    assert login(outsider).get(reverse("places:commune_settings", args=[commune.code])).status_code == 403


def test_a_province_official_sees_villages_but_cannot_add(login, province_official, commune, villages):
    client = login(province_official)
    assert client.get(reverse("places:villages", args=[commune.code])).status_code == 200
    response = client.post(reverse("places:villages", args=[commune.code]), {"code": "P1", "name": "X", "kind": "thon"})
    assert response.status_code == 403
