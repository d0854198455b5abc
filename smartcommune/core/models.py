from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoMarker(models.Model):
    """Present when this database was filled by the demo command, and so holds no real data."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("demo version"), default=1)
    # A digest of the demo password last set, so that a rerun only re-hashes passwords when it changed.
    password_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("demo marker")

    def __str__(self) -> str:
        return f"demo v{self.version}"
