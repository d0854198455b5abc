from django.urls import path  # noqa: F401 -- filled in by the feedback pages

app_name = "feedback"

urlpatterns: list = []
