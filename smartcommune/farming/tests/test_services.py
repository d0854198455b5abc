import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone

from smartcommune.farming import selectors, services
from smartcommune.farming.models import CropType, DiaryEntry, FarmSettings, GrowingArea, Plot

from .conftest import bowtie, square

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def messages(error) -> str:
    return " ".join(error.value.messages)


# Growing areas and plots ------------------------------------------------------------------------


def test_a_code_with_spaces_or_slashes_is_refused(commune):
    for code in ("VN 51", "VN/51/01", "x"):
        with pytest.raises(ValidationError):
            services.area_save(area=GrowingArea(commune=commune, code=code, name="A", crop="Lúa"))
    assert not GrowingArea.objects.exists()


def test_codes_are_unique_whatever_their_case(area, commune):
    with pytest.raises(ValidationError) as error:
        services.area_save(area=GrowingArea(commune=commune, code=area.code.lower(), name="B", crop="Lúa"))
    assert "already has this code" in messages(error)


def test_code_hints_recognise_the_domestic_and_export_layouts():
    assert services.code_hint("VN-66-650-24370-94-21") == "domestic"
    assert services.code_hint("VN-DTOR-0017") == "export"
    assert services.code_hint("VT-001") == ""


def test_the_cooperative_and_village_must_belong_to_the_commune(commune, other_commune, other_village):
    from smartcommune.registry.models import Organisation

    stranger = Organisation.objects.create(commune=other_commune, code="HTX-X", name="Ngoài", kind="htx")
    with pytest.raises(ValidationError):
        services.area_save(area=GrowingArea(commune=commune, code="VT-1", name="A", crop="Lúa", cooperative=stranger))
    with pytest.raises(ValidationError):
        services.area_save(area=GrowingArea(commune=commune, code="VT-2", name="A", crop="Lúa", village=other_village))


def test_plots_are_measured_and_summed_on_the_area(area):
    services.plot_save(area=area, name="Thửa 2", geojson=square(50, east_m=300))
    area.refresh_from_db()
    assert abs(area.measured_area_ha - Decimal("1.25")) < Decimal("0.02")


def test_a_bad_polygon_changes_nothing(area):
    with pytest.raises(ValidationError):
        services.plot_save(area=area, name="Thửa 2", geojson=bowtie())
    assert area.plots.count() == 1


def test_two_plots_of_an_area_cannot_share_a_name(area):
    with pytest.raises(ValidationError):
        services.plot_save(area=area, name="thửa 1", geojson=square(50, east_m=300))


def test_an_annual_area_below_the_minimum_warns(area):
    plot = area.plots.get()
    services.plot_save(area=area, plot=plot, name=plot.name, geojson=square(20))  # 0.04 ha
    area.refresh_from_db()
    warnings = selectors.area_warnings(area, selectors.farm_settings(area.commune))
    assert any("below the minimum of" in w and "0.1 ha" in w for w in warnings)


def test_a_perennial_area_needs_one_hectare(area):
    plot = area.plots.get()
    services.plot_save(area=area, plot=plot, name=plot.name, geojson=square(80))  # 0.64 ha
    area.refresh_from_db()
    assert not any("minimum" in w for w in selectors.area_warnings(area, selectors.farm_settings(area.commune)))
    area.crop_type = CropType.PERENNIAL
    assert any("minimum of 1 ha" in w for w in selectors.area_warnings(area, selectors.farm_settings(area.commune)))


def test_the_minimum_areas_are_editable_per_commune(area, commune):
    farm = selectors.farm_settings(commune)
    farm.min_area_annual_ha = Decimal("2")
    services.farm_settings_save(settings=farm)
    assert FarmSettings.objects.get(commune=commune).needs_verification
    assert any("minimum of 2 ha" in w for w in selectors.area_warnings(area, selectors.farm_settings(commune)))


def test_a_measured_area_far_from_the_declared_one_warns(area):
    area.declared_area_ha = Decimal("3")
    assert any("declared area" in w for w in selectors.area_warnings(area, None))
    area.declared_area_ha = Decimal("1.05")
    assert not any("declared area" in w for w in selectors.area_warnings(area, None))


def test_moving_the_reference_point_moves_the_allowed_zone(area, commune):
    farm = selectors.farm_settings(commune)
    farm.latitude, farm.longitude = Decimal("21.03"), Decimal("105.85")
    services.farm_settings_save(settings=farm)
    with pytest.raises(ValidationError) as error:
        services.plot_save(area=area, name="Thửa 2", geojson=square(50, east_m=300))
    assert "farther than" in messages(error)


def test_a_file_import_is_all_or_nothing(area):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Tốt"}, "geometry": square(50, east_m=300)},
            {"type": "Feature", "properties": {"name": "Xấu"}, "geometry": bowtie()},
        ],
    }
    upload = SimpleUploadedFile("thua.geojson", json.dumps(collection).encode())
    with pytest.raises(ValidationError) as error:
        services.plots_import(area=area, upload=upload)
    assert "Polygon 2" in messages(error) and "crosses itself" in messages(error)
    assert list(area.plots.values_list("name", flat=True)) == ["Thửa 1"]


def test_a_file_import_names_unnamed_plots(area):
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": square(50, east_m=300)}],
    }
    plots = services.plots_import(area=area, upload=SimpleUploadedFile("a.geojson", json.dumps(collection).encode()))
    assert plots[0].name == "Plot 2"
    area.refresh_from_db()
    assert area.measured_area_ha > Decimal("1.2")


