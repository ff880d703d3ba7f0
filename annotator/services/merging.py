"""Merge another project into this one: what a lead does with the project files annotators
worked on, each on their own laptop, when the team has no database server.

The other project is opened read-only in effect (no migration, no backup, nothing written) and
read in batches. Its documents and every annotator's work on them go through the import path
(:mod:`annotator.services.importing`): a document this project has (same id or same text) is
matched, its work brought onto it (:mod:`annotator.services.onto_existing`), so a second merge
of the same file changes nothing. Decisions on suggestions (accepted or rejected) and the
documents handed to each annotator follow (:mod:`annotator.services.merge_decisions`), in
the same transaction as their batch's documents and spans: a batch commits whole or not at
all, so a killed merge never leaves spans without their decisions. The
label schema is reconciled first, or the merge refused with the differences listed: a label is
never renamed or dropped on the way. Gazetteer terms are added; guidelines are taken when this
project has none. This project is backed up first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.core.errors import AnnotatorError, OperationCancelled
from annotator.core.guidelines import GUIDELINES_KEY, Guidelines
from annotator.core.model import Layer, Span
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.core.schema import LabelSchema, next_free_hotkey
from annotator.ingest.records import ImportedClaim, ImportedDocument, ImportedEntity
from annotator.services.importing import (
    BATCH_SIZE,
    ImportSummary,
    WithBatch,
    sha256,
    store_documents,
)
from annotator.services.merge_decisions import DecisionTally, IncomingWork, merge_work
from annotator.services.onto_existing import Conflict, tally_lines
from annotator.storage import assignments, project_contents
from annotator.storage.database import Database
from annotator.storage.engine import mask, resolve_url, sqlite_path
from annotator.storage.store import Store

#: The progress phase of the documents (the command line names its progress line so).
MERGING = "Merging documents"


class MergeError(AnnotatorError):
    """The other project cannot be merged (missing, this project itself, schemas differ)."""


@dataclass
class MergeSummary:
    source: str
    #: What the documents and their work did: new documents, per-annotator tallies, conflicts.
    documents: ImportSummary = field(default_factory=ImportSummary)
    #: Decisions on suggestions and assignments: added, already here, conflicting.
    work: DecisionTally = field(default_factory=DecisionTally)
    labels_added: list[str] = field(default_factory=list)
    claim_types_added: list[str] = field(default_factory=list)
    schema_taken: bool = False
    terms_added: int = 0
    guidelines: str = "unchanged"
    backup: Path | None = None
    backup_skipped: str | None = None

    def lines(self) -> list[str]:
        """The report, one line per fact, for the command line and the window."""
        docs = self.documents
        out = [
            f"Merged {self.source}: {docs.imported} new documents, {docs.duplicates} already here"
        ]
        out += tally_lines(docs.annotators)
        out += self.work.lines()
        if self.schema_taken:
            out.append("Label schema: taken from the other project (this one had none)")
        if self.labels_added:
            out.append(f"Labels added: {', '.join(self.labels_added)}")
        if self.claim_types_added:
            out.append(f"Claim types added: {', '.join(self.claim_types_added)}")
        out.append(f"Gazetteer terms added: {self.terms_added}")
        out.append(f"Guidelines: {self.guidelines}")
        for conflict in docs.conflicts:
            out.append(f"Conflict: {conflict.describe()}")
        for decision in self.work.conflicts:
            out.append(f"Conflict: {decision.describe()}")
        for problem in docs.problems:
            out.append(f"Not merged: {problem.describe()}")
        if self.backup is not None:
            out.append(f"Backup of this project before the merge: {self.backup}")
        elif self.backup_skipped:
            out.append(f"No backup taken: {self.backup_skipped}")
        if docs.cancelled:
            out.append("Cancelled: the batches merged so far are kept")
        return out


def open_other(target: str | Path) -> Database:
    """Open the project to merge from without changing it: never created, migrated or backed
    up. Raises :class:`MergeError` when there is none."""
    url = resolve_url(target)
    path = sqlite_path(url)
    if path is not None and (not path.is_file() or path.stat().st_size == 0):
        raise MergeError(f"{path}: no such project file")
    try:
        return Database.open(target, upgrade=False, auto_backup=False)
    except AnnotatorError as exc:
        raise MergeError(f"cannot read {mask(url)}: {exc}") from exc


def merge_project(
    db: Database,
    other: Database,
    *,
    replace_conflicts: bool = False,
    add_labels: bool = False,
    backup: bool = True,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    batch_size: int = BATCH_SIZE,
    document_ids: Sequence[int] | None = None,
    only_annotator: str | None = None,
) -> MergeSummary:
    """Bring everything ``other`` holds into ``db`` (see the module). ``add_labels`` lets
    labels this project lacks be added; otherwise their presence refuses the merge.
    ``document_ids`` (ids in ``other``) and ``only_annotator`` narrow what comes: a hand-out
    is a merge of one annotator's share into a new project."""
    if db.url == other.url:
        raise MergeError(f"{db.display_url} is this project; choose another project to merge")
    summary = MergeSummary(other.display_url)
    with other.read() as source:
        schema = _stored_schema(source)
        terms = source.terms()
        guidelines = Guidelines.from_value(source.get_setting(GUIDELINES_KEY))
    # The schema check comes before anything is written, the backup before the first write.
    with db.read() as target:
        plan = _plan_schema(_stored_schema(target), schema, add_labels=add_labels)
    if backup:
        taken = db.backup()
        summary.backup, summary.backup_skipped = taken.path, taken.skipped
    with db.write() as target:
        _apply_schema(target, plan, summary)
        summary.terms_added = _add_terms(target, terms)
        summary.guidelines = _take_guidelines(target, guidelines)
    try:
        _merge_documents(
            db,
            other,
            summary,
            _Scope(replace_conflicts, document_ids, only_annotator, batch_size),
            progress,
            cancel,
        )
    except OperationCancelled:
        summary.documents.cancelled = True
    return summary


