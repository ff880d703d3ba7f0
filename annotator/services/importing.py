"""Import use case: read files, store new documents and their annotations in batched
transactions, bring the work of records whose document the project already holds onto it
(:mod:`annotator.services.onto_existing`), then detect boilerplate per source: counted from
each batch's new texts once it has committed, marked in one more pass over the source.

Each batch is one transaction: a crash or a cancel keeps the batches already committed and
never leaves half a batch. Bad files and records are reported and the rest goes on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError, OperationCancelled, StorageError
from annotator.core.model import (
    Decision,
    IgnoredRange,
    Layer,
    Status,
    SuggestionDecision,
)
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.ingest import boilerplate
from annotator.ingest.counting import count_records
from annotator.ingest.readers import FieldNames, detect_format, paths_to_read, read
from annotator.ingest.record_checks import check_annotator_name
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.services import collecting
from annotator.services.onto_existing import (
    Conflict,
    Outcome,
    Tally,
    bring_onto,
    owner_of,
)
from annotator.storage.database import Database
from annotator.storage.store import NewState, NewWork, Store

if TYPE_CHECKING:
    from annotator.services import near_duplicates

BATCH_SIZE = 500
_annotator = attrgetter("annotator")
#: Progress is reported at least this often (records read), between batches too.
PROGRESS_EVERY = 100
#: The phases of an import in progress reports.
IMPORTING = "Importing documents"
FINDING_BOILERPLATE = "Looking for boilerplate"
#: Documents marked per transaction when boilerplate is detected.
MARK_BATCH = 1000
#: Documents of a page of them in which the texts of the frequent pieces are looked for.
WINDOW_DOCUMENTS = 32


@dataclass
class ImportSummary:
    imported: int = 0
    #: Records whose document was already in the project (same id or same text): their work
    #: was brought onto it, see ``annotators`` and ``conflicts``.
    duplicates: int = 0
    entities: int = 0
    claims: int = 0
    files: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    boilerplate_documents: int = 0
    #: Documents found to be near-duplicates (copies) of another one.
    near_duplicates: int = 0
    cancelled: bool = False
    #: Per annotator: documents that got new work from them (new documents included), that
    #: were unchanged, that conflicted.
    annotators: dict[str, Tally] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity != "error"]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_paths(
    db: Database,
    paths: Sequence[str | Path],
    *,
    fmt: str = "auto",
    annotator: str | None = None,
    fields: FieldNames | None = None,
    detect_boilerplate: bool = True,
    detect_near_duplicates: bool = True,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    batch_size: int = BATCH_SIZE,
    replace: bool = False,
) -> ImportSummary:
    """Import every file under ``paths``. ``annotator`` owns imported annotations whose
    record names nobody, and is the annotator whose status a bare ``status`` sets. Where an
    annotator's imported version of a known document differs from the project's, the
    project's is kept, unless ``replace``."""
    if annotator is not None:
        check_annotator_name(annotator)
    summary = ImportSummary()
    batch: list[ImportedDocument] = []
    native_batch: list[bool] = []
    # Boilerplate is counted from each batch's new texts once it has committed: the texts
    # are read once, not again from the database (see _Learners).
    sources = _Learners(counting=detect_boilerplate)
    # Records read, documents and problems alike: what the counted total counts.
    seen = 0
    total = count_records([Path(p) for p in paths], fmt)
    progress(0, total, IMPORTING)
    if detect_boilerplate:
        with db.read() as store:
            sources.before = store.last_document_id()
    paused = collecting.collect_less()
    try:
        for path in paths_to_read([Path(p) for p in paths], fmt):
            summary.files += 1
            try:
                file_format = detect_format(path) if fmt == "auto" else fmt
                for item in read(
                    path, file_format, fields=fields or FieldNames(), default_annotator=annotator
                ):
                    if cancel is not None:
                        cancel.check()
                    seen += 1
                    if seen % PROGRESS_EVERY == 0:
                        progress(seen, _at_least(total, seen), IMPORTING)
                    if isinstance(item, ImportProblem):
                        summary.problems.append(item)
                        continue
                    batch.append(item)
                    native_batch.append(file_format == "annotator")
                    if len(batch) >= batch_size:
                        _store(db, batch, native_batch, annotator, summary, sources, replace)
                        batch, native_batch = [], []
                        progress(seen, _at_least(total, seen), IMPORTING)
            except OperationCancelled:
                raise
            except AnnotatorError as exc:
                # A reader that gives up on a whole file; the other files go on.
                summary.problems.append(ImportProblem(str(path), str(exc)))
        if batch:
            _store(db, batch, native_batch, annotator, summary, sources, replace)
        progress(seen, seen, IMPORTING)
        # The boilerplate pass holds each new text with its ranges: it signs them for
        # near-duplicate detection, which then reads back only the texts it was not handed.
        signer = None
        if detect_near_duplicates and summary.imported:
            # Imported here: it brings numpy, which starting the window does not need.
            from annotator.services import near_duplicates

            signer = near_duplicates.Signer(db)
        if detect_boilerplate and sources.learners:
            summary.boilerplate_documents = mark_sources(
                db, sources, cancel=cancel, progress=progress, signer=signer
            )
        if signer is not None:
            summary.near_duplicates = near_duplicates.find_new(
                db, cancel=cancel, progress=progress, signer=signer
            )
    except OperationCancelled:
        summary.cancelled = True
    finally:
        collecting.restore(paused)
    return summary


