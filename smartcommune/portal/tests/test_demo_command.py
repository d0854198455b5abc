import pytest
from django.core.management import CommandError, call_command

from smartcommune.accounts.models import User
from smartcommune.core.models import DemoMarker
from smartcommune.places.models import Village


def test_the_demo_refuses_a_database_with_real_data(places):
    User.objects.create_user(username="can_bo_that", password="x")
    with pytest.raises(CommandError) as error:
        call_command("demo")
    assert "already holds data" in str(error.value)
    assert not Village.objects.exists() and not DemoMarker.objects.exists()
