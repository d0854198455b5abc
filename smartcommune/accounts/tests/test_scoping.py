from smartcommune.accounts import scoping
from smartcommune.accounts.models import Role
from smartcommune.places.models import Village


def test_a_commune_official_sees_only_their_commune(official, commune, other_commune):
    scope = scoping.scope_for(official)
    assert list(scope.communes()) == [commune]
    assert scope.can_view(commune) and not scope.can_view(other_commune)


def test_a_province_official_sees_every_commune_of_the_province_and_manages_none(province_official, commune):
    scope = scoping.scope_for(province_official)
    assert scope.communes().count() == 96
    assert scope.can_view(commune)
    assert not scope.has_role(commune, Role.COMMUNE_OFFICIAL)


def test_a_village_head_sees_only_their_village(village_head, commune, villages):
    assert list(scoping.scope_for(village_head).villages(commune)) == [villages[0]]


def test_filter_narrows_any_queryset_by_its_commune_path(official, outsider, commune, villages, other_village):
    assert set(scoping.scope_for(official).filter(Village.objects.all())) == set(villages)
    assert list(scoping.scope_for(outsider).filter(Village.objects.all())) == [other_village]


def test_a_resident_is_not_staff_and_sees_no_commune(resident, commune):
    scope = scoping.scope_for(resident)
    assert not scope.is_staff
    assert not scope.can_view(commune)


def test_an_anonymous_user_sees_nothing(commune):
    from django.contrib.auth.models import AnonymousUser

    scope = scoping.scope_for(AnonymousUser())
    assert not scope.can_view(commune) and scope.communes().count() == 0
