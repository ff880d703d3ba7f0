"""The annotator's workspace: what the window shows for one document, and the commands its
keys make. Qt-free, so every rule here is tested without a window; the UI calls it from its
database worker and only draws the values it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from annotator.core.commands import (
    AddSpan,
    Applied,
    Batch,
    Changes,
    Command,
    DeleteSpan,
    ReplaceSpan,
    SetState,
    accept_suggestion,
    mark,
    reject_suggestion,
    relabel,
)
from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.model import (
    GOLD_ANNOTATOR,
    ClaimDetails,
    Decision,
    Document,
    DocumentState,
    DocumentSummary,
    IgnoredRange,
    Layer,
    Span,
    Status,
    Suggestion,
)
from annotator.core.quantities import Quantity, to_attributes
from annotator.core.schema import LabelSchema
from annotator.core.setting_commands import UNCERTAIN_FIRST_KEY, uncertain_first
from annotator.core.tokens import Tokenized
from annotator.services.annotate import ReadOnlyError
from annotator.services.document_tokens import TokenSlots, TokensOnDemand
from annotator.storage import adjudication, assignments, uncertainty
from annotator.storage.database import Database
from annotator.storage.store import PageScan, Store
from annotator.suggest.combining import combine, is_behind
from annotator.suggest.nesting import hide_nested


@dataclass(frozen=True, slots=True)
class DocumentView:
    """Everything the window draws for one document and one annotator."""

    document: Document
    spans: tuple[Span, ...]
    #: Pending suggestions: not yet accepted, rejected or confirmed by this annotator.
    suggestions: tuple[Suggestion, ...]
    ignored: tuple[IgnoredRange, ...]
    state: DocumentState
    #: The tokens, worked out when first asked for (see :class:`TokensOnDemand`).
    token_source: TokensOnDemand = field(compare=False, repr=False)
    #: What ``suggestions`` were worked out from, so that the view after an action can be
    #: worked out without reading the document again (annotator.services.view_after); None
    #: for a view not read by :class:`Workspace`.
    basis: Basis | None = field(default=None, compare=False, repr=False)

    @property
    def tokens(self) -> Tokenized:
        return self.token_source.get()

    def span(self, span_id: int) -> Span | None:
        return next((s for s in self.spans if s.id == span_id), None)


@dataclass(frozen=True, slots=True)
class Basis:
    """The inputs of a view's pending suggestions, as read with it."""

    #: Whose work was shown, and which suggesters were hidden, when it was read.
    showing: str | None
    hidden: frozenset[str]
    #: The stored suggestions of shown suggesters (the on-the-spot echoes are added later).
    stored: tuple[Suggestion, ...]
    #: ``(layer, start, end, label)`` of the suggestions decided (accepted or rejected).
    decided: frozenset[tuple[str, int, int, str]]


Item = Span | Suggestion


def walk_key(item: Item) -> tuple[int, int, int, int, str]:
    """The one order for everything that walks the document (Tab, the focus after a decision,
    the inspector's list): text order by start; when two start together the longer (outer)
    one first; a claim before an entity with the same span; a pending suggestion before the
    confirmed span at the same place (it is what Enter and X decide on), and a suggestion kept
    behind another after both (annotator.suggest.combining)."""
    # One kept behind another (annotator.suggest.combining) comes after what is in front at
    # the same place, so Tab goes from the one shown into it.
    rank = 1 if not isinstance(item, Suggestion) else 2 if is_behind(item) else 0
    return (item.start, -item.end, 0 if item.layer is Layer.CLAIM else 1, rank, item.label)


def in_walk_order(view: DocumentView) -> list[Item]:
    """The view's spans and suggestions in :func:`walk_key` order."""
    return sorted((*view.suggestions, *view.spans), key=walk_key)


def next_pending(view: DocumentView, after: Item) -> Suggestion | None:
    """The pending suggestion that follows ``after`` in walk order (nested ones included),
    wrapping to the first; None when nothing is pending. ``after`` need not be in the view
    any more (it was just accepted or rejected). Suggestions kept behind another are
    alternatives, not next; but one that came forward at ``after``'s very place (``after`` was
    rejected) is next."""
    key = walk_key(after)
    pending = sorted((s for s in view.suggestions if not is_behind(s)), key=walk_key)
    place = (after.layer, after.start, after.end)
    came_forward = [s for s in pending if (s.layer, s.start, s.end) == place and s != after]
    if came_forward:
        return came_forward[0]
    return next((s for s in pending if walk_key(s) > key), pending[0] if pending else None)


