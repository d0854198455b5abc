"""Tell producers, once, that an OCOP recognition ends within 90 days. Run daily (cron or a task queue)."""

from django.core.management.base import BaseCommand

from smartcommune.trace import services


class Command(BaseCommand):
    help = "Send the 90-day warnings before OCOP recognitions end (each rating is warned once)."

    def handle(self, *args, **options):
        sent = services.ocop_expiry_warn()
        self.stdout.write(f"{sent} OCOP expiry warnings sent.")
