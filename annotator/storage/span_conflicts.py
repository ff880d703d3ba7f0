"""The message for an edit refused because the span moved on (optimistic span versions).

A client edits a span with the version its view showed; when the stored row is at another
version (or gone), somebody else changed it meanwhile. The message says who and when, from the
event log, so the person sees why their edit was not applied.
"""

from __future__ import annotations

from sqlalchemy import select

from annotator.core.errors import ConflictError
from annotator.storage.orm import EventRow, SpanRow
from annotator.storage.unit import Unit

#: Event kinds (written by the commands in ``annotator.core.commands``) that move an existing
#: span to a new version, and the one that removes it.
CHANGED = ("span.edit", "span.restore")
DELETED = ("span.delete",)
#: How far back the log is searched for the last change of the span: a conflict is about a
#: change made moments ago, so it is near the end.
RECENT_EVENTS = 500


def refused(store: Unit, span_id: int, expected: int) -> ConflictError:
    """A :class:`ConflictError` for an edit of ``span_id`` made against version ``expected``."""
    session = store.session
    row = session.execute(
        select(SpanRow.label, SpanRow.start, SpanRow.end, SpanRow.version).where(
            SpanRow.id == span_id
        )
    ).first()
    who = last_change(store, span_id, CHANGED if row is not None else DELETED)
    not_applied = "your change was not applied; the view was refreshed to show the current state"
    if row is None:
        return ConflictError(
            f"Span {span_id} was deleted {who} after you loaded it: {not_applied}."
        )
    label, start, end, version = row
    return ConflictError(
        f"{label} span {start}–{end} (id {span_id}) was changed {who} after you loaded it "
        f"(now version {version}, you had version {expected}): {not_applied}."
    )


def last_change(store: Unit, span_id: int, kinds: tuple[str, ...]) -> str:
    """'by NAME at TIME' for the newest logged event of ``kinds`` on the span, else 'by
    another client' (a change made outside the commands, which is not logged)."""
    rows = store.session.execute(
        select(EventRow.annotator, EventRow.at, EventRow.payload)
        .where(EventRow.kind.in_(kinds))
        .order_by(EventRow.id.desc())
        .limit(RECENT_EVENTS)
    )
    for annotator, at, payload in rows:
        if not isinstance(payload, dict) or payload.get("span") != span_id:
            continue
        name = payload.get("by") or annotator
        when = f" at {at:%H:%M:%S} UTC" if at is not None else ""
        return f"by {name}{when}" if name else f"by another client{when}"
    return "by another client"
