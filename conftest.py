"""Personas and places shared by every test.

The administrative units are loaded once per test database; every test then runs in a transaction.
The outsider is a commune official of the neighbouring Xã Tư Nghĩa: they must see nothing of Vệ Giang.
"""

import os

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_TESTING", "1")

VE_GIANG = "21238"
TU_NGHIA = "21235"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_places", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, cached pages and figures live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db):
    """The administrative units; reloaded when a transactional test (live server, concurrency) flushed them."""
    from smartcommune.places.models import Province

    if not Province.objects.exists():
        call_command("load_places", verbosity=0)


@pytest.fixture
def commune(places):
    from smartcommune.places.models import Commune

    return Commune.objects.select_related("province").get(code=VE_GIANG)


@pytest.fixture
def other_commune(places):
    from smartcommune.places.models import Commune

    return Commune.objects.get(code=TU_NGHIA)


@pytest.fixture
def villages(commune):
    from smartcommune.places.models import Village

    return [
        Village.objects.create(commune=commune, code=f"T{i:02d}", name=name)
        for i, name in enumerate(["Thôn Đồng Lớn", "Thôn An Hòa", "Thôn Phước Lộc"], start=1)
    ]


@pytest.fixture
def other_village(other_commune):
    from smartcommune.places.models import Village

    return Village.objects.create(commune=other_commune, code="X01", name="Thôn Ngoài")


def make_user(username, role=None, **place):
    from smartcommune.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password="pw-Test-12345", full_name=username.title())
    if role:
        RoleAssignment.objects.create(user=user, role=role, **place)
    return user


@pytest.fixture
def official(commune):
    from smartcommune.accounts.models import Department, Role

    return make_user("official", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.CULTURE_SOCIAL)


@pytest.fixture
def village_head(commune, villages):
    from smartcommune.accounts.models import Role

    return make_user("head", Role.VILLAGE_HEAD, commune=commune, village=villages[0])


@pytest.fixture
def front_officer(commune):
    from smartcommune.accounts.models import Role

    return make_user("front", Role.FRONT_OFFICER, commune=commune)


@pytest.fixture
def coop_manager(commune):
    from smartcommune.accounts.models import Role

    return make_user("coop", Role.COOP_MANAGER, commune=commune, organisation_code="HTX-T01")


@pytest.fixture
def province_official(commune):
    from smartcommune.accounts.models import Role

    return make_user("province", Role.PROVINCE_OFFICIAL, province=commune.province)


@pytest.fixture
def resident(commune):
    from smartcommune.accounts.models import Role

    return make_user("resident", Role.RESIDENT, commune=commune)


@pytest.fixture
def outsider(other_commune):
    from smartcommune.accounts.models import Department, Role

    return make_user("outsider", Role.COMMUNE_OFFICIAL, commune=other_commune, department=Department.OFFICE)


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
