"""Hand-out for laptops: one annotator's share of the documents, to take away and bring back.

The share is the documents handed to the annotator (the team's assignments; ``take`` hands
out more first, by the rule of "next document", K per document included). It is written as

* a starter project (``.sqlite``): the documents, the annotator's own work on them, the label
  schema, the guidelines and the gazetteer terms, made by merging the share into a new project
  (:mod:`annotator.services.merging`), so that merging it back is the same operation reversed;
* or a native JSONL file (any other name): the documents with the annotator's own work, for
  ``annotator import`` on the laptop.

Either way the file is written beside its target and renamed into place when complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.export.atomic import atomic_file, atomic_write
from annotator.export.native import document_record, dumps
from annotator.services.merging import merge_project
from annotator.storage import assignments
from annotator.storage.database import Database

#: Names that make a starter project rather than a JSONL file.
PROJECT_SUFFIXES = (".sqlite", ".sqlite3", ".db")
HANDING_OUT = "Handing out documents"
_BATCH = 200


class HandoutError(AnnotatorError):
    """The share cannot be written (nobody of that name, nothing handed out, target taken)."""


@dataclass(frozen=True, slots=True)
class HandoutSummary:
    annotator: str
    path: Path
    documents: int
    #: Documents handed out by this call (``take``).
    taken: int
    project: bool

    def describe(self) -> str:
        what = "starter project" if self.project else "native JSONL file"
        taken = f" ({self.taken} newly handed out)" if self.taken else ""
        return (
            f"Wrote {self.annotator}'s share, {self.documents} documents{taken}, as a {what} to "
            f"{self.path}; merge it back with: annotator merge {self.path}"
            if self.project
            else f"Wrote {self.annotator}'s share, {self.documents} documents{taken}, as a {what}"
            f" to {self.path}; bring it back with: annotator import --format annotator FILE"
        )


def write_share(
    db: Database,
    annotator: str,
    out: Path,
    *,
    take: int = 0,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> HandoutSummary:
    """Write ``annotator``'s share to ``out`` (see the module); ``take`` hands them that many
    more documents first."""
    out = Path(out)
    project = out.suffix.lower() in PROJECT_SUFFIXES
    if project and out.exists():
        # A project file is never overwritten: it may be the annotator's work brought back.
        raise HandoutError(f"{out} exists; choose a new file name for the starter project")
    taken: list[int] = []
    if take:
        taken = db.run_write(lambda store: assignments.take_documents(store, annotator, take))
    with db.read() as store:
        if annotator not in store.annotators():
            raise HandoutError(f"no annotator named {annotator!r} in this project")
        ids = assignments.assigned_documents(store, annotator)
    if not ids:
        raise HandoutError(
            f"no documents are handed to {annotator!r}: hand some out with --take N, or with "
            "'annotator team next'"
        )
    if project:
        _write_project(db, annotator, ids, out, progress, cancel)
    else:
        _write_file(db, annotator, ids, out, progress, cancel)
    return HandoutSummary(annotator, out, len(ids), len(taken), project)


def _write_project(
    db: Database,
    annotator: str,
    ids: list[int],
    out: Path,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> None:
    with atomic_file(out) as staged:
        starter = Database.open(staged, auto_backup=False)
        try:
            merge_project(
                starter,
                db,
                backup=False,
                document_ids=ids,
                only_annotator=annotator,
                progress=progress,
                cancel=cancel,
            )
        finally:
            starter.close()


def _write_file(
    db: Database,
    annotator: str,
    ids: list[int],
    out: Path,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> None:
    progress(0, len(ids), HANDING_OUT)
    with atomic_write(out) as handle:
        for first in range(0, len(ids), _BATCH):
            if cancel is not None:
                cancel.check()
            chunk = ids[first : first + _BATCH]
            with db.read() as store:
                documents = store.documents_by_ids(chunk)
                spans = store.spans_by_documents(chunk, annotator)
                decisions = store.decisions_by_documents(chunk, annotator)
                states = store.states_by_documents(chunk)
                ignored = store.ignored_by_documents(chunk)
            for document in documents:
                assert document.id is not None
                record = document_record(
                    document,
                    spans.get(document.id, []),
                    ignored=ignored.get(document.id, []),
                    decisions=decisions.get(document.id, []),
                    states=[s for s in states.get(document.id, []) if s.annotator == annotator],
                )
                handle.write(dumps(record))
            progress(first + len(chunk), len(ids), HANDING_OUT)
