"""The same claim in several articles: a deterministic score between two claims, with its
reasons, and the groups that scores above the bar make.

Two claims are compared on three things:

* **figures** (:mod:`annotator.core.claim_figures`): both state figures and share at least one
  (same value and unit). Both stating figures and sharing none rules the pair out: "33 air
  strikes" and "35 air strikes" are different claims however alike the words.
* **entities**: the identities of the entities in the claim and its claimant (an entity's
  key is its text with runs of spaces made one, case-folded unless it is an acronym: the
  gazetteer's rule, so "Hmeymim airbase" and "Hmeymim Airbase" are one). Both naming
  entities and sharing none rules the pair out ("Kartapolov said" is not "Shoigu said"); how
  many they share (Jaccard) counts in the score.
* **wording**: the Dice coefficient of the two claims' content words (lower case, common
  words dropped, cut to a six-letter stem so "striking" meets "strikes").

``score = 0.4 × figures + 0.3 × entities + 0.3 × wording``, where figures and entities count
the share of what the two have in common (0 when either has none). A pair is the same claim
when it was not ruled out and the score reaches :data:`SAME_CLAIM` (0.55), or when the wording
alone reaches :data:`NEAR_VERBATIM` (0.8: one wire story copied). Only claims of different
documents are paired. Groups grow from the strongest pair down, and two groups only join when
no claim of one is ruled out by a claim of the other, so a vague report ("air strikes for 24
hours") cannot chain "33 strikes" and "35 strikes" into one group.

Pairs are not tried all against all: claims are put in buckets by figure, by figure with
entity and by their rarest pairs of neighbouring content words, and only claims sharing a
bucket are scored (see :func:`bucket_keys` for why no pair that could match is missed). A bucket
holding more than :data:`MAX_BUCKET` claims says too little to compare by ("1", "Russia") and
is passed over (its claims still meet through their other keys), so the work grows with the
corpus, not with its square.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.claim_figures import Figure, claim_figures
from annotator.core.model import Document, Layer, Span

#: Finds entity texts in a claim's text: ``[(start, end), ...]`` (the project's gazetteer).
EntityFinder = Callable[[str], Sequence[tuple[int, int]]]

#: Score from which two claims are taken for the same claim.
SAME_CLAIM = 0.55
#: Wording similarity from which two claims are one copied text, figures or entities aside.
NEAR_VERBATIM = 0.8
#: Buckets larger than this are too common a key to compare by.
MAX_BUCKET = 200
#: How many of its word pairs (the rarest in the corpus) put a claim into buckets.
RARE_SHINGLES = 3

FIGURE_WEIGHT = 0.4
ENTITY_WEIGHT = 0.3
WORDING_WEIGHT = 0.3

_STEM = 6
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_STOP_WORDS = frozenset(
    """
    a about after against all also an and any are as at be been before being between both
    but by can could did do does during each for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not now
    of off on once only or other our out over own same she should so some such than that the
    their them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your said says say
    told according reported reports report claimed claims claim stated states added
    """.split()
)


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity a claim names (in it, or as its claimant)."""

    #: Its identity: see :func:`entity_key`.
    key: str
    #: As written, for reasons.
    shown: str


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """What the comparison needs of one claim."""

    claim_id: int
    document_id: int
    text: str
    figures: tuple[Figure, ...] = ()
    entities: tuple[Mention, ...] = ()
    #: Content-word stems of the text (see :func:`content_words`).
    words: tuple[str, ...] = ()
    #: The same as sets, made once: every pair compares them.
    figure_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    entity_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    word_set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "figure_keys", frozenset(f.key for f in self.figures))
        object.__setattr__(self, "entity_keys", frozenset(m.key for m in self.entities))
        object.__setattr__(self, "word_set", frozenset(self.words))


@dataclass(frozen=True, slots=True)
class Match:
    """The score of a pair and why."""

    score: float
    same: bool
    reasons: tuple[str, ...]
    #: Different figures or different entities: never the same claim, however close.
    ruled_out: bool = False

    def describe(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True, slots=True)
