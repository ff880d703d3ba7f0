"""Key sequences after rows inserted under explicit ids.

SQLite picks ``max(id) + 1`` for a new row, so a row put back under an id of its own (undo of a
delete, a copy from another project) never collides with later inserts. PostgreSQL hands out
ids from a sequence that an explicit id does not move: without this, the sequence would later
offer the taken id and the insert would fail with a duplicate key.
"""

from __future__ import annotations

from sqlalchemy import Column, func, literal, select
from sqlalchemy.orm import Session


def keep_ahead_of(session: Session, column: Column[int] | object, value: int) -> None:
    """Make sure the key sequence of ``column`` will never hand out ``value`` or anything
    below it. Only ever moves a sequence forward; a no-op on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return
    # Imported here: a window on a SQLite project never needs the PostgreSQL dialect.
    from sqlalchemy.dialects.postgresql import REGCLASS

    table = column.table.name  # type: ignore[attr-defined]
    sequence = func.pg_get_serial_sequence(table, column.name)  # type: ignore[attr-defined]
    # last_value is NULL until the sequence has handed out its first id.
    last = func.coalesce(func.pg_sequence_last_value(sequence.cast(REGCLASS)), 0)
    session.execute(select(func.setval(sequence, literal(value))).where(literal(value) > last))
