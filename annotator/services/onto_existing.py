"""Bringing an imported record's work onto a document the project already holds.

A second annotator's export of the same articles, or a project merged from a laptop, names
documents the project has: their annotations are added under their annotator instead of the
record being skipped. Each annotator's work on a document is one *version*: their spans (with
claim details), their rejections, their status and time. Per document and annotator:

* the project holds no version of theirs yet: the imported one is added (*new*);
* the project holds the same spans: missing rejections are added, the status moves to the more
  advanced of the two and the time to the larger (re-importing a file adds nothing: *unchanged*);
* the project holds different spans (or marked the document done or skipped with others):
  the versions are never mixed. The project's is kept and a :class:`Conflict` reported, or,
  with ``replace``, the imported version takes its place.

Spans are compared by what they say, not by ids: layer, offsets, label, attributes and, for a
claim, its claimant (by the claimant's offsets, label and annotator), cue, type and hedging.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from annotator.core.model import (
    MANUAL,
    ClaimDetails,
    Decision,
    DocumentState,
    Layer,
    Span,
    Status,
    SuggestionDecision,
)
from annotator.ingest.records import ImportedClaim, ImportedDocument, ImportedEntity
from annotator.storage.store import Store

#: How far a status has got: the merge of two statuses is the more advanced one.
_RANK = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.SKIPPED: 2, Status.DONE: 3}
#: Statuses that say "this annotator's version is finished", even with no spans at all.
_SETTLED = frozenset({Status.DONE, Status.SKIPPED})

NEW = "new"
UNCHANGED = "unchanged"
CONFLICT = "conflicts"


@dataclass(frozen=True, slots=True)
class Conflict:
    """An annotator whose imported version of a document differs from the project's."""

    origin: str
    document: str
    annotator: str
    #: Spans in the project's version and in the imported one.
    project_spans: int
    imported_spans: int
    replaced: bool

    def describe(self) -> str:
        kept = "replaced by the imported one" if self.replaced else "kept the project's"
        return (
            f"{self.origin}: {self.annotator} has a different version of document "
            f"{self.document!r} ({self.project_spans} spans in the project, "
            f"{self.imported_spans} imported); {kept}"
        )


@dataclass
class Tally:
    """Per annotator: documents that got new work, were unchanged, or conflicted."""

    new: int = 0
    unchanged: int = 0
    conflicts: int = 0

    def add(self, other: Tally) -> None:
        self.new += other.new
        self.unchanged += other.unchanged
        self.conflicts += other.conflicts


def tally_lines(tallies: dict[str, Tally]) -> list[str]:
    """One line per annotator, in name order, for summaries."""
    return [
        f"  {name}: {t.new} documents with new work, {t.unchanged} unchanged, "
        f"{t.conflicts} conflicting"
        for name, t in sorted(tallies.items())
    ]