class Link:
    """Two claims of a group that were found to be the same claim."""

    first: int
    second: int
    match: Match


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims in different documents that state the same thing."""

    #: In document order, then text order.
    claim_ids: tuple[int, ...]
    document_ids: tuple[int, ...]
    links: tuple[Link, ...] = field(default=())

    def reasons_for(self, claim_id: int) -> list[tuple[int, Match]]:
        """``(other claim, match)`` for every link of ``claim_id`` in the group."""
        found = []
        for link in self.links:
            if link.first == claim_id:
                found.append((link.second, link.match))
            elif link.second == claim_id:
                found.append((link.first, link.match))
        return found


def entity_key(text: str) -> str:
    """An entity's identity: whitespace runs made one space; case-folded unless the text is
    an acronym (one word in capitals: "US" is not "us")."""
    normal = " ".join(text.split())
    if " " not in normal and normal.isupper():
        return normal
    return normal.casefold()


def content_words(text: str) -> tuple[str, ...]:
    """Stems of the content words of ``text`` in text order (common words dropped)."""
    stems = []
    for match in _WORD.finditer(text):
        word = match.group().casefold()
        if word in _STOP_WORDS or len(word) < 2:
            continue
        stems.append(word[:_STEM])
    return tuple(stems)


def record(
    claim_id: int,
    document_id: int,
    text: str,
    figures: Iterable[Figure],
    entities: Iterable[str],
) -> ClaimRecord:
    """A :class:`ClaimRecord` from a claim's text, its figures and the texts of its entities
    (one mention per identity, the first spelling kept)."""
    mentions: dict[str, Mention] = {}
    for entity in entities:
        key = entity_key(entity)
        if key and key not in mentions:
            mentions[key] = Mention(key, " ".join(entity.split()))
    return ClaimRecord(
        claim_id,
        document_id,
        text,
        tuple(figures),
        tuple(mentions.values()),
        content_words(text),
    )


def describe_claim(
    document: Document,
    claim: Span,
    spans: Sequence[Span],
    find_entities: EntityFinder | None = None,
) -> ClaimRecord:
    """What the comparison needs of ``claim``: its figures (number slots and text), and the
    texts of its entities (spans inside it, its claimant, gazetteer finds)."""
    text = document.text
    claim_text = text[claim.start : claim.end]
    entities = [
        text[span.start : span.end]
        for span in spans
        if span.layer is Layer.ENTITY
        and span.annotator == claim.annotator
        and claim.start <= span.start
        and span.end <= claim.end
    ]
    details = claim.claim
    if details is not None and details.claimant_id is not None:
        for span in spans:
            if span.id == details.claimant_id:
                entities.insert(0, text[span.start : span.end])
    if find_entities is not None:
        entities.extend(claim_text[start:end] for start, end in find_entities(claim_text))
    assert claim.id is not None
    return record(
        claim.id,
        document.id,
        claim_text,
        claim_figures(claim_text, claim.attributes),
        entities,
    )


def wording(first: Sequence[str], second: Sequence[str]) -> float:
    """Dice coefficient of two sets of content-word stems."""
    return _dice(frozenset(first), frozenset(second))


def verdict(first: ClaimRecord, second: ClaimRecord) -> tuple[float, bool, bool]:
    """``(score, same, ruled_out)`` of a pair: what :func:`compare` says, without its
    reasons (the grouping asks this of every candidate pair)."""
    ruled_out = False
    figure_part = 0.0
    if first.figures and second.figures:
        shared, clash = _figure_pairs(first, second)
        ruled_out = not shared or clash is not None
        figure_part = len(shared) / min(len(first.figures), len(second.figures))
    keys_a, keys_b = first.entity_keys, second.entity_keys
    entity_part = 0.0
    if keys_a and keys_b:
        common = len(keys_a & keys_b)
        ruled_out = ruled_out or not common
        entity_part = common / len(keys_a | keys_b)
    words = _dice(first.word_set, second.word_set)
    score = FIGURE_WEIGHT * figure_part + ENTITY_WEIGHT * entity_part + WORDING_WEIGHT * words
    same = not ruled_out and (score >= SAME_CLAIM or words >= NEAR_VERBATIM)
    return round(score, 4), same, ruled_out


def compare(first: ClaimRecord, second: ClaimRecord) -> Match:
    """Whether two claims state the same thing, with a score and its reasons."""
    score, same, ruled_out = verdict(first, second)
    reasons: list[str] = []
    if first.figures and second.figures:
        shared, clash = _figure_pairs(first, second)
        if clash is not None:
            reasons.append(f"different figures {clash[0].describe()} / {clash[1].describe()}")
        for a, b in shared:
            shown = a if a.counted or not b.counted else b
            reasons.append(f"same figure {shown.describe()}")
        if not shared and clash is None:
            reasons.append(
                "different figures "
                f"{_listed(f.describe() for f in first.figures)} / "
                f"{_listed(f.describe() for f in second.figures)}"
            )
    keys_a, keys_b = first.entity_keys, second.entity_keys
    if keys_a and keys_b:
        reasons.extend(f"same entity {m.shown}" for m in first.entities if m.key in keys_b)
        if not keys_a & keys_b:
            only = [m.shown for m in first.entities] + [m.shown for m in second.entities]
            reasons.append(f"different entities {_listed(only)}")
    reasons.append(f"wording {_dice(first.word_set, second.word_set):.2f}")
    return Match(score, same, tuple(reasons), ruled_out)


def _figure_pairs(
    first: ClaimRecord, second: ClaimRecord
) -> tuple[list[tuple[Figure, Figure]], tuple[Figure, Figure] | None]:
    """The figures the two claims share (same value and unit, measuring alike), and a clash
    if there is one: two figures, on neither side shared, that measure alike with different
    values ("33 air strikes" against "35 air strikes", even when both add "in 24 hours")."""
    shared = [
        (a, b)
        for a in first.figures
        for b in second.figures
        if a.key == b.key and a.measures_alike(b)
    ]
    used_a = {id(a) for a, _b in shared}
    used_b = {id(b) for _a, b in shared}
    for a in first.figures:
        if id(a) in used_a:
            continue
        for b in second.figures:
            if id(b) not in used_b and a.key != b.key and a.measures_alike(b):
                return shared, (a, b)
    return shared, None


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items) or "none"


def bucket_keys(claim: ClaimRecord) -> set[str]:
    """The buckets a claim may go into: each figure, each figure with each entity, and each
    pair of neighbouring content words (of which :func:`candidate_pairs` keeps the rarest).

    An entity alone is no bucket: two claims sharing an entity but no figure only reach the
    bar with a wording of about 0.83 or more (0.3 + 0.3 × wording >= 0.55), and claims worded
    that closely share their rarest word pairs. Claims sharing a figure meet in its bucket,
    or in the figure's bucket with their shared entity when the figure alone is too common."""
    keys = {f"f:{key}" for key in claim.figure_keys}
    keys.update(f"c:{f}|{e}" for f in claim.figure_keys for e in claim.entity_keys)
    keys.update(f"w:{a} {b}" for a, b in itertools.pairwise(claim.words))
    return keys


