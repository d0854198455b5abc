from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "smartcommune.portal"
    verbose_name = _("Portal")

    def ready(self):
        from smartcommune.accounts import navigation

        navigation.register("portal:staff_home", _("Commune home"), order=10, group="admin")
