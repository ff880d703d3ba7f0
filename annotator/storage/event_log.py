"""The event log: one row per command (what, who, which document), for audits and conflicts."""

from __future__ import annotations

from sqlalchemy import select

from annotator.storage.orm import EventRow
from annotator.storage.unit import Unit


class EventLog(Unit):
    """Writes and reads of the event log."""

    def log(self, kind: str, annotator: str | None, document_id: int | None, payload: dict) -> None:
        self.session.add(
            EventRow(kind=kind, annotator=annotator, document_id=document_id, payload=payload)
        )

    def events(self, limit: int = 100) -> list[tuple[str, str | None, int | None, dict]]:
        rows = self.session.scalars(select(EventRow).order_by(EventRow.id.desc()).limit(limit))
        return [(r.kind, r.annotator, r.document_id, dict(r.payload)) for r in rows]
