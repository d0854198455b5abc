from django.core.management.base import BaseCommand

from smartcommune.places import services


class Command(BaseCommand):
    help = "Load or refresh the provinces and communes from the vietnam-provinces package (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--verbose-changes", action="store_true", help="List every created or updated unit.")

    def handle(self, *args, verbose_changes=False, **options):
        report = services.places_load()
        if verbose_changes:
            for line in report.created + report.updated:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Places: {report}"))
