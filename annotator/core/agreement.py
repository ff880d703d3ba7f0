"""Inter-annotator agreement: pure arithmetic on annotations, no I/O.

The figures, and how each is pooled (docs/team.md, "Agreement", says how to read them):

* **Span F1** per pair of annotators, micro-averaged over the pair's documents:
  ``F1 = 2·matched / (spans of A + spans of B)`` (symmetric: neither side is the reference).
  *Exact*: same start, end and label (a multiset intersection). *Overlap*: same label and at
  least one shared character, matched one-to-one by a **maximum-cardinality (optimal)**
  bipartite matching per label, so a greedy choice never hides a match. Per label the same,
  restricted to that label. The project figure is the unweighted mean over annotator pairs.
* **Cohen's κ** on the entity layer's token IOB2 tags, per pair over the pair's documents'
  tokens pooled (``κ = (p_o - p_e) / (1 - p_e)``), then the mean over pairs. Per label
  one-vs-rest: every tag of another label becomes ``O`` (categories ``B-X``, ``I-X``, ``O``).
  A span tags every token it touches; where one annotator's entity spans overlap, the span
  that starts first (the longer one at the same start) keeps the shared tokens, and the other
  tags only the tokens left free (each free run starting with ``B-``).
* **Krippendorff's α** (nominal) for claim ``type`` and for ``hedged``, over *claim units*
  pooled across documents. Units: the first annotator's (by name) claims each open a unit;
  each next annotator's claims are matched (same label, overlap, optimal one-to-one) against
  the units' opening claims, and the unmatched ones open units of their own. A unit holds at
  most one value per annotator; annotators without a matching claim are missing values, and
  units with fewer than two values are not pairable (α's usual treatment of missing data).
* **Claimant agreement**: over pairs of claims in the same unit, the share whose claimants are
  the same (same claimant span start, end and label; "unattributed" is a value of its own, so
  two unattributed claims agree). Ids are never compared: they belong to one annotator.

Edge cases, by definition here:

* No pair of annotators (or nothing pairable) gives ``None`` ("no evidence"), never 0 or 1.
* Span F1 of a pair with no spans on either side is ``None`` and left out of means; one side
  empty and the other not is 0.
* κ when the expected agreement is 1 (both annotators used one and the same tag for every
  token, e.g. nobody marked anything): 1.0, since the observed agreement is then 1 too.
  A document without tokens gives ``None``.
* α when every pairable value is the same (expected disagreement 0): 1.0 (observed
  disagreement is then 0 too). With a single label or a single claim type the figures are
  computed the same way; nothing is special-cased beyond these.
* A document's ``agreement`` (what "hardest first" sorts by) is its exact span F1 over both
  layers pooled, averaged over its pairs; 1.0 when nobody marked anything in it.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ENTITY = "entity"
CLAIM = "claim"
OUTSIDE = "O"
#: The claimant value of a claim without one (compared like any other value).
UNATTRIBUTED = "unattributed"

Claimant = tuple[int, int, str]


# -- input ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """An entity (or claim) span as agreement sees it: offsets and label, nothing else."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class ClaimMark:
    start: int
    end: int
    label: str
    claim_type: str
    hedged: bool
    #: ``(start, end, label)`` of the claimant entity span, or None when unattributed.
    claimant: Claimant | None = None

    @property
    def mark(self) -> Mark:
        return Mark(self.start, self.end, self.label)


