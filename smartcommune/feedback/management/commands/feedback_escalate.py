"""Escalate overdue reports to the commune leadership. Idempotent: run it from cron as often as you like,
e.g. `*/15 7-17 * * 1-5 python manage.py feedback_escalate`."""

from django.core.management.base import BaseCommand

from smartcommune.feedback import services
from smartcommune.places.shortcuts import commune_option


class Command(BaseCommand):
    help = "Escalate open reports past their deadline to the commune leadership (each report once)."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="only this commune (five-digit code)")

    def handle(self, *args, commune=None, **options):
        escalated = services.reports_escalate(commune=commune_option(commune))
        self.stdout.write(f"{len(escalated)} report(s) escalated.")