@dataclass
class Outcome:
    """What bringing one record onto its document did, per annotator."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    entities: int = 0
    claims: int = 0

    def count(self, annotator: str, what: str) -> None:
        tally = self.tallies.setdefault(annotator, Tally())
        setattr(tally, what, getattr(tally, what) + 1)


_Key = tuple[Any, ...]


def owner_of(name: str | None, default_annotator: str | None) -> str:
    """Who owns an imported item: its own annotator, else the importing one, else
    ``imported``."""
    return name or default_annotator or "imported"


def annotators_of(doc: ImportedDocument, default_annotator: str | None) -> set[str]:
    """Everyone with work in the record: spans, rejections, a status or time."""

    def owner(name: str | None) -> str:
        return owner_of(name, default_annotator)

    names: set[str] = {owner(e.annotator) for e in doc.entities}
    names |= {owner(c.annotator) for c in doc.claims}
    names |= {owner(item.get("annotator")) for item in doc.rejected}
    names |= {owner(name) for name in (*doc.statuses, *doc.seconds)}
    return names


def bring_onto(
    store: Store,
    doc_id: int,
    doc: ImportedDocument,
    default_annotator: str | None,
    *,
    replace: bool = False,
) -> Outcome:
    """Add ``doc``'s work to the stored document ``doc_id`` (same text), annotator by
    annotator, as the module says. Runs inside the caller's transaction."""
    outcome = Outcome()
    existing = store.spans(doc_id)
    by_id = {span.id: span for span in existing}
    imported_refs = {e.cited_as: e for e in doc.entities if e.cited_as is not None}

    def owner(name: str | None) -> str:
        return owner_of(name, default_annotator)

    names = annotators_of(doc, default_annotator)
    states = {state.annotator: state for state in store.states(doc_id)}

    decisions: dict[str, str] = {}
    for name in sorted(names):
        theirs = [s for s in existing if s.annotator == name]
        project = Counter(_stored_key(s, by_id) for s in theirs)
        imported = Counter(
            [_entity_key(e) for e in doc.entities if owner(e.annotator) == name]
            + [
                _claim_key(c, imported_refs, owner)
                for c in doc.claims
                if owner(c.annotator) == name
            ]
        )
        state = states.get(name)
        settled = bool(theirs) or (state is not None and state.status in _SETTLED)
        if settled and project != imported:
            outcome.conflicts.append(
                Conflict(
                    doc.origin,
                    doc.external_id or doc.title,
                    name,
                    sum(project.values()),
                    sum(imported.values()),
                    replace,
                )
            )
            outcome.count(name, CONFLICT)
            if replace:
                for span in sorted(theirs, key=lambda s: s.layer is Layer.ENTITY):
                    assert span.id is not None
                    store.delete_span(span.id)
                _clear_rejections(store, doc_id, name)
                decisions[name] = "replace"
            continue
        decisions[name] = "add" if not project and imported else "keep"

    # Entities of every annotator first: a claim may cite another annotator's entity.
    refs: dict[str, int] = {}
    kept = {
        (s.layer, s.start, s.end, s.label, s.annotator): s.id
        for s in store.spans(doc_id, layer=Layer.ENTITY)
    }
    # Refs are the ids spans had in their file, kept for round trips: two annotators' files
    # may both say "e1", and an export must not repeat an id within a record.
    taken = {s.ref for s in store.spans(doc_id) if s.ref is not None}
    added = set()
    for ent in doc.entities:
        name = owner(ent.annotator)
        if decisions.get(name) in ("add", "replace"):
            span = store.add_span(entity_span(doc_id, ent, name, _free(ent.ref, taken)))
            assert span.id is not None
            span_id: int | None = span.id
            outcome.entities += 1
            added.add(name)
        else:
            span_id = kept.get((Layer.ENTITY, ent.start, ent.end, ent.label, name))
        if ent.cited_as is not None and span_id is not None:
            refs[ent.cited_as] = span_id
    for claim in doc.claims:
        name = owner(claim.annotator)
        if decisions.get(name) in ("add", "replace"):
            store.add_span(claim_span(doc_id, claim, name, refs, _free(claim.ref, taken)))
            outcome.claims += 1
            added.add(name)

    for name in sorted(names):
        if name not in decisions:
            continue  # a conflict, the project's version kept
        changed = name in added
        changed |= _add_rejections(store, doc_id, doc, name, owner)
        changed |= _merge_state(
            store, doc_id, doc, name, states.get(name), owner, replace=decisions[name] == "replace"
        )
        if decisions[name] != "replace":
            outcome.count(name, NEW if changed else UNCHANGED)
    return outcome


def _entity_key(ent: ImportedEntity) -> _Key:
    return (Layer.ENTITY.value, ent.start, ent.end, ent.label, _attrs(ent.attributes), None)


def _claim_key(claim: ImportedClaim, entities: dict[str, ImportedEntity], owner: Any) -> _Key:
    claimant = None
    if claim.claimant is not None and claim.claimant in entities:
        cited = entities[claim.claimant]
        claimant = (cited.start, cited.end, cited.label, owner(cited.annotator))
    details = (claimant, claim.cue, claim.claim_type, claim.hedged)
    return (
        Layer.CLAIM.value,
        claim.start,
        claim.end,
        claim.label,
        _attrs(claim.attributes),
        details,
    )


def _stored_key(span: Span, by_id: dict[int | None, Span]) -> _Key:
    details = None
    if span.layer is Layer.CLAIM:
        claim = span.claim or ClaimDetails()
        cited = by_id.get(claim.claimant_id) if claim.claimant_id is not None else None
        claimant = None if cited is None else (cited.start, cited.end, cited.label, cited.annotator)
        cue = None if claim.cue is None else tuple(claim.cue)
        details = (claimant, cue, claim.claim_type, claim.hedged)
    return (span.layer.value, span.start, span.end, span.label, _attrs(span.attributes), details)