def nearest_entity(view: DocumentView, claim: Span) -> Span | None:
    """The confirmed entity nearest before the claim (one starting at the claim's first word
    counts: the claimant often opens the sentence); else the first one after it."""
    entities = sorted((s for s in view.spans if s.layer is Layer.ENTITY), key=walk_key)
    before = [e for e in entities if e.start <= claim.start]
    if before:
        return before[-1]
    return entities[0] if entities else None


def entity_changes(
    before: DocumentView, after: DocumentView
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(confirmed, unconfirmed)`` entity ``(text, label)`` pairs between two states of one
    document: what the gazetteer learns from an action that has been applied."""
    text = after.document.text
    old = {s.id: (text[s.start : s.end], s.label) for s in before.spans if s.layer is Layer.ENTITY}
    new = {s.id: (text[s.start : s.end], s.label) for s in after.spans if s.layer is Layer.ENTITY}
    confirmed = [pair for span_id, pair in new.items() if old.get(span_id) != pair]
    unconfirmed = [pair for span_id, pair in old.items() if new.get(span_id) != pair]
    return confirmed, unconfirmed


class OverlapError(AnnotatorError):
    """A new entity would overlap another where the schema forbids it."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: int
    title: str
    start: int
    end: int
    snippet: str


def pending(
    suggestions: Iterable[Suggestion],
    spans: Iterable[Span],
    decided: AbstractSet[tuple[str, int, int, str]],
) -> tuple[Suggestion, ...]:
    """Suggestions left to decide: one per (layer, span, label) with one combined score and
    reason, none the annotator already decided on or confirmed, none below its label's
    threshold, no seed-list match inside a longer entity, and where entity suggestions overlap
    one in front and the others behind it (annotator.suggest.combining)."""
    spans = list(spans)
    # A seed-list match inside a longer entity (confirmed or suggested) is not shown.
    return tuple(combine(hide_nested(suggestions, spans), spans, decided))


class Workspace:
    #: Tokenized texts kept per document: a text never changes, and tokenizing is most of
    #: the cost of opening a document.
    TOKEN_CACHE = 64

    def __init__(self, db: Database, annotator: str) -> None:
        self.db = db
        self.annotator = annotator
        #: Whose work the article view shows: the annotator's own (editable), another
        #: annotator's, or everyone's (None). Only reviewers may change it, and anything but
        #: their own is read-only (annotator.services.team checks; the window refuses edits).
        self.showing: str | None = annotator
        #: Suggesters this user turned off (Edit > Preferences): their stored suggestions, made
        #: earlier or for someone else, are not shown either. Replaced whole, never mutated,
        #: so the worker thread always reads a consistent set.
        self.hidden_suggesters: frozenset[str] = frozenset()
        #: The tokens of the last documents shown (annotator.services.document_tokens).
        self.token_slots = TokenSlots(db, self.TOKEN_CACHE)
        #: Whether this process may tokenize when tokens are missing. The window says no:
        #: its tokens come from the suggestion process, which loads spaCy anyway (ADR 0031).
        self.tokenize_here = True
        #: Suggestions made on the spot for the open document (see echo()); one document's.
        self._echoes: dict[int, tuple[Suggestion, ...]] = {}
        self._tokens_lock = threading.Lock()
        #: The newest state of a document read or worked out here (on the database worker):
        #: what the next action's view is worked out from (annotator.services.view_after).
        self._newest: DocumentView | None = None

    def tokens(self, document: Document) -> Tokenized:
        return self.token_slots.slot(document).get()

    def token_source(self, document: Document) -> TokensOnDemand:
        """The document's tokens: the same holder for every view of the document, filled
        when they arrive (see :class:`TokenSlots`)."""
        return self.token_slots.slot(document)

    def prefetch(self, document_ids: Iterable[int | None]) -> None:
        """Tokenize, in this process, documents the annotator is likely to open next (the
        window asks the suggestion process instead: :meth:`TokenSlots.supply`)."""
        self.token_slots.supply(document_ids, None)

    # -- reading ----------------------------------------------------------------------------

    def schema(self) -> LabelSchema:
        with self.db.read() as store:
            return store.schema()

    def load(self, document_id: int) -> DocumentView:
        with self.db.read() as store:
            document = store.document(document_id)
            return self._view(store, document)

    @property
    def editable(self) -> bool:
        """Whether the work on screen may be edited: the annotator's own, or the gold layer
        (only reviewers can choose to show it: annotator.services.team checks)."""
        return self.showing in (self.annotator, GOLD_ANNOTATOR)

    def check_editable(self) -> None:
        """Raise :class:`ReadOnlyError` (saying how to get back to editing) unless the work
        on screen may be edited. AnnotationService calls it before every edit."""
        if self.editable:
            return
        whose = "everyone's work" if self.showing is None else f"{self.showing}'s work"
        raise ReadOnlyError(
            f"Read-only: you are looking at {whose}. View > Show work of… > My work to edit."
        )

    @property
    def acting(self) -> str:
        """Whose work new annotations, decisions and statuses are stored as: the gold layer
        while a reviewer edits it, else the annotator's own."""
        return GOLD_ANNOTATOR if self.showing == GOLD_ANNOTATOR else self.annotator

    @property
    def listed(self) -> str:
        """Whose statuses and counts the document list shows: the one annotator on screen,
        else (everyone's work) the annotator's own."""
        return self.showing or self.annotator

    def _view(self, store: Store, document: Document) -> DocumentView:
        shown = self.showing
        spans = tuple(store.spans(document.id, shown))
        decided = frozenset(
            (d.layer.value, d.start, d.end, d.label)
            for d in store.decisions(document.id, shown)
            if d.decision in (Decision.ACCEPTED, Decision.REJECTED)
        )
        hidden = self.hidden_suggesters
        stored = tuple(s for s in store.suggestions(document.id) if s.suggester not in hidden)
        basis = Basis(shown, hidden, stored, decided)
        return self.remember(
            DocumentView(
                document=document,
                spans=spans,
                suggestions=self.pending_of(document.id, basis, spans),
                ignored=tuple(store.ignored(document.id)),
                state=store.get_state(document.id, self.acting),
                token_source=self.token_source(document),
                basis=basis,
            )
        )

    def remember(self, view: DocumentView) -> DocumentView:
        """Note ``view`` as the newest state of its document; returns it."""
        self._newest = view
        return view

    def newest(self, view: DocumentView) -> DocumentView:
        """The newest state of ``view``'s document read or worked out here. The window's may
        be older: a read the worker finished (suggestions arrived) is drawn a moment later."""
        newest = self._newest
        if newest is not None and newest.document.id == view.document.id:
            return newest
        return view

    def pending_of(
        self, document_id: int, basis: Basis, spans: Iterable[Span]
    ) -> tuple[Suggestion, ...]:
        """The pending suggestions of a document with these spans (see :func:`pending`)."""
        if basis.showing is None:
            # Everyone's work is an overlay to read: nobody's pending suggestions belong on it.
            return ()
        stored = list(basis.stored)
        if "gazetteer" not in basis.hidden:
            stored += self._echoes.get(document_id, ())
        return pending(stored, spans, basis.decided)

    def reload_spans(self, view: DocumentView) -> DocumentView:
        """The same document with fresh spans, suggestions and state (after a command)."""
        with self.db.read() as store:
            return self._view(store, view.document)

    def summaries(
        self,
        *,
        after_id: int = 0,
        limit: int = 200,
        text: str | None = None,
        status: Status | None = None,
    ) -> list[DocumentSummary]:
        with self.db.read() as store:
            return store.summaries(
                self.listed, after_id=after_id, limit=limit, text=text, status=status
            )

    # The document list fetches these a page at a time from the database worker; see
    # annotator.ui.document_list for how they are combined.

    def document_id_extent(self) -> tuple[int, int | None, int | None]:
        """``(count, first id, last id)`` of the documents, fast at any size."""
        with self.db.read() as store:
            return store.document_id_extent()

    def scan_page_starts(
        self,
        scan: PageScan,
        *,
        page_size: int,
        text: str | None = None,
        status: Status | None = None,
        max_seconds: float = 0.03,
        hide_copies: bool = False,
    ) -> PageScan:
        """One bounded slice of the scan for the page starts of a filtered list."""
        with self.db.read() as store:
            return store.scan_page_starts(
                self.listed,
                scan,
                page_size=page_size,
                text=text,
                status=status,
                max_seconds=max_seconds,
                hide_copies=hide_copies,
            )

    def summaries_between(
        self,
        start_id: int,
        end_id: int | None,
        *,
        limit: int = 200,
        text: str | None = None,
        status: Status | None = None,
        hide_copies: bool = False,
    ) -> list[DocumentSummary]:
        with self.db.read() as store:
            return store.summaries_between(
                self.listed,
                start_id,
                end_id,
                limit=limit,
                text=text,
                status=status,
                hide_copies=hide_copies,
            )

    def summary_of(self, view: DocumentView) -> DocumentSummary | None:
        """The document list's row of the view's document, from the view itself: its status
        and span count are those of the work on screen when that is one annotator's (the
        list shows :attr:`listed`); None for everyone's work or a view of other settings."""
        basis = view.basis
        if self.showing is None or basis is None or basis.showing != self.listed:
            return None
        if self.acting != self.listed:
            return None
        document = view.document
        return DocumentSummary(
            document.id,
            document.external_id,
            document.title,
            document.source,
            view.state.status,
            len(view.spans),
        )

    def summaries_of(self, document_ids: Iterable[int]) -> list[DocumentSummary]:
        with self.db.read() as store:
            return store.summaries_of(self.listed, document_ids)

    def first_document(self) -> int | None:
        """The first document not done or skipped (handed out, when K is set), else the first
        document."""
        return self.take_next(0) or self.neighbour(0, +1)

    def neighbour(self, document_id: int, step: int) -> int | None:
        with self.db.read() as store:
            return store.neighbour(document_id, step)

    def next_unfinished(self, after_id: int) -> int | None:
        """The next document (wrapping around) this annotator has not done or skipped; with K
        annotators per document set, what :meth:`take_next` would hand out, taking nothing."""
        with self.db.read() as store:
            if assignments.per_document(store):
                return assignments.peek_assignment(store, self.annotator, after_id)
            found = store.next_with_status(self.annotator, after_id)
            if found is None and after_id:
                found = store.next_with_status(self.annotator, 0)
            return found if found != after_id else None

    def take_next(self, after_id: int) -> int | None:
        """Done-and-next: :meth:`next_unfinished` (with the project setting
        ``annotate.uncertain_first`` on, the unfinished document the suggesters are least sure
        about first: annotator.storage.uncertainty), except that with K annotators per document
        set the document is handed out, taking one of its K slots (see
        annotator.storage.assignments). A reviewer editing the gold layer goes on to the next
        document that needs adjudication."""
        if self.showing == GOLD_ANNOTATOR:
            with self.db.read() as store:
                found = adjudication.needing_adjudication(store, after_id=after_id, limit=1)
                if not found:
                    found = adjudication.needing_adjudication(store, limit=1)
            return found[0] if found else None
        with self.db.read() as store:
            limited = assignments.per_document(store) > 0
            if not limited and uncertain_first(store.get_setting(UNCERTAIN_FIRST_KEY)):
                found = uncertainty.least_certain(store, self.annotator, besides=after_id)
                if found is not None:  # else: the ones without suggestions, in order
                    return found
        if not limited:
            return self.next_unfinished(after_id)
        with self.db.write() as store:
            return assignments.hand_out(store, self.annotator, after_id)

    def search(self, query: str, limit: int = 100) -> list[SearchHit]:
        """Documents whose title or text contains ``query`` (case-insensitive)."""
        query = query.strip()
        if not query:
            return []
        hits: list[SearchHit] = []
        with self.db.read() as store:
            for doc_id, title, text in store.search(query, limit):
                at = text.casefold().find(query.casefold())
                if at < 0:
                    at = 0
                lo, hi = max(0, at - 40), min(len(text), at + len(query) + 40)
                snippet = text[lo:hi].replace("\n", " ")
                hits.append(SearchHit(doc_id, title, at, at + len(query), snippet))
        return hits

    # -- commands ---------------------------------------------------------------------------

    def add_entity(
        self,
        view: DocumentView,
        start: int,
        end: int,
        label: str,
        *,
        allow_overlap: bool = True,
    ) -> Command:
        """Add an entity; with ``allow_overlap=False`` (the schema's choice) an entity that
        overlaps another one is refused with a message naming it."""
        if not allow_overlap:
            text = view.document.text
            for other in view.spans:
                if other.layer is Layer.ENTITY and other.start < end and start < other.end:
                    raise OverlapError(
                        f"overlaps {other.label} '{text[other.start : other.end]}'; this "
                        "schema does not allow overlapping entities (relabel or delete it first)"
                    )
        span = Span(None, view.document.id, Layer.ENTITY, start, end, label, self.acting)
        return AddSpan(span, name=f"Add {label}")

    def add_claim(
        self, view: DocumentView, start: int, end: int, claim_type: str = "other"
    ) -> Command:
        span = Span(
            None,
            view.document.id,
            Layer.CLAIM,
            start,
            end,
            "CLAIM",
            self.acting,
            claim=ClaimDetails(claim_type=claim_type),
        )
        return AddSpan(span, name="Add claim")

    # Edits carry the version of the span the view showed (``span.version``): if another
    # client changed it meanwhile the store refuses with ConflictError instead of overwriting.

    def relabel(self, span: Span, label: str) -> Command:
        return replace(relabel(span, label), by=self.annotator)

    def resize(self, span: Span, start: int, end: int) -> Command:
        changed = replace(span, start=start, end=end)
        return ReplaceSpan(changed, name="Resize span", by=self.annotator)

    def delete(self, span: Span) -> Command:
        assert span.id is not None
        return DeleteSpan(
            span.id, name=f"Delete {span.label}", expected_version=span.version, by=self.annotator
        )

    def set_claim(self, claim: Span, **changes: object) -> Command:
        """Change a claim's claimant (``claimant_id``), ``cue``, ``claim_type`` or ``hedged``."""
        details = claim.claim or ClaimDetails()
        new = replace(details, **changes)  # type: ignore[arg-type]
        what = ", ".join(changes)
        name = f"Set claim {what}".replace("_", " ")
        return ReplaceSpan(replace(claim, claim=new), name=name, by=self.annotator)

    def set_quantities(self, claim: Span, quantities: Sequence[Quantity]) -> Command:
        """Replace a claim's number slots (``attributes["quantities"]``): one command."""
        attributes = to_attributes(claim.attributes, quantities)
        return ReplaceSpan(
            replace(claim, attributes=attributes), name="Set claim figures", by=self.annotator
        )

    def started(self, view: DocumentView, command: Command) -> Command:
        """``command`` as the first action on a new document: it also marks the document in
        progress (in the same transaction; undone with it). Opening a document does not."""
        if view.state.status is not Status.NEW:
            return command
        start = StartWork(view.document.id, self.acting)
        return Batch((command, start), name=command.name)

    # -- the same text elsewhere in the document ---------------------------------------------

    def echo(self, view: DocumentView, confirmed: Iterable[tuple[str, str]]) -> None:
        """Remember, as pending suggestions of the open document, the other places where a
        just-confirmed entity's text occurs (whole tokens only), so they show at once; the
        gazetteer suggester finds the same ones when it next runs, and the two merge."""
        tokens = view.tokens if self.tokenize_here else view.token_source.peek()
        if tokens is None:
            return  # not here yet: the gazetteer suggester finds the same places next run
        text = view.document.text
        starts = {t.start for t in tokens.tokens}
        ends = {t.end for t in tokens.tokens}
        found: list[Suggestion] = []
        for piece, label in confirmed:
            if not piece.strip():
                continue
            at = text.find(piece)
            while at >= 0:
                end = at + len(piece)
                if at in starts and end in ends:
                    found.append(
                        Suggestion(
                            None,
                            view.document.id,
                            Layer.ENTITY,
                            at,
                            end,
                            label,
                            "gazetteer",
                            1.0,
                            f"the same text was just confirmed as {label}",
                        )
                    )
                at = text.find(piece, at + 1)
        if found:
            with self._tokens_lock:
                kept = self._echoes.get(view.document.id, ())
                self._echoes = {view.document.id: (*kept, *found)}

    def accept(self, view: DocumentView, suggestion: Suggestion) -> Command:
        """Accept a suggestion; a claim's proposed claimant is accepted as an entity too."""
        claimant = (
            suggestion.attributes.get("claimant") if suggestion.layer is Layer.CLAIM else None
        )
        if not claimant:
            return accept_suggestion(suggestion, self.acting)
        return AcceptWithClaimant(suggestion, self.acting, view)

    def reject(self, suggestion: Suggestion) -> Command:
        return reject_suggestion(suggestion, self.acting)

    def accept_all(self, view: DocumentView) -> Command:
        # What is behind another suggestion is an alternative to it, not more of the same.
        commands = tuple(self.accept(view, s) for s in view.suggestions if not is_behind(s))
        return Batch(commands, name=f"Accept {len(commands)} suggestions")

    def set_status(
        self, view: DocumentView, status: Status, seconds: float, reason: str | None = None
    ) -> Command:
        return mark(view.document.id, self.acting, status, seconds, reason)

    def add_time(self, document_id: int, seconds: float) -> None:
        """Record time spent on a document (not an undoable action: it only ever grows)."""
        if seconds <= 0:
            return

        def work(store: Store) -> None:  # re-runnable: retried when the database is busy
            # The status stays as it is: looking at a document does not start it; the first
            # action does (see started()).
            state = store.get_state(document_id, self.annotator)
            store.set_state(replace(state, seconds_spent=state.seconds_spent + seconds))

        self.db.run_write(work)


@dataclass(frozen=True, slots=True)
class StartWork:
    """Mark a new document in progress (part of the first action on it)."""

    document_id: int
    annotator: str
    name: str = "Start document"

    def apply(self, store: Store) -> Applied:
        state = store.get_state(self.document_id, self.annotator)
        if state.status is not Status.NEW:
            return Applied(Changes(), Batch((), name=self.name))
        return SetState(replace(state, status=Status.IN_PROGRESS), name=self.name).apply(store)


@dataclass(frozen=True, slots=True)
class AcceptWithClaimant:
    """Accept a claim suggestion together with its proposed claimant entity (reusing a
    confirmed entity at the same place when there is one)."""

    suggestion: Suggestion
    annotator: str
    view: DocumentView
    name: str = "Accept claim"

    def apply(self, store: Store) -> Applied:
        attrs = self.suggestion.attributes
        c_start, c_end = (int(x) for x in attrs["claimant"][:2])
        c_label = str(attrs["claimant"][2]) if len(attrs["claimant"]) > 2 else "PERSON"
        existing = next(
            (
                s
                for s in store.spans(self.suggestion.document_id, self.annotator, Layer.ENTITY)
                if (s.start, s.end) == (c_start, c_end)
            ),
            None,
        )
        steps: list[Applied] = []
        if existing is None:
            created = AddSpan(
                Span(
                    None,
                    self.suggestion.document_id,
                    Layer.ENTITY,
                    c_start,
                    c_end,
                    c_label,
                    self.annotator,
                    origin=f"suggested:{self.suggestion.suggester}",
                )
            ).apply(store)
            steps.append(created)
            claimant_id = created.spans[0].id
        else:
            claimant_id = existing.id
        if claimant_id is None:
            raise NotFoundError("claimant could not be stored")
        steps.append(
            accept_suggestion(self.suggestion, self.annotator, claimant_id=claimant_id).apply(store)
        )
        changes = steps[0].changes
        for step in steps[1:]:
            changes = changes | step.changes
        inverse = Batch(tuple(s.inverse for s in reversed(steps)), name=self.name)
        spans = tuple(span for step in steps for span in step.spans)
        versions = tuple(v for step in steps for v in step.versions)
        return Applied(changes, inverse, spans, versions)
