"""The learned model: spaCy pipelines trained on the project's confirmed spans, from blank or
(entities) from the ``ner`` of an installed pipeline the project chose.

What is stored (one bytes blob, ``ModelRow.data``, kind ``"learned"``) is a msgpack *bundle*::

    {"format": 1,
     "entities": {"config": <nlp.config as text>, "model": <nlp.to_bytes()>,
                  "labels": {<model label>: <project label>} (started from a pipeline only)}
                 | None,
     "claims":   {"config": ..., "model": ...} | None,
     "metrics":  {... held-out scores, see annotator.suggest.training ...}}

Two pipelines, each ``spacy.blank("en")`` + one ``ner`` component, because claims overlap the
entities inside them and a ``ner`` component owns ``doc.ents``:

* **entities**: every entity label the project confirmed;
* **claims**: ``CLAIM`` (the asserted content) and ``CUE`` (the reporting verb or "according
  to"), which never overlap each other in our guidelines. We measured ``spancat`` for claims
  too (see ``benchmarks/README.md``): its n-gram suggester needs every length up to the longest
  claim (40+ tokens), so it scores tens of thousands of candidate spans per article, trains
  several times slower on CPU and, on a few dozen articles, found almost no exact claim. A
  transition-based ``ner`` predicts the boundaries directly and is cheap.

Both are rebuilt from their config and bytes (``Language.from_config`` + ``from_bytes``):
nothing is ever loaded by package name or downloaded.

Tokenization is the project's (:mod:`annotator.core.tokens`): a spaCy ``Doc`` is built from our
tokens (with the whitespace between them as spaCy's own whitespace tokens), so model spans
and UI spans line up exactly. Documents are fed line by line, without boilerplate (ignored
ranges): a news paragraph is one line, and a line is the context the model needs. Training
feeds the same pieces (see :func:`chunks`).

The ``ner`` model gives no per-span probability. A suggestion's score is instead the held-out
precision of its label (how often the model was right about that label on documents it did not
train on), which is what a reviewer wants to know; 0.5 when the label was never predicted on
held-out documents.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Protocol

from annotator.core.model import Layer, Suggestion
from annotator.core.progress import CancelToken
from annotator.core.tokens import Token, Tokenized

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from annotator.suggest.base import SuggestInput

__all__ = [
    "BUNDLE_FORMAT",
    "CLAIM",
    "CUE",
    "KIND",
    "NAME",
    "LearnedModel",
    "LearnedSuggester",
    "ModelInfo",
    "ModelSource",
    "Prediction",
    "chunks",
    "make_doc",
]

#: ``ModelRow.kind`` of the models trained here.
KIND: Final = "learned"
#: The suggester's name (``suggested:model`` origins).
NAME: Final = "model"
BUNDLE_FORMAT: Final = 1
CLAIM: Final = "CLAIM"
CUE: Final = "CUE"
#: Claimants are named agents; a date or a quantity never claims anything, and a demonym
#: ("Varnian officials said") names no one in particular.
CLAIMANT_LABELS: Final = ("PERSON", "ORG", "GPE", "FAC")
#: "he said", "she told": the claimant is the last person named before.
_PRONOUN_PERSON: Final = re.compile(r"\b(he|she)\s*$|^\s*(he|she)\b", re.IGNORECASE)
_FALLBACK_SCORE: Final = 0.5
_LINE_BREAK: Final = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_HEDGES: Final = re.compile(
    r"\b(allegedly|reportedly|apparently|believed|suspected|unconfirmed|possibly|may|might|"
    r"could|appears?|appeared|seem(?:s|ed)?|said to be)\b",
    re.IGNORECASE,
)
_PREDICTION: Final = re.compile(r"\b(will|would|expected|forecast|plans? to|going to)\b", re.I)
_CAUSAL: Final = re.compile(r"\b(because|caused|due to|led to|as a result|blamed)\b", re.I)
_NUMBER: Final = re.compile(r"\d")
_QUOTES: Final = "\"“”‘’'«»"


# -- tokens -> spaCy docs --------------------------------------------------------------------


def chunks(
    text: str,
    tokens: Sequence[Token],
    ignored: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Token index ranges ``[first, stop)`` the model reads: each line of the text without the
    tokens that touch an ignored range (boilerplate). A line that is all boilerplate gives
    nothing; a line whose start is boilerplate glued to the body ("…difference.Russia has…")
    gives the body part."""
    ranges = _merged(ignored)
    starts = [start for start, _ in ranges]
    result: list[tuple[int, int]] = []
    first: int | None = None
    for index, token in enumerate(tokens):
        if first is not None and _LINE_BREAK.search(text, tokens[index - 1].end, token.start):
            result.append((first, index))
            first = None
        if ranges and _touches(ranges, starts, token.start, token.end):
            if first is not None:
                result.append((first, index))
                first = None
            continue
        if first is None:
            first = index
    if first is not None:
        result.append((first, len(tokens)))
    return result


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint: then the last range starting before a point has the largest end."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _touches(ranges: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and ranges[index][1] > start


