from django.core.management.base import BaseCommand, CommandError

from smartcommune.criteria import loading


class Command(BaseCommand):
    help = "Load the criteria sets in smartcommune/criteria/data (all files checked first; idempotent)."

    def handle(self, *args, **options):
        try:
            report = loading.load_all()
        except loading.CriteriaFileError as error:
            raise CommandError("Criteria files refused:\n" + "\n".join(error.problems)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Criteria sets: {len(report.loaded)} loaded, {len(report.unchanged)} unchanged.")
        )
