from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tinh/<str:province_code>/", views.province, name="province"),
    path("xa/<str:commune_code>/", views.commune, name="commune"),
    path("quan-ly/<str:commune_code>/", views.staff_home, name="staff_home"),
]
