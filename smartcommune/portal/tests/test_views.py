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


def test_the_sitemap_lists_the_public_pages_of_communes_on_the_platform(client, villages):
    sitemap = client.get(reverse("portal:sitemap")).content.decode()
    for path in ("/xa/21238/", "/xa/21238/tin-tuc/", "/xa/21238/van-ban/", "/xa/21238/minh-bach/",
                 "/xa/21238/du-lieu-mo/", "/xa/21238/du-lieu-mo/thon/", "/tinh/51/"):  # fmt: skip
        assert f"{path}</loc>" in sitemap
    assert "/quan-ly/" not in sitemap


def test_the_commune_home_has_quick_links_and_guards_the_market_link(client, villages):
    page = client.get(reverse("portal:commune", args=["21238"])).content.decode()
    assert "/phan-anh/21238/gui/" in page and "/khao-sat/tra-loi/" in page and "/xa/21238/quet-ma/" in page
    from django.urls import Resolver404, resolve

    try:
        resolve("/cho/21238/")
        market_served = True
    except Resolver404:
        try:
            resolve("/cho/")
            market_served = True
        except Resolver404:
            market_served = False
    assert ('href="/cho/' in page) == market_served


def test_the_scan_page_opens_a_product_link_and_explains_a_bad_code(client, places):
    url = reverse("portal:scan", args=["21238"])
    response = client.get(url, {"ma": "http://127.0.0.1:8000/01/08931234567897/10/L01"})
    assert response.status_code == 302 and response.url == "/01/08931234567897/10/L01"
    assert client.get(url, {"ma": "8931234567897"}).url == "/01/08931234567897"
    bad = client.get(url, {"ma": "https://evil.example/quan-tri-he-thong/"})
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()


def test_an_empty_commune_still_has_a_working_dashboard_and_catalogue(client, places):
    assert client.get(reverse("portal:transparency", args=["21235"])).status_code == 200
    assert client.get(reverse("portal:opendata", args=["21235"])).status_code == 200


def test_the_public_pages_speak_english_on_request(client, villages):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("portal:transparency", args=["21238"])).content.decode()
    assert '<html lang="en">' in page and "Transparency dashboard" in page


def test_an_outsider_sees_no_staff_portal_links(login, outsider, villages):
    assert login(outsider).get(reverse("portal:staff_articles", args=["21238"])).status_code == 403


def test_the_language_switch_on_every_page_turns_the_site_to_english_and_back(client, villages):
    home = reverse("portal:commune", args=["21238"])
    page = client.get(home).content.decode()
    switch = f"{reverse('language')}?lang=en&amp;next={home}"
    assert '<html lang="vi">' in page and switch in page  # the switch is a link on the page
    response = client.get(reverse("language"), {"lang": "en", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert '<html lang="en">' in client.get(home).content.decode()
    client.get(reverse("language"), {"lang": "vi", "next": home})
    assert '<html lang="vi">' in client.get(home).content.decode()


def test_the_language_switch_goes_back_only_to_this_site_and_ignores_unknown_languages(client):
    response = client.get(reverse("language"), {"lang": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/" and "django_language" not in response.cookies