#: More work for a batch's transaction: ``(store, the batch's documents, the conflicts
#: bringing their work onto known documents met)`` → what it did. A merge writes the
#: decisions and assignments that go with the documents' spans so.
WithBatch = Callable[[Store, Sequence[ImportedDocument], Sequence[Conflict]], object]


def store_documents(
    db: Database,
    documents: list[ImportedDocument],
    summary: ImportSummary,
    *,
    annotator: str | None = None,
    replace: bool = False,
    with_batch: WithBatch | None = None,
) -> list[object]:
    """Store documents read from elsewhere (another project) in one transaction, as an
    import of a native file would: new ones added, known ones' work brought onto them. Their
    ignored ranges are kept as given. ``with_batch`` runs last in that same transaction, so
    what it writes commits or rolls back with the documents; its results are returned, one
    per transaction that committed (more than one when the database refused the batch and
    its documents were stored one by one)."""
    if not documents:
        return []
    native = [True] * len(documents)
    return _store(
        db, documents, native, annotator, summary, _Learners(counting=False), replace, with_batch
    )


@dataclass
class _Stored:
    """What one batch stored; added to the summary only once its transaction committed."""

    imported: int = 0
    duplicates: int = 0
    entities: int = 0
    claims: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    #: ``(source, text)`` of the new documents whose boilerplate is ours to find.
    texts: list[tuple[str | None, str]] = field(default_factory=list)
    onto: Outcome = field(default_factory=Outcome)
    #: What ``with_batch`` returned (see :func:`store_documents`).
    extra: object = None


def _store(
    db: Database,
    batch: list[ImportedDocument],
    native: list[bool],
    annotator: str | None,
    summary: ImportSummary,
    sources: _Learners,
    replace: bool = False,
    with_batch: WithBatch | None = None,
) -> list[object]:
    """Store a batch in one transaction. Should the database refuse it all the same (the
    records were checked against every limit, so this is not expected), store its documents
    one by one to name the one refused and keep the others; if it refuses every one, the
    fault is the database's, not a record's, and it is raised."""
    try:
        results = [_store_once(db, batch, native, annotator, replace, with_batch)]
    except StorageError as error:
        if len(batch) == 1:
            raise
        results = []
        for doc, is_native in zip(batch, native, strict=True):
            try:
                results.append(_store_once(db, [doc], [is_native], annotator, replace, with_batch))
            except StorageError as exc:
                results.append(_Stored(problems=[ImportProblem(doc.origin, f"not stored: {exc}")]))
        if not any(result.imported or result.duplicates for result in results):
            raise error
    for result in results:
        summary.imported += result.imported
        summary.duplicates += result.duplicates
        summary.entities += result.entities
        summary.claims += result.claims
        summary.problems.extend(result.problems)
        sources.add(result.texts)
        for name, tally in result.onto.tallies.items():
            summary.annotators.setdefault(name, Tally()).add(tally)
        summary.conflicts.extend(result.onto.conflicts)
        summary.entities += result.onto.entities
        summary.claims += result.onto.claims
    return [result.extra for result in results if result.extra is not None]


