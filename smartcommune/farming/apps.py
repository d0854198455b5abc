from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FarmingConfig(AppConfig):
    name = "smartcommune.farming"
    verbose_name = _("Farming")
