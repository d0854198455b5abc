import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404

from smartcommune.places.shortcuts import commune_option, commune_or_404

pytestmark = pytest.mark.django_db


def test_a_commune_is_found_by_its_code_or_a_404(commune):
    assert commune_or_404("21238") == commune
    with pytest.raises(Http404):
        commune_or_404("99999")


def test_a_command_names_the_unknown_commune_and_does_nothing(commune):
    assert commune_option(None) is None and commune_option("21238") == commune
    with pytest.raises(CommandError, match="99999"):
        call_command("portal_snapshot", commune="99999")
