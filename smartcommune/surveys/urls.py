from django.urls import path  # noqa: F401 -- filled in by the surveys pages

app_name = "surveys"

urlpatterns: list = []
