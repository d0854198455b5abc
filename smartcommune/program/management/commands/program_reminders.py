"""Remind each responsible unit of its tasks due soon. Run once a day (cron); running again the same day
sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from smartcommune.program.services import tasks


class Command(BaseCommand):
    help = "Send deadline reminders for plan tasks due within N days (once per task and day)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Remind tasks due within this many days (default 7).")
        parser.add_argument("--date", dest="day", help="Run as if today were this date (yyyy-mm-dd), for catching up.")

    def handle(self, *args, days: int, day: str | None = None, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        try:
            on = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        run = tasks.reminders_send(on=on, days=days)
        self.stdout.write(
            f"Reminders for {on:%d/%m/%Y}: {run.tasks} tasks, {run.messages} messages sent, "
            f"{run.skipped} already reminded today."
        )