def make_doc(vocab: Vocab, text: str, tokens: Sequence[Token], first: int, stop: int) -> Doc:
    """A spaCy ``Doc`` of ``tokens[first:stop]`` whose text is exactly
    ``text[tokens[first].start : tokens[stop - 1].end]``: our tokens are its words, and the
    whitespace between them is spaCy's trailing space or a whitespace token (as spaCy's own
    tokenizer makes them), so character offsets carry over by subtracting the start."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    for index in range(first, stop):
        token = tokens[index]
        words.append(token.text)
        gap = text[token.end : tokens[index + 1].start] if index + 1 < stop else ""
        if not gap:
            spaces.append(False)
        elif gap == " ":
            spaces.append(True)
        else:
            spaces.append(gap[0] == " ")
            words.append(gap[1:] if gap[0] == " " else gap)
            spaces.append(False)
    return Doc(vocab, words=words, spaces=spaces)


# -- the model -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the model found in one text: code-point offsets, end exclusive."""

    entities: tuple[tuple[int, int, str], ...] = ()
    claims: tuple[tuple[int, int], ...] = ()
    cues: tuple[tuple[int, int], ...] = ()


def pipeline_from_bytes(config: str, data: bytes) -> Language:
    """Rebuild a pipeline from its config text and ``to_bytes()``; nothing is looked up by
    package name, so nothing can be downloaded."""
    from spacy.util import get_lang_class, load_config_from_str

    parsed = load_config_from_str(config)
    nlp = get_lang_class(parsed["nlp"]["lang"]).from_config(parsed)
    return nlp.from_bytes(data)


