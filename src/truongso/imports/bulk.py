"""Writing many new rows at once: PostgreSQL COPY, or bulk_create elsewhere (SQLite).

COPY is fed text lines built from already checked values; ``copy_text`` escapes what
COPY's text format needs. Primary keys are reserved from the table's sequence first, so
that rows referring to the new ones (events, audit entries) are written the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from psycopg import sql

logger = logging.getLogger(__name__)
NULL = "\\N"
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_WRITE_SIZE = 1 << 20


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def copy_text(value: str) -> str:
    if "\\" in value or not value.isprintable():
        return value.translate(_ESCAPE)
    return value


def copy_value(value: object) -> str:
    """Any Python value as COPY text (used for the values that are the same on every row)."""
    import datetime as dt
    import json

    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return copy_text(json.dumps(value, ensure_ascii=False))
    return copy_text(str(value))


def reserve_ids(table: str, count: int) -> list[int]:
    """``count`` new primary keys from the table's sequence (never reused)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        # The sequence's name first: looked up inside the statement, it would be looked up
        # again for every key (thirteen times slower for 200,000 keys).
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
            [sequence, count],
        )
        return list(cursor.fetchone()[0])


def copy_lines(table: str, columns: list[str], lines: Iterable[str]) -> None:
    """COPY ``lines`` into ``table``: each a line (tab-separated, newline-terminated) or
    several lines joined."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    start = time.perf_counter()
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        buffer: list[str] = []
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= _WRITE_SIZE:
                copy.write("".join(buffer))
                buffer.clear()
                size = 0
        if buffer:
            copy.write("".join(buffer))
    logger.debug("COPY %s: %s parts in %.2f s", table, count, time.perf_counter() - start)


def line_template(columns: list[str], per_row: list[str], constants: dict[str, str]) -> str:
    """A %-template for one COPY line: per-row columns as %s (in ``per_row`` order, which
    must follow ``columns``), the others as their constant text."""
    assert [c for c in columns if c in per_row] == per_row, "per-row columns out of order"
    parts = []
    for column in columns:
        parts.append("%s" if column in per_row else constants[column].replace("%", "%%"))
    return "\t".join(parts) + "\n"


@contextmanager
def copy_stream(table: str, columns: list[str]) -> Iterator:
    """An open COPY into ``table``: ``write()`` text lines to it as they are made. The
    connection can run nothing else until it is closed."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    start = time.perf_counter()
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        yield copy
    logger.debug("COPY %s (streamed) in %.2f s", table, time.perf_counter() - start)
