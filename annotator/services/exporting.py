"""Export use cases: plan which documents and whose annotations go out, split them, stream them
from the database into each format's writer, read the result back, and only then put it in
place (atomically: a failed, cancelled or rejected export leaves what was there before).

Memory stays flat in corpus size: documents are read ``batch`` at a time, one short read
transaction per batch (SQLite writers keep working), and only ids are kept for the whole
corpus (for the split and the manifest).
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, cast

from annotator.core.model import GOLD_ANNOTATOR, Document, Layer, Span
from annotator.core.progress import DETAIL_SEPARATOR, CancelToken, ProgressCallback, no_progress
from annotator.export import claimreview, conll, docbin, hf, manifest, native, native_rows, prodigy
from annotator.export.atomic import atomic_file, atomic_folder
from annotator.export.checking import check_export
from annotator.export.choosing import CONFLICT, NOT_ADJUDICATED, NOT_DONE, Choice, choose
from annotator.export.document import ExportDocument
from annotator.export.dropping import drop_ignored as drop_ignored_ranges
from annotator.export.errors import (
    DuplicateIdError,
    ExportCheckError,
    ExportError,
    ExportWriteError,
)
from annotator.export.formats import FORMATS as EXPORT_FORMATS
from annotator.export.formats import ExportFormat, get
from annotator.export.ownership import ensure_replaceable
from annotator.export.problems import ANNOTATOR_CONFLICT, ExportProblem, ProblemLog
from annotator.export.read_back import nothing_more
from annotator.export.splitting import ALL, SplitSpec, assign
from annotator.export.token_rows import documents as token_documents
from annotator.export.writing import ExportContext, Writer
from annotator.services import collecting
from annotator.services.export_read_back import read_back_cheaply
from annotator.services.stored_tokens import stored_tokens
from annotator.storage.database import Database
from annotator.storage.export_rows import export_rows, plan_page, token_rows
from annotator.storage.store import Store


class FormatInfo(NamedTuple):
    description: str
    #: File suffix of an export without splits, or ``"folder"``.
    suffix: str


#: Format name -> (description, default suffix or "folder"), for the Export dialog and CLI.
FORMATS: dict[str, FormatInfo] = {
    name: FormatInfo(spec.description, spec.suffix) for name, spec in EXPORT_FORMATS.items()
}

BATCH = 200
#: The longest document a token format exports. Memory while one document is tokenized and
#: written grows with its length (measured for Prodigy: 240 MB over the process's own for a
#: document of 1,000,000 characters, 390 MB for 2,000,000), so this keeps one document's share
#: of an export within about 250 MB. An article is a few thousand characters.
MAX_TOKENIZED_CHARACTERS = 1_000_000
_PLAN_BATCH = 1000


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    format: str
    documents: int
    entities: int
    claims: int
    #: Documents left out because no chosen annotator had them done.
    skipped_not_done: int = 0
    #: Documents left out because several annotators' versions compete (see choosing.py).
    skipped_conflicts: int = 0
    #: With ``gold``: documents that went out as their adjudicated gold version, and (with
    #: ``gold_only``) the documents left out because they are not adjudicated.
    from_gold: int = 0
    skipped_not_adjudicated: int = 0
    #: Documents per split (``{"all": n}`` without splits).
    splits: dict[str, int] = field(default_factory=dict)
    #: The first problems reported in full, and the count of every kind.
    problems: tuple[ExportProblem, ...] = ()
    problem_counts: dict[str, int] = field(default_factory=dict)
    manifest: Path | None = None
    #: Whether the export was read back by its format's check (and the real consumer).
    checked: bool = False
    #: The project's label schema version the export used (also in the manifest).
    schema_version: int = 0


@dataclass
class _Plan:
    """The documents that go out, in id order, and whose annotations; what is left out."""

    ids: list[int] = field(default_factory=list)
    annotators: list[str | None] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    groups: list[str | None] = field(default_factory=list)
    #: With a split: each document's group of near-duplicates going out (None: none).
    together: list[str | None] = field(default_factory=list)
    everyone: bool = False
    not_done: int = 0
    conflicts: int = 0
    #: Whether gold wins where adjudicated (``--gold``), how many documents it gave, and how
    #: many were left out for not being adjudicated (``--gold-only``).
    gold: bool = False
    from_gold: int = 0
    not_adjudicated: int = 0


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
    drop_ignored: bool = False,
    split: SplitSpec | None = None,
    validate: bool = True,
    batch: int = BATCH,
    gold: bool = False,
    gold_only: bool = False,
) -> ExportSummary:
    """Export the project to ``out`` in format ``fmt``.

    ``annotator``/``only_done`` choose what goes out (the rule is in
    :mod:`annotator.export.choosing`; ``only_done=False`` is the command line's ``--all``).
    ``drop_ignored`` cuts boilerplate out of the text and shifts every offset. ``split`` writes
    one file or folder per split plus a manifest into the folder ``out``. With ``validate``
    the written export is read back by its format's check before it replaces ``out``; a
    failed check raises :class:`ExportCheckError` and leaves ``out`` as it was. With
    ``gold`` the adjudicated gold version goes out wherever there is one (``gold_only``: and
    nothing else).

    ``out`` is only replaced if it is an earlier export (:mod:`annotator.export.ownership`);
    two documents with the same id raise :class:`DuplicateIdError` before anything is
    written; a file system error (full disk, no permission) raises :class:`ExportWriteError`
    naming ``out``. In every case the partial output is removed and ``out`` is as it was.
    """
    spec = get(fmt)
    if include_suggestions and not spec.lossless:
        raise ValueError("pending suggestions can only go into the native (annotator) format")
    out = Path(out)
    folder = spec.is_folder or split is not None
    try:
        ensure_replaceable(out, folder=folder)
    except OSError as exc:
        raise ExportWriteError(out, exc) from exc
    with db.read() as store:
        schema = store.schema()
    context = ExportContext(schema=schema, include_suggestions=include_suggestions)
    if fmt == claimreview.FORMAT:  # claims are grouped by the entities the project knows
        from annotator.services.claim_groups import gazetteer_finder

        context.find_entities = gazetteer_finder(db)
    plan = _plan(
        db,
        spec,
        annotator=annotator,
        include_all=not only_done,
        split=split,
        problems=context.problems,
        progress=progress,
        cancel=cancel,
        gold=gold or gold_only,
        gold_only=gold_only,
    )
    if spec.needs_tokens:
        _refuse_long(db, spec, plan)
    names = split.names if split is not None else (ALL,)
    where = [0] * len(plan.ids)
    if split is not None:
        # Near-duplicates always go out in one split (docs/adr/0021-near-duplicates-minhash.md).
        # Imported here: it brings numpy, which starting the window does not need.
        from annotator.services import near_duplicates

        plan.together = near_duplicates.kept_together(db, plan.ids, plan.keys)
        where = assign(plan.keys, plan.groups if split.group_by else None, split, plan.together)
    # Document ids per split, for the manifest (kept only when there is one).
    written: dict[str, list[str]] = {name: [] for name in names}
    counts = {"entities": 0, "claims": 0, **{name: 0 for name in names}}
    opener = (
        partial(atomic_folder, replaceable=partial(ensure_replaceable, folder=True))
        if folder
        else atomic_file
    )
    rows = _reads_rows(spec, drop_ignored)
    row_check = native_rows.RowCheck()
    with _collecting_less(spec.needs_tokens or rows), opener(out) as root:
        writers = [
            spec.writer(spec.target(root, None if split is None else name), context)
            for name in names
        ]
        with _closing(writers):
            if rows:
                tally = _write_rows(
                    db,
                    plan,
                    where,
                    writers,
                    annotator=annotator,
                    include_suggestions=include_suggestions,
                    progress=progress,
                    cancel=cancel,
                    batch=batch,
                    check=row_check,
                )
            else:
                tally = _write_documents(
                    db,
                    spec,
                    plan,
                    where,
                    writers,
                    annotator=annotator,
                    include_suggestions=include_suggestions,
                    drop_ignored=drop_ignored,
                    problems=context.problems,
                    progress=progress,
                    cancel=cancel,
                    batch=batch,
                )
            for index, key, entities, claims in tally:
                counts[names[index]] += 1
                if folder:
                    written[names[index]].append(key)
                counts["entities"] += entities
                counts["claims"] += claims
        if folder:
            if spec.finish is not None:
                spec.finish(root, context)
            options = {
                "annotator": annotator,
                "only_done": only_done,
                "drop_ignored": drop_ignored,
                "include_suggestions": include_suggestions,
            }
            if plan.gold:
                options |= {"gold": True, "gold_only": gold_only}
            _write_manifest(root, spec, split, written, options, plan, context)
        if validate:
            progress(0, len(plan.ids), "Reading the export back")
            if rows:
                found = read_back_cheaply(
                    root, spec, folder, writers, clean=row_check.clean, rest=nothing_more
                )
            elif spec.check_written is not None:
                found = read_back_cheaply(
                    root, spec, folder, writers, clean=context.built.clean, rest=spec.check_written
                )
            else:
                found = check_export(root, fmt) if folder else spec.check(root)
            progress(len(plan.ids), len(plan.ids), "Reading the export back")
            if found:
                # Named as they will be, not by the working folder they are checked in.
                raise ExportCheckError([message.replace(str(root), str(out)) for message in found])
    return ExportSummary(
        path=out,
        format=fmt,
        documents=sum(counts[name] for name in names),
        entities=counts["entities"],
        claims=counts["claims"],
        skipped_not_done=plan.not_done,
        skipped_conflicts=plan.conflicts,
        from_gold=plan.from_gold,
        skipped_not_adjudicated=plan.not_adjudicated,
        splits={name: counts[name] for name in names},
        problems=tuple(context.problems.kept),
        problem_counts=dict(context.problems.counts),
        manifest=out / manifest.NAME if folder else None,
        checked=validate,
        schema_version=context.schema.version,
    )


def _reads_rows(spec: ExportFormat, drop_ignored: bool) -> bool:
    """Whether the export reads plain rows: the native format does
    (docs/adr/0027-export-reads-plain-rows.md), unless ``--drop-ignored`` rewrites its
    documents, which goes the way of every other format."""
    return spec.name == native.FORMAT and not drop_ignored


#: The token formats that read plain rows (:mod:`annotator.export.token_rows`).
_TOKEN_ROW_FORMATS = frozenset({prodigy.FORMAT, docbin.FORMAT, conll.FORMAT, hf.FORMAT})


def _token_rows(spec: ExportFormat, drop_ignored: bool) -> bool:
    """Whether a token format reads its documents as plain rows: Prodigy, spaCy, CoNLL and
    Hugging Face do, unless ``--drop-ignored`` rewrites the documents (it works on core
    values)."""
    return spec.name in _TOKEN_ROW_FORMATS and not drop_ignored


def _write_manifest(
    root: Path,
    spec: ExportFormat,
    split: SplitSpec | None,
    written: dict[str, list[str]],
    options: dict[str, Any],
    plan: _Plan,
    context: ExportContext,
) -> None:
    splits = {
        name: {
            "path": spec.target(Path(), None if split is None else name).as_posix(),
            "documents": len(ids),
            "ids": ids,
        }
        for name, ids in written.items()
    }
    manifest.write(
        root,
        manifest.build(
            fmt=spec.name,
            spec=split,
            splits=splits,
            options=options,
            left_out={"not_done": plan.not_done, "conflicts": plan.conflicts}
            | ({"not_adjudicated": plan.not_adjudicated} if plan.gold else {}),
            problems=context.problems,
            schema_version=context.schema.version,
            notes=context.notes | _kept_together(plan, written),
            gold={"used": True, "documents": plan.from_gold} if plan.gold else None,
        ),
    )


def _kept_together(plan: _Plan, written: dict[str, list[str]]) -> dict[str, Any]:
    """``near_duplicate_groups`` for a split's manifest: each group of near-duplicates that
    went out, its split and its documents' ids."""
    if not any(name is not None for name in plan.together):
        return {}
    split_of = {key: name for name, keys in written.items() for key in keys}
    groups: dict[str, list[str]] = {}
    for key, name in zip(plan.keys, plan.together, strict=True):
        if name is not None and key in split_of:
            groups.setdefault(name, []).append(key)
    return {
        "near_duplicate_groups": [
            {"split": split_of[keys[0]], "ids": sorted(keys)} for _, keys in sorted(groups.items())
        ]
    }


def check(path: Path, fmt: str) -> list[str]:
    """What is wrong with an existing export (empty: it reads back cleanly)."""
    return check_export(Path(path), fmt)


def _plan(
    db: Database,
    spec: ExportFormat,
    *,
    annotator: str | None,
    include_all: bool,
    split: SplitSpec | None,
    problems: ProblemLog,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    gold: bool = False,
    gold_only: bool = False,
) -> _Plan:
    """One pass over ids and statuses (no texts) choosing what goes out."""
    plan = _Plan(everyone=spec.lossless and annotator is None, gold=gold)
    need_workers = include_all and annotator is None and not spec.lossless
    # Hashes of the ids that go out: a repeat is checked exactly (and reported) when it comes.
    going: set[int] = set()
    after = 0
    while True:
        if cancel is not None:
            cancel.check()
        with db.read() as store:
            index, states = plan_page(store, after_id=after, limit=_PLAN_BATCH)
            if not index:
                return plan
            ids = [row[0] for row in index]
            workers = store.span_annotators_by_documents(ids) if need_workers else {}
        for doc_id, external_id, source in index:
            choice = choose(
                states.get(doc_id, ()),
                workers.get(doc_id, ()),
                annotator=annotator,
                include_all=include_all,
                lossless=spec.lossless,
                gold=gold,
                gold_only=gold_only,
            )
            key = external_id if external_id is not None else str(doc_id)
            if not choice.include:
                _left_out(plan, choice, key, problems)
                continue
            if hash(key) in going:
                _refuse_duplicate(db, plan, key, doc_id)
            going.add(hash(key))
            plan.ids.append(doc_id)
            plan.annotators.append(choice.annotator)
            if gold and choice.annotator == GOLD_ANNOTATOR:
                plan.from_gold += 1
            if split is not None:
                plan.keys.append(key)
                if split.group_by:
                    plan.groups.append(source)
        after = index[-1][0]
        seen = len(plan.ids) + plan.not_done + plan.conflicts + plan.not_adjudicated
        progress(seen, None, f"Choosing documents{DETAIL_SEPARATOR}{len(plan.ids)} go out")


def _refuse_long(db: Database, spec: ExportFormat, plan: _Plan) -> None:
    """Refuse, before anything is written, a token format for a document longer than
    :data:`MAX_TOKENIZED_CHARACTERS`: its tokens would not fit in memory (a 49 MB article took
    5.7 GB and then failed)."""
    with db.read() as store:
        long = store.longer_than(MAX_TOKENIZED_CHARACTERS)
    for doc_id, title, length in long:
        found = bisect.bisect_left(plan.ids, doc_id)
        if found < len(plan.ids) and plan.ids[found] == doc_id:
            shown = title if len(title) <= 60 else title[:57] + "..."
            raise ExportError(
                f"document #{doc_id} {shown!r} has {length:,} characters; the {spec.name} "
                f"format needs the tokens of a whole document at once and takes documents of "
                f"up to {MAX_TOKENIZED_CHARACTERS:,} characters. Export it in the annotator, "
                "brat, doccano or Label Studio format, or split it into articles and import "
                "them instead"
            )


def _refuse_duplicate(db: Database, plan: _Plan, key: str, doc_id: int) -> None:
    """Raise :class:`DuplicateIdError` if a document already planned has the export id
    ``key`` (the caller saw its hash again; a mere hash collision returns)."""
    after = 0
    while after < doc_id:
        with db.read() as store:
            index = store.document_index(after_id=after, limit=_PLAN_BATCH)
        if not index:
            return
        for other, external_id, _source in index:
            if other >= doc_id:
                return
            same = (external_id if external_id is not None else str(other)) == key
            found = bisect.bisect_left(plan.ids, other)
            if same and found < len(plan.ids) and plan.ids[found] == other:
                with db.read() as store:
                    first, second = store.documents_by_ids([other, doc_id])
                raise DuplicateIdError(key, _describe(first), _describe(second))
        after = index[-1][0]


def _describe(document: Document) -> str:
    """How the user finds a document: its number, title and where its export id comes from."""
    origin = (
        "its imported id"
        if document.external_id is not None
        else "no id of its own, so its number is used"
    )
    title = document.title if len(document.title) <= 60 else document.title[:57] + "..."
    return f"document #{document.id} {title!r} ({origin})"


def _left_out(plan: _Plan, choice: Choice, key: str, problems: ProblemLog) -> None:
    if choice.reason == NOT_DONE:
        plan.not_done += 1
    elif choice.reason == NOT_ADJUDICATED:
        plan.not_adjudicated += 1
    elif choice.reason == CONFLICT:
        plan.conflicts += 1
        problems.report(key, ANNOTATOR_CONFLICT, f"left out: {choice.message}")


#: ``(split index, export id, entities, claims)`` of each document written.
_Tally = tuple[int, str, int, int]


def _write_documents(
    db: Database,
    spec: ExportFormat,
    plan: _Plan,
    where: Sequence[int],
    writers: Sequence[Writer],
    *,
    annotator: str | None,
    include_suggestions: bool,
    drop_ignored: bool,
    problems: ProblemLog,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    batch: int,
) -> Iterator[_Tally]:
    """Write every planned document, in id order, to the writer of its split: read as core
    values, tokenized where the format needs tokens."""
    total = len(plan.ids)
    progress(0, total, "Exporting documents")
    for first in range(0, total, batch):
        if cancel is not None:
            cancel.check()
        ids = plan.ids[first : first + batch]
        with db.read() as store:
            if _token_rows(spec, drop_ignored):
                docs = _load_rows(store, plan, ids, first, annotator)
            else:
                docs = _load(store, spec, plan, ids, first, annotator, include_suggestions)
        if drop_ignored:
            docs = [drop_ignored_ranges(doc, problems) for doc in docs]
        if spec.needs_tokens:
            tokens: Sequence[Any] = stored_tokens(db, [d.text for d in docs], batch=batch)
        else:
            tokens = [None] * len(docs)
        for offset, (doc, tokenized) in enumerate(zip(docs, tokens, strict=True)):
            index = where[first + offset]
            writers[index].write(doc, tokenized)
            entities = sum(span.layer is Layer.ENTITY for span in doc.spans)
            yield index, doc.key, entities, len(doc.spans) - entities
        done = min(first + batch, total)
        progress(done, total, "Exporting documents")


def _write_rows(
    db: Database,
    plan: _Plan,
    where: Sequence[int],
    writers: Sequence[Writer],
    *,
    annotator: str | None,
    include_suggestions: bool,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    batch: int,
    check: native_rows.RowCheck,
) -> Iterator[_Tally]:
    """The native format's :func:`_write_documents`: each batch read as plain rows and built
    into records without a core value per span (docs/adr/0027-export-reads-plain-rows.md)."""
    total = len(plan.ids)
    progress(0, total, "Exporting documents")
    # With gold a document's owner may be gold instead of ``annotator``: everyone's rows are
    # read and the builder keeps the owner's.
    only = None if plan.gold else annotator
    for first in range(0, total, batch):
        if cancel is not None:
            cancel.check()
        ids = plan.ids[first : first + batch]
        with db.read() as store:
            rows = export_rows(store, ids, annotator=only, suggestions=include_suggestions)
        if [row[0] for row in rows.documents] != ids:
            raise ExportError("documents were deleted while the export ran; run it again")
        owners = plan.annotators[first : first + batch]
        built = native_rows.records(rows, owners, suggestions=include_suggestions, check=check)
        for offset, (key, record) in enumerate(built):
            index = where[first + offset]
            cast(native.NativeWriter, writers[index]).write_record(record)
            yield index, key, len(record["entities"]), len(record["claims"])
        progress(min(first + batch, total), total, "Exporting documents")


def _load(
    store: Store,
    spec: ExportFormat,
    plan: _Plan,
    ids: list[int],
    first: int,
    annotator: str | None,
    include_suggestions: bool,
) -> list[ExportDocument]:
    chosen = plan.annotators[first : first + len(ids)]
    documents = store.documents_by_ids(ids)
    if len(documents) != len(ids):
        raise ExportError("documents were deleted while the export ran; run it again")
    # With gold, a document's owner may be gold instead of ``annotator``: read everyone's and
    # keep the owner's below.
    only = None if plan.gold else annotator
    spans = store.spans_by_documents(ids, only)
    ignored = store.ignored_by_documents(ids)
    states = store.states_by_documents(ids) if spec.lossless else {}
    decisions = store.decisions_by_documents(ids, only) if spec.lossless else {}
    suggestions = store.suggestions_by_documents(ids) if include_suggestions else {}
    result = []
    for document, owner in zip(documents, chosen, strict=True):
        doc_id = document.id
        doc_spans: list[Span] = spans.get(doc_id, [])
        everyone = plan.everyone and owner is None
        if not everyone:
            doc_spans = [s for s in doc_spans if s.annotator == owner] if owner else []
        doc_states = states.get(doc_id, [])
        doc_decisions = decisions.get(doc_id, [])
        keep = owner if owner == GOLD_ANNOTATOR else annotator
        if keep is not None:
            doc_states = [s for s in doc_states if s.annotator == keep]
            doc_decisions = [d for d in doc_decisions if d.annotator == keep]
        result.append(
            ExportDocument(
                document=document,
                spans=tuple(doc_spans),
                ignored=tuple(ignored.get(doc_id, ())),
                decisions=tuple(doc_decisions),
                states=tuple(doc_states),
                suggestions=tuple(suggestions.get(doc_id, ())) if include_suggestions else None,
                annotator=owner,
            )
        )
    return result


def _load_rows(
    store: Store, plan: _Plan, ids: list[int], first: int, annotator: str | None
) -> list[ExportDocument]:
    """:func:`_load` for the token formats: documents and spans as plain rows, each span a
    light tuple instead of a frozen ``Span`` (no ignored ranges, states or decisions: these
    formats write none)."""
    # With gold a document's owner may be gold instead of ``annotator``: everyone's spans are
    # read and each document keeps its owner's.
    rows = token_rows(store, ids, annotator=None if plan.gold else annotator)
    if len(rows.documents) != len(ids):
        raise ExportError("documents were deleted while the export ran; run it again")
    owners = plan.annotators[first : first + len(ids)]
    return token_documents(
        rows.documents, rows.spans, rows.annotators, owners, everyone=plan.everyone
    )


@contextlib.contextmanager
def _collecting_less(less: bool) -> Iterator[None]:
    """For a token format or the native one, fewer garbage collections while it runs (as an
    import's, :mod:`annotator.services.collecting`): with spaCy loaded, each full collection
    walks its vocabulary and tables, none of it garbage; the native format makes a dict per
    span, which set off a young collection every few documents and now and then a full one
    (docs/adr/0034-native-export-reading.md); measured in benchmarks/README.md."""
    if not less:
        yield
        return
    paused = collecting.collect_less()
    try:
        yield
    finally:
        collecting.restore(paused)


@contextlib.contextmanager
def _closing(writers: list[Writer]) -> Iterator[None]:
    """Close every writer, even after one failed to close (a full disk shows on the flush at
    close); a writer's error on close only surfaces if nothing else failed, the first one."""
    try:
        yield
    except BaseException:
        for writer in writers:
            with contextlib.suppress(Exception):
                writer.close()
        raise
    failed: Exception | None = None
    for writer in writers:
        try:
            writer.close()
        except Exception as exc:
            failed = failed or exc
    if failed is not None:
        raise failed


__all__ = [
    "FORMATS",
    "ExportCheckError",
    "ExportError",
    "ExportSummary",
    "FormatInfo",
    "check",
    "export",
]
