"""The staff menu: grouped by part of the work, each user sees only the groups and entries their roles allow."""

import pytest
from django.urls import reverse

from smartcommune.accounts import navigation

pytestmark = pytest.mark.django_db


def _menu(page: str) -> list[str]:
    return [part.split("</summary>")[0] for part in page.split('<details class="menu-group"><summary')[1:]]


def test_an_official_sees_the_groups_in_order_and_the_current_one_marked(login, official, villages):
    page = login(official).get(reverse("registry:households", args=["21238"])).content.decode()
    groups = [label.split(">", 1)[1] for label in _menu(page)]
    assert groups == ["Dữ liệu xã", "Nông thôn mới", "Nông nghiệp và thị trường", "Chương trình", "Quản trị"]
    assert _menu(page)[0].startswith(' class="current"')  # households belong to "commune data"


def test_a_village_head_sees_no_import_and_no_administration(login, village_head, villages):
    page = login(village_head).get(reverse("portal:staff_home", args=["21238"])).content.decode()
    assert reverse("registry:import", args=["21238"]) not in page
    assert reverse("accounts:users", args=["21238"]) not in page


def test_an_outsider_gets_no_vegiang_menu(login, outsider, villages):
    page = login(outsider).get(reverse("portal:home")).content.decode()
    assert "/21238/" not in page.split("</nav>")[0]


def test_an_entry_must_name_a_known_group():
    with pytest.raises(ValueError):
        navigation.register("portal:home", "x", group="khac")