# -- the label schema ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _SchemaPlan:
    take: LabelSchema | None = None
    extend: LabelSchema | None = None
    labels: tuple[str, ...] = ()
    claim_types: tuple[str, ...] = ()


def _stored_schema(store: Store) -> LabelSchema | None:
    """The project's schema, or ``None`` when it never saved one (it uses the default)."""
    if not project_contents.contents(store)["schema versions"]:
        return None
    return store.schema()


def schema_differences(ours: LabelSchema, theirs: LabelSchema) -> list[str]:
    """What the other project's schema has that this one's lacks or names differently."""
    differences = [
        f"entity label {name!r} is not in this project"
        for name in theirs.entity_names
        if not ours.has_entity(name)
    ]
    if theirs.claim_label != ours.claim_label:
        differences.append(
            f"the claim label is {theirs.claim_label!r} there and {ours.claim_label!r} here"
        )
    differences += [
        f"claim type {kind!r} is not in this project"
        for kind in theirs.claim_types
        if kind not in ours.claim_types
    ]
    return differences


def _plan_schema(
    ours: LabelSchema | None, theirs: LabelSchema | None, *, add_labels: bool
) -> _SchemaPlan:
    if theirs is None:
        return _SchemaPlan()
    if ours is None:
        return _SchemaPlan(take=theirs)
    differences = schema_differences(ours, theirs)
    if not differences:
        return _SchemaPlan()
    if theirs.claim_label != ours.claim_label or not add_labels:
        hint = (
            "rename the claim label in one project first"
            if theirs.claim_label != ours.claim_label
            else "add them to this project's schema first, or merge with --add-labels"
        )
        raise MergeError(
            "the label schemas differ; nothing was merged:\n  "
            + "\n  ".join(differences)
            + f"\n({hint}; labels are never renamed or dropped by a merge)"
        )
    labels = [label for label in theirs.entities if not ours.has_entity(label.name)]
    taken = {label.hotkey.lower() for label in ours.entities if label.hotkey}
    if ours.claim_hotkey:
        taken.add(ours.claim_hotkey.lower())
    added = []
    for label in labels:
        hotkey = label.hotkey if label.hotkey and label.hotkey.lower() not in taken else None
        hotkey = hotkey or next_free_hotkey(taken)
        if hotkey:
            taken.add(hotkey.lower())
        added.append(replace(label, hotkey=hotkey))
    kinds = tuple(kind for kind in theirs.claim_types if kind not in ours.claim_types)
    extended = replace(
        ours, entities=(*ours.entities, *added), claim_types=(*ours.claim_types, *kinds)
    )
    return _SchemaPlan(
        extend=extended, labels=tuple(label.name for label in added), claim_types=kinds
    )


def _apply_schema(store: Store, plan: _SchemaPlan, summary: MergeSummary) -> None:
    if plan.take is not None:
        store.save_schema(plan.take)
        summary.schema_taken = True
    elif plan.extend is not None:
        store.save_schema(plan.extend)
        summary.labels_added = list(plan.labels)
        summary.claim_types_added = list(plan.claim_types)


# -- terms and guidelines ----------------------------------------------------------------------


def _add_terms(store: Store, terms: Sequence[object]) -> int:
    """The other project's gazetteer terms this one lacks (same term and label: kept as is)."""
    have = {(t.term, t.label) for t in store.terms()}
    by_list: dict[str | None, list[tuple[str, str, bool]]] = {}
    for term in terms:
        key = (term.term, term.label)  # type: ignore[attr-defined]
        if key in have:
            continue
        have.add(key)
        by_list.setdefault(term.source, []).append(  # type: ignore[attr-defined]
            (key[0], key[1], term.case_sensitive)  # type: ignore[attr-defined]
        )
    return sum(store.add_terms(items, source=name) for name, items in by_list.items())


def _take_guidelines(store: Store, theirs: Guidelines) -> str:
    if theirs.empty:
        return "unchanged (the other project has none)"
    ours = Guidelines.from_value(store.get_setting(GUIDELINES_KEY))
    if ours.empty:
        store.set_setting(GUIDELINES_KEY, theirs.to_value())
        return "taken from the other project (this one had none)"
    if ours.markdown == theirs.markdown:
        return "unchanged (the same text)"
    return "kept this project's (the other project's text differs; compare them by hand)"


