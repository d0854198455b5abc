from django.urls import path  # noqa: F401 -- the GS1 Digital Link resolver (/01/{gtin}/10/{lot})

app_name = "resolver"

urlpatterns: list = []
