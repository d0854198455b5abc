from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "smartcommune.criteria"
    verbose_name = _("New Rural criteria")

    def ready(self):
        from smartcommune.accounts import navigation

        from . import metrics

        navigation.register("criteria:dashboard", _("Criteria"), order=25, group="ntm")
        metrics.register()
