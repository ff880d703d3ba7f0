"""Adjudication: a reviewer compares the annotators' versions of a document and builds the gold
layer from them (docs/adr/0005-gold-layer-as-reserved-annotator.md).

The gold layer is the work of the reserved annotator :data:`GOLD_ANNOTATOR`, so it reuses every
table, command, undo path and export. Each reviewer action here is one command applied in one
transaction with an inverse. Before changing anything a command locks the document and checks
that the gold spans of the unit (and the version being taken) are still what the reviewer saw:
when two reviewers adjudicate the same unit at once, the second gets a :class:`ConflictError`
and reloads, instead of silently overwriting the first one's decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from annotator.core.adjudicating import Kind, Unit, adjudicated_origin, build_units
from annotator.core.commands import (
    AddSpan,
    Applied,
    Batch,
    Changes,
    Command,
    DeleteSpan,
    ReplaceSpan,
    RestoreSpan,
    SetDecision,
    SetState,
)
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import (
    GOLD_ANNOTATOR,
    MANUAL,
    ClaimDetails,
    Decision,
    Document,
    DocumentState,
    Layer,
    Span,
    Status,
)
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.services.annotate import AnnotationService
from annotator.storage import adjudication as queries
from annotator.storage import assignments
from annotator.storage.database import Database
from annotator.storage.store import Store

#: The ``suggester`` recorded with the gold layer's rejections of a unit.
REJECTED_BY = "adjudication"


@dataclass(frozen=True, slots=True)
class DocumentAdjudication:
    """Everything the adjudication view shows for one document."""

    document: Document
    #: The annotators whose versions are compared (those who marked the document done; when
    #: fewer than two did, everyone with annotations in it), gold never among them.
    annotators: tuple[str, ...]
    units: tuple[Unit, ...]
    gold_state: DocumentState
    #: Every entity of the document by id, to name a claim's claimant.
    entities: dict[int, Span] = field(default_factory=dict)

    @property
    def adjudicated(self) -> bool:
        return self.gold_state.status is Status.DONE

    @property
    def undecided(self) -> int:
        return sum(1 for unit in self.units if not unit.decided)

    def unit_at(self, layer: Layer, start: int, end: int) -> Unit | None:
        """The unit overlapping ``start..end`` in ``layer`` (after a reload: the same unit)."""
        return next(
            (u for u in self.units if u.layer is layer and u.start < end and start < u.end),
            None,
        )


def load(db: Database, document_id: int) -> DocumentAdjudication:
    with db.read() as store:
        return read(store, document_id)


def read(store: Store, document_id: int) -> DocumentAdjudication:
    document = store.document(document_id)
    spans = store.spans(document_id)
    annotators = compared_annotators(store, document_id, spans)
    rejected = [
        (d.layer, d.start, d.end, d.label)
        for d in store.decisions(document_id, GOLD_ANNOTATOR)
        if d.decision is Decision.REJECTED
    ]
    units = build_units(document_id, spans, annotators, rejected=rejected)
    # Read, not get_state: get_state would create the gold annotator in a read transaction.
    gold_state = next(
        (s for s in store.states(document_id) if s.annotator == GOLD_ANNOTATOR),
        DocumentState(document_id, GOLD_ANNOTATOR),
    )
    entities = {s.id: s for s in spans if s.layer is Layer.ENTITY and s.id is not None}
    return DocumentAdjudication(document, tuple(annotators), tuple(units), gold_state, entities)


def compared_annotators(store: Store, document_id: int, spans: Sequence[Span]) -> list[str]:
    done = queries.done_by(store, document_id)
    if len(done) >= 2:
        return done
    working = {s.annotator for s in spans if s.annotator != GOLD_ANNOTATOR}
    return sorted(working | set(done))


# -- commands ---------------------------------------------------------------------------------


def _snapshot(spans: Iterable[Span]) -> list[tuple[object, ...]]:
    """What must not have changed since the reviewer looked: ids, versions and contents."""
    return sorted(
        (s.id, s.version, s.start, s.end, s.label, s.annotator, repr(s.claim)) for s in spans
    )


def _gold_in(store: Store, unit: Unit) -> list[Span]:
    return [
        s
        for s in store.spans(unit.document_id, GOLD_ANNOTATOR, unit.layer)
        if s.start < unit.end and unit.start < s.end
    ]


def _check_unchanged(store: Store, unit: Unit, annotator: str | None) -> list[Span]:
    """Lock the document and compare what the reviewer saw with what is stored now; return
    the unit's current gold spans."""
    queries.lock_document(store, unit.document_id)
    gold = _gold_in(store, unit)
    where = f"{unit.layer.value} {unit.start}..{unit.end} of document {unit.document_id}"
    if _snapshot(gold) != _snapshot(unit.gold):
        raise ConflictError(
            f"the gold version of the {where} changed meanwhile (another reviewer?): "
            "reload the document and decide again"
        )
    if annotator is not None:
        seen = unit.version(annotator).spans
        now = []
        for span in seen:
            assert span.id is not None
            try:
                now.append(store.get_span(span.id))
            except NotFoundError:
                break
        if _snapshot(now) != _snapshot(seen):
            raise ConflictError(
                f"{annotator}'s version of the {where} changed meanwhile: reload and decide again"
            )
    return gold


