"""How every page and endpoint under a commune's address (`…/<commune code>/…`), and every command
taking `--commune`, finds its commune."""

from django.core.management.base import CommandError
from django.shortcuts import get_object_or_404

from .models import Commune


def commune_or_404(code: str) -> Commune:
    """The commune with this five-digit code, its province loaded, or a 404."""
    return get_object_or_404(Commune.objects.select_related("province"), code=code)


def commune_option(code: str | None) -> Commune | None:
    """A management command's `--commune` option: None when not given, else the commune or a CommandError."""
    if not code:
        return None
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        raise CommandError(f"No commune has the code {code}.")
    return commune
