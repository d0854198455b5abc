from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "smartcommune.surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from smartcommune.accounts import navigation

        from . import access, metrics

        navigation.register("surveys:campaigns", _("Surveys"), roles=access.READERS, order=45, group="ntm")
        metrics.register()
