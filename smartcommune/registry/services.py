"""Writes on the registries: form saves, file imports as jobs, and the API's bulk upserts."""

import threading
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from smartcommune.accounts.models import User
from smartcommune.core import crypto, tabular
from smartcommune.places.models import Commune

from . import importing
from .models import Household, HouseholdYear, ImportJob, Organisation


@transaction.atomic
def household_save(*, household: Household, reason: str = "") -> Household:
    """Save a household checked by HouseholdForm; keeps the ID digest in step with the number."""
    if household.village.commune_id != household.commune_id:
        raise ValidationError({"village": _("The village does not belong to this commune.")})
    household.head_id_digest = crypto.digest(household.head_id_number) if household.head_id_number else ""
    household.save()
    if reason:
        update_change_reason(household, reason)
    return household


@transaction.atomic
def household_year_save(*, record: HouseholdYear) -> HouseholdYear:
    record.full_clean(exclude=["household"])
    record.save()
    return record


@transaction.atomic
def organisation_save(*, organisation: Organisation) -> Organisation:
    if organisation.village_id and organisation.village.commune_id != organisation.commune_id:
        raise ValidationError({"village": _("The village does not belong to this commune.")})
    organisation.save()
    return organisation


@transaction.atomic
def organisation_members_set(*, organisation: Organisation, household_codes: Iterable[str]) -> int:
    """Replace the member households by code; every code must be a household of the same commune."""
    codes = {code.strip().upper() for code in household_codes if code.strip()}
    found = dict(Household.objects.filter(commune=organisation.commune, code__in=codes).values_list("code", "id"))
    unknown = sorted(codes - set(found))
    if unknown:
        raise ValidationError(_("Unknown household codes: %(codes)s.") % {"codes": ", ".join(unknown[:20])})
    organisation.members.set(found.values())
    return len(found)


# File imports -----------------------------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"registry:import:{job_id}:progress"


def import_progress(job: ImportJob) -> tuple[int, int]:
    """(percent, rows read) of a running import, read from the cache the worker writes to."""
    return cache.get(_progress_key(job.pk), (job.progress, job.rows_read))


def import_start(*, commune: Commune, kind: str, upload, by: User) -> ImportJob:
    """Store the file and run its import (in a thread now; a task queue can take the same function)."""
    if kind not in importing.SPECS:
        raise ValidationError(_("Unknown kind of file."))
    tabular.check_size(upload, settings.IMPORT_MAX_BYTES)
    job = ImportJob.objects.create(commune=commune, kind=kind, file=upload, filename=upload.name[:200], by=by)
    if settings.IMPORT_IN_THREAD:
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True).start())
    else:
        import_run(job_id=job.pk)
    return job


def _run_in_thread(job_id: int) -> None:
    try:
        import_run(job_id=job_id)
    finally:
        close_old_connections()


def import_run(*, job_id: int) -> ImportJob:
    """Run one stored import job to the end; its result or its bad rows are saved on the job."""
    job = ImportJob.objects.select_related("commune").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(fraction: float, rows: int) -> None:
        cache.set(_progress_key(job.pk), (int(fraction * 100), rows), timeout=3600)

    errors: list[dict] = []
    try:
        with job.file.open("rb") as fileobj:
            result = importing.import_file(
                kind=job.kind,
                commune=job.commune,
                fileobj=fileobj,
                progress=progress,
                user_id=job.by_id,
                reason=_("Imported from %(file)s") % {"file": job.filename},
            )
    except tabular.FileError as error:
        errors = [{"row": None, "column": "", "value": "", "reason": message} for message in error.messages]
        result = None
    else:
        errors = [e._asdict() for e in result.errors]
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
    job.errors = errors
    job.rows_read = result.rows if result else 0
    job.created, job.updated = (result.created, result.updated) if result and not errors else (0, 0)
    job.progress, job.finished_at = 100, timezone.now()
    job.save(update_fields=["status", "errors", "rows_read", "created", "updated", "progress", "finished_at"])
    cache.delete(_progress_key(job.pk))
    return job


class _MappingRows:
    """Rows given as dicts (the API) read like a file: row numbers from 1, missing keys blank."""

    def __init__(self, rows: list[Mapping], columns: list[tabular.Column]):
        known = {c.key for c in columns}
        unknown = sorted({key for row in rows for key in row} - known)
        if unknown:
            raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
        self.columns, self._rows = tuple(columns), rows

    def _cells(self):
        for number, row in enumerate(self._rows, start=1):
            yield number, tuple("" if row.get(c.key) is None else row[c.key] for c in self.columns)


def rows_upsert(*, kind: str, commune: Commune, rows: list[Mapping], by: User) -> importing.ImportResult:
    """The API's bulk upsert: rows as dicts keyed like the file columns; all or nothing."""
    spec = importing.SPECS[kind]
    reader = _MappingRows(rows, spec.columns)
    return importing.import_rows(  # all or nothing itself
        spec=spec, commune=commune, rows=tabular.validate_rows(reader), user_id=by.pk, reason=_("Sent through the API")
    )