def _content(spans: Iterable[Span]) -> list[tuple[object, ...]]:
    """A document's gold as undo expects to find it (ids and contents; versions left out,
    since putting a span back under its id gives it a new version)."""
    return sorted(
        (s.id, s.layer.value, s.start, s.end, s.label, s.origin, repr(s.claim)) for s in spans
    )


def _unversioned(command: Command) -> Command:
    """``command`` without the span versions it carries: a guarded undo checks the whole
    gold layer itself (see :class:`GuardedUndo`)."""
    if isinstance(command, Batch):
        return replace(command, commands=tuple(_unversioned(c) for c in command.commands))
    if isinstance(command, DeleteSpan):
        return replace(command, expected_version=None)
    if isinstance(command, ReplaceSpan | RestoreSpan):
        return replace(command, span=replace(command.span, version=None))
    return command


@dataclass(frozen=True, slots=True)
class GuardedUndo:
    """Undo (or redo) of an adjudication step: refused with a :class:`ConflictError` when the
    document's gold layer is no longer what the step left (another reviewer changed it)."""

    document_id: int
    expected: tuple[tuple[object, ...], ...]
    inner: Command
    name: str = "Undo adjudication"

    def apply(self, store: Store) -> Applied:
        queries.lock_document(store, self.document_id)
        now = _content(store.spans(self.document_id, GOLD_ANNOTATOR))
        if now != list(self.expected):
            raise ConflictError(
                f"the gold layer of document {self.document_id} changed since this step "
                "(another reviewer?): reload the document"
            )
        applied = self.inner.apply(store)
        return _guarded(store, self.document_id, applied, self.name)


def _guarded(store: Store, document_id: int, applied: Applied, name: str) -> Applied:
    after = tuple(_content(store.spans(document_id, GOLD_ANNOTATOR)))
    inverse = GuardedUndo(document_id, after, _unversioned(applied.inverse), name)
    return Applied(applied.changes, inverse, applied.spans)


def _combine(store: Store, document_id: int, steps: Sequence[Applied], name: str) -> Applied:
    changes = Changes()
    for step in steps:
        changes = changes | step.changes
    inverse = Batch(tuple(step.inverse for step in reversed(steps)), name=name)
    spans = tuple(span for step in steps for span in step.spans)
    return _guarded(store, document_id, Applied(changes, inverse, spans), name)


def _clear_gold(
    store: Store, gold: Sequence[Span], steps: list[Applied]
) -> list[tuple[Span, Span]]:
    """Delete the unit's gold spans; return ``(claim, deleted entity)`` for every other gold
    claim that cited one of them (its claimant is now unset)."""
    orphans: list[tuple[Span, Span]] = []
    deleted = {s.id for s in gold}
    for span in gold:
        assert span.id is not None
        orphans.extend(
            (claim, span) for claim in store.claims_citing(span.id) if claim.id not in deleted
        )
        steps.append(DeleteSpan(span.id, name="Clear gold").apply(store))
    return orphans


def _clear_rejections(store: Store, unit: Unit, steps: list[Applied]) -> None:
    for key in {(s.layer, s.start, s.end, s.label) for v in unit.versions for s in v.spans}:
        if store.get_decision(unit.document_id, GOLD_ANNOTATOR, *key) is not None:
            steps.append(
                SetDecision(unit.document_id, GOLD_ANNOTATOR, *key, decision=None).apply(store)
            )