def candidate_pairs(claims: Sequence[ClaimRecord]) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of claims in different documents that share a
    bucket of at most :data:`MAX_BUCKET` claims.

    Of its word pairs a claim goes only into the :data:`RARE_SHINGLES` rarest in the corpus:
    "air strikes" says little, "hmeymim airbase" much, and a near-verbatim copy shares its
    rarest word pairs too. A figure too common to compare by ("2") still meets the others
    through the figure-with-entity buckets ("2" with "Kartapolov")."""
    keys_of = [bucket_keys(claim) for claim in claims]
    shingles: Counter[str] = Counter(k for keys in keys_of for k in keys if k[0] == "w")
    buckets: dict[str, list[int]] = {}
    for index, keys in enumerate(keys_of):
        words = sorted((k for k in keys if k[0] == "w"), key=lambda k: (shingles[k], k))
        for key in [k for k in keys if k[0] != "w"] + words[:RARE_SHINGLES]:
            buckets.setdefault(key, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for position, i in enumerate(members):
            document = claims[i].document_id
            for j in members[position + 1 :]:
                if claims[j].document_id != document:
                    pairs.add((i, j))
    return sorted(pairs)


def _any_ruled_out(claims: Sequence[ClaimRecord], first: list[int], second: list[int]) -> bool:
    return any(
        claims[a].document_id != claims[b].document_id and verdict(claims[a], claims[b])[2]
        for a in first
        for b in second
    )


def group_claims(
    claims: Sequence[ClaimRecord], check: Callable[[], None] | None = None
) -> list[ClaimGroup]:
    """The groups of claims that state the same thing in different documents, largest
    first; ``check`` is called between pairs (to cancel: it raises)."""
    parent = list(range(len(claims)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    matches: list[tuple[int, int, Match]] = []
    for count, (i, j) in enumerate(candidate_pairs(claims)):
        if check is not None and count % 1000 == 0:
            check()
        if verdict(claims[i], claims[j])[1]:
            matches.append((i, j, compare(claims[i], claims[j])))
    # Strongest links first; two groups only join when no claim of one rules out a claim of
    # the other ("33 strikes in 24 hours" and "35 strikes in 24 hours" may each match
    # "struck 24 hours long", but never end up in one group).
    matches.sort(key=lambda item: (-item[2].score, item[0], item[1]))
    component: dict[int, list[int]] = {i: [i] for i in range(len(claims))}
    links: list[tuple[int, int, Match]] = []
    for i, j, match in matches:
        top_i, top_j = root(i), root(j)
        if top_i != top_j:
            if _any_ruled_out(claims, component[top_i], component[top_j]):
                continue
            parent[top_j] = top_i
            component[top_i].extend(component.pop(top_j))
        links.append((i, j, match))

    members: dict[int, list[int]] = {}
    for i, j, _match in links:
        for index in (i, j):
            group = members.setdefault(root(index), [])
            if index not in group:
                group.append(index)
    by_root: dict[int, list[Link]] = {}
    for i, j, match in links:
        by_root.setdefault(root(i), []).append(Link(claims[i].claim_id, claims[j].claim_id, match))
    groups = []
    for top, indices in members.items():
        ordered = sorted(indices, key=lambda k: (claims[k].document_id, claims[k].claim_id))
        groups.append(
            ClaimGroup(
                tuple(claims[k].claim_id for k in ordered),
                tuple(dict.fromkeys(claims[k].document_id for k in ordered)),
                tuple(by_root[top]),
            )
        )
    groups.sort(key=lambda g: (-len(g.document_ids), g.claim_ids))
    return groups