# -- documents and work ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scope:
    replace: bool
    document_ids: Sequence[int] | None
    annotator: str | None
    batch_size: int


def _merge_documents(
    db: Database,
    other: Database,
    summary: MergeSummary,
    scope: _Scope,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> None:
    for done, total, batch in _batches(other, scope):
        if cancel is not None:
            cancel.check()
        # One transaction per batch: its documents, spans, statuses, decisions and
        # assignments commit together, so a cancel, a crash or a refusal keeps whole batches.
        for tally in store_documents(
            db,
            [doc for doc, _item in batch],
            summary.documents,
            replace=scope.replace,
            with_batch=_decisions_of(batch, scope.replace),
        ):
            assert isinstance(tally, DecisionTally)
            summary.work.add(tally)
        progress(done, total, MERGING)


_Batch = list[tuple[ImportedDocument, IncomingWork]]


def _decisions_of(batch: _Batch, replace: bool) -> WithBatch:
    """What stores the decisions and assignments of a batch's documents, in the batch's
    transaction (:func:`annotator.services.importing.store_documents`)."""
    work = {doc.origin: item for doc, item in batch}

    def decisions(
        store: Store, documents: Sequence[ImportedDocument], conflicts: Sequence[Conflict]
    ) -> DecisionTally:
        # The decisions go with the version of the spans that was kept (merge_decisions).
        versions = {(c.origin, c.annotator): c.replaced for c in conflicts}
        items = [work[doc.origin] for doc in documents]
        return merge_work(store, items, versions, replace=replace)

    return decisions


def _batches(other: Database, scope: _Scope) -> Iterator[tuple[int, int, _Batch]]:
    """``(documents read so far, in all, batch)``, a batch of the other project at a time."""
    if scope.document_ids is not None:
        wanted = sorted(set(scope.document_ids))
        for first in range(0, len(wanted), scope.batch_size):
            ids = wanted[first : first + scope.batch_size]
            with other.read() as source:
                batch = _documents(source, ids, scope.annotator)
            yield first + len(ids), len(wanted), batch
        return
    with other.read() as source:
        total = source.document_count()
    after, done = 0, 0
    while True:
        with other.read() as source:
            index = source.document_index(after_id=after, limit=scope.batch_size)
            if not index:
                return
            ids = [row[0] for row in index]
            batch = _documents(source, ids, scope.annotator)
        after = ids[-1]
        done += len(ids)
        yield done, total, batch


def _documents(source: Store, ids: list[int], annotator: str | None) -> _Batch:
    """The documents with every annotator's work (``annotator``'s only, when given), as the
    import path takes them, each with its decisions and assignments. Spans are linked by their
    database id in the other project (``link``), and keep their ``ref``."""
    documents = source.documents_by_ids(ids)
    spans = source.spans_by_documents(ids, annotator)
    decisions = source.decisions_by_documents(ids, annotator)
    handed = assignments.assignments_by_documents(source, ids, annotator)
    states = {
        doc_id: [s for s in found if annotator is None or s.annotator == annotator]
        for doc_id, found in source.states_by_documents(ids).items()
    }
    ignored = source.ignored_by_documents(ids)
    result = []
    for document in documents:
        assert document.id is not None
        mine = spans.get(document.id, [])
        origin = f"document {document.external_id or document.id}"
        imported = ImportedDocument(
            text=document.text,
            title=document.title,
            external_id=document.external_id,
            source=document.source,
            meta=dict(document.meta),
            entities=tuple(_entity(s) for s in mine if s.layer is Layer.ENTITY),
            claims=tuple(_claim(s) for s in mine if s.layer is Layer.CLAIM),
            # Rejections come with the accepted decisions (merge_decisions), not here.
            ignored=tuple(ignored.get(document.id, [])),
            statuses={s.annotator: s.status for s in states.get(document.id, [])},
            seconds={s.annotator: s.seconds_spent for s in states.get(document.id, [])},
            origin=origin,
        )
        work = IncomingWork(
            origin=origin,
            sha256=sha256(document.text),
            decisions=tuple(decisions.get(document.id, [])),
            assignees=tuple(handed.get(document.id, [])),
            text=document.text,
        )
        result.append((imported, work))
    return result


def _entity(span: Span) -> ImportedEntity:
    return ImportedEntity(
        ref=span.ref,
        start=span.start,
        end=span.end,
        label=span.label,
        annotator=span.annotator,
        origin=span.origin,
        attributes=dict(span.attributes),
        link=f"#{span.id}",
    )


def _claim(span: Span) -> ImportedClaim:
    details = span.claim
    assert details is not None
    return ImportedClaim(
        ref=span.ref,
        start=span.start,
        end=span.end,
        claimant=None if details.claimant_id is None else f"#{details.claimant_id}",
        cue=details.cue,
        claim_type=details.claim_type,
        hedged=details.hedged,
        annotator=span.annotator,
        origin=span.origin,
        label=span.label,
        attributes=dict(span.attributes),
    )
