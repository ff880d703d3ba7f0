"""What the annotator is shown: one suggestion per entity span, scored by every suggester that
proposed it, a lone model guess only for a label the model predicts well, and one suggestion
in front where suggestions overlap.

Measured on the evaluation corpus (``benchmarks/bench_suggest.py``): the learned model's own
spans that no other suggester proposed were right one time in five, while a span it agreed on
with the gazetteer or the rules was right nineteen times in twenty. So the model mostly
confirms, and speaks alone only where its record allows.

* **One score per span and label.** Each suggester that proposed the span with that label
  gives evidence: its own score (the gazetteer's from how often and how consistently the text
  was confirmed, a rule's, a seed list's), and for the learned model the precision its label
  reached on the documents held out when it was trained (:func:`model_calibration`, smoothed
  towards the model's overall precision because a label predicted a few times says little).
  The pieces are taken as independent: the combined score is the chance that not all of them
  are wrong, ``1 - (1 - e1)(1 - e2)...``; agreement raises it.
* **A threshold per label** for what the model alone proposes: the span is shown when its
  label's calibrated precision reaches :data:`LONE_MODEL_PRECISION` and the span looks like
  its label (:func:`looks_like`); a label predicted fewer than :data:`MIN_RECORD` times on
  held-out documents has no record and is never shown on the model's word alone. A span any
  other suggester proposed is shown as before: it is the project's evidence (a confirmed
  text, a term list, a rule). Without a model nothing changes.
* **Overlaps.** Where entity suggestions overlap (different labels, or different spans of one
  name), one is shown and the others are kept *behind* it: their ``attributes["behind"]``
  holds ``[start, end, label]`` of the item in front (a suggestion, or a confirmed entity of
  the same range: an alternative to what the annotator already chose). In front goes, first,
  a span with project evidence over a model-only one; then the longer (the whole name over a
  part of it: "Varnian Ministry of Defence" over "Varnian"); then the higher score. The
  article view draws a suggestion behind another only while it is focused; Tab walks into it
  after the one in front (:func:`annotator.services.workspace.walk_key`), "accept all" leaves
  it, and rejecting the one in front brings it forward.
* **The reason** says which suggesters agreed and the combined score, ``"gazetteer + model
  (0.91)"``, followed by each one's own reason.

Claims are not combined here: one per span and label, reasons joined, as before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from annotator.core.model import Layer, Span, Suggestion
from annotator.core.progress import CancelToken
from annotator.suggest.base import Suggester, SuggestInput

#: The learned model's suggester name (``annotator.suggest.learned.NAME``; not imported, so
#: the combination does not load the model's module).
MODEL: Final = "model"
#: ``Suggestion.attributes`` keys. A model entity suggestion carries its label's calibrated
#: precision and threshold and whether the span looks like its label; a suggestion kept
#: behind another carries what is in front of it.
CALIBRATED: Final = "calibrated"
THRESHOLD: Final = "threshold"
SHAPED: Final = "shaped"
BEHIND: Final = "behind"
#: How many held-out predictions the overall precision is worth when a label's own figure is
#: smoothed towards it (a label predicted twice on held-out documents says little).
PRIOR_WEIGHT: Final = 4.0
#: A label whose calibrated held-out precision reaches this may be suggested by the model
#: alone. Chosen on the evaluation corpus (benchmarks/README.md): lower let in more wrong
#: spans than right ones.
LONE_MODEL_PRECISION: Final = 0.75
#: The threshold of a label without enough of a held-out record: never shown on the model's
#: word alone.
NEVER: Final = 1.0
#: Predictions of a label on held-out documents needed before its precision is trusted at
#: all: a model trained on five documents is measured on one, where a label is predicted a
#: handful of times.
MIN_RECORD: Final = 10
#: No evidence is certain: the combined score stays below 1 so agreement can still rank.
_CEILING: Final = 0.99

Key = tuple[str, int, int, str]


@dataclass(frozen=True, slots=True)
class Calibration:
    """The learned model's figures the combination needs, per entity label."""

    #: Held-out precision of each label, smoothed (see :func:`model_calibration`).
    precision: Mapping[str, float] = field(default_factory=dict)
    #: The calibrated precision a label needs for the model alone to suggest it.
    thresholds: Mapping[str, float] = field(default_factory=dict)
    #: The precision of a label without a held-out record: the model's overall precision.
    overall: float = 0.5

    def attributes(self, label: str, shaped: bool = True) -> dict[str, Any]:
        """What a model suggestion of ``label`` carries to the combination."""
        return {
            CALIBRATED: self.precision.get(label, self.overall),
            THRESHOLD: self.thresholds.get(label, NEVER),
            SHAPED: shaped,
        }


