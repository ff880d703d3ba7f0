"""The suggestion lifecycle: compute suggestions for documents, cache them by suggester version,
keep the gazetteer in step with confirmed work, import term lists, and evaluate suggesters
against a gold file.

Caching. Each stored suggestion carries its suggester's version. For a document, a suggester
is skipped when its stored rows all carry its current version; otherwise its rows for that
document are replaced. A suggester that found nothing leaves no row, so "computed, found
nothing" is remembered per suggester in the project settings (``suggest.empty.<name>``: the
version and the ranges of document ids), else every run would redo it. A version changes when
what the suggester knows changes (the label schema for all; the gazetteer's terms and counts;
a new trained model; the rules' code), so changed knowledge is recomputed lazily, document by
document, the next time a document is asked for.

Rejections are keyed by span in the decisions table and survive recomputation:
:func:`annotator.services.workspace.pending` hides what an annotator already decided, so a
rejected span is never proposed to that annotator again, whichever suggester finds it.

Each batch of documents is read in one read transaction, computed outside any transaction, and
written in one write transaction: the window's worker and a command-line run can share the
database, and a cancel keeps every batch already written.
"""

from __future__ import annotations

import bisect
import importlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import OperationCancelled
from annotator.core.model import Document, Suggestion
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.core.schema import LabelSchema, default_schema
from annotator.storage.database import Database
from annotator.storage.store import Store
from annotator.suggest.settings import SETTINGS_KEY, SuggesterSettings, settings_from
from annotator.suggest.versions import schema_tag

# The suggesters, the tokenizer and the gazetteer are imported where first used: the window
# makes its SuggestionService at start but computes in the suggestion process (ADR 31), so
# its start needs only the settings (benchmarks/bench_start.py).
if TYPE_CHECKING:
    from annotator.core.tokens import Tokenized
    from annotator.ingest.records import ImportedDocument
    from annotator.suggest.base import Suggester
    from annotator.suggest.evaluation import GoldDocument, Report
    from annotator.suggest.gazetteer import Gazetteer, Term
    from annotator.suggest.registry import Factory
    from annotator.suggest.seeds import RejectedTerms

log = logging.getLogger(__name__)

#: Documents per read/compute/write round.
BATCH = 50
EMPTY_KEY = "suggest.empty."
#: Beyond this many id ranges an "empty" record stops growing (those documents are simply
#: recomputed): the record is one settings value, rewritten per batch.
MAX_EMPTY_RANGES = 20_000

#: ``(database) -> value`` put into ``BuildContext.extras[name]`` before suggesters are built,
#: for suggesters that need more than the schema and the gazetteer. The learned model's
#: service registers ``"model"`` here (a ``ModelSource`` over the project's models table).
ContextHook = Callable[[Database], Any]
CONTEXT_HOOKS: dict[str, ContextHook] = {}


# -- the gazetteer, kept in step with confirmed work ------------------------------------------


