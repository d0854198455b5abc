"""Write the used slips of open surveys again (see services.slips_mix); run it daily, e.g. from cron."""

from django.core.management.base import BaseCommand

from smartcommune.surveys import services
from smartcommune.surveys.models import Campaign


class Command(BaseCommand):
    help = "Rewrite the used slips of every open survey, so that no row version ties a slip to its answer."

    def handle(self, *args, **options):
        total = 0
        for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN):
            total += services.slips_mix(campaign=campaign)
        self.stdout.write(f"{total} used slips rewritten.")
