"""Cancel the orders past their deadline: transfers not paid in time, orders the producer never answered.
Idempotent: run it from cron as often as you like, e.g. `*/15 * * * * python manage.py market_expire_orders`."""

from django.core.management.base import BaseCommand, CommandError

from smartcommune.market.services import expiry
from smartcommune.places.models import Commune


class Command(BaseCommand):
    help = "Cancel unpaid bank-transfer orders and unanswered orders past their deadline (stock goes back)."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="only this commune (five-digit code)")

    def handle(self, *args, commune=None, **options):
        chosen = None
        if commune:
            chosen = Commune.objects.filter(code=commune).first()
            if chosen is None:
                raise CommandError(f"No commune has the code {commune}.")
        expired = expiry.orders_expire(commune=chosen)
        self.stdout.write(
            f"{len(expired)} order(s) cancelled: {len(expired.unpaid)} not paid in time, "
            f"{len(expired.unanswered)} not answered in time."
        )