def predict_with(
    nlp: Language,
    text: str,
    tokens: Sequence[Token],
    pieces: Sequence[tuple[int, int]],
    cancel: CancelToken | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[tuple[int, int, str]]:
    """Run ``nlp`` over each piece of ``text``; its entities in document offsets. With
    ``labels`` (a model started from an installed pipeline), each entity's label is the
    project's label for the model's, and an entity whose label it lacks is dropped."""
    found: list[tuple[int, int, str]] = []
    docs = []
    for first, stop in pieces:
        docs.append(make_doc(nlp.vocab, text, tokens, first, stop))
    for (first, _), doc in zip(pieces, _run(nlp, docs, cancel), strict=True):
        base = tokens[first].start
        for e in doc.ents:
            label = e.label_ if labels is None else labels.get(e.label_)
            if label is not None:
                found.append((base + e.start_char, base + e.end_char, label))
    return found


def _run(nlp: Language, docs: list[Doc], cancel: CancelToken | None) -> list[Doc]:
    result = []
    for doc in docs:
        if cancel is not None:
            cancel.check()
        for _, component in nlp.pipeline:
            doc = component(doc)
        result.append(doc)
    return result


class LearnedModel:
    """A loaded bundle: the entity and claim pipelines and their held-out scores."""

    def __init__(
        self,
        entities: Language | None,
        claims: Language | None,
        metrics: dict[str, Any],
        entity_labels: Mapping[str, str] | None = None,
    ) -> None:
        self.entities = entities
        self.claims = claims
        self.metrics = metrics
        #: The project's label for each label the entities model predicts, when it was
        #: started from an installed pipeline (see annotator.suggest.training).
        self.entity_labels = None if entity_labels is None else dict(entity_labels)
        # spaCy pipelines keep per-call state (the vocabulary grows); one call at a time.
        self._lock = threading.Lock()

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedModel:
        import srsly

        bundle = srsly.msgpack_loads(data)
        if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
            raise ValueError("not a learned-model bundle of a format this version reads")
        parts: dict[str, Language | None] = {}
        for key in ("entities", "claims"):
            part = bundle.get(key)
            parts[key] = (
                None if part is None else pipeline_from_bytes(part["config"], part["model"])
            )
        entity_labels = (bundle.get("entities") or {}).get("labels")
        return cls(
            parts["entities"],
            parts["claims"],
            dict(bundle.get("metrics") or {}),
            entity_labels,
        )

    def predict(
        self,
        text: str,
        tokens: Tokenized,
        ignored: Iterable[tuple[int, int]] = (),
        cancel: CancelToken | None = None,
    ) -> Prediction:
        pieces = chunks(text, tokens.tokens, ignored)
        if not pieces:
            return Prediction()
        with self._lock:
            entities: list[tuple[int, int, str]] = []
            claims: list[tuple[int, int]] = []
            cues: list[tuple[int, int]] = []
            if self.entities is not None:
                entities = predict_with(
                    self.entities, text, tokens.tokens, pieces, cancel, self.entity_labels
                )
            if self.claims is not None:
                for start, end, label in predict_with(
                    self.claims, text, tokens.tokens, pieces, cancel
                ):
                    (claims if label == CLAIM else cues).append((start, end))
        return Prediction(tuple(entities), tuple(claims), tuple(cues))

    def label_precision(self, layer: str, label: str) -> float:
        """Held-out precision of ``label`` (``layer`` "entities" or "claims"); the score of a
        suggestion (see the module docstring)."""
        scores = self.metrics.get(layer) or {}
        per_label = (scores.get("per_label") or {}).get(label) or {}
        if per_label.get("predicted"):
            return float(per_label["precision"])
        return _FALLBACK_SCORE

    def reason(self, layer: str) -> str:
        documents = self.metrics.get("documents", {}).get("total", 0)
        scores = self.metrics.get(layer) or {}
        f1 = scores.get("f1")
        held = "" if f1 is None else f" (held-out F1 {f1:.2f})"
        return f"model trained on {documents} documents{held}"


# -- claim attributes ------------------------------------------------------------------------


def claim_attributes(
    text: str,
    claim: tuple[int, int],
    cues: Sequence[tuple[int, int]],
    entities: Sequence[tuple[int, int, str]],
) -> dict[str, Any]:
    """The cue, claimant, type and hedged flag proposed with a predicted claim.

    The model predicts the claim span and cue spans; the rest is a small, documented heuristic
    (the claims suggester has the full rules): the cue is the predicted cue nearest to the
    claim in its line; the claimant is the named agent nearest to the cue outside the claim
    (after "according to", before any other cue, else after it), or for "he/she said" the last
    person named in an earlier line; the type follows the evaluation corpus's precedence:
    ``quantity`` when the claim has a digit, then ``prediction`` and ``causal`` by their words,
    ``quote`` when it sits in quotation marks, else ``event``; hedged when a hedge word is in
    the claim or between cue and claim.
    """
    start, end = claim
    line_start, line_end = _line_of(text, start, end)
    cue = _nearest(
        [c for c in cues if line_start <= c[0] and c[1] <= line_end and not _overlap(c, claim)],
        start,
        end,
    )
    claimant = None
    if cue is not None:
        agents = [
            e
            for e in entities
            if e[2] in CLAIMANT_LABELS
            and line_start <= e[0]
            and e[1] <= line_end
            and not _overlap((e[0], e[1]), claim)
        ]
        if text[cue[0] : cue[1]].lower().startswith("according"):
            after = [e for e in agents if e[0] >= cue[1]]
            chosen = min(after, key=lambda e: e[0], default=None)
        else:
            before = [e for e in agents if e[1] <= cue[0]]
            chosen = max(before, key=lambda e: e[1], default=None)
            if chosen is None:
                chosen = min(
                    (e for e in agents if e[0] >= cue[1]), key=lambda e: e[0], default=None
                )
        if chosen is None and (
            _PRONOUN_PERSON.search(text[line_start : cue[0]][-12:])
            or _PRONOUN_PERSON.search(text[cue[1] : line_end][:12])
        ):
            people = [e for e in entities if e[2] == "PERSON" and e[1] <= line_start]
            chosen = max(people, key=lambda e: e[1], default=None)
        if chosen is not None:
            claimant = [chosen[0], chosen[1], chosen[2]]
    content = text[start:end]
    span_text = text[min(start, cue[0]) : max(end, cue[1])] if cue else content
    before_char = text[start - 1 : start] if start > 0 else ""
    if _NUMBER.search(content):
        claim_type = "quantity"
    elif _PREDICTION.search(content):
        claim_type = "prediction"
    elif _CAUSAL.search(content):
        claim_type = "causal"
    elif before_char and before_char in _QUOTES:
        claim_type = "quote"
    else:
        claim_type = "event"
    return {
        "cue": None if cue is None else [cue[0], cue[1]],
        "type": claim_type,
        "hedged": bool(_HEDGES.search(span_text)),
        "claimant": claimant,
    }


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    before = max(text.rfind("\n", 0, start), -1) + 1
    after = text.find("\n", end)
    return before, len(text) if after < 0 else after


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _nearest(candidates: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    def distance(cue: tuple[int, int]) -> int:
        return start - cue[1] if cue[1] <= start else cue[0] - end

    return min(candidates, key=distance, default=None)


# -- the suggester ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A stored model without its bytes: enough to name its version and report it."""

    id: int
    created_at: datetime | None
    trained_documents: int
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        stamp = "" if self.created_at is None else self.created_at.isoformat(timespec="seconds")
        return f"{self.id}@{stamp}"


class ModelSource(Protocol):
    """Where the suggester finds the project's latest model (the services layer implements it
    over the database; tests and benchmarks hand a model over directly)."""

    def latest(self) -> ModelInfo | None:
        """The newest model's info: a cheap lookup, done whenever the version is asked."""
        ...

    def load(self, model_id: int) -> bytes:
        """The bundle of model ``model_id``."""
        ...


class _FixedSource:
    def __init__(self, info: ModelInfo, data: bytes) -> None:
        self.info = info
        self.data = data

    def latest(self) -> ModelInfo | None:
        return self.info

    def load(self, model_id: int) -> bytes:
        return self.data


class LearnedSuggester:
    """Suggests what the project's latest trained model finds. Nothing when there is none.

    The model is loaded on first use and again only when a newer one appears in the source;
    :attr:`version` asks the source each time (one small query), so suggestions cached under
    an older model are recomputed once the model is retrained.
    """

    def __init__(self, source: ModelSource) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._loaded: tuple[ModelInfo, LearnedModel] | None = None

    @classmethod
    def from_bundle(cls, data: bytes, info: ModelInfo | None = None) -> LearnedSuggester:
        """A suggester over one model held in memory (tests, benchmarks)."""
        return cls(_FixedSource(info or ModelInfo(0, None, 0), data))

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        info = self._source.latest()
        return "none" if info is None else info.version

    def model(self) -> LearnedModel | None:
        """The latest model, loaded (once per model) from the source; ``None`` when untrained."""
        info = self._source.latest()
        if info is None:
            return None
        with self._lock:
            if self._loaded is None or self._loaded[0].version != info.version:
                self._loaded = (info, LearnedModel.from_bytes(self._source.load(info.id)))
            return self._loaded[1]

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        model = self.model()
        if model is None:
            return []
        document = item.document
        ignored = tuple(item.ignored)
        found = model.predict(document.text, item.tokens, ignored, cancel)
        result: list[Suggestion] = []
        entity_reason = model.reason("entities")
        for start, end, label in found.entities:
            if not item.schema.has_entity(label) or item.is_ignored(start, end):
                continue
            result.append(
                Suggestion(
                    id=None,
                    document_id=document.id,
                    layer=Layer.ENTITY,
                    start=start,
                    end=end,
                    label=label,
                    suggester=NAME,
                    score=model.label_precision("entities", label),
                    reason=entity_reason,
                )
            )
        claim_reason = model.reason("claims")
        claim_score = model.label_precision("claims", CLAIM)
        for start, end in found.claims:
            if item.is_ignored(start, end):
                continue
            result.append(
                Suggestion(
                    id=None,
                    document_id=document.id,
                    layer=Layer.CLAIM,
                    start=start,
                    end=end,
                    label=item.schema.claim_label,
                    suggester=NAME,
                    score=claim_score,
                    reason=claim_reason,
                    attributes=claim_attributes(
                        document.text, (start, end), found.cues, found.entities
                    ),
                )
            )
        result.sort(key=lambda s: (s.start, s.end, s.layer.value))
        return result