class GazetteerCache:
    """The project's gazetteer, built from the database on first use and then updated in
    place as the annotator confirms and removes entities (Qt-free; thread-safe).

    The window calls :meth:`confirmed` after an accept or an added entity, and
    :meth:`unconfirmed` after a delete, a relabel (old label) or an undo, with the span's text
    and label; the next document's suggestions then already know it. Before the first use
    nothing needs telling: the build reads every confirmed span.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._gazetteer: Gazetteer | None = None
        self._rejected: RejectedTerms | None = None

    @property
    def rejected(self) -> RejectedTerms:
        """Texts and labels rejected in the project (the seed lists skip them); refreshed
        from the database before each batch of suggestions, since a rejection is made in the
        window without telling this cache. Made on first use (the seed lists' module)."""
        with self._lock:
            if self._rejected is None:
                from annotator.suggest.seeds import RejectedTerms

                self._rejected = RejectedTerms()
            return self._rejected

    @property
    def built(self) -> bool:
        return self._gazetteer is not None

    def get(self) -> Gazetteer:
        with self._lock:
            if self._gazetteer is None:
                self._gazetteer = self._build()
            return self._gazetteer

    def refresh_rejections(self, store: Store) -> None:
        """Read the project's rejected entity texts again (cheap: one grouped query)."""
        self.rejected.reset(store.rejected_entity_texts())

    def reload(self) -> Gazetteer:
        """Read everything again from the database (after an import of annotations or term
        lists). In place: suggesters already built on the gazetteer see the new content."""
        with self._lock:
            confirmed, terms = self._read()
            if self._gazetteer is None:
                from annotator.suggest.gazetteer import Gazetteer

                self._gazetteer = Gazetteer(confirmed, terms)
            else:
                self._gazetteer.reset(confirmed, terms)
            return self._gazetteer

    def confirmed(self, text: str, label: str, count: int = 1) -> None:
        with self._lock:
            if self._gazetteer is not None:
                self._gazetteer.add_confirmed(text, label, count)

    def unconfirmed(self, text: str, label: str, count: int = 1) -> None:
        with self._lock:
            if self._gazetteer is not None:
                self._gazetteer.remove_confirmed(text, label, count)

    def _build(self) -> Gazetteer:
        from annotator.suggest.gazetteer import Gazetteer

        return Gazetteer(*self._read())

    def _read(self) -> tuple[dict[tuple[str, str], int], list[Term]]:
        from annotator.suggest.gazetteer import Term

        with self.db.read() as store:
            confirmed = store.confirmed_entity_texts()
            terms = [Term(t.term, t.label, t.case_sensitive, t.source) for t in store.terms()]
        return confirmed, terms


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuggestCounts:
    """What a run did, per suggester."""

    documents: int = 0
    #: Documents whose suggestions were (re)computed.
    computed: Mapping[str, int] = field(default_factory=dict)
    #: Documents whose stored suggestions were current (nothing to do).
    cached: Mapping[str, int] = field(default_factory=dict)
    #: Suggestions stored by this run.
    suggestions: Mapping[str, int] = field(default_factory=dict)
    #: Suggesters that could not run here, with why.
    unavailable: Mapping[str, str] = field(default_factory=dict)
    #: Suggesters that raised on some document, with the first error (the rest still ran).
    failed: Mapping[str, str] = field(default_factory=dict)
    cancelled: bool = False
    seconds: float = 0.0

    def describe(self) -> str:
        """Lines for the command line and the status bar."""
        names = sorted(set(self.computed) | set(self.cached))
        lines = [
            f"{self.documents} documents"
            + (" (cancelled: the batches done are kept)" if self.cancelled else "")
            + f" in {self.seconds:.1f} s"
        ]
        for name in names:
            lines.append(
                f"  {name}: computed {self.computed.get(name, 0)}, up to date "
                f"{self.cached.get(name, 0)}, {self.suggestions.get(name, 0)} suggestions stored"
            )
        for name, why in sorted(self.unavailable.items()):
            lines.append(f"  {name}: not run: {why}")
        for name, why in sorted(self.failed.items()):
            lines.append(f"  {name}: failed on some documents: {why}")
        return "\n".join(lines)


# -- "computed, found nothing" records ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _EmptyRecord:
    """Documents for which a suggester's ``version`` found nothing, as sorted id ranges."""

    version: str = ""
    ranges: tuple[tuple[int, int], ...] = ()

    @classmethod
    def load(cls, store: Store, name: str) -> _EmptyRecord:
        value = store.get_setting(EMPTY_KEY + name)
        if not isinstance(value, dict):
            return cls()
        try:
            ranges = tuple((int(a), int(b)) for a, b in value.get("ranges", ()))
        except (TypeError, ValueError):
            return cls()
        return cls(str(value.get("version", "")), ranges)

    def contains(self, document_id: int, version: str) -> bool:
        if version != self.version:
            return False
        index = bisect.bisect_right(self.ranges, (document_id, float("inf"))) - 1
        return index >= 0 and self.ranges[index][0] <= document_id <= self.ranges[index][1]

    def with_documents(self, ids: Iterable[int], version: str) -> _EmptyRecord:
        kept = list(self.ranges) if version == self.version else []
        for doc_id in sorted(set(ids)):
            kept.append((doc_id, doc_id))
        kept.sort()
        merged: list[tuple[int, int]] = []
        for start, end in kept:
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        if len(merged) > MAX_EMPTY_RANGES:
            return _EmptyRecord(version, tuple(merged[:MAX_EMPTY_RANGES]))
        return _EmptyRecord(version, tuple(merged))

    def save(self, store: Store, name: str) -> None:
        store.set_setting(
            EMPTY_KEY + name, {"version": self.version, "ranges": [list(r) for r in self.ranges]}
        )


# -- the service -------------------------------------------------------------------------------


class SuggestionService:
    """Computes and caches suggestions for a project. One per open project; thread-safe to
    call from one background worker at a time (the window's database worker)."""

    def __init__(
        self,
        db: Database,
        *,
        gazetteer: GazetteerCache | None = None,
        tokens: Callable[[Document], Tokenized] | None = None,
        factories: Mapping[str, Factory] | None = None,
        context_hooks: Mapping[str, ContextHook] | None = None,
        batch: int = BATCH,
    ) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self.db = db
        self.gazetteer = gazetteer or GazetteerCache(db)
        self._tokens = tokens
        self._factories = factories
        self._hooks = context_hooks
        self.batch = batch
        self._lock = threading.Lock()
        self._built: tuple[Any, list[Suggester], dict[str, str]] | None = None

    # -- settings -------------------------------------------------------------------------

    def settings(self) -> SuggesterSettings:
        with self.db.read() as store:
            return settings_from(store)

    def save_settings(self, settings: SuggesterSettings) -> None:
        with self.db.write() as store:
            store.set_setting(SETTINGS_KEY, settings.to_value())
        self.invalidate()

    def invalidate(self) -> None:
        """Build the suggesters again on next use (a setting or a trained model changed)."""
        with self._lock:
            self._built = None

    # -- the gazetteer ----------------------------------------------------------------------

    def confirmed(self, text: str, label: str) -> None:
        """An entity with ``text`` was confirmed as ``label`` (accepted or added)."""
        self.gazetteer.confirmed(text, label)

    def unconfirmed(self, text: str, label: str) -> None:
        """A confirmed entity with ``text`` and ``label`` went away (deleted, relabelled,
        undone)."""
        self.gazetteer.unconfirmed(text, label)

    def import_terms(
        self,
        path: Path,
        *,
        label: str | None = None,
        case_sensitive: bool = False,
        fmt: str | None = None,
        replace: bool = False,
    ) -> int:
        """Import a term list (see :mod:`annotator.suggest.terms`) into the project and the
        gazetteer; ``replace`` first removes the terms of an earlier import of the same file
        name. Returns how many terms were added or changed."""
        from annotator.suggest.terms import read_terms

        terms = read_terms(Path(path), label=label, case_sensitive=case_sensitive, fmt=fmt)
        source = Path(path).name
        with self.db.write() as store:
            if replace:
                store.delete_terms(source=source)
            changed = store.add_terms(
                ((t.text, t.label, t.case_sensitive) for t in terms), source=source
            )
        self.gazetteer.reload()
        return changed

    # -- building ---------------------------------------------------------------------------

    def suggesters(
        self, only: Collection[str] | None = None
    ) -> tuple[list[Suggester], dict[str, str]]:
        """The suggesters to run (built once per settings and schema) and those that cannot
        run here, with why. With ``only``, naming a suggester that cannot run is an error."""
        built, unavailable, _schema = self._build(only)
        return built, unavailable

    def _build(
        self, only: Collection[str] | None
    ) -> tuple[list[Suggester], dict[str, str], LabelSchema]:
        from annotator.suggest import registry

        with self.db.read() as store:
            settings = settings_from(store)
            schema = store.schema()
        key = (repr(sorted(settings.to_value().items())), schema_tag(schema), tuple(only or ()))
        with self._lock:
            if self._built is not None and self._built[0] == key:
                return list(self._built[1]), dict(self._built[2]), schema
        extras = {name: hook(self.db) for name, hook in self._context_hooks().items()}
        context = registry.BuildContext(
            schema, self.gazetteer.get(), extras, self.gazetteer.rejected
        )
        unavailable: dict[str, str] = {}
        built = registry.build(
            context,
            settings,
            only=only,
            factories=self._factories,
            unavailable=None if only else unavailable,
        )
        with self._lock:
            self._built = (key, built, unavailable)
        return list(built), dict(unavailable), schema

    def _context_hooks(self) -> Mapping[str, ContextHook]:
        if self._hooks is not None:
            return self._hooks
        # The model's service registers its hook when imported; the window imports it only
        # when it needs the model, so a build here (the suggestion process, or the window's
        # fallback when that process cannot run) makes sure it is there.
        importlib.import_module("annotator.services.training")
        return CONTEXT_HOOKS

    # -- computing --------------------------------------------------------------------------

    def for_document(self, document_id: int, *, cancel: CancelToken | None = None) -> SuggestCounts:
        """Suggestions for the document the annotator is about to see (cached when current)."""
        return self.for_documents([document_id], cancel=cancel)

    def for_documents(
        self,
        document_ids: Iterable[int],
        only: Collection[str] | None = None,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> SuggestCounts:
        """Compute what is not current for these documents with every enabled suggester (or
        those in ``only``) and store it; one write transaction per batch. A cancel stops
        between documents and keeps the batches already written (``cancelled`` is set)."""
        started = time.perf_counter()
        ids = list(dict.fromkeys(document_ids))
        suggesters, unavailable, schema = self._build(only)
        computed: Counter[str] = Counter()
        cached: Counter[str] = Counter()
        stored: Counter[str] = Counter()
        failed: dict[str, str] = {}
        cancelled = False
        done = 0
        progress(0, len(ids), "Computing suggestions")
        try:
            for first in range(0, len(ids), self.batch):
                if cancel is not None:
                    cancel.check()
                chunk = ids[first : first + self.batch]
                result = self._batch(chunk, suggesters, schema, cancel)
                computed.update(result.computed)
                cached.update(result.cached)
                stored.update(result.stored)
                for name, why in result.failed.items():
                    failed.setdefault(name, why)
                done += len(chunk)
                progress(done, len(ids), "Computing suggestions")
        except OperationCancelled:
            cancelled = True
        return SuggestCounts(
            documents=done,
            computed=dict(computed),
            cached=dict(cached),
            suggestions=dict(stored),
            unavailable=unavailable,
            failed=failed,
            cancelled=cancelled,
            seconds=time.perf_counter() - started,
        )

    def _batch(
        self,
        ids: Sequence[int],
        suggesters: Sequence[Suggester],
        schema: LabelSchema,
        cancel: CancelToken | None,
    ) -> _BatchResult:
        # Versions are read before computing: if knowledge changes meanwhile, what is stored
        # carries the older version and is recomputed next time (never the reverse).
        from annotator.suggest.base import SuggestInput
        from annotator.suggest.seeds import NAME as SEEDS

        with self.db.read() as store:
            if any(s.name == SEEDS for s in suggesters):
                self.gazetteer.refresh_rejections(store)
            versions = {s.name: s.version for s in suggesters}
            documents = store.documents_by_ids(ids)
            ignored = store.ignored_by_documents(ids)
            have = store.suggestion_versions(ids)
            empty = {name: _EmptyRecord.load(store, name) for name in versions}
        result = _BatchResult()
        work: list[tuple[Document, list[Suggester]]] = []
        for document in documents:
            stale = []
            for suggester in suggesters:
                name = suggester.name
                stored_versions = have.get(document.id, {}).get(name)
                current = (
                    stored_versions == {versions[name]}
                    if stored_versions
                    else empty[name].contains(document.id, versions[name])
                )
                if current:
                    result.cached[name] += 1
                else:
                    stale.append(suggester)
            if stale:
                work.append((document, stale))
        if not work:
            return result
        outputs: dict[tuple[int, str], list[Suggestion]] = {}
        for (document, stale), tokens in zip(
            work, self._tokenize([d for d, _ in work]), strict=True
        ):
            item = SuggestInput(
                document,
                tokens,
                schema,
                tuple((r.start, r.end) for r in ignored.get(document.id, ())),
            )
            for suggester in stale:
                if cancel is not None:
                    cancel.check()
                try:
                    found = suggester.suggest(item, cancel)
                except (OperationCancelled, KeyboardInterrupt):
                    raise
                except Exception as exc:
                    # One suggester failing on one document (a plug-in, an installed pipeline)
                    # must not stop the others: reported, nothing stored, retried next time.
                    log.exception("suggester %s failed on document %s", suggester.name, document.id)
                    result.failed.setdefault(suggester.name, f"{type(exc).__name__}: {exc}")
                    continue
                outputs[(document.id, suggester.name)] = _unique(found)
        with self.db.write() as store:
            nothing: dict[str, list[int]] = {}
            for (doc_id, name), found in outputs.items():
                result.stored[name] += store.replace_suggestions(
                    doc_id, name, versions[name], found
                )
                result.computed[name] += 1
                if not found:
                    nothing.setdefault(name, []).append(doc_id)
            for name, doc_ids in nothing.items():
                record = _EmptyRecord.load(store, name).with_documents(doc_ids, versions[name])
                record.save(store, name)
        return result

    def _tokenize(self, documents: Sequence[Document]) -> Iterable[Tokenized]:
        if self._tokens is not None:
            return (self._tokens(d) for d in documents)
        from annotator.core.tokens import tokenize_many

        return tokenize_many(d.text for d in documents)


@dataclass
class _BatchResult:
    computed: Counter[str] = field(default_factory=Counter)
    cached: Counter[str] = field(default_factory=Counter)
    stored: Counter[str] = field(default_factory=Counter)
    failed: dict[str, str] = field(default_factory=dict)


def _unique(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion per (layer, span, label): the database allows no duplicates."""
    seen: dict[tuple[str, int, int, str], Suggestion] = {}
    for s in suggestions:
        key = (s.layer.value, s.start, s.end, s.label)
        if key not in seen or s.score > seen[key].score:
            seen[key] = s
    return list(seen.values())


# -- whole-project use cases (the command line) -----------------------------------------------


def suggest_corpus(
    db: Database,
    only: Collection[str] | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    *,
    service: SuggestionService | None = None,
) -> SuggestCounts:
    """``annotator suggest [--only NAME...]``: precompute every document's suggestions."""
    service = service or SuggestionService(db)
    with db.read() as store:
        ids = store.document_ids()
    return service.for_documents(ids, only=only, progress=progress, cancel=cancel)


def import_terms(
    db: Database,
    path: Path,
    *,
    label: str | None = None,
    case_sensitive: bool = False,
    fmt: str | None = None,
    replace: bool = False,
) -> int:
    """Import a gazetteer term list into the project (as
    :meth:`SuggestionService.import_terms`)."""
    return SuggestionService(db).import_terms(
        path, label=label, case_sensitive=case_sensitive, fmt=fmt, replace=replace
    )


def read_gold(path: Path) -> tuple[list[GoldDocument], list[str]]:
    """The documents of a native-JSONL gold file, and its unreadable records described."""
    from annotator.ingest.native import read_native
    from annotator.ingest.records import ImportProblem

    documents: list[GoldDocument] = []
    problems: list[str] = []
    for index, item in enumerate(read_native(Path(path))):
        if isinstance(item, ImportProblem):
            problems.append(item.describe())
            continue
        documents.append(_gold(item, index))
    return documents, problems


def _gold(record: ImportedDocument, index: int) -> GoldDocument:
    from annotator.suggest.evaluation import GoldClaim, GoldDocument

    entities = {e.ref: (e.start, e.end, e.label) for e in record.entities if e.ref is not None}
    claims = tuple(
        GoldClaim(
            start=c.start,
            end=c.end,
            claimant=entities.get(c.claimant) if c.claimant is not None else None,
            cue=c.cue,
            claim_type=c.claim_type,
            hedged=c.hedged,
        )
        for c in record.claims
    )
    return GoldDocument(
        id=record.external_id or str(index + 1),
        text=record.text,
        entities=tuple(sorted({(e.start, e.end, e.label) for e in record.entities})),
        claims=claims,
        ignored=tuple((r.start, r.end) for r in record.ignored),
        title=record.title,
    )


#: The phase of :func:`evaluate_gold` in progress reports.
EVALUATING = "Evaluating suggesters"


def evaluate_gold(
    gold_path: Path,
    db: Database | None = None,
    *,
    only: Collection[str] | None = None,
    settings: SuggesterSettings | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Report:
    """``annotator suggest --evaluate GOLD.jsonl``: precision/recall/F1 of the project's
    suggesters (or those in ``only``) on a native-JSONL gold file.

    With a project, its schema, settings and gazetteer are used (so the gazetteer knows what
    the project confirmed: keep gold documents out of the project, or the score leaks). Without
    one, the default schema and settings and an empty gazetteer. Suggesters that cannot run are
    left out, unless named in ``only``.
    """
    from annotator.suggest import registry
    from annotator.suggest.evaluation import evaluate
    from annotator.suggest.registry import BuildContext

    documents, problems = read_gold(Path(gold_path))
    if db is not None:
        cache = GazetteerCache(db)
        gazetteer = cache.get()
        with db.read() as store:
            schema = store.schema()
            settings = settings or settings_from(store)
            cache.refresh_rejections(store)
        extras = {name: hook(db) for name, hook in CONTEXT_HOOKS.items()}
        context = BuildContext(schema, gazetteer, extras, cache.rejected)
    else:
        context = BuildContext(default_schema())
    suggesters = registry.build(context, settings, only=only, unavailable=None if only else {})
    return evaluate(
        documents,
        suggesters,
        context.schema,
        gold=str(gold_path),
        problems=problems,
        # The evaluator counts documents in its message; displays want one phase name.
        progress=lambda done, total, _message: progress(done, total, EVALUATING),
        cancel=cancel,
    )
