from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "smartcommune.trace"
    verbose_name = _("Traceability")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.core import media

        from . import access

        navigation.register("trace:products", _("Products and OCOP"), roles=access.READERS, order=65, group="economy")
        navigation.register("trace:lots", _("Lots and QR labels"), roles=access.READERS, order=66, group="economy")
        media.register("trace/products/", media.PUBLIC)