def _attrs(attributes: dict[str, Any]) -> bytes:
    return orjson.dumps(attributes, option=orjson.OPT_SORT_KEYS) if attributes else b""


def _free(ref: str | None, taken: set[str]) -> str | None:
    """``ref`` when no span of the document has it yet (and now it is taken), else ``None``
    (an export then names the span by its database id)."""
    if ref is None or ref in taken:
        return None
    taken.add(ref)
    return ref


def entity_span(doc_id: int, ent: ImportedEntity, name: str, ref: str | None) -> Span:
    """The span an imported entity becomes, stored under ``name`` with the id ``ref``."""
    return Span(
        id=None,
        document_id=doc_id,
        layer=Layer.ENTITY,
        start=ent.start,
        end=ent.end,
        label=ent.label,
        annotator=name,
        origin=ent.origin or MANUAL,
        attributes=dict(ent.attributes),
        ref=ref,
    )


def claim_span(
    doc_id: int, claim: ImportedClaim, name: str, refs: dict[str, int], ref: str | None
) -> Span:
    """The span an imported claim becomes; its claimant through ``refs`` (file id → span id)."""
    return Span(
        id=None,
        document_id=doc_id,
        layer=Layer.CLAIM,
        start=claim.start,
        end=claim.end,
        label=claim.label,
        annotator=name,
        origin=claim.origin or MANUAL,
        attributes=dict(claim.attributes),
        ref=ref,
        claim=ClaimDetails(
            claimant_id=refs.get(claim.claimant) if claim.claimant else None,
            cue=claim.cue,
            claim_type=claim.claim_type,
            hedged=claim.hedged,
        ),
    )


def _clear_rejections(store: Store, doc_id: int, name: str) -> None:
    for decision in store.decisions(doc_id, name):
        if decision.decision is Decision.REJECTED:
            store.clear_decision(
                doc_id, name, decision.layer, decision.start, decision.end, decision.label
            )


def _add_rejections(
    store: Store, doc_id: int, doc: ImportedDocument, name: str, owner: Any
) -> bool:
    """Add the annotator's imported rejections the project lacks; whether any was added."""
    have = {(d.layer, d.start, d.end, d.label): d.decision for d in store.decisions(doc_id, name)}
    added = False
    for item in doc.rejected:
        if owner(item.get("annotator")) != name:
            continue
        layer = Layer(item.get("layer", Layer.ENTITY.value))
        key = (layer, int(item["start"]), int(item["end"]), str(item["label"]))
        if key in have:
            # An acceptance in the project stays: the versions' spans agree, and the
            # acceptance is the later, more specific decision on the same suggestion.
            continue
        store.set_decision(
            SuggestionDecision(
                document_id=doc_id,
                annotator=name,
                layer=layer,
                start=key[1],
                end=key[2],
                label=key[3],
                decision=Decision.REJECTED,
                suggester=item.get("suggester"),
            )
        )
        have[key] = Decision.REJECTED
        added = True
    return added


def _merge_state(
    store: Store,
    doc_id: int,
    doc: ImportedDocument,
    name: str,
    current: DocumentState | None,
    owner: Any,
    *,
    replace: bool,
) -> bool:
    """The annotator's status and time after the import; whether they changed."""
    status = _find(doc.statuses.items(), name, owner)
    seconds = _find(doc.seconds.items(), name, owner)
    if status is None and seconds is None:
        return False
    before = current or DocumentState(doc_id, name)
    if replace:
        after = DocumentState(
            doc_id,
            name,
            status if status is not None else before.status,
            float(seconds) if seconds is not None else before.seconds_spent,
            before.skip_reason if status in (None, Status.SKIPPED) else None,
        )
    else:
        best = before.status
        if status is not None and _RANK[status] > _RANK[best]:
            best = status
        after = DocumentState(
            doc_id,
            name,
            best,
            max(before.seconds_spent, float(seconds or 0.0)),
            before.skip_reason if best is before.status else None,
        )
    if current is not None and after == current:
        return False
    if current is None and after == DocumentState(doc_id, name):
        return False
    store.set_state(after)
    return True


def _find(items: Iterable[tuple[str | None, Any]], name: str, owner: Any) -> Any:
    for key, value in items:
        if owner(key) == name:
            return value
    return None
