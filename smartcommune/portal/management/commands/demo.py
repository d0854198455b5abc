"""Demo data for Xã Vệ Giang (Quảng Ngãi, 21238). Deterministic, idempotent, refuses real databases.

Each part adds its own demo in its `demo.py` module; this command runs them in dependency order.
"""

import hashlib
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from smartcommune.accounts.models import User
from smartcommune.core.models import DemoMarker
from smartcommune.places.models import Commune, Village
from smartcommune.portal import demo

DEFAULT_PASSWORD = "demo-vegiang-2025"


class Command(BaseCommand):
    help = "Create or refresh the demo data for Xã Vệ Giang (refuses a database that holds real data)."

    def handle(self, *args, **options):
        if not Commune.objects.filter(code=demo.COMMUNE_CODE).exists():
            raise CommandError("Load the administrative units first: manage.py load_places")
        if not DemoMarker.objects.exists() and (User.objects.exists() or Village.objects.exists()):
            raise CommandError(
                "This database already holds data that the demo did not create. "
                "The demo only runs on an empty database or on one it filled itself."
            )
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
        digest = hashlib.sha256(password.encode()).hexdigest()
        with transaction.atomic():
            marker, _ = DemoMarker.objects.get_or_create(pk=1)
            accounts = demo.run(
                password=password, password_changed=marker.password_digest != digest, log=self.stdout.write
            )
            DemoMarker.objects.filter(pk=1).update(password_digest=digest)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data for Xã Vệ Giang is ready. Demo accounts (password: {password}):")
        )
        for username, description in accounts:
            self.stdout.write(f"  {username:<18} {description}")
