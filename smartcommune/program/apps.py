from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    name = "smartcommune.program"
    verbose_name = _("Programme")

    def ready(self):
        from smartcommune.accounts import navigation
        from smartcommune.accounts.scoping import file_rule
        from smartcommune.core import media

        from . import access, catalogue, metrics

        navigation.register("program:home", _("Programme"), order=60, group="programme")
        navigation.register(
            "program:my_tasks", _("My unit's tasks"), roles=access.UNIT_ROLES, order=61, group="programme"
        )
        metrics.register()
        # Funding sources and spending categories are reference data: present in every database.
        post_migrate.connect(catalogue.on_post_migrate, sender=self, dispatch_uid="program-catalogue")
        from .models import ChecklistTick, Material, Milestone, TargetFigure

        media.register("program/plans/", media.PUBLIC)  # a signed plan is a public administrative document
        media.register("program/materials/", file_rule(Material, "file", commune="training_class__commune"))
        media.register(
            "program/evidence/", file_rule(TargetFigure, "evidence", commune="target__objective__plan__commune")
        )
        media.register("program/checklist/", file_rule(ChecklistTick, "evidence", commune="village__commune"))
        media.register("program/milestones/", file_rule(Milestone, "photo", "document", commune="task__commune"))
