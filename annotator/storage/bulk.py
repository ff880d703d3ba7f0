"""Helpers for reads over many documents at once (exports, training, agreement).

Bulk writes (imports) insert plain rows with one ``executemany`` (:func:`insert_rows`).

Those reads run one query per table and batch of documents (rather than several per
document), as Core statements that build values from plain column tuples; JSON columns are read
as text and parsed with orjson (most are "{}").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

import orjson
from sqlalchemy import Connection, Table

T = TypeVar("T")

#: How SQLAlchemy's DateTime stores a time on SQLite (the time zone is not kept: UTC).
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def json_object(raw: Any) -> dict[str, Any]:
    """A JSON object column read as text; a driver that parses JSON itself (psycopg) hands
    over the object instead."""
    if raw is None or raw == "{}":
        return {}
    if isinstance(raw, str | bytes):
        value = orjson.loads(raw)
        return value if isinstance(value, dict) else {}
    return dict(raw)


def chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    """``items`` in pieces small enough for one ``IN (...)`` list on every backend."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (plain values: ints, strings, floats, bools, times) into ``table``. On
    SQLite as one ``executemany`` on the driver: SQLAlchemy's per-row processing of the
    parameters cost more than the insert itself."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), rows)
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({columns}) VALUES ({marks})",
        [tuple(sqlite_value(row[name]) for name in names) for row in rows],
    )


def sqlite_value(value: Any) -> Any:
    """A value as SQLAlchemy would bind it on SQLite (times as its DateTime stores them)."""
    if isinstance(value, datetime):
        return value.strftime(SQLITE_TIME)
    if isinstance(value, bool):
        return int(value)
    return value
