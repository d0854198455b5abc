from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "smartcommune.market"
    verbose_name = _("Cooperative market")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.accounts.scoping import file_rule
        from smartcommune.core import media

        from . import access, metrics

        navigation.register("market:inbox", _("Market orders"), roles=access.READERS, order=67, group="economy")
        metrics.register()
        from .models import Contract

        media.register("market/360/", media.PUBLIC)  # shown on the producer's public pages
        media.register("market/contracts/", file_rule(Contract, "document", roles=access.READERS))
