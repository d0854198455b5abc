from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "smartcommune.portal"
    verbose_name = _("Portal")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.core import media

        from .opendata import builtin

        navigation.register("portal:staff_home", _("Commune home"), order=10, group="admin")
        navigation.register("portal:staff_articles", _("News and documents"), order=85, group="admin")
        builtin.register_builtin()
        # Covers, photos, attachments and documents are published with the pages that link them.
        media.register("portal/", media.PUBLIC)
