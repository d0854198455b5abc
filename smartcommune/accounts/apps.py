from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "smartcommune.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import navigation
        from .models import Role

        navigation.register("accounts:users", _("Users"), roles=(Role.COMMUNE_OFFICIAL,), order=80, group="admin")