@dataclass(frozen=True, slots=True)
class AnnotatorWork:
    """One annotator's annotations of one document."""

    annotator: str
    entities: tuple[Mark, ...] = ()
    claims: tuple[ClaimMark, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """One document with the work of every annotator who counts for it (two or more)."""

    document_id: int
    title: str
    #: ``(start, end)`` of every token, in order (from :func:`annotator.core.tokens.tokenize`).
    tokens: tuple[tuple[int, int], ...]
    work: tuple[AnnotatorWork, ...]


# -- small arithmetic -----------------------------------------------------------------------


def f1(matched: int, left: int, right: int) -> float | None:
    """Symmetric F1 of two span sets; None when both are empty."""
    total = left + right
    return None if total == 0 else 2 * matched / total


def exact_matches(left: Sequence[Mark], right: Sequence[Mark]) -> int:
    """Spans equal in start, end and label, each used once (multiset intersection)."""
    # Counted by ``(start, end, label)`` tuples, made and hashed in C (a Mark hashes in Python).
    return sum((Counter(map(_MARK_KEY, left)) & Counter(map(_MARK_KEY, right))).values())


_MARK_KEY = operator.attrgetter("start", "end", "label")


def overlap_matches(left: Sequence[Mark], right: Sequence[Mark]) -> int:
    """Size of a maximum one-to-one matching of same-label spans that share a character."""
    by_label: dict[str, tuple[list[Mark], list[Mark]]] = defaultdict(lambda: ([], []))
    for mark in left:
        by_label[mark.label][0].append(mark)
    for mark in right:
        by_label[mark.label][1].append(mark)
    return sum(_max_matching(a, b) for a, b in by_label.values() if a and b)


def _overlaps(a: Mark | ClaimMark, b: Mark | ClaimMark) -> bool:
    return a.start < b.end and b.start < a.end


def _max_matching(left: Sequence[Mark], right: Sequence[Mark]) -> int:
    return len(_matching(left, right))


def _matching(left: Sequence[Any], right: Sequence[Any]) -> dict[int, int]:
    """Maximum matching ``right index -> left index`` of overlapping items (Kuhn's augmenting
    paths). Spans of one label in one document are few, so the simple algorithm is enough;
    the search keeps its own stack, so a long chain of overlapping spans cannot exhaust
    Python's recursion limit."""
    # The overlap test of :func:`_overlaps` written out: this is the inner loop.
    edges = [[j for j, b in enumerate(right) if a.start < b.end and b.start < a.end] for a in left]
    owner: dict[int, int] = {}
    for i in range(len(left)):
        if not edges[i]:
            continue
        seen: set[int] = set()
        # Each frame: [left item, its remaining candidates, the candidate it is trying].
        stack: list[list[Any]] = [[i, iter(edges[i]), None]]
        while stack:
            frame = stack[-1]
            for j in frame[1]:
                if j in seen:
                    continue
                seen.add(j)
                frame[2] = j
                if j not in owner:
                    # A free item ends the path: every frame takes the item it was trying.
                    for node, _, taken in stack:
                        owner[taken] = node
                    stack = []
                else:
                    stack.append([owner[j], iter(edges[owner[j]]), None])
                break
            else:
                stack.pop()
    return owner


def iob2(tokens: Sequence[tuple[int, int]], entities: Iterable[Mark]) -> list[str]:
    """IOB2 tags of ``tokens`` for one annotator's entity spans (see the module docstring for
    overlapping spans: the first-starting, then longer, span keeps a token)."""
    tags = [OUTSIDE] * len(tokens)
    starts = [start for start, _ in tokens]
    for mark in sorted(entities, key=lambda m: (m.start, -m.end, m.label)):
        first = bisect.bisect_right(starts, mark.start) - 1
        if first < 0 or tokens[first][1] <= mark.start:
            first += 1
        inside = False
        index = first
        while index < len(tokens) and tokens[index][0] < mark.end:
            if tags[index] == OUTSIDE:
                tags[index] = ("I-" if inside else "B-") + mark.label
                inside = True
            else:
                inside = False  # another span holds this token; a later run starts with B-
            index += 1
    return tags


def kappa_from_confusion(confusion: Mapping[tuple[str, str], int]) -> float | None:
    """Cohen's κ from ``(tag of A, tag of B) -> count``; None when there are no items."""
    total = sum(confusion.values())
    if total == 0:
        return None
    agree = sum(n for (a, b), n in confusion.items() if a == b)
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for (a, b), n in confusion.items():
        left[a] += n
        right[b] += n
    expected = sum(left[tag] * right[tag] for tag in left) / (total * total)
    observed = agree / total
    if expected >= 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def one_vs_rest(confusion: Mapping[tuple[str, str], int], label: str) -> Counter[tuple[str, str]]:
    """The confusion counts with every tag of another label turned into ``O``."""
    keep = {f"B-{label}", f"I-{label}"}
    result: Counter[tuple[str, str]] = Counter()
    for (a, b), n in confusion.items():
        result[(a if a in keep else OUTSIDE, b if b in keep else OUTSIDE)] += n
    return result


def tag_label(tag: str) -> str | None:
    return None if tag == OUTSIDE else tag[2:]


@dataclass
class AlphaTally:
    """What Krippendorff's α needs, summed over units (pairwise-disagreement form):
    ``D_o = Σ_u (differing ordered pairs in u) / (m_u - 1) / n`` and
    ``D_e = (n² - Σ_c n_c²) / (n (n - 1))``, over pairable values only."""

    disagreement: float = 0.0
    values: Counter[Any] = field(default_factory=Counter)

    def add_unit(self, unit_values: Sequence[Any]) -> None:
        m = len(unit_values)
        if m < 2:
            return  # not pairable
        counts = Counter(unit_values)
        differing = m * m - sum(n * n for n in counts.values())
        self.disagreement += differing / (m - 1)
        self.values.update(unit_values)

    def merge(self, other: AlphaTally) -> None:
        self.disagreement += other.disagreement
        self.values.update(other.values)

    @property
    def pairable(self) -> int:
        return sum(self.values.values())

    def alpha(self) -> float | None:
        n = self.pairable
        if n < 2:
            return None
        expected = (n * n - sum(c * c for c in self.values.values())) / (n * (n - 1))
        observed = self.disagreement / n
        if expected == 0:
            return 1.0
        return 1.0 - observed / expected


def alpha_nominal(units: Iterable[Sequence[Any]]) -> float | None:
    """Krippendorff's α (nominal) of units given as their present values (missing left out)."""
    tally = AlphaTally()
    for unit in units:
        tally.add_unit(unit)
    return tally.alpha()


# -- claim units ----------------------------------------------------------------------------


def claim_units(work: Sequence[AnnotatorWork]) -> list[dict[str, ClaimMark]]:
    """Claims grouped into units across annotators (see the module docstring), each unit
    ``annotator -> claim``, in the order they were opened."""
    units: list[dict[str, ClaimMark]] = []
    anchors: list[ClaimMark] = []
    for item in sorted(work, key=lambda w: w.annotator):
        claims = list(item.claims)
        matched: dict[int, int] = {}
        by_label: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for u, anchor in enumerate(anchors):
            by_label[anchor.label][0].append(u)
        for c, claim in enumerate(claims):
            by_label[claim.label][1].append(c)
        for unit_ids, claim_ids in by_label.values():
            if not unit_ids or not claim_ids:
                continue
            owner = _matching([anchors[u] for u in unit_ids], [claims[c] for c in claim_ids])
            for j, i in owner.items():
                matched[claim_ids[j]] = unit_ids[i]
        for c, claim in enumerate(claims):
            if c in matched:
                units[matched[c]][item.annotator] = claim
            else:
                units.append({item.annotator: claim})
                anchors.append(claim)
    return units


def claimant_value(claim: ClaimMark) -> Claimant | str:
    return UNATTRIBUTED if claim.claimant is None else claim.claimant


# -- tallies: counts that add up over documents -----------------------------------------------


@dataclass
class PairTally:
    """One pair of annotators' counts, over one document or many."""

    documents: int = 0
    #: ``(layer, label) -> [exact matches, overlap matches, spans of A, spans of B]``
    spans: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def merge(self, other: PairTally) -> None:
        self.documents += other.documents
        for key, counts in other.spans.items():
            mine = self.spans.setdefault(key, [0, 0, 0, 0])
            for i, n in enumerate(counts):
                mine[i] += n
        self.confusion.update(other.confusion)

    def layer_f1(self, layer: str | None, *, exact: bool) -> float | None:
        """F1 over every label of ``layer`` (None: both layers)."""
        matched = left = right = 0
        for (span_layer, _), (n_exact, n_overlap, a, b) in self.spans.items():
            if layer is None or span_layer == layer:
                matched += n_exact if exact else n_overlap
                left += a
                right += b
        return f1(matched, left, right)

    def label_f1(self, layer: str, label: str, *, exact: bool) -> float | None:
        counts = self.spans.get((layer, label))
        if counts is None:
            return None
        return f1(counts[0] if exact else counts[1], counts[2], counts[3])

    def kappa(self, label: str | None = None) -> float | None:
        if label is None:
            return kappa_from_confusion(self.confusion)
        return kappa_from_confusion(one_vs_rest(self.confusion, label))


@dataclass
class ClaimTally:
    """Claim-attribute counts over units (pooled over every annotator, not per pair)."""

    units: int = 0
    claim_type: AlphaTally = field(default_factory=AlphaTally)
    hedged: AlphaTally = field(default_factory=AlphaTally)
    claimant_pairs: int = 0
    claimant_agreeing: int = 0

    def merge(self, other: ClaimTally) -> None:
        self.units += other.units
        self.claim_type.merge(other.claim_type)
        self.hedged.merge(other.hedged)
        self.claimant_pairs += other.claimant_pairs
        self.claimant_agreeing += other.claimant_agreeing

    def claimant_agreement(self) -> float | None:
        if self.claimant_pairs == 0:
            return None
        return self.claimant_agreeing / self.claimant_pairs


def pair_tally(
    tokens: Sequence[tuple[int, int]],
    left: AnnotatorWork,
    right: AnnotatorWork,
    tags: tuple[list[str], list[str]] | None = None,
) -> PairTally:
    """One document's counts for one pair; ``tags``: both sides' :func:`iob2` tags when the
    caller has them already (each annotator's are the same in every pair)."""
    tally = PairTally(documents=1)
    for layer, a_marks, b_marks in (
        (ENTITY, list(left.entities), list(right.entities)),
        (CLAIM, [c.mark for c in left.claims], [c.mark for c in right.claims]),
    ):
        labels = {m.label for m in a_marks} | {m.label for m in b_marks}
        for label in sorted(labels):
            a = [m for m in a_marks if m.label == label]
            b = [m for m in b_marks if m.label == label]
            tally.spans[(layer, label)] = [
                exact_matches(a, b),
                _max_matching(a, b),
                len(a),
                len(b),
            ]
    left_tags, right_tags = (
        tags if tags is not None else (iob2(tokens, left.entities), iob2(tokens, right.entities))
    )
    tally.confusion.update(zip(left_tags, right_tags, strict=True))
    return tally


def claim_tally(work: Sequence[AnnotatorWork]) -> ClaimTally:
    """One document's claim-unit counts over all its annotators."""
    tally = ClaimTally()
    for unit in claim_units(work):
        claims = list(unit.values())
        tally.units += 1
        tally.claim_type.add_unit([c.claim_type for c in claims])
        tally.hedged.add_unit([c.hedged for c in claims])
        for a, b in itertools.combinations(claims, 2):
            tally.claimant_pairs += 1
            tally.claimant_agreeing += claimant_value(a) == claimant_value(b)
    return tally


# -- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpanF1:
    exact: float | None
    overlap: float | None


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    layer: str
    label: str
    exact_f1: float | None
    overlap_f1: float | None
    #: One-vs-rest token κ (entity layer only; None for claims).
    kappa: float | None
    #: Spans with this label, summed over every pair's both sides (how much evidence).
    spans: int


@dataclass(frozen=True, slots=True)
class PairAgreement:
    left: str
    right: str
    documents: int
    entities: SpanF1
    claims: SpanF1
    kappa: float | None


@dataclass(frozen=True, slots=True)
class DocumentAgreement:
    document_id: int
    title: str
    annotators: tuple[str, ...]
    #: Exact span F1 over both layers, mean over pairs; 1.0 when nobody marked anything.
    agreement: float
    entities: SpanF1
    claims: SpanF1
    kappa: float | None
    claim_type_alpha: float | None
    hedged_alpha: float | None
    claimant: float | None


@dataclass(frozen=True, slots=True)
class Overall:
    documents: int
    annotators: tuple[str, ...]
    pairs: int
    entities: SpanF1
    claims: SpanF1
    kappa: float | None
    claim_units: int
    claim_type_alpha: float | None
    hedged_alpha: float | None
    claimant: float | None


@dataclass(frozen=True, slots=True)
class AgreementReport:
    overall: Overall
    labels: tuple[LabelAgreement, ...]
    pairs: tuple[PairAgreement, ...]
    #: Hardest (lowest ``agreement``) first.
    documents: tuple[DocumentAgreement, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (the CLI's ``--json``)."""

        def span_f1(value: SpanF1) -> dict[str, float | None]:
            return {"exact": value.exact, "overlap": value.overlap}

        o = self.overall
        return {
            "overall": {
                "documents": o.documents,
                "annotators": list(o.annotators),
                "pairs": o.pairs,
                "entities_f1": span_f1(o.entities),
                "claims_f1": span_f1(o.claims),
                "token_kappa": o.kappa,
                "claim_units": o.claim_units,
                "claim_type_alpha": o.claim_type_alpha,
                "hedged_alpha": o.hedged_alpha,
                "claimant_agreement": o.claimant,
            },
            "labels": [
                {
                    "layer": row.layer,
                    "label": row.label,
                    "f1": {"exact": row.exact_f1, "overlap": row.overlap_f1},
                    "token_kappa": row.kappa,
                    "spans": row.spans,
                }
                for row in self.labels
            ],
            "pairs": [
                {
                    "annotators": [row.left, row.right],
                    "documents": row.documents,
                    "entities_f1": span_f1(row.entities),
                    "claims_f1": span_f1(row.claims),
                    "token_kappa": row.kappa,
                }
                for row in self.pairs
            ],
            "documents": [
                {
                    "id": row.document_id,
                    "title": row.title,
                    "annotators": list(row.annotators),
                    "agreement": row.agreement,
                    "entities_f1": span_f1(row.entities),
                    "claims_f1": span_f1(row.claims),
                    "token_kappa": row.kappa,
                    "claim_type_alpha": row.claim_type_alpha,
                    "hedged_alpha": row.hedged_alpha,
                    "claimant_agreement": row.claimant,
                }
                for row in self.documents
            ],
        }


def figure(value: float | None) -> str:
    """A figure as tables show it: three decimals, or "-" when undefined (no evidence)."""
    return "-" if value is None else f"{value:.3f}"


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when none is defined."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


# -- the accumulator ------------------------------------------------------------------------


class AgreementAccumulator:
    """Adds documents one at a time (memory: the tallies plus one small row per document)."""

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], PairTally] = {}
        self._claims = ClaimTally()
        self._documents: list[DocumentAgreement] = []
        self._annotators: set[str] = set()

    def add(self, document: DocumentInput) -> DocumentAgreement | None:
        """Count one document; None (and nothing counted) with fewer than two annotators."""
        work = sorted(document.work, key=lambda w: w.annotator)
        if len(work) < 2:
            return None
        tallies: list[PairTally] = []
        tags = [iob2(document.tokens, w.entities) for w in work]
        for i, j in itertools.combinations(range(len(work)), 2):
            left, right = work[i], work[j]
            tally = pair_tally(document.tokens, left, right, (tags[i], tags[j]))
            tallies.append(tally)
            self._pairs.setdefault((left.annotator, right.annotator), PairTally()).merge(tally)
        claims = claim_tally(work)
        self._claims.merge(claims)
        self._annotators.update(w.annotator for w in work)
        agreement = mean(t.layer_f1(None, exact=True) for t in tallies)
        row = DocumentAgreement(
            document_id=document.document_id,
            title=document.title,
            annotators=tuple(w.annotator for w in work),
            agreement=1.0 if agreement is None else agreement,
            entities=SpanF1(
                mean(t.layer_f1(ENTITY, exact=True) for t in tallies),
                mean(t.layer_f1(ENTITY, exact=False) for t in tallies),
            ),
            claims=SpanF1(
                mean(t.layer_f1(CLAIM, exact=True) for t in tallies),
                mean(t.layer_f1(CLAIM, exact=False) for t in tallies),
            ),
            kappa=mean(t.kappa() for t in tallies),
            claim_type_alpha=claims.claim_type.alpha(),
            hedged_alpha=claims.hedged.alpha(),
            claimant=claims.claimant_agreement(),
        )
        self._documents.append(row)
        return row

    def report(self) -> AgreementReport:
        pairs = [self._pairs[key] for key in sorted(self._pairs)]
        keys: set[tuple[str, str]] = set()
        for tally in pairs:
            keys.update(tally.spans)
        entity_labels = {k[1] for k in keys if k[0] == ENTITY}
        for tally in pairs:
            for a, b in tally.confusion:
                for tag in (a, b):
                    label = tag_label(tag)
                    if label is not None:
                        entity_labels.add(label)
        labels = []
        for layer, label in sorted(keys | {(ENTITY, label) for label in entity_labels}):
            labels.append(
                LabelAgreement(
                    layer=layer,
                    label=label,
                    exact_f1=mean(t.label_f1(layer, label, exact=True) for t in pairs),
                    overlap_f1=mean(t.label_f1(layer, label, exact=False) for t in pairs),
                    kappa=mean(t.kappa(label) for t in pairs) if layer == ENTITY else None,
                    spans=sum(sum(t.spans.get((layer, label), (0, 0, 0, 0))[2:]) for t in pairs),
                )
            )
        overall = Overall(
            documents=len(self._documents),
            annotators=tuple(sorted(self._annotators)),
            pairs=len(pairs),
            entities=SpanF1(
                mean(t.layer_f1(ENTITY, exact=True) for t in pairs),
                mean(t.layer_f1(ENTITY, exact=False) for t in pairs),
            ),
            claims=SpanF1(
                mean(t.layer_f1(CLAIM, exact=True) for t in pairs),
                mean(t.layer_f1(CLAIM, exact=False) for t in pairs),
            ),
            kappa=mean(t.kappa() for t in pairs),
            claim_units=self._claims.units,
            claim_type_alpha=self._claims.claim_type.alpha(),
            hedged_alpha=self._claims.hedged.alpha(),
            claimant=self._claims.claimant_agreement(),
        )
        pair_rows = tuple(
            PairAgreement(
                left=key[0],
                right=key[1],
                documents=tally.documents,
                entities=SpanF1(
                    tally.layer_f1(ENTITY, exact=True), tally.layer_f1(ENTITY, exact=False)
                ),
                claims=SpanF1(
                    tally.layer_f1(CLAIM, exact=True), tally.layer_f1(CLAIM, exact=False)
                ),
                kappa=tally.kappa(),
            )
            for key, tally in sorted(self._pairs.items())
        )
        documents = tuple(sorted(self._documents, key=_hardest_first))
        return AgreementReport(overall, tuple(labels), pair_rows, documents)


def _hardest_first(row: DocumentAgreement) -> tuple[float, float, int]:
    kappa = 1.0 if row.kappa is None else row.kappa
    return row.agreement, kappa, row.document_id


def compute(documents: Iterable[DocumentInput]) -> AgreementReport:
    """Agreement over ``documents`` (those with fewer than two annotators are skipped)."""
    accumulator = AgreementAccumulator()
    for document in documents:
        accumulator.add(document)
    return accumulator.report()
