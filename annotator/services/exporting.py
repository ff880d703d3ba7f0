"""Export use cases: stream documents out of the database into an atomically written file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.model import Status
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.export import native
from annotator.export.atomic import atomic_write
from annotator.storage.database import Database

FORMATS = ("annotator",)


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    format: str
    documents: int
    entities: int
    claims: int
    #: Documents left out because no chosen annotator had them done.
    skipped_not_done: int = 0


def native_records(
    db: Database,
    *,
    annotator: str | None = None,
    only_done: bool = False,
    include_suggestions: bool = False,
    cancel: CancelToken | None = None,
    batch: int = 200,
) -> Iterator[dict[str, Any]]:
    """Native records in document order; one short read transaction per ``batch`` documents
    so a long export never holds the database (SQLite writers keep working)."""
    with db.read() as store:
        ids = store.document_ids()
    for i in range(0, len(ids), batch):
        if cancel is not None:
            cancel.check()
        with db.read() as store:
            for doc_id in ids[i : i + batch]:
                states = store.states(doc_id)
                if annotator is not None:
                    states = [s for s in states if s.annotator == annotator]
                if only_done and not any(s.status is Status.DONE for s in states):
                    yield {"_skipped": doc_id}
                    continue
                yield native.document_record(
                    store.document(doc_id),
                    store.spans(doc_id, annotator),
                    ignored=store.ignored(doc_id),
                    decisions=store.decisions(doc_id, annotator),
                    states=states,
                    suggestions=store.suggestions(doc_id) if include_suggestions else None,
                )


def export(
    db: Database,
    out: Path,
    *,
    fmt: str = "annotator",
    annotator: str | None = None,
    only_done: bool = False,
    include_suggestions: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ExportSummary:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with db.read() as store:
        total = store.document_count()
    documents = entities = claims = skipped = 0
    with atomic_write(out) as handle:
        for done, record in enumerate(
            native_records(
                db,
                annotator=annotator,
                only_done=only_done,
                include_suggestions=include_suggestions,
                cancel=cancel,
            ),
            start=1,
        ):
            if "_skipped" in record:
                skipped += 1
            else:
                handle.write(native.dumps(record))
                documents += 1
                entities += len(record["entities"])
                claims += len(record["claims"])
            if done % 100 == 0 or done == total:
                progress(done, total, f"exported {documents} documents")
    return ExportSummary(out, fmt, documents, entities, claims, skipped)
