from django.urls import path

from . import map_views, views

app_name = "farming"

urlpatterns = [
    path("<str:commune_code>/vung-trong/", views.area_list, name="areas"),
    path("<str:commune_code>/vung-trong/them/", views.area_edit, name="area_create"),
    path("<str:commune_code>/vung-trong/<int:area_id>/", views.area_detail, name="area"),
    path("<str:commune_code>/vung-trong/<int:area_id>/sua/", views.area_edit, name="area_edit"),
    path("<str:commune_code>/vung-trong/<int:area_id>/trang-thai/", views.area_status, name="area_status"),
    path("<str:commune_code>/vung-trong/<int:area_id>/ho-thanh-vien/", views.area_members, name="area_members"),
    path("<str:commune_code>/vung-trong/<int:area_id>/thua/them/", views.plot_edit, name="plot_create"),
    path("<str:commune_code>/vung-trong/<int:area_id>/thua/nhap/", views.plot_import, name="plot_import"),
    path("<str:commune_code>/vung-trong/<int:area_id>/thua/<int:plot_id>/sua/", views.plot_edit, name="plot_edit"),
    path("<str:commune_code>/vung-trong/<int:area_id>/thua/<int:plot_id>/xoa/", views.plot_delete, name="plot_delete"),
    path("<str:commune_code>/vung-trong/<int:area_id>/mua-vu/them/", views.season_edit, name="season_create"),
    path("<str:commune_code>/vung-trong/<int:area_id>/mua-vu/<int:season_id>/", views.season_edit, name="season_edit"),
    path("<str:commune_code>/nhat-ky/", views.diary_list, name="diary"),
    path("<str:commune_code>/nhat-ky/ghi/", views.diary_add, name="diary_add"),
    path("<str:commune_code>/nhat-ky/<int:entry_id>/xoa/", views.diary_delete, name="diary_delete"),
    path("<str:commune_code>/ban-do/", map_views.public_map, name="map"),
    path("<str:commune_code>/ban-do/noi-bo/", map_views.staff_map, name="staff_map"),
    path("<str:commune_code>/lop/thon.geojson", map_views.layer_villages, name="layer_villages"),
    path("<str:commune_code>/lop/vung-trong.geojson", map_views.layer_areas, name="layer_areas"),
    path("<str:commune_code>/lop/vung-trong-noi-bo.geojson", map_views.layer_areas_staff, name="layer_areas_staff"),
    path("<str:commune_code>/vung/<str:code>/", map_views.public_area, name="public_area"),
    path("<str:commune_code>/cai-dat/", views.settings_page, name="settings"),
]