def _store_once(
    db: Database,
    batch: list[ImportedDocument],
    native: list[bool],
    annotator: str | None,
    replace: bool = False,
    with_batch: WithBatch | None = None,
) -> _Stored:
    # run_write: a batch that meets another client's import of the same ids is run again,
    # and then sees those ids as taken.
    def work(store: Store) -> _Stored:
        result = _store_batch(store, batch, native, annotator, replace)
        if with_batch is not None:
            result.extra = with_batch(store, batch, result.onto.conflicts)
        return result

    return db.run_write(work)


def _store_batch(
    store: Store,
    batch: list[ImportedDocument],
    native: list[bool],
    annotator: str | None,
    replace: bool = False,
) -> _Stored:
    result = _Stored()
    hashes = [sha256(doc.text) for doc in batch]
    existing = store.existing_hashes(hashes)
    external = store.existing_external_ids(d.external_id for d in batch if d.external_id)
    rows = []
    keep: list[tuple[ImportedDocument, str, bool]] = []
    # Records whose document is already stored (or made by an earlier record of this batch):
    # their work goes onto it once the new documents are in.
    onto: list[tuple[ImportedDocument, str]] = []
    batch_hashes: set[str] = set()
    batch_ids: set[str] = set()
    for doc, digest, is_native in zip(batch, hashes, native, strict=True):
        if digest in existing or digest in batch_hashes:
            result.duplicates += 1
            onto.append((doc, digest))
            continue
        if doc.external_id is not None and (
            doc.external_id in external or doc.external_id in batch_ids
        ):
            result.problems.append(
                ImportProblem(
                    doc.origin,
                    f"duplicate id: {doc.external_id!r} is already used by another document "
                    "with a different text; not imported",
                    field="id",
                )
            )
            continue
        batch_hashes.add(digest)
        if doc.external_id is not None:
            batch_ids.add(doc.external_id)
        rows.append(
            {
                "external_id": doc.external_id,
                "source": doc.source,
                "title": doc.title,
                "text": doc.text,
                "sha256": digest,
                "meta": doc.meta,
                "ignored_from_file": is_native,
            }
        )
        keep.append((doc, digest, is_native))
    ids = store.insert_documents(rows)
    works: list[NewWork] = []
    ignored: dict[int, list[IgnoredRange]] = {}
    # Everyone with work in each new document, counted once per document (once per batch).
    workers: list[set[str]] = []
    # Who owns what names nobody (as ``owner_of`` says).
    owner = owner_of(None, annotator)
    for doc, digest, is_native in keep:
        doc_id = ids[digest]
        if not is_native:
            result.texts.append((doc.source, doc.text))
        if doc.entities or doc.claims or doc.rejected or doc.statuses or doc.seconds:
            # (Most plain imports bring no work: nothing to build for them.)
            work = _new_work(doc_id, doc, owner)
            works.append(work)
            workers.append(_annotators_of_new(work))
            result.entities += len(doc.entities)
            result.claims += len(doc.claims)
        if is_native and doc.ignored:
            ignored[doc_id] = list(doc.ignored)
    for name, documents in Counter(chain.from_iterable(workers)).items():
        result.onto.tallies.setdefault(name, Tally()).new += documents
    # One statement per table for the whole batch (storage/new_work.py).
    store.add_new_work(works)
    if ignored:
        store.replace_ignored(ignored)
    result.imported += len(keep)
    for doc, digest in onto:
        doc_id = existing.get(digest) or ids[digest]
        done = bring_onto(store, doc_id, doc, annotator, replace=replace)
        for name, tally in done.tallies.items():
            result.onto.tallies.setdefault(name, Tally()).add(tally)
        result.onto.conflicts.extend(done.conflicts)
        result.onto.entities += done.entities
        result.onto.claims += done.claims
    return result


