"""Cancel the orders past their deadline: transfers not paid in time, orders the producer never answered.
Idempotent: run it from cron as often as you like, e.g. `*/15 * * * * python manage.py market_expire_orders`."""

from django.core.management.base import BaseCommand

from smartcommune.market.services import expiry
from smartcommune.places.shortcuts import commune_option


class Command(BaseCommand):
    help = "Cancel unpaid bank-transfer orders and unanswered orders past their deadline (stock goes back)."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="only this commune (five-digit code)")

    def handle(self, *args, commune=None, **options):
        expired = expiry.orders_expire(commune=commune_option(commune))
        self.stdout.write(
            f"{len(expired)} order(s) cancelled: {len(expired.unpaid)} not paid in time, "
            f"{len(expired.unanswered)} not answered in time."
        )