@dataclass(frozen=True, slots=True)
class TakeVersion:
    """Make ``annotator``'s version of ``unit`` the gold one (replacing what gold had there).

    A claim's claimant is mapped into gold: the gold entity at the same offsets with the same
    label when there is one, else a copy of the annotator's entity. Gold claims that cited a
    replaced gold entity are relinked to the new one at the same offsets.
    """

    unit: Unit
    annotator: str
    reviewer: str | None = None
    name: str = "Take version"

    def apply(self, store: Store) -> Applied:
        unit = self.unit
        gold = _check_unchanged(store, unit, self.annotator)
        steps: list[Applied] = []
        orphans = _clear_gold(store, gold, steps)
        origin = adjudicated_origin(unit.agreeing(self.annotator))
        created: list[Span] = []
        for span in unit.version(self.annotator).spans:
            claim = None
            if span.layer is Layer.CLAIM:
                details = span.claim or ClaimDetails()
                claimant = self._claimant(store, details.claimant_id, origin, steps)
                claim = replace(details, claimant_id=claimant)
            copy = Span(
                None,
                unit.document_id,
                span.layer,
                span.start,
                span.end,
                span.label,
                GOLD_ANNOTATOR,
                origin=origin,
                attributes=dict(span.attributes),
                claim=claim,
            )
            applied = AddSpan(copy, name=self.name).apply(store)
            steps.append(applied)
            created.extend(applied.spans)
        for claim, old in orphans:
            match = next(
                (
                    c
                    for c in created
                    if c.layer is Layer.ENTITY and (c.start, c.end) == (old.start, old.end)
                ),
                None,
            )
            current = store.get_span(claim.id or -1)
            if match is not None and current.claim is not None:
                relinked = replace(current, claim=replace(current.claim, claimant_id=match.id))
                steps.append(ReplaceSpan(relinked, name=self.name).apply(store))
        _clear_rejections(store, unit, steps)
        store.log(
            "adjudicate.take",
            self.reviewer,
            unit.document_id,
            {"layer": unit.layer.value, "start": unit.start, "end": unit.end, "from": origin},
        )
        return _combine(store, unit.document_id, steps, self.name)

    def _claimant(
        self, store: Store, claimant_id: int | None, origin: str, steps: list[Applied]
    ) -> int | None:
        if claimant_id is None:
            return None
        source = store.get_span(claimant_id)
        for entity in store.spans(self.unit.document_id, GOLD_ANNOTATOR, Layer.ENTITY):
            if (entity.start, entity.end, entity.label) == (source.start, source.end, source.label):
                return entity.id
        copy = Span(
            None,
            self.unit.document_id,
            Layer.ENTITY,
            source.start,
            source.end,
            source.label,
            GOLD_ANNOTATOR,
            origin=origin,
            attributes=dict(source.attributes),
        )
        applied = AddSpan(copy, name=self.name).apply(store)
        steps.append(applied)
        return applied.spans[0].id


@dataclass(frozen=True, slots=True)
class RejectUnit:
    """Nothing of ``unit`` goes into gold: its gold spans are removed and each version's
    spans recorded as rejected by the gold layer (so the unit shows as decided)."""

    unit: Unit
    reviewer: str | None = None
    name: str = "Reject unit"

    def apply(self, store: Store) -> Applied:
        unit = self.unit
        gold = _check_unchanged(store, unit, None)
        steps: list[Applied] = []
        _clear_gold(store, gold, steps)
        for key in sorted(
            {(s.layer, s.start, s.end, s.label) for v in unit.versions for s in v.spans},
            key=lambda k: (k[1], k[2], k[3]),
        ):
            decide = SetDecision(
                unit.document_id, GOLD_ANNOTATOR, *key, Decision.REJECTED, REJECTED_BY
            )
            steps.append(decide.apply(store))
        store.log(
            "adjudicate.reject",
            self.reviewer,
            unit.document_id,
            {"layer": unit.layer.value, "start": unit.start, "end": unit.end},
        )
        return _combine(store, unit.document_id, steps, self.name)


def take(unit: Unit, annotator: str, reviewer: str | None = None) -> Command:
    """Take ``annotator``'s version of ``unit`` into gold."""
    if annotator not in {v.annotator for v in unit.versions}:
        raise NotFoundError(f"{annotator!r} has no version in this document")
    what = "nothing" if not unit.version(annotator).spans else f"{annotator}'s version"
    return TakeVersion(unit, annotator, reviewer, name=f"Take {what}")


def reject(unit: Unit, reviewer: str | None = None) -> Command:
    return RejectUnit(unit, reviewer)


def take_agreed(adjudication: DocumentAdjudication, reviewer: str | None = None) -> Batch:
    """Take every undecided unit all annotators agree on, as one undoable step."""
    agreed = [u for u in adjudication.units if u.kind is Kind.AGREED and not u.decided]
    commands = tuple(TakeVersion(u, u.versions[0].annotator, reviewer) for u in agreed)
    return Batch(commands, name=f"Take {len(commands)} agreed units")


def mark_adjudicated(adjudication: DocumentAdjudication, seconds: float = 0.0) -> Command:
    """Gold status ``done``: the document is adjudicated (exports with ``--gold`` use it)."""
    state = replace(
        adjudication.gold_state,
        status=Status.DONE,
        seconds_spent=adjudication.gold_state.seconds_spent + seconds,
    )
    return SetState(state, name="Mark adjudicated")


