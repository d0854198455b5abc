from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "smartcommune.feedback"
    verbose_name = _("Community reports")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.core import media

        from . import access, metrics

        navigation.register("feedback:inbox", _("Community reports"), roles=access.INBOX_ROLES, order=45, group="ntm")
        metrics.register()
        # Photos carry 64 random bits in their names: only the report's pages, which check access, link them.
        media.register("feedback/", media.PUBLIC)
