"""Comparing annotators' versions of one document: units and how they disagree (pure).

A *unit* is a group of spans, in one layer, that overlap across annotators (connected by
overlap: A overlaps B overlaps C makes one unit). Each annotator's *version* of a unit is the
spans they have in it, possibly none. A unit is classified by the first of these that holds:

* ``missing``: some annotator has no span in it;
* ``agreed``: every version is the same (offsets and label; for claims also type, hedged, cue
  and claimant, the claimant compared by its entity's offsets and label, since ids differ
  between annotators);
* ``label``: the offsets agree but labels (or claim details) differ;
* ``boundary``: the offsets differ.

The gold layer (the reserved :data:`~annotator.core.model.GOLD_ANNOTATOR`) is never one of the
versions; the gold spans overlapping a unit are what the reviewer decided for it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.core.model import GOLD_ANNOTATOR, Layer, Span

ADJUDICATED = "adjudicated"


class Kind(enum.StrEnum):
    AGREED = "agreed"
    LABEL = "label"
    BOUNDARY = "boundary"
    MISSING = "missing"


#: How a disagreement is marked in text (never by colour alone).
MARKERS: dict[Kind, str] = {
    Kind.AGREED: "=",
    Kind.LABEL: "≠label",
    Kind.BOUNDARY: "≠boundary",
    Kind.MISSING: "≠missing",
}

#: What one span looks like for comparison: offsets, label and (claims) the claim's details.
Signature = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Version:
    """One annotator's spans in a unit (empty: the annotator has nothing there)."""

    annotator: str
    spans: tuple[Span, ...]
    signature: tuple[Signature, ...]


@dataclass(frozen=True, slots=True)
class Unit:
    document_id: int
    layer: Layer
    #: The extent of every annotator's span in the unit.
    start: int
    end: int
    kind: Kind
    #: One per compared annotator, in the order given to :func:`build_units`.
    versions: tuple[Version, ...]
    #: What differs, e.g. ``("label",)``, ``("missing: ben",)``, ``("claimant", "hedged")``.
    differences: tuple[str, ...]
    #: Gold spans overlapping the unit (the reviewer's decision so far).
    gold: tuple[Span, ...] = ()
    gold_signature: tuple[Signature, ...] = ()
    #: Whether the reviewer rejected the unit (nothing in gold, a rejection recorded).
    rejected: bool = False

    def version(self, annotator: str) -> Version:
        return next(v for v in self.versions if v.annotator == annotator)

    @property
    def decided(self) -> bool:
        return bool(self.gold) or self.rejected

    def agreeing(self, annotator: str) -> tuple[str, ...]:
        """The annotators whose version equals ``annotator``'s (``annotator`` included)."""
        mine = self.version(annotator).signature
        return tuple(v.annotator for v in self.versions if v.signature == mine)

    @property
    def gold_source(self) -> str | None:
        """Who the gold version came from: ``"ana+ben"``, ``"edited"`` when it matches no
        version, ``"rejected"``, or ``None`` while undecided."""
        if self.rejected and not self.gold:
            return "rejected"
        if not self.gold:
            return None
        same = [v.annotator for v in self.versions if v.signature == self.gold_signature]
        return "+".join(same) if same else "edited"


def adjudicated_origin(annotators: Iterable[str]) -> str:
    """``adjudicated:ana+ben``: the gold span was taken from the version these agreed on."""
    return f"{ADJUDICATED}:{'+'.join(annotators)}"


def signatures(spans: Iterable[Span], entities: Mapping[int, Span]) -> tuple[Signature, ...]:
    """Comparable values for ``spans``; a claimant is named by its entity's offsets and label
    (looked up in ``entities``, the same annotator's entities by id)."""
    found: list[Signature] = []
    for span in spans:
        if span.layer is Layer.CLAIM and span.claim is not None:
            details = span.claim
            claimant = None
            if details.claimant_id is not None:
                entity = entities.get(details.claimant_id)
                claimant = (
                    ("?", details.claimant_id)
                    if entity is None
                    else (entity.start, entity.end, entity.label)
                )
            found.append(
                (
                    span.start,
                    span.end,
                    span.label,
                    details.claim_type,
                    details.hedged,
                    details.cue,
                    claimant,
                )
            )
        else:
            found.append((span.start, span.end, span.label))
    return tuple(sorted(found, key=lambda sig: (sig[0], sig[1], repr(sig))))


