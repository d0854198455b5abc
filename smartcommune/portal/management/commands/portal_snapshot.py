"""Record a new version of every open dataset whose content changed, for every commune on the platform.

Run it daily (cron or a scheduler): `manage.py portal_snapshot [--commune 21238]`."""

from django.core.management.base import BaseCommand

from smartcommune.places.shortcuts import commune_option
from smartcommune.portal import selectors
from smartcommune.portal.opendata import versions


class Command(BaseCommand):
    help = "Record a new version of every open dataset that changed since its latest version."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="official commune code (default: every commune on the platform)")

    def handle(self, *args, commune=None, **options):
        chosen = commune_option(commune)
        for place in [chosen] if chosen else selectors.active_communes():
            recorded = versions.record_all(place)
            new = [f"{slug} v{number}" for slug, number, created in recorded if created]
            self.stdout.write(f"{place.code} {place.name}: {', '.join(new) or 'no change'}")
