from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "smartcommune.registry"
    verbose_name = _("Registries")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.accounts.scoping import file_rule
        from smartcommune.core import media

        from . import access, metrics

        navigation.register(
            "registry:households", _("Households"), roles=access.HOUSEHOLD_READERS, order=30, group="data"
        )
        navigation.register("registry:organisations", _("Organisations"), order=35, group="data")
        navigation.register("registry:import", _("Import data"), roles=access.IMPORTERS, order=40, group="data")
        metrics.register()
        from .models import ImportJob

        media.register("imports/", file_rule(ImportJob, "file", roles=access.IMPORTERS))
