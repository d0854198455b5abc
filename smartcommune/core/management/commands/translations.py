"""Vietnamese translations: extract (needs GNU gettext), compile (pure Python), check completeness."""

import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PO_FILES = ["django.po", "djangojs.po"]


class Command(BaseCommand):
    help = "Extract, compile or check the Vietnamese translation (locale/vi)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--extract", action="store_true", help="Update locale/vi/*.po from the code (GNU gettext).")
        group.add_argument("--compile", action="store_true", help="Compile .po to .mo without GNU gettext.")
        group.add_argument("--check", action="store_true", help="Fail if a message is missing, untranslated or fuzzy.")

    def handle(self, *args, extract=False, compile=False, check=False, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
        if extract or check:
            self._extract()
        if compile:
            for name in PO_FILES:
                po_path = locale_dir / name
                mo_path = po_path.with_suffix(".mo")
                if po_path.exists() and (not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime):
                    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            return
        if check:
            problems = []
            for name in PO_FILES:
                po_path = locale_dir / name
                if not po_path.exists():
                    continue
                po = polib.pofile(str(po_path))
                problems += [f"{name}: untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
                problems += [f"{name}: fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
            if problems:
                self.stderr.write("\n".join(problems))
                raise CommandError(f"The Vietnamese translation is incomplete: {len(problems)} messages.")
            self.stdout.write(self.style.SUCCESS("The Vietnamese translation is complete."))

    def _extract(self) -> None:
        if subprocess.run(["which", "xgettext"], capture_output=True).returncode != 0:
            raise CommandError("GNU gettext is needed to extract messages (apt-get install gettext).")
        ignore = [".venv", "data", "node_modules", "bench"]
        call_command(
            "makemessages", locale=["vi"], no_location=True, no_obsolete=True, ignore_patterns=ignore, verbosity=0
        )
        call_command(
            "makemessages",
            locale=["vi"],
            domain="djangojs",
            no_location=True,
            no_obsolete=True,
            ignore_patterns=ignore,
            verbosity=0,
        )
        sys.stdout.flush()
