"""Fast upserts for imports: multi-row INSERT … ON CONFLICT … DO UPDATE … RETURNING statements.

Django's bulk_create builds SQL for every object and field; for a 100,000-row import that costs more
than the database itself. Both SQLite (3.35+) and PostgreSQL speak the same upsert statement, so we
write it once here. Values must already be in their database form (str, int, bool, date, None).
"""

import sqlite3
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import chain

from django.db import connection, models
from django.utils import timezone


def _max_params() -> int:
    """How many parameters one statement may carry. Django assumes SQLite's old limit of 999; the
    SQLite that Python ships takes 32,766, which lets one statement hold 30 times more rows."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


def stamp(moment):
    """`moment` as the database takes it, converted once for the many rows that share it (SQLite stores
    the text its datetime adapter would write for each row; PostgreSQL takes the datetime)."""
    return moment.isoformat(" ") if connection.vendor == "sqlite" else moment


def upsert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    unique: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert `rows` (tuples in the order of `fields`, attribute names such as "village_id"),
    updating `update` columns of rows whose `unique` columns already exist. Returns, for every row
    written, inserted or updated, in no particular order, the values of `returning`: SQL expressions
    over the table's columns such as "id" or "created_at = updated_at".

    Rows go in multi-row statements (as many as the database takes parameters for): PostgreSQL
    answers one statement per round trip, so one row per statement would cost a round trip a row."""
    opts = model._meta
    column = {f.attname: f.column for f in opts.concrete_fields}
    quote = connection.ops.quote_name
    names = ", ".join(quote(column[f]) for f in fields)
    sqlite = connection.vendor == "sqlite"
    # On SQLite the statement goes to the driver as written, in its own "?" style: Django's wrapper
    # would rewrite every "%s" of a 30,000-parameter statement with a regular expression first.
    one = "(" + ", ".join(["?" if sqlite else "%s"] * len(fields)) + ")"
    conflict = ", ".join(quote(column[f]) for f in unique)
    sets = ", ".join(f"{quote(column[f])} = excluded.{quote(column[f])}" for f in update)
    head = f"INSERT INTO {quote(opts.db_table)} ({names}) VALUES "
    tail = f" ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    if returning:
        tail += " RETURNING " + ", ".join(returning)
    per_statement = max(1, min(1000, _max_params() // len(fields)))
    rows, written = list(rows), []
    with connection.cursor() as cursor:
        run = cursor.cursor.execute if sqlite else cursor.execute
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            run(head + ", ".join([one] * len(chunk)) + tail, list(chain.from_iterable(chunk)))
            if returning:
                written += cursor.fetchall()
    return written


def history_snapshot(
    model: type[models.Model],
    *,
    where: str,
    params: Sequence,
    history_type: str,
    user_id: int | None,
    reason: str,
) -> None:
    """Record django-simple-history rows for the rows of `model` matching `where`, in one statement.

    Imports write rows with raw upserts, which bypass simple-history's signals; this copies the
    written rows into the history table inside the database, so every record still shows who
    changed it, when and from which file.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_history_insert(model)} WHERE {where}", [timezone.now(), reason, history_type, user_id, *params]
        )


@cache
def _history_insert(model: type[models.Model]) -> str:
    # Built once per model: `model.history` goes through simple-history's descriptor, which is slow.
    historical = model.history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
    columns = [f.column for f in historical._meta.concrete_fields if f.column not in own]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    return (
        f"INSERT INTO {quote(historical._meta.db_table)} ({names}, history_date, history_change_reason, history_type, "
        f"history_user_id) SELECT {names}, %s, %s, %s, %s FROM {quote(model._meta.db_table)}"
    )
