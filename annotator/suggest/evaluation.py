"""Measuring suggesters against a labelled (gold) set: precision, recall and F1 per suggester,
per label, and for claims.

* **Entities** match when span and label are exactly the gold's.
* **Claims** are scored twice: exact span, and by overlap (a suggested claim matches a gold
  claim when their common characters are at least half of the longer of the two; each gold
  claim matches one suggestion at most, best overlap first). For the overlap-matched pairs the
  report also counts how often the claimant (span and label), the cue (span), the type and the
  hedged flag agree with the gold.
* **Combined** is scored as well: what the annotator is shown, one suggestion per span and
  label scored by every suggester that proposed it, those below their label's threshold left
  out, and where entity suggestions overlap only the one in front counted (the ones kept
  behind it are alternatives; :mod:`annotator.suggest.combining`). **All suggesters**, the
  plain union (one per span and label, less the seed lists' matches inside a longer
  suggestion), is reported next to it for comparison.

Every suggester sees each gold text as it is in the file, tokenized by the project's
tokenizer, with the file's ignored ranges. Reading the file is the service's job
(:func:`annotator.services.suggesting.evaluate_gold`); this module only computes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import Document, Layer, Suggestion
from annotator.core.progress import CancelToken, ProgressCallback, no_progress
from annotator.core.schema import LabelSchema
from annotator.core.tokens import tokenize_many
from annotator.suggest.base import Suggester, SuggestInput
from annotator.suggest.combining import combine, is_behind
from annotator.suggest.nesting import hide_nested

#: The union of every suggester's suggestions.
ALL = "all suggesters"
#: What the annotator is shown (annotator.suggest.combining).
COMBINED = "combined"
#: A suggested claim overlapping a gold claim by this share of the longer one matches it.
CLAIM_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class GoldClaim:
    start: int
    end: int
    claimant: tuple[int, int, str] | None = None
    cue: tuple[int, int] | None = None
    claim_type: str = "other"
    hedged: bool = False


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: str
    text: str
    entities: tuple[tuple[int, int, str], ...] = ()
    claims: tuple[GoldClaim, ...] = ()
    ignored: tuple[tuple[int, int], ...] = ()
    title: str = ""


@dataclass(frozen=True, slots=True)
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        """``None`` when nothing was suggested (precision is undefined, not zero)."""
        found = self.tp + self.fp
        return self.tp / found if found else None

    @property
    def recall(self) -> float | None:
        """``None`` when the gold has nothing of this kind."""
        gold = self.tp + self.fn
        return self.tp / gold if gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.tp + self.fn,
            "suggested": self.tp + self.fp,
            "correct": self.tp,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass(frozen=True, slots=True)
class ClaimScores:
    exact: Scores = Scores()
    overlap: Scores = Scores()
    #: Among overlap-matched pairs: how many agree with the gold on each attribute.
    claimant: int = 0
    cue: int = 0
    claim_type: int = 0
    hedged: int = 0

    def __add__(self, other: ClaimScores) -> ClaimScores:
        return ClaimScores(
            self.exact + other.exact,
            self.overlap + other.overlap,
            self.claimant + other.claimant,
            self.cue + other.cue,
            self.claim_type + other.claim_type,
            self.hedged + other.hedged,
        )

    def to_dict(self) -> dict[str, Any]:
        matched = self.overlap.tp
        return {
            "exact": self.exact.to_dict(),
            "overlap": self.overlap.to_dict(),
            "attributes": {
                name: {
                    "agree": n,
                    "of": matched,
                    "accuracy": _round(n / matched if matched else None),
                }
                for name, n in (
                    ("claimant", self.claimant),
                    ("cue", self.cue),
                    ("type", self.claim_type),
                    ("hedged", self.hedged),
                )
            },
        }


@dataclass(frozen=True, slots=True)
class SuggesterReport:
    name: str
    version: str
    entities: Scores
    labels: Mapping[str, Scores]
    claims: ClaimScores
    suggested_entities: int
    suggested_claims: int
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "entities": self.entities.to_dict(),
            "labels": {label: s.to_dict() for label, s in sorted(self.labels.items())},
            "claims": self.claims.to_dict(),
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class Report:
    gold: str
    documents: int
    gold_entities: int
    gold_claims: int
    suggesters: tuple[SuggesterReport, ...]
    #: The union of every suggester's suggestions.
    union: SuggesterReport | None = None
    #: What the annotator is shown: the combination, the suggestions in front.
    combined: SuggesterReport | None = None
    #: Gold records that could not be read, described.
    problems: tuple[str, ...] = ()

    def suggester(self, name: str) -> SuggesterReport:
        for report in (*self.suggesters, *self.together):
            if report.name == name:
                return report
        raise KeyError(name)

    @property
    def together(self) -> tuple[SuggesterReport, ...]:
        """The union and the combination, those there are."""
        return tuple(r for r in (self.union, self.combined) if r is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "documents": self.documents,
            "gold_entities": self.gold_entities,
            "gold_claims": self.gold_claims,
            "offsets": "codepoint",
            "claim_overlap": CLAIM_OVERLAP,
            "suggesters": [s.to_dict() for s in self.suggesters],
            "union": None if self.union is None else self.union.to_dict(),
            "combined": None if self.combined is None else self.combined.to_dict(),
            "problems": list(self.problems),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class _Tally:
    entities: Scores = Scores()
    labels: Counter[tuple[str, str]] = field(default_factory=Counter)
    claims: ClaimScores = ClaimScores()
    suggested_entities: int = 0
    suggested_claims: int = 0
    seconds: float = 0.0

    def add(self, gold: GoldDocument, suggestions: Sequence[Suggestion]) -> None:
        entities = {(s.start, s.end, s.label) for s in suggestions if s.layer is Layer.ENTITY}
        gold_entities = set(gold.entities)
        self.suggested_entities += len(entities)
        self.entities += Scores(
            len(entities & gold_entities),
            len(entities - gold_entities),
            len(gold_entities - entities),
        )
        for _, _, label in entities & gold_entities:
            self.labels[(label, "tp")] += 1
        for _, _, label in entities - gold_entities:
            self.labels[(label, "fp")] += 1
        for _, _, label in gold_entities - entities:
            self.labels[(label, "fn")] += 1
        claims = _unique_claims(s for s in suggestions if s.layer is Layer.CLAIM)
        self.suggested_claims += len(claims)
        self.claims += _score_claims(claims, gold.claims)

    def report(self, name: str, version: str) -> SuggesterReport:
        labels = {label for label, _ in self.labels}
        return SuggesterReport(
            name,
            version,
            self.entities,
            {
                label: Scores(
                    self.labels[(label, "tp")],
                    self.labels[(label, "fp")],
                    self.labels[(label, "fn")],
                )
                for label in labels
            },
            self.claims,
            self.suggested_entities,
            self.suggested_claims,
            self.seconds,
        )


def _unique_claims(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    seen: dict[tuple[int, int], Suggestion] = {}
    for s in suggestions:
        kept = seen.get((s.start, s.end))
        if kept is None or s.score > kept.score:
            seen[(s.start, s.end)] = s
    return list(seen.values())


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Common characters over the length of the longer span."""
    common = min(a[1], b[1]) - max(a[0], b[0])
    longer = max(a[1] - a[0], b[1] - b[0])
    return max(0, common) / longer if longer > 0 else 0.0


