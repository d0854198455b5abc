from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("<str:commune_code>/ho-gia-dinh/", views.household_list, name="households"),
    path("<str:commune_code>/ho-gia-dinh/them/", views.household_edit, name="household_create"),
    path("<str:commune_code>/ho-gia-dinh/<int:household_id>/", views.household_detail, name="household"),
    path("<str:commune_code>/ho-gia-dinh/<int:household_id>/sua/", views.household_edit, name="household_edit"),
    path(
        "<str:commune_code>/ho-gia-dinh/<int:household_id>/nam/<int:year>/",
        views.household_year_edit,
        name="household_year",
    ),
    path("<str:commune_code>/to-chuc/", views.organisation_list, name="organisations"),
    path("<str:commune_code>/to-chuc/them/", views.organisation_edit, name="organisation_create"),
    path("<str:commune_code>/to-chuc/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("<str:commune_code>/to-chuc/<int:organisation_id>/sua/", views.organisation_edit, name="organisation_edit"),
    path("<str:commune_code>/nhap-du-lieu/", views.import_page, name="import"),
    path("<str:commune_code>/nhap-du-lieu/<int:job_id>/", views.import_job, name="import_job"),
    path("<str:commune_code>/nhap-du-lieu/<int:job_id>/loi.<str:fmt>", views.import_errors, name="import_errors"),
    path("<str:commune_code>/mau/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("<str:commune_code>/xuat/<str:kind>.<str:fmt>", views.export, name="export"),
]
