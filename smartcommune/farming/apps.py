from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FarmingConfig(AppConfig):
    name = "smartcommune.farming"
    verbose_name = _("Farming")

    def ready(self):
        from smartcommune.accounts import navigation

        from . import access

        navigation.register("farming:areas", _("Growing areas"), roles=access.READERS, order=60, group="economy")
        navigation.register(
            "farming:diary", _("Production diary"), roles=access.DIARY_WRITERS, order=61, group="economy"
        )
        navigation.register("farming:staff_map", _("Farm map"), roles=access.READERS, order=62, group="economy")