def test_suspending_needs_a_reason_and_is_kept_in_history(area):
    with pytest.raises(ValidationError):
        services.area_status_set(area=area, status=GrowingArea.Status.SUSPENDED, reason=" ")
    services.area_status_set(area=area, status=GrowingArea.Status.REVOKED, reason="Mượn mã cho vùng khác")
    area.refresh_from_db()
    assert area.status == "revoked" and area.history.first().history_change_reason == "Mượn mã cho vùng khác"
    services.area_status_set(area=area, status=GrowingArea.Status.ACTIVE, reason="")
    area.refresh_from_db()
    assert area.status_reason == ""


def test_member_households_are_set_by_code(area, households):
    assert services.area_households_set(area=area, household_codes=["h001", "H002"]) == 2
    with pytest.raises(ValidationError):
        services.area_households_set(area=area, household_codes=["H001", "NOPE"])
    assert area.households.count() == 2


def test_a_village_marker_must_lie_near_the_commune(villages):
    point = services.village_point_set(
        village=villages[0], latitude=Decimal("15.031"), longitude=Decimal("108.79"), verified=False
    )
    assert point.needs_verification
    with pytest.raises(ValidationError):
        services.village_point_set(
            village=villages[1], latitude=Decimal("10.8"), longitude=Decimal("106.7"), verified=True
        )


# Diary ------------------------------------------------------------------------------------------


def spray(area, days_ago: int, *, plot=None, days: int = 7, product="Regent 800WG"):
    return services.diary_entry_add(
        area=area,
        plot=plot,
        kind=DiaryEntry.Kind.SPRAYING,
        on=TODAY - timedelta(days=days_ago),
        by=None,
        inputs=[
            {
                "kind": "pesticide",
                "product": product,
                "active_ingredient": "Fipronil",
                "dose": "25",
                "dose_unit": "g/ha",
                "pre_harvest_days": days,
            }
        ],
    )


def harvest(area, days_ago: int = 0, *, plot=None, quantity="1200"):
    return services.diary_entry_add(
        area=area,
        plot=plot,
        kind=DiaryEntry.Kind.HARVEST,
        on=TODAY - timedelta(days=days_ago),
        by=None,
        quantity=Decimal(quantity),
        unit="KGM",
    )


def test_a_harvest_inside_the_pre_harvest_interval_is_refused_with_the_safe_date(area):
    spray(area, 3, days=7)
    with pytest.raises(ValidationError) as error:
        harvest(area)
    text = messages(error)
    safe = formats.date_format(TODAY + timedelta(days=4), "SHORT_DATE_FORMAT")
    assert "Regent 800WG" in text and safe in text
    assert not DiaryEntry.objects.filter(kind="harvest").exists()


def test_a_harvest_on_the_safe_date_is_allowed(area):
    spray(area, 7, days=7)
    entry = harvest(area)
    assert entry.quantity_kg == Decimal("1200")


def test_the_latest_safe_date_is_the_one_named(area):
    spray(area, 5, days=7, product="Thuốc A")
    spray(area, 2, days=14, product="Thuốc B")
    with pytest.raises(ValidationError) as error:
        harvest(area)
    assert "Thuốc B" in messages(error)


def test_a_spraying_of_another_plot_does_not_block_this_plot(area):
    first = area.plots.get()
    second = services.plot_save(area=area, name="Thửa 2", geojson=square(50, east_m=300))
    spray(area, 1, plot=second)
    assert harvest(area, plot=first).pk
    with pytest.raises(ValidationError):
        harvest(area, plot=second)
    with pytest.raises(ValidationError):
        harvest(area)  # the whole area includes the sprayed plot


def test_a_spraying_of_the_whole_area_blocks_every_plot(area):
    spray(area, 1)
    with pytest.raises(ValidationError):
        harvest(area, plot=area.plots.get())


def test_a_pesticide_needs_its_pre_harvest_interval(area):
    with pytest.raises(ValidationError) as error:
        services.diary_entry_add(
            area=area, kind="spraying", on=TODAY, by=None, inputs=[{"kind": "pesticide", "product": "Regent"}]
        )
    assert "pre-harvest interval" in messages(error)
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "harvest", "quantity": None, "unit": "KGM"},
        {"kind": "harvest", "quantity": Decimal("5"), "unit": ""},
        {"kind": "harvest", "quantity": Decimal("-1"), "unit": "KGM"},
        {"kind": "spraying"},
        {"kind": "dancing"},
    ],
)
def test_incomplete_entries_are_refused(area, kwargs):
    with pytest.raises(ValidationError):
        services.diary_entry_add(area=area, on=TODAY, by=None, **kwargs)
    assert not DiaryEntry.objects.exists()


def test_the_diary_holds_no_future_work(area):
    with pytest.raises(ValidationError):
        services.diary_entry_add(area=area, kind="irrigation", on=TODAY + timedelta(days=1), by=None)


def test_a_plot_of_another_area_is_refused(area, commune):
    other = services.area_save(area=GrowingArea(commune=commune, code="VT-OTHER", name="B", crop="Rau"))
    plot = services.plot_save(area=other, name="X", geojson=square(50, east_m=600))
    with pytest.raises(ValidationError):
        services.diary_entry_add(area=area, plot=plot, kind="irrigation", on=TODAY, by=None)


def test_entries_join_the_running_season(area):
    from smartcommune.farming.models import Season

    season = services.season_save(season=Season(growing_area=area, name="Hè Thu", starts_on=TODAY - timedelta(days=60)))
    entry = services.diary_entry_add(area=area, kind="irrigation", on=TODAY, by=None)
    assert entry.season == season
    with pytest.raises(ValidationError):
        services.season_save(
            season=Season(growing_area=area, name="X", starts_on=TODAY, expected_harvest_on=TODAY - timedelta(days=1))
        )


def test_deleting_a_plot_updates_the_measured_area(area):
    services.plot_delete(plot=area.plots.get())
    area.refresh_from_db()
    assert area.measured_area_ha == 0 and not Plot.objects.exists()
