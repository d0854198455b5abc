import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_public_home_lists_the_34_provinces(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert "Quảng Ngãi" in page and page.count('href="/tinh/') == 34


def test_a_province_page_lists_its_communes(client):
    page = client.get(reverse("portal:province", args=["51"])).content.decode()
    assert "Xã Vệ Giang" in page


def test_the_commune_public_page_shows_its_villages_without_staff_links(client, villages):
    page = client.get(reverse("portal:commune", args=["21238"])).content.decode()
    assert "Thôn Đồng Lớn" in page
    assert "/quan-ly/" not in page


def test_the_staff_home_shows_the_key_figures(login, official, villages):
    page = login(official).get(reverse("portal:staff_home", args=["21238"])).content.decode()
    assert "Xã Vệ Giang" in page and "<b>3</b>" in page


def test_the_staff_menu_shows_user_management_to_officials_only(login, official, village_head):
    url = reverse("portal:staff_home", args=["21238"])
    assert "/nguoi-dung/" in login(official).get(url).content.decode()
    assert "/nguoi-dung/" not in login(village_head).get(url).content.decode()


def test_an_outsider_cannot_open_the_ve_giang_staff_home(login, outsider):
    assert login(outsider).get(reverse("portal:staff_home", args=["21238"])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("portal:staff_home", args=["21238"]))
    assert response.status_code == 302 and "/dang-nhap/" in response.url


def test_security_headers_are_set(client):
    response = client.get(reverse("portal:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
