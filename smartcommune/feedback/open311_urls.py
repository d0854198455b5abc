from django.urls import path  # noqa: F401 -- the Open311 GeoReport v2 endpoints

app_name = "open311"

urlpatterns: list = []
