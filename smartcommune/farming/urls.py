from django.urls import path  # noqa: F401 -- filled in by the farming pages

app_name = "farming"

urlpatterns: list = []