def build_units(
    document_id: int,
    spans: Sequence[Span],
    annotators: Sequence[str],
    *,
    rejected: Iterable[tuple[Layer, int, int, str]] = (),
) -> list[Unit]:
    """The units of one document, in layer then text order.

    ``spans`` may hold anyone's spans: those of ``annotators`` make the versions, the
    :data:`GOLD_ANNOTATOR`'s are attached to the units they overlap, others are ignored.
    ``rejected`` holds the gold layer's rejections as ``(layer, start, end, label)``: a unit
    with no gold spans whose every span is rejected counts as rejected.
    """
    names = [a for a in annotators if a != GOLD_ANNOTATOR]
    entities: dict[str, dict[int, Span]] = {}
    for span in spans:
        if span.layer is Layer.ENTITY and span.id is not None:
            entities.setdefault(span.annotator, {})[span.id] = span
    refused = set(rejected)
    units: list[Unit] = []
    for layer in (Layer.ENTITY, Layer.CLAIM):
        mine = sorted(
            (s for s in spans if s.layer is layer and s.annotator in names),
            key=lambda s: (s.start, s.end),
        )
        gold = sorted(
            (s for s in spans if s.layer is layer and s.annotator == GOLD_ANNOTATOR),
            key=lambda s: (s.start, s.end),
        )
        for group in _overlapping(mine):
            units.append(
                _unit(document_id, layer, group, names, gold, entities, refused),
            )
    return units


def _overlapping(spans: Sequence[Span]) -> list[list[Span]]:
    """Groups of spans connected by overlap (``spans`` sorted by start)."""
    groups: list[list[Span]] = []
    reach = -1
    for span in spans:
        if groups and span.start < reach:
            groups[-1].append(span)
            reach = max(reach, span.end)
        else:
            groups.append([span])
            reach = span.end
    return groups


def _unit(
    document_id: int,
    layer: Layer,
    group: list[Span],
    names: Sequence[str],
    gold: Sequence[Span],
    entities: Mapping[str, Mapping[int, Span]],
    refused: set[tuple[Layer, int, int, str]],
) -> Unit:
    start = min(s.start for s in group)
    end = max(s.end for s in group)
    versions = []
    for name in names:
        theirs = tuple(s for s in group if s.annotator == name)
        versions.append(Version(name, theirs, signatures(theirs, entities.get(name, {}))))
    kind, differences = classify(versions)
    in_gold = tuple(s for s in gold if s.start < end and start < s.end)
    rejected = not in_gold and all((s.layer, s.start, s.end, s.label) in refused for s in group)
    return Unit(
        document_id,
        layer,
        start,
        end,
        kind,
        tuple(versions),
        differences,
        in_gold,
        signatures(in_gold, entities.get(GOLD_ANNOTATOR, {})),
        rejected,
    )


def classify(versions: Sequence[Version]) -> tuple[Kind, tuple[str, ...]]:
    """The unit's kind and what differs between its versions."""
    missing = [v.annotator for v in versions if not v.spans]
    present = [v for v in versions if v.spans]
    differences: list[str] = []
    if missing:
        differences.append("missing: " + ", ".join(missing))
    offsets = {tuple(sorted((s.start, s.end) for s in v.spans)) for v in present}
    if len(offsets) > 1:
        differences.append("boundary")
    if len({v.signature for v in present}) > 1 and len(offsets) == 1:
        # Same offsets: name what else differs (a label, or the claim's details).
        aspects = ("start", "end", "label", "type", "hedged", "cue", "claimant")
        for index, aspect in enumerate(aspects[2:], start=2):
            values = {
                tuple(sig[index] if len(sig) > index else None for sig in v.signature)
                for v in present
            }
            if len(values) > 1:
                differences.append(aspect)
    if missing:
        return Kind.MISSING, tuple(differences)
    if len(offsets) > 1:
        return Kind.BOUNDARY, tuple(differences)
    if differences:
        return Kind.LABEL, tuple(differences)
    return Kind.AGREED, ()
