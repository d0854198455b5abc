import pytest
from django.core.exceptions import ValidationError

from smartcommune.places import services
from smartcommune.places.models import Commune, Province, Village


def test_the_package_gives_34_provinces_and_3321_communes(db):
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_ve_giang_is_a_commune_of_quang_ngai_formed_from_three_units(commune):
    assert commune.name == "Xã Vệ Giang"
    assert commune.kind == Commune.Kind.XA
    assert commune.province.code == "51"
    assert commune.effective_region == "DHNTB"
    assert sorted(commune.predecessors.values_list("code", flat=True)) == ["21238", "21280", "21283"]
    assert commune.valid_from.isoformat() == "2025-07-01"


def test_reloading_places_changes_nothing_and_says_so(db):
    report = services.places_load()
    assert report.created == [] and report.updated == []
    assert report.unchanged == 34 + 3321


def test_reloading_restores_an_official_name_and_reports_it(commune):
    Commune.objects.filter(pk=commune.pk).update(name="Xã Sai Tên")
    report = services.places_load()
    assert report.updated == ["commune 21238: name"]
    commune.refresh_from_db()
    assert commune.name == "Xã Vệ Giang"


def test_reloading_keeps_the_region_an_official_set(commune):
    commune.region = "TN"
    commune.save()
    services.places_load()
    commune.refresh_from_db()
    assert commune.region == "TN"


def test_it_refuses_a_second_village_with_the_same_code(commune, villages):
    with pytest.raises(ValidationError) as error:
        services.village_create(commune=commune, code="t01", name="Thôn Trùng")
    assert "T01" in str(error.value)
    assert Village.objects.filter(commune=commune).count() == 3


def test_the_same_village_code_may_exist_in_another_commune(other_commune, villages):
    village = services.village_create(commune=other_commune, code="T01", name="Thôn Khác")
    assert village.commune == other_commune


def test_renaming_a_village_keeps_its_history_with_the_reason(villages):
    village = services.village_rename(village=villages[0], name="Thôn Đồng Mới", reason="Nghị quyết 12/NQ-HĐND")
    records = list(village.history.order_by("history_date"))
    assert [r.name for r in records] == ["Thôn Đồng Lớn", "Thôn Đồng Mới"]
    assert records[-1].history_change_reason == "Nghị quyết 12/NQ-HĐND"


def test_merging_marks_the_source_merged_into_the_target(villages):
    services.village_merge(sources=[villages[1]], into=villages[0], reason="sáp nhập")
    villages[1].refresh_from_db()
    assert villages[1].status == Village.Status.MERGED
    assert villages[1].merged_into == villages[0]
    assert Village.objects.active().count() == 2


def test_a_village_cannot_be_merged_into_another_commune(villages, other_village):
    with pytest.raises(ValidationError):
        services.village_merge(sources=[villages[0]], into=other_village)
    villages[0].refresh_from_db()
    assert villages[0].status == Village.Status.ACTIVE


def test_a_retired_village_cannot_be_retired_or_merged_again(villages):
    services.village_retire(village=villages[2])
    with pytest.raises(ValidationError):
        services.village_retire(village=villages[2])
    with pytest.raises(ValidationError):
        services.village_merge(sources=[villages[2]], into=villages[0])


def test_village_names_are_searchable_without_accents(villages):
    assert Village.objects.filter(name_key__contains="dong lon").get() == villages[0]
