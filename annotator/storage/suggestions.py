"""Stored suggestions: what the suggesters proposed, cached per document and suggester version."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, select

from annotator.core.model import Suggestion
from annotator.storage import convert
from annotator.storage.bulk import chunks
from annotator.storage.orm import SuggestionRow, utcnow
from annotator.storage.unit import Unit


class Suggestions(Unit):
    """The suggestion cache (annotator.services.suggesting)."""

    def suggestions(self, document_id: int) -> list[Suggestion]:
        """The document's stored suggestions in ``(start, end, id)`` order."""
        return self.suggestions_by_documents([document_id]).get(document_id, [])

    def add_suggestions(self, suggestions: Iterable[Suggestion], version: str = "") -> int:
        rows = [
            {
                "document_id": s.document_id,
                "layer": s.layer.value,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "suggester": s.suggester,
                "suggester_version": version,
                "score": s.score,
                "reason": s.reason,
                "attributes": dict(s.attributes),
                "created_at": utcnow(),
            }
            for s in suggestions
        ]
        if rows:
            self.session.connection().execute(SuggestionRow.__table__.insert(), rows)
        return len(rows)

    def suggestions_by_documents(self, ids: Sequence[int]) -> dict[int, list[Suggestion]]:
        """The stored suggestions of each of these documents in ``(start, end, id)`` order;
        documents without any are absent."""
        result: dict[int, list[Suggestion]] = {}
        for chunk in chunks(ids):
            rows = self.session.scalars(
                select(SuggestionRow)
                .where(SuggestionRow.document_id.in_(chunk))
                .order_by(
                    SuggestionRow.document_id,
                    SuggestionRow.start,
                    SuggestionRow.end,
                    SuggestionRow.id,
                )
            )
            for row in rows:
                result.setdefault(row.document_id, []).append(convert.suggestion(row))
        return result

    def suggestion_versions(self, ids: Sequence[int]) -> dict[int, dict[str, set[str]]]:
        """For each of these documents, the versions its stored suggestions carry, by
        suggester; documents without stored suggestions are absent."""
        result: dict[int, dict[str, set[str]]] = {}
        for chunk in chunks(ids):
            rows = self.session.connection().execute(
                select(
                    SuggestionRow.document_id,
                    SuggestionRow.suggester,
                    SuggestionRow.suggester_version,
                )
                .where(SuggestionRow.document_id.in_(chunk))
                .distinct()
            )
            for doc_id, suggester, version in rows:
                result.setdefault(doc_id, {}).setdefault(suggester, set()).add(version)
        return result

    def replace_suggestions(
        self, document_id: int, suggester: str, version: str, suggestions: Iterable[Suggestion]
    ) -> int:
        """Replace what ``suggester`` suggested for one document by ``suggestions``, stored
        under ``version``; returns how many were stored. Decisions are keyed by span, not by
        suggestion row, so they survive the replacement."""
        rows = list(suggestions)
        for s in rows:
            if s.document_id != document_id or s.suggester != suggester:
                raise ValueError(
                    f"a suggestion of {s.suggester!r} for document {s.document_id} cannot be "
                    f"stored as {suggester!r}'s for document {document_id}"
                )
        self.session.connection().execute(
            delete(SuggestionRow).where(
                SuggestionRow.document_id == document_id, SuggestionRow.suggester == suggester
            )
        )
        return self.add_suggestions(rows, version)

    def delete_suggestions(
        self, *, suggester: str | None = None, document_ids: Sequence[int] | None = None
    ) -> int:
        """Forget stored suggestions (of one suggester, of some documents, or all)."""
        conditions = []
        if suggester is not None:
            conditions.append(SuggestionRow.suggester == suggester)
        if document_ids is None:
            result = self.session.connection().execute(delete(SuggestionRow).where(*conditions))
            return int(result.rowcount or 0)
        deleted = 0
        for chunk in chunks(document_ids):
            result = self.session.connection().execute(
                delete(SuggestionRow).where(SuggestionRow.document_id.in_(chunk), *conditions)
            )
            deleted += int(result.rowcount or 0)
        return deleted

    def remove_suggestions(self, suggestions: Iterable[Suggestion]) -> int:
        """Delete the stored rows of exactly these suggestions (matched by document, suggester,
        layer, offsets and label: unique per row); returns how many were deleted."""
        table = SuggestionRow.__table__
        statement = table.delete().where(
            table.c.document_id == bindparam("d"),
            table.c.suggester == bindparam("g"),
            table.c.layer == bindparam("y"),
            table.c.start == bindparam("s"),
            table.c.end == bindparam("e"),
            table.c.label == bindparam("l"),
        )
        rows = [
            {"d": s.document_id, "g": s.suggester, "y": s.layer.value, "s": s.start, "e": s.end,
             "l": s.label}
            for s in suggestions
        ]  # fmt: skip
        if not rows:
            return 0
        result = self.session.connection().execute(statement, rows)
        return int(result.rowcount or 0)

    def suggestion_counts(self) -> dict[str, int]:
        """Stored suggestions per suggester."""
        rows = self.session.execute(
            select(SuggestionRow.suggester, func.count()).group_by(SuggestionRow.suggester)
        )
        return {suggester: n for suggester, n in rows}
