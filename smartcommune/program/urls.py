from django.urls import path  # noqa: F401 -- filled in by the programme pages

app_name = "program"

urlpatterns: list = []
