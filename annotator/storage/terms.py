"""The gazetteer: imported terms, the confirmed entity texts it learns from, and the rejected
ones the seed lists must not propose again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from annotator.core.model import Decision, Layer
from annotator.storage.bulk import chunks
from annotator.storage.orm import DecisionRow, DocumentRow, SpanRow, TermRow
from annotator.storage.unit import Unit


@dataclass(frozen=True, slots=True)
class StoredTerm:
    """A gazetteer term the user imported (see :meth:`Store.terms`)."""

    id: int
    term: str
    label: str
    case_sensitive: bool
    source: str | None


class Gazetteer(Unit):
    """Gazetteer terms (annotator.services.suggesting)."""

    def terms(self, *, source: str | None = None) -> list[StoredTerm]:
        """The imported gazetteer terms (of one list, when ``source`` is given)."""
        query = select(TermRow).order_by(TermRow.id)
        if source is not None:
            query = query.where(TermRow.source == source)
        return [
            StoredTerm(row.id, row.term, row.label, bool(row.case_sensitive), row.source)
            for row in self.session.scalars(query)
        ]

    def add_terms(
        self, terms: Iterable[tuple[str, str, bool]], *, source: str | None = None
    ) -> int:
        """Add ``(term, label, case_sensitive)`` terms from the list ``source``; a term
        already stored with the same label gets the new case rule and source. Returns how
        many terms were added or changed."""
        wanted: dict[tuple[str, str], bool] = {}
        for term, label, case_sensitive in terms:
            wanted[(term, label)] = bool(case_sensitive)
        changed = 0
        for chunk in chunks(list(wanted)):
            existing = {
                (row.term, row.label): row
                for row in self.session.scalars(
                    select(TermRow).where(TermRow.term.in_({term for term, _ in chunk}))
                )
            }
            for key in chunk:
                row = existing.get(key)
                if row is None:
                    self.session.add(
                        TermRow(
                            term=key[0], label=key[1], case_sensitive=wanted[key], source=source
                        )
                    )
                    changed += 1
                elif row.case_sensitive != wanted[key] or row.source != source:
                    row.case_sensitive = wanted[key]
                    row.source = source
                    changed += 1
            self.session.flush()
        return changed

    def delete_terms(self, *, source: str | None = None, label: str | None = None) -> int:
        """Delete imported terms: those of one list and/or label, or all of them."""
        conditions = []
        if source is not None:
            conditions.append(TermRow.source == source)
        if label is not None:
            conditions.append(TermRow.label == label)
        result = self.session.execute(delete(TermRow).where(*conditions))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def term_count(self) -> int:
        return self.session.scalar(select(func.count(TermRow.id))) or 0

    def confirmed_entity_texts(self) -> dict[tuple[str, str], int]:
        """How many confirmed entity spans (every annotator's) have each ``(text, label)``:
        what the gazetteer learns from. Computed in the database, one row per distinct pair."""
        # substr counts characters (code points) on SQLite and PostgreSQL alike, 1-based.
        texts = (
            select(
                func.substr(DocumentRow.text, SpanRow.start + 1, SpanRow.end - SpanRow.start).label(
                    "text"
                ),
                SpanRow.label.label("label"),
            )
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(SpanRow.layer == Layer.ENTITY.value)
            .subquery()
        )
        rows = self.session.execute(
            select(texts.c.text, texts.c.label, func.count()).group_by(texts.c.text, texts.c.label)
        )
        return {(text, label): n for text, label, n in rows if text}

    def rejected_entity_texts(self) -> dict[tuple[str, str], int]:
        """How many rejected entity suggestions (every annotator's) have each ``(text,
        label)``: what the seed lists must not suggest again. Like
        :meth:`confirmed_entity_texts`, one row per distinct pair."""
        texts = (
            select(
                func.substr(
                    DocumentRow.text, DecisionRow.start + 1, DecisionRow.end - DecisionRow.start
                ).label("text"),
                DecisionRow.label.label("label"),
            )
            .join(DocumentRow, DocumentRow.id == DecisionRow.document_id)
            .where(
                DecisionRow.layer == Layer.ENTITY.value,
                DecisionRow.decision == Decision.REJECTED.value,
            )
            .subquery()
        )
        rows = self.session.execute(
            select(texts.c.text, texts.c.label, func.count()).group_by(texts.c.text, texts.c.label)
        )
        return {(text, label): n for text, label, n in rows if text}