def edit_gold(span: Span, **changes: object) -> Command:
    """Change a gold span's label, offsets or claim details: the normal edit, acting as the
    gold annotator, recorded as the reviewer's own (``origin`` manual)."""
    if span.annotator != GOLD_ANNOTATOR:
        raise NotFoundError(f"span {span.id} is {span.annotator}'s, not a gold span")
    claim_changes = {
        k: changes.pop(k) for k in ("claimant_id", "cue", "claim_type", "hedged") if k in changes
    }
    edited = replace(span, origin=MANUAL, **changes)  # type: ignore[arg-type]
    if claim_changes:
        edited = replace(edited, claim=replace(span.claim or ClaimDetails(), **claim_changes))  # type: ignore[arg-type]
    return ReplaceSpan(edited, name="Edit gold span")


# -- use cases --------------------------------------------------------------------------------


class Adjudicator:
    """The reviewer's session: reads units and runs their decisions through ``service``
    (its history gives Ctrl+Z). Called from the window's database worker."""

    def __init__(self, db: Database, reviewer: str, service: AnnotationService | None = None):
        self.db = db
        self.reviewer = reviewer
        self.service = service or AnnotationService(db)

    def is_reviewer(self) -> bool:
        with self.db.read() as store:
            return assignments.is_reviewer(store, self.reviewer)

    def load(self, document_id: int) -> DocumentAdjudication:
        return load(self.db, document_id)

    def next_document(self, after_id: int = 0) -> int | None:
        """The next document needing adjudication after ``after_id`` (wrapping around)."""
        with self.db.read() as store:
            found = queries.needing_adjudication(store, after_id=after_id, limit=1)
            if not found and after_id:
                found = queries.needing_adjudication(store, limit=1)
        return found[0] if found else None

    def execute(self, command: Command, document_id: int) -> tuple[Applied, DocumentAdjudication]:
        applied = self.service.execute(command)
        return applied, self.load(document_id)

    def take(self, unit: Unit, annotator: str) -> tuple[Applied, DocumentAdjudication]:
        return self.execute(take(unit, annotator, self.reviewer), unit.document_id)

    def reject(self, unit: Unit) -> tuple[Applied, DocumentAdjudication]:
        return self.execute(reject(unit, self.reviewer), unit.document_id)

    def take_agreed(
        self, adjudication: DocumentAdjudication
    ) -> tuple[Applied, DocumentAdjudication]:
        command = take_agreed(adjudication, self.reviewer)
        return self.execute(command, adjudication.document.id)

    def mark_adjudicated(
        self, adjudication: DocumentAdjudication, seconds: float = 0.0
    ) -> tuple[Applied, int | None]:
        """Mark the document adjudicated; return the next one that needs adjudication."""
        applied = self.service.execute(mark_adjudicated(adjudication, seconds))
        return applied, self.next_document(adjudication.document.id)

    def undo(self, document_id: int) -> tuple[Applied | None, DocumentAdjudication]:
        applied = self.service.undo()
        return applied, self.load(document_id)


@dataclass(frozen=True, slots=True)
class AutoSummary:
    documents: int = 0
    #: Documents where something was taken.
    touched: int = 0
    units: int = 0
    #: Units left for a reviewer (annotators disagree), over every document looked at.
    disagreements: int = 0
    #: Documents with nothing left to decide after this run.
    complete: int = 0

    def describe(self) -> str:
        return (
            f"Took {self.units} agreed units into gold in {self.touched} of {self.documents} "
            f"documents done by two or more annotators; {self.disagreements} disagreements "
            f"left for a reviewer; {self.complete} documents have nothing left to decide "
            "(mark them adjudicated in Review > Adjudicate document)."
        )


#: The phase of :func:`auto_agreed` in progress reports.
TAKING_AGREED = "Taking agreed units into gold"


def auto_agreed(
    db: Database,
    *,
    reviewer: str | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> AutoSummary:
    """``annotator adjudicate --auto-agreed``: for every document done by two or more
    annotators and not yet adjudicated, take each unit they all agree on into gold (one
    transaction per document)."""
    service = AnnotationService(db)
    documents = touched = units = disagreements = complete = 0
    after = 0
    while True:
        with db.read() as store:
            ids = queries.needing_adjudication(store, after_id=after, limit=500)
        if not ids:
            break
        for document_id in ids:
            if cancel is not None:
                cancel.check()
            adjudication = load(db, document_id)
            command = take_agreed(adjudication)
            if command.commands:
                service.apply(command)
                touched += 1
                units += len(command.commands)
            documents += 1
            open_units = [
                u for u in adjudication.units if u.kind is not Kind.AGREED and not u.decided
            ]
            disagreements += len(open_units)
            complete += not open_units
            progress(documents, None, TAKING_AGREED)
        after = ids[-1]
    return AutoSummary(documents, touched, units, disagreements, complete)
