"""Aggregates for the project overview (``annotator stats``, View > Overview).

Every figure is computed by the database with GROUP BY, so the cost is a few index scans and
the result is a handful of rows however large the corpus is. Functions take a :class:`Store`
and return plain values keyed by annotator *name*; ``annotator_ids`` restricts a query to
those annotators (the service passes "everyone but gold", or the one annotator asked for).

Hour buckets are UTC on both backends: SQLite stores naive UTC text (SQLAlchemy drops the
zone of the ``utcnow()`` values it writes) and is bucketed with ``strftime``; PostgreSQL
stores ``timestamptz`` and is bucketed with ``date_trunc`` on the value converted to UTC, so
the server's ``TimeZone`` setting does not move the buckets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select

from annotator.storage.orm import (
    Annotator,
    ClaimRow,
    DecisionRow,
    DocumentStatusRow,
    SpanRow,
)
from annotator.storage.store import Store

#: Upper edges (seconds, exclusive) of the time-per-document histogram bins; the last bin is
#: open. Fixed edges keep histograms of different projects and days comparable.
TIME_BIN_EDGES: tuple[float, ...] = (30, 60, 120, 300, 600, 1200, 1800, 3600)


def annotator_ids(store: Store) -> dict[str, int]:
    """Every annotator's id by name."""
    rows = store.session.execute(select(Annotator.name, Annotator.id))
    return {name: annotator_id for name, annotator_id in rows}


def status_by_annotator(store: Store, ids: Sequence[int]) -> dict[str, dict[str, int]]:
    """Recorded statuses per annotator (documents never opened have no row: they are new)."""
    rows = store.session.execute(
        select(Annotator.name, DocumentStatusRow.status, func.count())
        .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
        .where(DocumentStatusRow.annotator_id.in_(ids))
        .group_by(Annotator.name, DocumentStatusRow.status)
    )
    result: dict[str, dict[str, int]] = {}
    for name, status, n in rows:
        result.setdefault(name, {})[status] = n
    return result


def labels_by_annotator(store: Store, ids: Sequence[int]) -> dict[str, dict[str, dict[str, int]]]:
    """Span counts per annotator, layer and label."""
    rows = store.session.execute(
        select(Annotator.name, SpanRow.layer, SpanRow.label, func.count())
        .join(Annotator, Annotator.id == SpanRow.annotator_id)
        .where(SpanRow.annotator_id.in_(ids))
        .group_by(Annotator.name, SpanRow.layer, SpanRow.label)
    )
    result: dict[str, dict[str, dict[str, int]]] = {}
    for name, layer, label, n in rows:
        result.setdefault(name, {}).setdefault(layer, {})[label] = n
    return result


def claim_types_by_annotator(store: Store, ids: Sequence[int]) -> dict[str, dict[str, int]]:
    """Claim counts per annotator and claim type."""
    rows = store.session.execute(
        select(Annotator.name, ClaimRow.claim_type, func.count())
        .join(SpanRow, SpanRow.id == ClaimRow.span_id)
        .join(Annotator, Annotator.id == SpanRow.annotator_id)
        .where(SpanRow.annotator_id.in_(ids))
        .group_by(Annotator.name, ClaimRow.claim_type)
    )
    result: dict[str, dict[str, int]] = {}
    for name, claim_type, n in rows:
        result.setdefault(name, {})[claim_type] = n
    return result


def _hour(store: Store, column: Any) -> ColumnElement[Any]:
    if store.session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H:00:00", column)
    return func.date_trunc("hour", func.timezone("UTC", column))


def _as_utc_hour(value: Any) -> datetime:
    """A bucket as the database returned it (text on SQLite, a naive UTC timestamp on
    PostgreSQL) as an aware UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def spans_created_by_hour(store: Store, ids: Sequence[int], since: datetime) -> dict[datetime, int]:
    """Spans created per UTC hour since ``since`` (an aware datetime)."""
    hour = _hour(store, SpanRow.created_at).label("hour")
    rows = store.session.execute(
        select(hour, func.count())
        .where(SpanRow.annotator_id.in_(ids), SpanRow.created_at >= since)
        .group_by(hour)
    )
    return {_as_utc_hour(bucket): n for bucket, n in rows if bucket is not None}


def documents_done_by_hour(
    store: Store, ids: Sequence[int], since: datetime
) -> dict[datetime, int]:
    """Documents marked done per UTC hour since ``since``: a done status counts in the hour it
    was last written (the status row keeps no history; time recorded after "done" moves it)."""
    hour = _hour(store, DocumentStatusRow.updated_at).label("hour")
    rows = store.session.execute(
        select(hour, func.count())
        .where(
            DocumentStatusRow.annotator_id.in_(ids),
            DocumentStatusRow.status == "done",
            DocumentStatusRow.updated_at >= since,
        )
        .group_by(hour)
    )
    return {_as_utc_hour(bucket): n for bucket, n in rows if bucket is not None}


def _timed(ids: Sequence[int]) -> ColumnElement[bool]:
    # Done documents with time recorded: a done document with no time (imported as done, or
    # adjudicated elsewhere) says nothing about how long the work takes.
    return and_(
        DocumentStatusRow.annotator_id.in_(ids),
        DocumentStatusRow.status == "done",
        DocumentStatusRow.seconds_spent > 0,
    )


def time_summary(store: Store, ids: Sequence[int]) -> tuple[int, float]:
    """How many done documents have time recorded, and their total seconds."""
    count, total = store.session.execute(
        select(func.count(), func.coalesce(func.sum(DocumentStatusRow.seconds_spent), 0.0)).where(
            _timed(ids)
        )
    ).one()
    return int(count), float(total)


def time_at_ranks(store: Store, ids: Sequence[int], ranks: Sequence[int]) -> dict[int, float]:
    """The seconds spent at each 0-based rank (ascending) among timed done documents: one
    ``ORDER BY ... LIMIT 1 OFFSET rank`` per rank, which an index-ordered scan answers on both
    backends (SQLite has no percentile aggregate)."""
    result: dict[int, float] = {}
    for rank in sorted(set(ranks)):
        value = store.session.scalar(
            select(DocumentStatusRow.seconds_spent)
            .where(_timed(ids))
            .order_by(DocumentStatusRow.seconds_spent)
            .limit(1)
            .offset(rank)
        )
        if value is not None:
            result[rank] = float(value)
    return result


def time_histogram(store: Store, ids: Sequence[int]) -> list[int]:
    """Timed done documents per bin of :data:`TIME_BIN_EDGES` (one more bin than edges)."""
    seconds = DocumentStatusRow.seconds_spent
    bin_index = case(
        *((seconds < edge, index) for index, edge in enumerate(TIME_BIN_EDGES)),
        else_=len(TIME_BIN_EDGES),
    ).label("bin")
    rows = store.session.execute(
        select(bin_index, func.count()).where(_timed(ids)).group_by(bin_index)
    )
    counts = [0] * (len(TIME_BIN_EDGES) + 1)
    for index, n in rows:
        counts[int(index)] = n
    return counts


def decisions_by_suggester(
    store: Store, ids: Sequence[int]
) -> list[tuple[str | None, str, str, int]]:
    """(suggester, label, decision, count) over the decisions of ``ids``."""
    rows = store.session.execute(
        select(DecisionRow.suggester, DecisionRow.label, DecisionRow.decision, func.count())
        .where(DecisionRow.annotator_id.in_(ids))
        .group_by(DecisionRow.suggester, DecisionRow.label, DecisionRow.decision)
    )
    return [(suggester, label, decision, n) for suggester, label, decision, n in rows]
