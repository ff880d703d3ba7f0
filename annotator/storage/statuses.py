"""Document statuses: each annotator's new / in progress / done / skipped, and time spent."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func, select

from annotator.core.model import DocumentState, Status
from annotator.storage import convert
from annotator.storage.bulk import chunks
from annotator.storage.orm import Annotator, DocumentRow, DocumentStatusRow
from annotator.storage.unit import Unit

#: How far a status has got; a document counts once overall, by its most advanced status.
STATUS_RANK = {"new": 0, "in_progress": 1, "skipped": 2, "done": 3}


class Statuses(Unit):
    """Per-annotator document statuses and the counts made of them."""

    def get_state(self, document_id: int, annotator: str) -> DocumentState:
        row = self.session.get(DocumentStatusRow, (document_id, self.annotator_id(annotator)))
        return convert.state(document_id, annotator, row)

    def states(self, document_id: int) -> list[DocumentState]:
        """Every annotator's status row for the document, by annotator name."""
        return self.states_by_documents([document_id]).get(document_id, [])

    def set_state(self, state: DocumentState) -> None:
        key = (state.document_id, self.annotator_id(state.annotator))
        row = self.session.get(DocumentStatusRow, key)
        if row is None:
            row = DocumentStatusRow(document_id=key[0], annotator_id=key[1])
            self.session.add(row)
        row.status = state.status.value
        row.seconds_spent = state.seconds_spent
        row.skip_reason = state.skip_reason
        self.session.flush()

    def states_by_documents(self, ids: Sequence[int]) -> dict[int, list[DocumentState]]:
        """Every annotator's status row for each of these documents, by annotator name;
        documents nobody has a status for are absent."""
        result: dict[int, list[DocumentState]] = {}
        self.session.flush()  # the statement bypasses the ORM: its pending changes first
        for chunk in chunks(ids):
            rows = self.session.connection().execute(
                select(
                    DocumentStatusRow.document_id,
                    Annotator.name,
                    DocumentStatusRow.status,
                    DocumentStatusRow.seconds_spent,
                    DocumentStatusRow.skip_reason,
                )
                .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
                .where(DocumentStatusRow.document_id.in_(chunk))
            )
            # Sorted here: names in code point order on every backend (see annotators()).
            for doc_id, name, status, seconds, reason in sorted(rows, key=lambda r: (r[0], r[1])):
                result.setdefault(doc_id, []).append(
                    DocumentState(doc_id, name, Status(status), float(seconds or 0.0), reason)
                )
        return result

    def status_counts(self, annotator: str | None = None) -> dict[str, int]:
        """Documents per status. Without an annotator, a document counts once, by its most
        advanced status across annotators (done > skipped > in progress > new)."""
        total = self.session.scalar(select(func.count()).select_from(DocumentRow)) or 0
        if annotator is not None:
            annotator_id = self.existing_annotator_id(annotator)
            rows = self.session.execute(
                select(DocumentStatusRow.status, func.count())
                .where(DocumentStatusRow.annotator_id == annotator_id)
                .group_by(DocumentStatusRow.status)
            )
            counts = {status: n for status, n in rows}
        else:
            counts = self.best_status_counts()
        counts.pop("new", None)
        result = {s.value: counts.get(s.value, 0) for s in Status}
        result["new"] = total - sum(v for k, v in result.items() if k != "new")
        return result

    def best_status_counts(self, annotator_ids: Sequence[int] | None = None) -> dict[str, int]:
        """Documents per most advanced status (done > skipped > in progress > new) among
        the statuses of ``annotator_ids`` (of everyone when ``None``), for documents that have
        any status row. Computed in the database: a handful of rows whatever the corpus."""
        rank = case(
            *((DocumentStatusRow.status == status, value) for status, value in STATUS_RANK.items()),
            else_=0,
        )
        best = select(func.max(rank).label("best"))
        if annotator_ids is not None:
            best = best.where(DocumentStatusRow.annotator_id.in_(annotator_ids))
        ranks = best.group_by(DocumentStatusRow.document_id).subquery()
        rows = self.session.execute(select(ranks.c.best, func.count()).group_by(ranks.c.best))
        names = {value: status for status, value in STATUS_RANK.items()}
        return {names[int(value)]: n for value, n in rows}

    def done_documents(
        self, annotator: str | None = None, *, limit: int | None = None
    ) -> list[tuple[int, str]]:
        """``(document id, annotator)`` for every document an annotator (``annotator`` only,
        when given) marked done, in document order; with ``limit``, the most recently
        finished ones."""
        query = (
            select(DocumentStatusRow.document_id, Annotator.name)
            .join(Annotator, Annotator.id == DocumentStatusRow.annotator_id)
            .where(DocumentStatusRow.status == Status.DONE.value)
        )
        if annotator is not None:
            query = query.where(Annotator.name == annotator)
        if limit is not None:
            query = query.order_by(
                DocumentStatusRow.updated_at.desc(), DocumentStatusRow.document_id.desc()
            ).limit(limit)
        rows = [(row[0], row[1]) for row in self.session.execute(query)]
        return sorted(rows)

    def done_document_count(self, annotator: str | None = None) -> int:
        """How many documents are done (by ``annotator``, or by anyone: each counted once)."""
        query = select(func.count(func.distinct(DocumentStatusRow.document_id))).where(
            DocumentStatusRow.status == Status.DONE.value
        )
        if annotator is not None:
            query = query.where(
                DocumentStatusRow.annotator_id == self.existing_annotator_id(annotator)
            )
        return self.session.scalar(query) or 0