def model_calibration(metrics: Mapping[str, Any]) -> Calibration:
    """Per-label calibrated precision and thresholds from a trained model's held-out metrics
    (``ModelInfo.metrics``, see :mod:`annotator.suggest.training`).

    A label's precision is ``(correct + w * P) / (predicted + w)``: its own held-out figure
    pulled towards the model's overall precision ``P`` by a weight ``w`` of
    :data:`PRIOR_WEIGHT` predictions. Its threshold is :data:`LONE_MODEL_PRECISION`, or
    :data:`NEVER` when the label was predicted fewer than :data:`MIN_RECORD` times on held-out
    documents.
    """
    entities = metrics.get("entities") or {}
    if not isinstance(entities, Mapping):
        return Calibration()
    per_label = entities.get("per_label") or {}
    predicted_all = _number(entities.get("predicted"))
    correct_all = _number(entities.get("correct"))
    overall = correct_all / predicted_all if predicted_all else 0.5
    precision: dict[str, float] = {}
    thresholds: dict[str, float] = {}
    for label, block in per_label.items():
        if not isinstance(block, Mapping):
            continue
        predicted = _number(block.get("predicted"))
        correct = _number(block.get("correct"))
        precision[str(label)] = round(
            (correct + PRIOR_WEIGHT * overall) / (predicted + PRIOR_WEIGHT), 4
        )
        thresholds[str(label)] = LONE_MODEL_PRECISION if predicted >= MIN_RECORD else NEVER
    return Calibration(precision, thresholds, round(overall, 4))


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def evidence(suggestion: Suggestion) -> float:
    """How much one suggester's word is worth: the model's calibrated precision when it
    carries one, else the suggester's own score."""
    if suggestion.suggester == MODEL:
        value = suggestion.attributes.get(CALIBRATED)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return float(suggestion.score)


def combined_score(parts: Iterable[float]) -> float:
    """The chance that not every piece of (independent) evidence is wrong."""
    doubt = 1.0
    for part in parts:
        doubt *= 1.0 - min(max(part, 0.0), 1.0)
    return min(1.0 - doubt, _CEILING)


#: Labels that name something: a lone model guess of one starts and ends with a capital or a
#: digit. Other labels of a project's own schema are not checked.
NAME_LABELS: Final = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})
_NUMBER: Final = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|several|few)\b",
    re.IGNORECASE,
)
_DATE: Final = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:year|month|week|day|decade|century|"
    r"spring|summer|autumn|winter|morning|afternoon|evening|night|today|yesterday|tomorrow|"
    r"hour|minute)s?\b",
    re.IGNORECASE,
)


def looks_like(text: str, label: str) -> bool:
    """Whether ``text`` has the shape of ``label``: a QUANTITY has a number, a DATE a digit or
    a date word, a name (:data:`NAME_LABELS`) begins and ends with a capital or a digit. A
    model trained on a few documents labels "Tarn" a DATE or "Dorvik will" a QUANTITY; a lone
    guess of that shape is not shown."""
    if label == "QUANTITY":
        return bool(_NUMBER.search(text))
    if label == "DATE":
        return bool(_DATE.search(text))
    if label in NAME_LABELS:
        words = text.split()
        return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in (words[0], words[-1]))
    return True


def alone_allowed(suggestion: Suggestion) -> bool:
    """Whether a model suggestion may be shown on the model's word alone: its label's
    calibrated precision reaches the label's threshold and the span looks like the label. One
    without calibration (made before it existed, or by a model plug-in) is shown as before."""
    attributes = suggestion.attributes
    calibrated = attributes.get(CALIBRATED)
    threshold = attributes.get(THRESHOLD)
    if not _is_number(calibrated) or not _is_number(threshold):
        return True
    return float(calibrated) >= float(threshold) and attributes.get(SHAPED, True) is not False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def reason_of(parts: Sequence[Suggestion], score: float) -> str:
    """``"gazetteer + model (0.91): gazetteer: …; model: …"``; with one suggester
    ``"rules (0.80): …"``."""
    names = " + ".join(dict.fromkeys(s.suggester for s in parts))
    if len(parts) == 1:
        return f"{names} ({score:.2f}): {parts[0].reason}"
    details = "; ".join(f"{s.suggester}: {s.reason}" for s in parts)
    return f"{names} ({score:.2f}): {details}"


def combine(
    suggestions: Iterable[Suggestion],
    spans: Iterable[Span] = (),
    exclude: Iterable[Key] = (),
) -> list[Suggestion]:
    """The suggestions to show for one document, in text order (see the module docstring).

    ``spans`` are the annotator's confirmed spans (a suggestion of one of them is not shown;
    one of another label on a confirmed entity's range is kept behind it); ``exclude`` holds the
    ``(layer, start, end, label)`` keys already decided.
    """
    spans = list(spans)
    confirmed = {(s.layer.value, s.start, s.end, s.label) for s in spans}
    skip = confirmed | set(exclude)
    groups: dict[Key, list[Suggestion]] = {}
    for s in suggestions:
        key = (s.layer.value, s.start, s.end, s.label)
        if key not in skip:
            groups.setdefault(key, []).append(s)
    claims: list[Suggestion] = []
    entities: list[tuple[Suggestion, bool]] = []
    for parts in groups.values():
        first = parts[0]
        if first.layer is not Layer.ENTITY:
            claims.append(_joined(parts))
            continue
        project = any(s.suggester != MODEL for s in parts)
        if not project and not all(alone_allowed(s) for s in parts):
            continue
        score = combined_score(evidence(s) for s in parts)
        # The decision is credited to the project's evidence where there is some (the
        # overview counts acceptances per suggester).
        lead = next((s for s in parts if s.suggester != MODEL), first)
        combined = _copy(lead, round(score, 3), reason_of(parts, score), {})
        entities.append((combined, project))
    shown = [*claims, *in_front(entities, [s for s in spans if s.layer is Layer.ENTITY])]
    return sorted(shown, key=lambda s: (s.start, s.end, s.layer.value))


