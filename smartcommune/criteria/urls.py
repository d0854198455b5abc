from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("bo/", views.set_list, name="sets"),
    path("bo/<slug:set_code>/", views.set_detail, name="set"),
    path("tinh/<str:province_code>/", views.province, name="province"),
    path("<str:commune_code>/", views.dashboard, name="dashboard"),
    path("<str:commune_code>/<slug:set_code>/<int:year>/thon/", views.villages, name="villages"),
    path("<str:commune_code>/<slug:set_code>/<int:year>/bao-cao.<str:fmt>", views.report, name="report"),
    path("<str:commune_code>/<slug:set_code>/<int:year>/<str:action>/", views.workflow, name="workflow"),
    path(
        "<str:commune_code>/<slug:set_code>/<int:year>/chi-tieu/<str:code>/", views.indicator_detail, name="indicator"
    ),
]
