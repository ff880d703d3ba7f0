"""Trained models kept in the project (annotator.services.training)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from annotator.core.errors import NotFoundError
from annotator.storage.orm import ModelRow
from annotator.storage.unit import Unit


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A trained model kept in the project, without its bytes (see :meth:`Store.model_data`)."""

    id: int
    kind: str
    created_at: datetime | None
    trained_documents: int
    metrics: dict[str, Any]


class Models(Unit):
    """Trained models, and the done documents they are trained from."""

    def save_model(
        self, kind: str, data: bytes, *, trained_documents: int, metrics: dict[str, Any]
    ) -> StoredModel:
        """Store a trained model of ``kind``; it becomes the project's latest of that kind."""
        row = ModelRow(
            kind=kind, data=data, trained_documents=trained_documents, metrics=dict(metrics)
        )
        self.session.add(row)
        self.session.flush()
        return _stored_model(row.id, row.kind, row.created_at, row.trained_documents, row.metrics)

    def latest_model(self, kind: str) -> StoredModel | None:
        """The newest model of ``kind`` without its bytes (cheap: suggesters ask this to know
        their version), or ``None`` when none was trained."""
        row = self.session.execute(
            select(
                ModelRow.id,
                ModelRow.kind,
                ModelRow.created_at,
                ModelRow.trained_documents,
                ModelRow.metrics,
            )
            .where(ModelRow.kind == kind)
            .order_by(ModelRow.id.desc())
            .limit(1)
        ).first()
        return None if row is None else _stored_model(*row)

    def model_data(self, model_id: int) -> bytes:
        data = self.session.scalar(select(ModelRow.data).where(ModelRow.id == model_id))
        if data is None:
            raise NotFoundError(f"no trained model with id {model_id}")
        return bytes(data)

    def prune_models(self, kind: str, *, keep: int) -> int:
        """Delete all but the newest ``keep`` models of ``kind`` (each is megabytes)."""
        kept = select(ModelRow.id).where(ModelRow.kind == kind).order_by(ModelRow.id.desc())
        newest = list(self.session.scalars(kept.limit(max(keep, 0))))
        query = delete(ModelRow).where(ModelRow.kind == kind)
        if newest:
            query = query.where(ModelRow.id.not_in(newest))
        return int(self.session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def _stored_model(
    model_id: int, kind: str, created_at: datetime | None, documents: int, metrics: Any
) -> StoredModel:
    # SQLite hands back naive datetimes; every stamp we write is UTC.
    if created_at is not None and created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return StoredModel(model_id, kind, created_at, documents, dict(metrics or {}))
