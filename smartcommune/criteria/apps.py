from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "smartcommune.criteria"
    verbose_name = _("New Rural criteria")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.accounts.scoping import file_rule
        from smartcommune.core import media

        from . import metrics

        navigation.register("criteria:dashboard", _("Criteria"), order=25, group="ntm")
        metrics.register()
        from .models import Evidence

        media.register("evidence/", file_rule(Evidence, "file", commune="value__commune"))
