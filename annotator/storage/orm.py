"""ORM models (SQLAlchemy 2.0 typed ``Mapped[]``). Never leave this package: repositories turn
rows into :mod:`annotator.core.model` values.

Every constraint is named by the convention below so migrations can refer to them on any
database (SQLite needs names to alter tables in batch mode).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from annotator.core import limits

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}  # noqa: RUF012


class Setting(Base):
    """Project settings: one JSON value per key (suggesters, K annotators per document...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(limits.MAX_SETTING_KEY_CHARS), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class LabelSchemaRow(Base):
    """Every version of the label schema; the project uses the highest."""

    __tablename__ = "label_schemas"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    schema: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Annotator(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(limits.MAX_ANNOTATOR_CHARS), unique=True)
    is_reviewer: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(limits.MAX_ID_CHARS), unique=True)
    source: Mapped[str | None] = mapped_column(String(limits.MAX_SOURCE_CHARS), index=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Ignored ranges came with the file (native JSONL): boilerplate detection leaves them be.
    ignored_from_file: Mapped[bool] = mapped_column(default=False)
    #: How many annotators have been handed this document (see :class:`AssignmentRow`). A
    #: counter on the row so that taking a slot is one conditional UPDATE, atomic on SQLite
    #: and PostgreSQL alike: two people asking at once cannot both take the last slot.
    assignees: Mapped[int] = mapped_column(default=0, server_default="0")


class SpanRow(Base):
    """A confirmed annotation of one annotator, in the ``entity`` or ``claim`` layer."""

    __tablename__ = "spans"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="offsets"),
        CheckConstraint("layer IN ('entity', 'claim')", name="layer"),
        Index("ix_spans_document_annotator", "document_id", "annotator_id", "layer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    layer: Mapped[str] = mapped_column(String(10))
    start: Mapped[int]
    end: Mapped[int]
    label: Mapped[str] = mapped_column(String(limits.MAX_LABEL_CHARS), index=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    origin: Mapped[str] = mapped_column(String(limits.MAX_ORIGIN_CHARS), default="manual")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The id the span had in the file it was imported from, kept for round trips.
    ref: Mapped[str | None] = mapped_column(String(limits.MAX_SPAN_REF_CHARS))
    #: Bumped on every change, so that a client editing a span it read at an older version
    #: (another reviewer changed it meanwhile) is refused instead of overwriting silently.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClaimRow(Base):
    """The claim-only part of a claim span: claimant, cue, type, hedged."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(
            "(cue_start IS NULL AND cue_end IS NULL) OR (cue_start >= 0 AND cue_end > cue_start)",
            name="cue",
        ),
    )

    span_id: Mapped[int] = mapped_column(
        ForeignKey("spans.id", ondelete="CASCADE"), primary_key=True
    )
    #: An entity span in the same document; NULL means unattributed.
    claimant_id: Mapped[int | None] = mapped_column(
        ForeignKey("spans.id", ondelete="SET NULL"), index=True
    )
    cue_start: Mapped[int | None]
    cue_end: Mapped[int | None]
    claim_type: Mapped[str] = mapped_column(String(limits.MAX_CLAIM_TYPE_CHARS), default="other")
    hedged: Mapped[bool] = mapped_column(default=False)


class AssignmentRow(Base):
    """A document handed to an annotator by "next document" (at most K per document)."""

    __tablename__ = "assignments"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotators.id"), primary_key=True, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionRow(Base):
    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint("document_id", "suggester", "layer", "start", "end", "label"),
        CheckConstraint('start >= 0 AND "end" > start', name="offsets"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    layer: Mapped[str] = mapped_column(String(10))
    start: Mapped[int]
    end: Mapped[int]
    label: Mapped[str] = mapped_column(String(limits.MAX_LABEL_CHARS))
    suggester: Mapped[str] = mapped_column(String(limits.MAX_SUGGESTER_CHARS))
    suggester_version: Mapped[str] = mapped_column(String(limits.MAX_SUGGESTER_CHARS), default="")
    score: Mapped[float] = mapped_column(Float, default=1.0)
    reason: Mapped[str] = mapped_column(Text, default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DecisionRow(Base):
    """An annotator's accept/reject of a suggested span. Keyed by the span, not the suggestion
    row, so a rejection survives the suggestions being recomputed."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "layer", "start", "end", "label"),
        CheckConstraint("decision IN ('accepted', 'rejected')", name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    layer: Mapped[str] = mapped_column(String(10))
    start: Mapped[int]
    end: Mapped[int]
    label: Mapped[str] = mapped_column(String(limits.MAX_LABEL_CHARS))
    decision: Mapped[str] = mapped_column(String(10))
    suggester: Mapped[str | None] = mapped_column(String(limits.MAX_SUGGESTER_CHARS))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentStatusRow(Base):
    __tablename__ = "document_status"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done', 'skipped')", name="status"),
        Index("ix_document_status_annotator_status", "annotator_id", "status"),
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    seconds_spent: Mapped[float] = mapped_column(Float, default=0.0)
    skip_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IgnoredRangeRow(Base):
    """Boilerplate: kept in the text, marked here, greyed in the view, droppable on export."""

    __tablename__ = "ignored_ranges"
    __table_args__ = (CheckConstraint('start >= 0 AND "end" > start', name="offsets"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int]
    end: Mapped[int]
    reason: Mapped[str] = mapped_column(
        String(limits.MAX_IGNORED_REASON_CHARS), default="boilerplate"
    )


class EventRow(Base):
    """Append-only log of what happened; no foreign keys so it outlives what it mentions."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    annotator: Mapped[str | None] = mapped_column(String(limits.MAX_ANNOTATOR_CHARS))
    kind: Mapped[str] = mapped_column(String(limits.MAX_EVENT_KIND_CHARS))
    document_id: Mapped[int | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TermRow(Base):
    """A gazetteer term imported by the user (confirmed entities feed the gazetteer too)."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("term", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(limits.MAX_TERM_CHARS))
    label: Mapped[str] = mapped_column(String(limits.MAX_LABEL_CHARS))
    #: False: matches regardless of case; True: only as written.
    case_sensitive: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(String(limits.MAX_SOURCE_CHARS))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ModelRow(Base):
    """A trained suggestion model kept in the project (nothing is ever downloaded)."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(limits.MAX_MODEL_KIND_CHARS), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: How many confirmed documents it was trained on, and its held-out scores.
    trained_documents: Mapped[int] = mapped_column(default=0)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TokenBoundariesRow(Base):
    """A text's token and sentence boundaries, computed once and reused by every export that
    needs tokens (tokenizing is most of such an export). Keyed by the text's SHA-256, so an
    entry is right for any document with that text; ``tokenizer`` names the tokenizer that made
    it, and an entry made by another one is computed again."""

    __tablename__ = "token_boundaries"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokenizer: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class NearDuplicateSignatureRow(Base):
    """A document's near-duplicate signature (annotator/core/near_duplicates.py), kept so that
    a later import compares its documents with this one without reading its text again (its
    band keys are derived from it when that import starts). ``signature`` is None for a text
    too short to be compared; ``version`` names the way it was computed."""

    __tablename__ = "near_duplicate_signatures"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int]
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class NearDuplicateMemberRow(Base):
    """A document in a group of near-duplicates. ``group_id`` is the group's original (its
    earliest document, a member too, with similarity 1); ``similarity`` is the member's
    estimated similarity to the original."""

    __tablename__ = "near_duplicate_members"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    similarity: Mapped[float] = mapped_column(Float)