def _new_work(doc_id: int, doc: ImportedDocument, owner: str) -> NewWork:
    """What a new document brings: entities (claims cite them by their name in the file),
    claims, rejections and statuses, stored with the rest of the batch's. Its spans go to
    storage as the values the reader made (docs/adr/0033-native-import-rows.md); ``owner``
    owns what names nobody."""
    decisions = [
        SuggestionDecision(
            document_id=doc_id,
            annotator=item.get("annotator") or owner,
            layer=Layer(item.get("layer", "entity")),
            start=int(item["start"]),
            end=int(item["end"]),
            label=str(item["label"]),
            decision=Decision.REJECTED,
            suggester=item.get("suggester"),
        )
        for item in doc.rejected
    ]
    states: list[NewState] = []
    if doc.statuses or doc.seconds:
        seconds = {name or owner: spent for name, spent in doc.seconds.items()}
        states.extend(
            (name or owner, status, seconds.pop(name or owner, 0.0))
            for name, status in doc.statuses.items()
        )
        states.extend((name, Status.NEW, spent) for name, spent in seconds.items())
    return NewWork(doc_id, owner, doc.entities, doc.claims, decisions, states)


def _annotators_of_new(work: NewWork) -> set[str]:
    """Everyone with work in a new document (as ``annotators_of`` its record)."""
    # The spans' own names gathered in C; those that name nobody are the owner's.
    names = set(map(_annotator, work.entities))
    names.update(map(_annotator, work.claims))
    if None in names or "" in names:
        names.difference_update((None, ""))
        names.add(work.owner)
    names.update(d.annotator for d in work.decisions)
    names.update(state[0] for state in work.states)
    return names


class _Learners:
    """The boilerplate counted so far, per source: each committed batch's new texts are
    counted as they are stored (a counter per source, bounded whatever the corpus size), so
    detection needs one more pass over the texts, to mark them, instead of two."""

    def __init__(self, *, counting: bool) -> None:
        self.counting = counting
        self.learners: dict[str | None, boilerplate.BoilerplateLearner] = {}
        #: The highest document id before the import: documents up to it were stored
        #: earlier and are counted from the database before marking.
        self.before = 0

    def add(self, texts: Iterable[tuple[str | None, str]]) -> None:
        for source, text in texts:
            learner = self.learners.get(source)
            if learner is None:
                learner = self.learners[source] = boilerplate.BoilerplateLearner()
            if self.counting:
                learner.add(text)


def mark_sources(
    db: Database,
    sources: _Learners,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback = no_progress,
    signer: near_duplicates.Signer | None = None,
) -> int:
    """Mark the boilerplate of every document of each source the import added to, from what
    was counted during the import and the source's earlier documents; returns how many
    documents now have ignored ranges. Each ``MARK_BATCH`` documents are one transaction.
    ``signer`` is handed the import's documents (those after ``sources.before``) with their
    ranges once they are stored, to be signed for near-duplicate detection."""
    marked = 0
    names = list(sources.learners)
    for index, source in enumerate(names):
        progress(index, len(names), FINDING_BOILERPLATE)
        if cancel is not None:
            cancel.check()
        learner = sources.learners[source]
        # Documents of the source stored before this import count as well.
        last = 0
        while True:
            with db.read() as store:
                page = store.texts_page(source, after_id=last, up_to=sources.before)
            if not page:
                break
            for _doc_id, text in page:
                learner.add(text)
            last = page[-1][0]
        model = learner.finish()
        last = 0
        while True:
            if cancel is not None:
                cancel.check()
            with db.read() as store:
                page = store.texts_page(source, after_id=last, limit=MARK_BATCH)
            if not page:
                break
            # The frequent pieces' texts, from this page's first documents unless known: then
            # marking looks only at the lines that begin or end like one of them.
            model = model.with_windows(text for _doc_id, text in page[:WINDOW_DOCUMENTS])
            found = {doc_id: _as_ranges(model.ranges(text)) for doc_id, text in page}
            with db.write() as store:
                store.replace_ignored(found)
            if signer is not None:
                signer.add(
                    [
                        (doc_id, text, [(r.start, r.end) for r in found[doc_id]])
                        for doc_id, text in page
                        if doc_id > sources.before
                    ]
                )
            marked += sum(1 for ranges in found.values() if ranges)
            last = page[-1][0]
    progress(len(names), len(names), FINDING_BOILERPLATE)
    return marked


def _at_least(total: int | None, seen: int) -> int | None:
    """The counted total, never below what was read: a count is a cheap estimate."""
    return None if total is None else max(total, seen)


def _as_ranges(ranges: Iterable[IgnoredRange]) -> list[IgnoredRange]:
    return sorted(ranges, key=lambda r: (r.start, r.end))
