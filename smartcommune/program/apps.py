from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    name = "smartcommune.program"
    verbose_name = _("Programme")

    def ready(self):
        from smartcommune.accounts import navigation

        from . import access, catalogue, metrics

        navigation.register("program:home", _("Programme"), order=60, group="programme")
        navigation.register(
            "program:my_tasks", _("My unit's tasks"), roles=access.UNIT_ROLES, order=61, group="programme"
        )
        metrics.register()
        # Funding sources and spending categories are reference data: present in every database.
        post_migrate.connect(catalogue.on_post_migrate, sender=self, dispatch_uid="program-catalogue")
