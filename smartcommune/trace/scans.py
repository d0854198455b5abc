"""Scans of lots' QR codes, counted per lot and day; an unusual number in a day is reported to the
producer, once.

The public page's hot path only reads: `count` adds the scan to this process's tally, and a background
flush writes the tally at most TRACE_SCAN_FLUSH_SECONDS later, one UPDATE per lot scanned in that time
(and once more when the process exits). A scan counter is not an official record: a process killed
outright loses at most those seconds of scans, never holds a wrong count. With the setting at 0 (the
tests), each scan is written at once.
"""

import atexit
import logging
import os
import threading
from collections import Counter
from datetime import date

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from smartcommune.core import notify

from .models import Lot, ScanDay

logger = logging.getLogger(__name__)


def _d(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


class _Tally:
    """Scans not yet written, by (lot, day), with each lot's alert threshold; one flush pending at most."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[tuple[int, date]] = Counter()
        self.thresholds: dict[int, int] = {}
        self.timer: threading.Timer | None = None

    def add(self, lot_id: int, day: date, threshold: int, delay: float, scans: int = 1) -> None:
        with self.lock:
            self.counts[lot_id, day] += scans
            self.thresholds[lot_id] = threshold
            if self.timer is None:
                self.timer = threading.Timer(delay, flush)
                self.timer.daemon = True
                self.timer.start()

    def take(self) -> tuple[Counter, dict[int, int]]:
        with self.lock:
            if self.timer is not None and self.timer is not threading.current_thread():
                self.timer.cancel()  # flushed early (at exit, or by a test): the timer has nothing left to do
            taken = self.counts, self.thresholds
            self.counts, self.thresholds, self.timer = Counter(), {}, None
            return taken


_tally = _Tally()
# One flush at a time: the flush at exit waits for the timer's, whose thread would otherwise die with the
# process half-way through writing what it took.
_writing = threading.Lock()


def _forget() -> None:
    """A forked child starts with no tally of its own (the parent writes what it counted) and no flush."""
    global _tally, _writing
    _tally, _writing = _Tally(), threading.Lock()


os.register_at_fork(after_in_child=_forget)


def count(*, lot_id: int, threshold: int) -> None:
    """Count one scan of a lot's public page."""
    delay = settings.TRACE_SCAN_FLUSH_SECONDS
    if delay <= 0:
        record(lot_id=lot_id, threshold=threshold)
    else:
        _tally.add(lot_id, timezone.localdate(), threshold, delay)


def flush() -> None:
    """Write the scans this process has counted and not yet written."""
    with _writing:
        counts, thresholds = _tally.take()
        try:
            for (lot_id, day), scans in counts.items():
                try:
                    record(lot_id=lot_id, threshold=thresholds[lot_id], day=day, scans=scans)
                except DatabaseError:  # the database busy or away: keep the scans for the next flush
                    logger.exception("Scans of lot %s not written yet", lot_id)
                    _tally.add(lot_id, day, thresholds[lot_id], settings.TRACE_SCAN_FLUSH_SECONDS or 1, scans)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()  # the timer's thread has a connection of its own


atexit.register(flush)


def record(*, lot_id: int, threshold: int, day: date | None = None, scans: int = 1) -> int:
    """Add `scans` to a lot's count for the day with one atomic UPDATE (or the day's first row); past
    `threshold` the producer is told, once. Returns the day's count."""
    day = day or timezone.localdate()
    rows = ScanDay.objects.filter(lot_id=lot_id, day=day)
    if not rows.update(count=F("count") + scans):
        try:
            with transaction.atomic():
                ScanDay.objects.create(lot_id=lot_id, day=day, count=scans)
        except IntegrityError:  # another process created the day's row first, or the lot is gone
            if not rows.update(count=F("count") + scans):
                return 0
    total, alerted = rows.values_list("count", "alerted_at").get()
    if total > threshold and alerted is None:
        _scan_alert(lot_id=lot_id, day=day, count=total)
    return total


def _scan_alert(*, lot_id: int, day: date, count: int) -> None:
    if not ScanDay.objects.filter(lot_id=lot_id, day=day, alerted_at__isnull=True).update(alerted_at=timezone.now()):
        return  # another request sent it
    lot = Lot.objects.select_related("product__owner__commune").get(pk=lot_id)
    owner = lot.product.owner
    notify.send(
        notify.Message(
            subject=_("Unusual number of scans of lot %(lot)s") % {"lot": lot.code},
            body=_(
                "The QR code of lot %(lot)s of %(product)s was scanned %(count)s times on %(day)s. "
                "Labels may have been copied: check where this lot is sold."
            )
            % {"lot": lot.code, "product": lot.product.name, "count": count, "day": _d(day)},
            email=owner.email,
            phone=owner.phone,
            url=f"{settings.SITE_URL.rstrip('/')}{reverse('trace:lot', args=[owner.commune.code, lot.pk])}",
        )
    )
