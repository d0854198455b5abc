"""Escalate overdue reports to the commune leadership. Idempotent: run it from cron as often as you like,
e.g. `*/15 7-17 * * 1-5 python manage.py feedback_escalate`."""

from django.core.management.base import BaseCommand, CommandError

from smartcommune.feedback import services
from smartcommune.places.models import Commune


class Command(BaseCommand):
    help = "Escalate open reports past their deadline to the commune leadership (each report once)."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="only this commune (five-digit code)")

    def handle(self, *args, commune=None, **options):
        chosen = None
        if commune:
            chosen = Commune.objects.filter(code=commune).first()
            if chosen is None:
                raise CommandError(f"No commune has the code {commune}.")
        escalated = services.reports_escalate(commune=chosen)
        self.stdout.write(f"{len(escalated)} report(s) escalated.")
