from django.urls import path  # noqa: F401 -- filled in by the trace pages

app_name = "trace"

urlpatterns: list = []
