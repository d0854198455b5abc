"""How every page and endpoint under a commune's address (`…/<commune code>/…`) starts."""

from django.shortcuts import get_object_or_404

from .models import Commune


def commune_or_404(code: str) -> Commune:
    """The commune with this five-digit code, its province loaded, or a 404."""
    return get_object_or_404(Commune.objects.select_related("province"), code=code)