def _score_claims(suggested: Sequence[Suggestion], gold: Sequence[GoldClaim]) -> ClaimScores:
    gold_spans = {(g.start, g.end) for g in gold}
    exact_hits = sum(1 for s in suggested if (s.start, s.end) in gold_spans)
    exact = Scores(exact_hits, len(suggested) - exact_hits, len(gold_spans) - exact_hits)
    pairs = sorted(
        (
            (overlap_ratio((s.start, s.end), (g.start, g.end)), i, j)
            for i, s in enumerate(suggested)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_s: set[int] = set()
    used_g: set[int] = set()
    claimant = cue = claim_type = hedged = 0
    for ratio, i, j in pairs:
        if ratio < CLAIM_OVERLAP:
            break
        if i in used_s or j in used_g:
            continue
        used_s.add(i)
        used_g.add(j)
        attrs = suggested[i].attributes
        g = gold[j]
        proposed = attrs.get("claimant")
        proposed_claimant = (
            (int(proposed[0]), int(proposed[1]), str(proposed[2])) if proposed else None
        )
        claimant += proposed_claimant == g.claimant
        proposed_cue = attrs.get("cue")
        cue += (tuple(int(x) for x in proposed_cue) if proposed_cue else None) == g.cue
        claim_type += attrs.get("type", "other") == g.claim_type
        hedged += bool(attrs.get("hedged", False)) == g.hedged
    matched = len(used_s)
    overlap = Scores(matched, len(suggested) - matched, len(gold) - matched)
    return ClaimScores(exact, overlap, claimant, cue, claim_type, hedged)


def evaluate(
    documents: Iterable[GoldDocument],
    suggesters: Sequence[Suggester],
    schema: LabelSchema,
    *,
    gold: str = "",
    problems: Sequence[str] = (),
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Report:
    """Run each suggester on each gold document and score it (see the module docstring)."""
    docs = list(documents)
    tallies = {s.name: _Tally() for s in suggesters}
    versions = {s.name: s.version for s in suggesters}
    union = _Tally()
    combined = _Tally()
    gold_entities = gold_claims = 0
    for index, (gold_doc, tokens) in enumerate(
        zip(docs, tokenize_many(d.text for d in docs), strict=True)
    ):
        if cancel is not None:
            cancel.check()
        document = Document(index + 1, gold_doc.id, gold_doc.title, gold_doc.text)
        item = SuggestInput(document, tokens, schema, gold_doc.ignored)
        everything: dict[tuple[str, int, int, str], Suggestion] = {}
        outputs: list[list[Suggestion]] = []
        for suggester in suggesters:
            started = time.perf_counter()
            found = suggester.suggest(item, cancel)
            tally = tallies[suggester.name]
            tally.seconds += time.perf_counter() - started
            tally.add(gold_doc, found)
            outputs.append(found)
            for s in found:
                everything.setdefault((s.layer.value, s.start, s.end, s.label), s)
        # Seed-list matches inside a longer suggestion are never shown.
        union.add(gold_doc, hide_nested(list(everything.values())))
        shown = combine(hide_nested([s for found in outputs for s in found]))
        combined.add(gold_doc, [s for s in shown if not is_behind(s)])
        gold_entities += len(gold_doc.entities)
        gold_claims += len(gold_doc.claims)
        progress(index + 1, len(docs), f"Evaluated {index + 1} of {len(docs)} documents")
    return Report(
        gold=gold,
        documents=len(docs),
        gold_entities=gold_entities,
        gold_claims=gold_claims,
        suggesters=tuple(tallies[s.name].report(s.name, versions[s.name]) for s in suggesters),
        union=union.report(ALL, "") if len(suggesters) > 1 else None,
        combined=combined.report(COMBINED, "") if len(suggesters) > 1 else None,
        problems=tuple(problems),
    )


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def format_report(report: Report) -> str:
    """A readable table: entities per suggester and label, then claims."""
    lines = [
        f"Gold: {report.gold or 'evaluation set'}: {report.documents} documents, "
        f"{report.gold_entities} entities, {report.gold_claims} claims",
    ]
    for problem in report.problems:
        lines.append(f"  skipped: {problem}")
    everyone = [*report.suggesters, *report.together]
    lines += ["", "Entities (exact span and label)"]
    header = f"{'suggester':<16} {'label':<10} {'gold':>5} {'found':>6} {'right':>6} "
    header += f"{'P':>6} {'R':>6} {'F1':>6}"
    lines.append(header)
    for suggester in everyone:
        if suggester.suggested_entities == 0 and suggester.name not in (ALL, COMBINED):
            continue
        rows = [("(all)", suggester.entities)]
        rows += sorted(suggester.labels.items())
        for position, (label, scores) in enumerate(rows):
            name = suggester.name if position == 0 else ""
            lines.append(
                f"{name:<16} {label:<10} {scores.tp + scores.fn:>5} {scores.tp + scores.fp:>6} "
                f"{scores.tp:>6} {_cell(scores.precision):>6} {_cell(scores.recall):>6} "
                f"{_cell(scores.f1):>6}"
            )
    lines += [
        "",
        f"Claims (exact span; overlap ≥ {CLAIM_OVERLAP:.0%} of the longer span, with the "
        "share of overlap matches whose attribute agrees)",
    ]
    lines.append(
        f"{'suggester':<16} {'match':<8} {'gold':>5} {'found':>6} {'right':>6} "
        f"{'P':>6} {'R':>6} {'F1':>6}  claimant   cue  type  hedged"
    )
    for suggester in everyone:
        if suggester.suggested_claims == 0 and suggester.name not in (ALL, COMBINED):
            continue
        claims = suggester.claims
        matched = claims.overlap.tp
        for position, (kind, scores) in enumerate(
            (("exact", claims.exact), ("overlap", claims.overlap))
        ):
            name = suggester.name if position == 0 else ""
            row = (
                f"{name:<16} {kind:<8} {scores.tp + scores.fn:>5} {scores.tp + scores.fp:>6} "
                f"{scores.tp:>6} {_cell(scores.precision):>6} {_cell(scores.recall):>6} "
                f"{_cell(scores.f1):>6}"
            )
            if kind == "overlap":
                shares = [
                    _cell(n / matched if matched else None)
                    for n in (claims.claimant, claims.cue, claims.claim_type, claims.hedged)
                ]
                row += f"  {shares[0]:>8} {shares[1]:>5} {shares[2]:>5} {shares[3]:>7}"
            lines.append(row)
    return "\n".join(lines)