def _copy(s: Suggestion, score: float, reason: str, attributes: dict[str, Any]) -> Suggestion:
    # The constructor, not dataclasses.replace: this runs for every suggestion after every
    # action, and replace() costs several times more.
    return Suggestion(
        s.id,
        s.document_id,
        s.layer,
        s.start,
        s.end,
        s.label,
        s.suggester,
        score,
        reason,
        attributes,
    )


def _joined(parts: Sequence[Suggestion]) -> Suggestion:
    first = parts[0]
    return replace(
        first,
        score=max(s.score for s in parts),
        reason="; ".join(f"{s.suggester}: {s.reason}" for s in parts),
    )


def _rank(entry: tuple[Suggestion, bool]) -> tuple[bool, int, float, int, str]:
    # Project evidence first, then the longer span, then the better score; then the leftmost
    # and the label, so the choice never depends on input order.
    s, project = entry
    return (not project, -(s.end - s.start), -s.score, s.start, s.label)


def in_front(
    entities: Sequence[tuple[Suggestion, bool]], confirmed: Sequence[Span]
) -> list[Suggestion]:
    """Every entity suggestion (each with whether it has project evidence), those overlapping
    a better one, or with the very range of a confirmed entity, marked as behind it. Greedy
    by :func:`_rank`: a suggestion goes in front when nothing in front overlaps it; else
    behind the first one in front (in text order) that does. (One inside a longer confirmed
    entity stays in front: the annotator may be marking nested entities.)"""
    taken = {(s.start, s.end): (s.start, s.end, s.label) for s in sorted(confirmed, key=_by_id)}
    fronts: list[tuple[int, int, str]] = []
    longest = 0
    result: list[Suggestion] = []
    for s, _project in sorted(entities, key=_rank):
        cover = taken.get((s.start, s.end)) or _overlapping(fronts, longest, s.start, s.end)
        if cover is None:
            bisect.insort(fronts, (s.start, s.end, s.label))
            longest = max(longest, s.end - s.start)
            result.append(s)
        else:
            result.append(_copy(s, s.score, s.reason, {**s.attributes, BEHIND: list(cover)}))
    return result


def _by_id(span: Span) -> tuple[int, str]:
    # Two confirmed entities on one range (allowed by some schemas): the first stored names it.
    return (-(span.id or 0), span.label)


def _overlapping(
    fronts: list[tuple[int, int, str]], longest: int, start: int, end: int
) -> tuple[int, int, str] | None:
    """The first item of ``fronts`` (sorted by start, none longer than ``longest``) that
    overlaps ``start..end``. Only items starting after ``start - longest`` can reach it."""
    first = bisect.bisect_right(fronts, (start - longest, 1 << 62, ""))
    for index in range(first, bisect.bisect_left(fronts, (end,))):
        f_start, f_end, _ = fronts[index]
        if f_start < end and start < f_end:
            return fronts[index]
    return None


class CalibratedModel:
    """The learned model's suggester, its entity suggestions carrying the calibration the
    combination reads (:data:`CALIBRATED`, :data:`THRESHOLD`, :data:`SHAPED`), from the held-out
    metrics of the model that made them. A suggester without a loaded model's metrics passes
    through unchanged."""

    #: Part of the version: suggestions cached before the calibration changed are made again.
    CALIBRATION = "c1"

    def __init__(self, inner: Suggester) -> None:
        self.inner = inner

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return f"{self.inner.version}+{self.CALIBRATION}"

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        found = self.inner.suggest(item, cancel)
        metrics = self.metrics()
        if metrics is None:
            return found
        calibration = model_calibration(metrics)
        text = item.document.text
        return [
            replace(
                s,
                attributes={
                    **s.attributes,
                    **calibration.attributes(s.label, looks_like(text[s.start : s.end], s.label)),
                },
            )
            if s.layer is Layer.ENTITY
            else s
            for s in found
        ]

    def metrics(self) -> Mapping[str, Any] | None:
        """The held-out metrics of the model the inner suggester uses, when it says."""
        model = getattr(self.inner, "model", None)
        loaded = model() if callable(model) else None
        metrics = getattr(loaded, "metrics", None)
        return metrics if isinstance(metrics, Mapping) else None

    def __getattr__(self, name: str) -> Any:
        # Anything else (``model()``, ``from_bundle`` users) is the inner suggester's.
        return getattr(self.inner, name)


def is_behind(item: object) -> bool:
    """Whether ``item`` is a suggestion kept behind another (drawn only while focused)."""
    return isinstance(item, Suggestion) and BEHIND in item.attributes
