"""Import a villages, households or organisations file for a commune, as the web page does."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.core import tabular
from smartcommune.places.models import Commune
from smartcommune.registry import importing


class Command(BaseCommand):
    help = "Import a .xlsx or .csv file (all or nothing); prints progress and every bad row."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(importing.SPECS))
        parser.add_argument("commune", help="Commune code, e.g. 21238")
        parser.add_argument("file")
        parser.add_argument("--user", help="User name recorded in the change history")

    def handle(self, *args, kind, commune, file, user=None, **options):
        commune_obj = Commune.objects.filter(code=commune.zfill(5)).first()
        if commune_obj is None:
            raise CommandError(_("Unknown commune code %(code)s.") % {"code": commune})
        user_id = User.objects.filter(username=user).values_list("pk", flat=True).first() if user else None

        def progress(fraction: float, rows: int) -> None:
            sys.stderr.write(f"\r{fraction * 100:5.1f}%  {rows:>9,} " + _("rows read"))
            sys.stderr.flush()

        try:
            with open(file, "rb") as fileobj:
                result = importing.import_file(
                    kind=kind,
                    commune=commune_obj,
                    fileobj=fileobj,
                    progress=progress,
                    user_id=user_id,
                    reason=_("Imported from %(file)s") % {"file": file},
                )
        except tabular.FileError as error:
            raise CommandError("\n".join(error.messages)) from error
        sys.stderr.write("\n")
        if result.errors:
            for e in result.errors:
                self.stderr.write(f"{_('Row')} {e.row} · {e.column} · {e.value!r}: {e.reason}")
            raise CommandError(
                _("Nothing was imported: %(count)s problems in %(rows)s rows.")
                % {"count": len(result.errors), "rows": result.rows}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(rows)s rows read, %(created)s created, %(updated)s updated.")
                % {"rows": result.rows, "created": result.created, "updated": result.updated}
            )
        )
