from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("<str:commune_code>/thon/", views.village_list, name="villages"),
    path("<str:commune_code>/thon/<int:village_id>/", views.village_detail, name="village"),
    path("<str:commune_code>/cai-dat/", views.commune_settings, name="commune_settings"),
]
