from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "smartcommune.places"
    verbose_name = _("Places")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.accounts.models import Role

        navigation.register("places:villages", _("Villages"), order=20, group="data")
        navigation.register(
            "places:commune_settings", _("Commune settings"), roles=(Role.COMMUNE_OFFICIAL,), order=90, group="admin"
        )
