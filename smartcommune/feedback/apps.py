from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "smartcommune.feedback"
    verbose_name = _("Community reports")

    def ready(self):
        from smartcommune.accounts import navigation

        from . import access, metrics

        navigation.register("feedback:inbox", _("Community reports"), roles=access.INBOX_ROLES, order=45, group="ntm")
        metrics.register()
