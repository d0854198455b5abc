"""Scans of lots' QR codes: counted with one atomic statement per scan; an unusual number in a day is
reported to the producer, once. The public page's hot path (scan_lookup) counts the scan and reads the
cache key's versions in the same statement."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from smartcommune.core import notify

from .models import Lot, Product, ScanDay


def _d(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _scan_table() -> str:
    return ScanDay._meta.db_table


# The public page's hot path: count a scan AND read what the cached page's key needs, in one statement.
_SCAN_LOOKUP = """
UPDATE {scan} SET count = count + 1
WHERE day = %s AND lot_id = (
    SELECT l.id FROM {lot} l JOIN {product} p ON p.id = l.product_id WHERE p.{key} = %s AND l.code = %s
)
RETURNING lot_id,
    (SELECT l.cache_version FROM {lot} l WHERE l.id = {scan}.lot_id),
    (SELECT p.cache_version FROM {lot} l JOIN {product} p ON p.id = l.product_id WHERE l.id = {scan}.lot_id),
    (SELECT p.scan_alert_per_day FROM {lot} l JOIN {product} p ON p.id = l.product_id WHERE l.id = {scan}.lot_id),
    count, alerted_at
"""


def _unsynced() -> bool:
    """PostgreSQL with client-side binding (Django's default) can prefix the statement with SET LOCAL."""
    options = connection.settings_dict.get("OPTIONS", {})
    return connection.vendor == "postgresql" and options.get("server_side_binding") is not True


def _returning(sql: str, params: list) -> tuple | None:
    """Run a counting UPDATE … RETURNING; on PostgreSQL its commit does not wait for the disk.

    A scan counter is not an official record: after a crash it may miss the last fraction of a second of
    scans (synchronous_commit off for this statement's transaction only), never hold a wrong count. Every
    other write keeps the database's normal, durable commit."""
    with connection.cursor() as cursor:
        if _unsynced():
            # One round trip: both statements travel together and run as one implicit transaction.
            cursor.execute("SET LOCAL synchronous_commit TO OFF; " + sql, params)
            cursor.nextset()
        else:  # SQLite in WAL mode with synchronous=NORMAL already commits without waiting for the disk
            cursor.execute(sql, params)
        return cursor.fetchone()


def scan_lookup(*, key: str, value: str, lot_code: str, day: date | None = None) -> tuple | None:
    """Count one scan of the lot named by (GTIN or internal code, lot code) and return
    (lot id, lot version, product version, threshold), or None when the lot has no counter row today
    (first scan of the day, or no such lot: the caller then looks the lot up and calls scan_record)."""
    if key not in ("gtin", "internal_code"):
        raise ValueError(key)
    day = day or timezone.localdate()
    sql = _SCAN_LOOKUP.format(scan=_scan_table(), lot=Lot._meta.db_table, product=Product._meta.db_table, key=key)
    row = _returning(sql, [day, value, lot_code])
    if row is None:
        return None
    lot_id, lot_version, product_version, threshold, count, alerted = row
    if count > threshold and alerted is None:
        _scan_alert(lot_id=lot_id, day=day, count=count)
    return lot_id, lot_version, product_version, threshold


def scan_record(*, lot_id: int, threshold: int, day: date | None = None) -> int:
    """Count one scan of a lot's public page with one atomic UPDATE; past `threshold` in a day the producer
    is told, once."""
    day = day or timezone.localdate()
    sql = f"UPDATE {_scan_table()} SET count = count + 1 WHERE lot_id = %s AND day = %s RETURNING count, alerted_at"
    row = _returning(sql, [lot_id, day])
    if row is None:
        try:
            with transaction.atomic():
                ScanDay.objects.create(lot_id=lot_id, day=day, count=1)
            return 1
        except IntegrityError:  # another request created today's row first
            return scan_record(lot_id=lot_id, threshold=threshold, day=day)
    count, alerted = row
    if count > threshold and alerted is None:
        _scan_alert(lot_id=lot_id, day=day, count=count)
    return count


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
