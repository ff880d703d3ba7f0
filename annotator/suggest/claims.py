"""Claims: check-worthy statements, found sentence by sentence from reporting cues, hedges and
figures, each proposed with its cue, type, hedged flag and claimant.

The claim span is the asserted content, never the attribution clause (the attribution is
found by :mod:`annotator.suggest.attribution`):

* "X reported that Y." / "X said Y." / "X told reporters (that) Y." → Y, claimant X;
* "Y, X said." / "Y, said X." → Y, claimant X;
* "According to X, Y." / "Y, according to X." → Y, claimant X, cue "according to";
* "X told the Business Insider:" followed by a quoted sentence → that sentence, claimant X;
* a sentence with a reporting adverb ("reportedly", "allegedly") but no cue → the sentence
  (less a leading "Allegedly,"), hedged, no cue (a hedge is never the cue), no claimant;
* a sentence that states a figure but has no cue → the whole sentence, no cue, no claimant;
* the headline and the standfirst (leading lines that do not end like a sentence; see
  :func:`display_lines_end`) only with a reporting cue: they repeat the body.

Decisions:

* The span is one sentence at most and token-aligned. Final punctuation (". ! ? , ; :") is
  left out, unless a quotation opened inside the span closes after it: quotation marks stay
  balanced ("...against "206 terrorist targets."" keeps its closing quote and so its stop).
* Type, first that applies: ``quantity`` when the content states a figure (a counted figure,
  money, a percentage or any number that is not part of a date); ``quote`` when the content is
  a direct quotation; ``causal`` (because, caused, due to, led to...); ``prediction`` (will,
  would, expected to, likely to, forecast...); ``event`` when it reports something happening;
  ``other``. Figures come first because they are what fact-checkers check. A type the
  project's schema does not have becomes ``other`` (or the schema's first type).
* Hedged when the sentence says "allegedly", "reportedly", "believed to", "is said to",
  "suspected", "may have", "could"... or the cue itself is tentative ("believe", "suggest").
* The claimant is the subject of the cue (the object of "according to") when it looks like an
  entity: a PERSON or ORG the rules find in the attribution clause (the earliest one: English
  subjects come first), else a run of two or more capitalised name words (PERSON) or an
  acronym (ORG). "the union", "he" and "officials" give no claimant (null).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

from annotator.core.model import Layer, Suggestion
from annotator.core.progress import CancelToken
from annotator.core.quantities import KEY, Quantity
from annotator.core.schema import LabelSchema
from annotator.core.tokens import Token, Tokenized
from annotator.suggest import lexicon as lx
from annotator.suggest.attribution import (
    MIN_CONTENT_TOKENS,
    TRAILING,
    Attribution,
    Sentence,
    content_stop,
    find_attribution,
    follow_on,
)
from annotator.suggest.base import SuggestInput
from annotator.suggest.candidates import Candidate
from annotator.suggest.claimants import Claimant, ClaimantFinder
from annotator.suggest.quantities import quantities
from annotator.suggest.rules import Rules, content_hash
from annotator.suggest.versions import schema_tag

NAME = "claims"

#: Bump when the code changes what is proposed (word lists are hashed with the rules').
REVISION = "8"

_LEADING: Final = frozenset({"that", ",", ":", ";", "—", "–", "-"})
_FIGURE = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class ClaimProposal:
    start: int
    end: int
    claim_type: str
    hedged: bool
    cue: tuple[int, int] | None
    #: ``(start, end, label)`` of the proposed claimant entity.
    claimant: tuple[int, int, str] | None
    score: float
    reason: str
    #: How the claimant was found when the attribution refers back to it ("‘the ministry’ →
    #: Varnian Ministry of Defence, 2 sentences earlier"); "" when it names it.
    claimant_reason: str = ""
    #: Number slots of a quantity claim (figure, unit, what is counted).
    quantities: tuple[Quantity, ...] = ()


class ClaimFinder:
    """Claims in a tokenized text. Stateless and thread-safe."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or Rules()

    def find(
        self,
        text: str,
        tokens: Tokenized,
        *,
        claim_types: Sequence[str],
        entity_labels: Collection[str],
        title: str = "",
        cancel: CancelToken | None = None,
    ) -> list[ClaimProposal]:
        entities = self.rules.find(text, tokens)  # in text order
        starts = [c.start for c in entities]
        display_end = display_lines_end(text, title)
        claimants = ClaimantFinder(text, entity_labels)
        proposals: list[ClaimProposal] = []
        consumed: set[int] = set()
        for index in range(len(tokens.sentences)):
            if cancel is not None and index % 256 == 0:
                cancel.check()
            if index in consumed:
                continue
            sentence = self._sentence(tokens, index, entities, starts)
            claimants.remember(sentence, index)
            if len(sentence) < MIN_CONTENT_TOKENS:
                continue
            attribution = find_attribution(sentence)
            claimant = (
                None
                if attribution is None
                else claimants.find(sentence, index, attribution.source, attribution.cue)
            )
            if attribution is not None and attribution.colon:
                following = index + 1
                if following < len(tokens.sentences):
                    quoted = self._sentence(tokens, following, entities, starts)
                    if quoted.tokens and quoted.tokens[0].text in lx.QUOTES_OPEN:
                        proposal = _propose(
                            text,
                            quoted,
                            sentence,
                            attribution,
                            (0, len(quoted)),
                            claim_types,
                            claimant,
                        )
                        if proposal is not None:
                            proposals.append(proposal)
                            consumed.add(following)
                continue
            if attribution is not None:
                found = _attributed(text, sentence, attribution, claim_types, claimant)
                if found:
                    proposals.extend(found)
                    continue
            if tokens.sentences[index].start < display_end:
                continue  # a headline or standfirst is a claim only with a reporting cue
            proposal = _unattributed(text, sentence, claim_types)
            if proposal is not None:
                proposals.append(proposal)
        return proposals

    def _sentence(
        self, tokens: Tokenized, index: int, entities: Sequence[Candidate], starts: Sequence[int]
    ) -> Sentence:
        sentence = tokens.sentences[index]
        first = bisect.bisect_left(starts, sentence.start)
        stop = bisect.bisect_right(starts, sentence.end)
        inside = [c for c in entities[first:stop] if c.end <= sentence.end]
        return Sentence(tokens.sentence_tokens(index), inside)


#: How a line that is a sentence of running text ends (possibly inside a closing quote).
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def display_lines_end(text: str, title: str = "") -> int:
    """Where the headline and the standfirst end (0 when the text has none).

    A headline is the first line when it is the document's title or reads as one: it does not
    end like a sentence and more text follows. The line after a headline is its standfirst
    when it does not end like a sentence either. They repeat or sum up the body, so they are
    proposed as claims only with a reporting cue ("..., health board says")."""
    first_end = text.find("\n")
    if first_end <= 0:
        return 0
    headline = text[:first_end].strip()
    if not headline or (headline != title.strip() and _SENTENCE_END.search(headline)):
        return 0
    second_end = text.find("\n", first_end + 1)
    second = text[first_end + 1 : second_end if second_end >= 0 else len(text)].strip()
    if second_end > 0 and second and not _SENTENCE_END.search(second):
        return second_end
    return first_end


def _attributed(
    text: str,
    s: Sentence,
    attribution: Attribution,
    claim_types: Sequence[str],
    claimant: Claimant | None,
) -> list[ClaimProposal]:
    """The claim of an attribution in one sentence, and the follow-on claim when the content
    turns out to be two statements."""
    first, stop = attribution.content
    cut = content_stop(s, first, stop)
    found = _propose(text, s, s, attribution, (first, cut), claim_types, claimant)
    result = [found] if found is not None else []
    if cut < stop and s.words[cut] in ("and", "but"):
        follow = follow_on(s, cut, stop, attribution)
        if follow is not None:
            second = _propose(text, s, s, follow, follow.content, claim_types, claimant)
        elif s.words[cut] == "but":
            # "..., but a recount in two wards confirmed it": the writer's own statement.
            second = _unattributed(text, s, claim_types, cut + 1, stop)
        else:
            second = None
        if second is not None:
            result.append(second)
    return result


# -- making a proposal ---------------------------------------------------------------------


def _propose(
    text: str,
    content_sentence: Sentence,
    cue_sentence: Sentence,
    attribution: Attribution,
    content: tuple[int, int],
    claim_types: Sequence[str],
    claimant: Claimant | None,
) -> ClaimProposal | None:
    trimmed = _trim(content_sentence, *content)
    if trimmed is None:
        return None
    first, stop = trimmed
    start, end = content_sentence.span(first, stop)
    cue_start, cue_end = cue_sentence.span(*attribution.cue)
    cue_text = text[cue_start:cue_end]
    if content_sentence is cue_sentence:
        # The attribution and the content, not what the content stopped before (", a figure
        # that could not be verified" comments on the claim; it does not hedge it).
        reach = max(content[1], attribution.cue[1], attribution.source[1])
        hedge = _hedge(cue_sentence, 0, reach)
    else:
        hedge = _hedge(cue_sentence) or _hedge(content_sentence)
    tentative = cue_sentence.words[attribution.cue[0]] in lx.TENTATIVE_CUES
    claim_type, why = _claim_type(
        content_sentence, first, stop, quoted=attribution.quoted or attribution.colon
    )
    reasons = [f"reporting cue “{cue_text}”"]
    if claimant is not None and claimant.resolved:
        reasons.append(f"claimant {claimant.resolved} ({claimant.label})")
    elif claimant is not None:
        reasons.append(f"claimant “{text[claimant.start : claimant.end]}” ({claimant.label})")
    if why:
        reasons.append(why)
    if hedge:
        reasons.append(f"hedged (“{hedge}”)")
    elif tentative:
        reasons.append(f"hedged (the cue “{cue_text}” is tentative)")
    score = 0.65 + (0.15 if claimant is not None else 0.0) + (0.05 if why else 0.0)
    return ClaimProposal(
        start=start,
        end=end,
        claim_type=_allowed(claim_type, claim_types),
        hedged=bool(hedge) or tentative,
        cue=(cue_start, cue_end),
        claimant=None if claimant is None else claimant.as_triple(),
        claimant_reason="" if claimant is None else claimant.resolved,
        quantities=_slots(text, content_sentence, start, end, claim_type),
        score=round(min(score, 0.9), 3),
        reason="; ".join(reasons),
    )


def _unattributed(
    text: str, s: Sentence, claim_types: Sequence[str], first: int = 0, stop: int | None = None
) -> ClaimProposal | None:
    """The tokens [first, stop) of ``s`` (all of it by default) as a claim without an
    attribution: with a reporting adverb, or stating a figure; None otherwise."""
    stop = len(s) if stop is None else stop
    adverb = next(
        (i for i in range(first, stop) if s.words[i] in lx.REPORTING_ADVERBS and not s.inside[i]),
        None,
    )
    if adverb == first and first + 1 < stop and s.words[first + 1] == ",":
        first += 2  # "Allegedly, X did Y": the claim is "X did Y"
    trimmed = _trim(s, first, stop)
    if trimmed is None:
        return None
    start, end = s.span(*trimmed)
    claim_type, why = _claim_type(s, *trimmed, quoted=False)
    hedge = _hedge(s, first, stop)
    if adverb is not None:
        # The adverb hedges the claim; it is not a cue (nobody is quoted as saying it).
        reasons = [f"hedged (“{s.tokens[adverb].text}”), no attribution"]
        if why:
            reasons.append(why)
        return ClaimProposal(
            start,
            end,
            _allowed(claim_type, claim_types),
            True,
            None,
            None,
            0.55,
            "; ".join(reasons),
            quantities=_slots(text, s, start, end, claim_type),
        )
    if claim_type != "quantity":
        return None
    reasons = [why or "states a figure"]
    if hedge:
        reasons.append(f"hedged (“{hedge}”)")
    return ClaimProposal(
        start,
        end,
        _allowed(claim_type, claim_types),
        bool(hedge),
        None,
        None,
        0.45,
        "; ".join(reasons),
        quantities=_slots(text, s, start, end, claim_type),
    )


def _trim(s: Sentence, first: int, stop: int) -> tuple[int, int] | None:
    """The content without leading "that"/commas and trailing punctuation, quotation marks
    kept balanced; None when fewer than three tokens (two of them words) are left."""
    while first < stop and s.words[first] in _LEADING:
        first += 1
    end = stop
    while end > first and (
        s.words[end - 1] in TRAILING or s.tokens[end - 1].text in lx.QUOTES_CLOSE
    ):
        end -= 1
    if _unbalanced(s.tokens[first:end]):
        closing = next((k for k in range(end, stop) if s.tokens[k].text in lx.QUOTES_CLOSE), None)
        if closing is not None:
            end = closing + 1
    if end - first < MIN_CONTENT_TOKENS:
        return None
    if sum(1 for w in s.words[first:end] if w.isalpha()) < 2:
        return None
    return first, end


def _unbalanced(tokens: Sequence[Token]) -> bool:
    """Whether a quotation opens in ``tokens`` and does not close. A single quote counts only
    as a token of its own (spaCy keeps apostrophes on their words: "It’s", "workers'")."""
    texts = [t.text for t in tokens]
    return (
        texts.count('"') % 2 == 1
        or texts.count("'") % 2 == 1
        or texts.count("“") > texts.count("”")
        or texts.count("‘") > texts.count("’")
    )


def _hedge(s: Sentence, first: int = 0, stop: int | None = None) -> str | None:
    """The first hedge in the tokens [first, stop) of the sentence (all of it by default), as
    written."""
    stop = len(s) if stop is None else stop
    for i in range(first, stop):
        word = s.words[i]
        if word in lx.HEDGE_WORDS:
            return s.tokens[i].text
        if i + 1 < stop and (word, s.words[i + 1]) in lx.HEDGE_PAIRS:
            if word == "said" and (i == 0 or s.words[i - 1] not in lx.BE_FORMS):
                continue  # "said to" is a hedge only as "is said to"
            return f"{s.tokens[i].text} {s.tokens[i + 1].text}"
    return None


def _claim_type(s: Sentence, first: int, stop: int, *, quoted: bool) -> tuple[str, str]:
    """The claim type of the content tokens [first, stop), and the reason part for it."""
    lo, hi = s.span(first, stop)
    dates = [(c.start, c.end) for c in s.entities if c.label == "DATE"]
    figures = [c for c in s.entities if c.label == "QUANTITY" and lo <= c.start and c.end <= hi]
    bare = [
        t
        for t in s.tokens[first:stop]
        if _FIGURE.search(t.text)
        and t.text[:1].isdigit()
        and not any(a <= t.start and t.end <= b for a, b in dates)
    ]
    if figures or bare:
        return "quantity", "states a figure"
    words = s.words[first:stop]
    texts = [t.text for t in s.tokens[first:stop]]
    inside = sum(1 for k in range(first, stop) if s.inside[k])
    if quoted or (texts and texts[0] in ("“", '"')) or inside >= 0.6 * (stop - first):
        return "quote", "a direct quotation"
    pairs = set(itertools.pairwise(words))
    if any(w in lx.CAUSAL_WORDS for w in words) or pairs & lx.CAUSAL_PAIRS:
        return "causal", "states a cause"
    if any(w in lx.PREDICTION_WORDS for w in words) or pairs & lx.PREDICTION_PAIRS:
        return "prediction", "a prediction"
    if any(w in lx.BE_FORMS or w in ("has", "have", "had") or w.endswith("ed") for w in words):
        return "event", ""
    return "other", ""


def _slots(text: str, s: Sentence, start: int, end: int, claim_type: str) -> tuple[Quantity, ...]:
    """Number slots for a claim that states figures (none for other types)."""
    if claim_type != "quantity":
        return ()
    return tuple(quantities(text, s.entities, start, end))


def _allowed(claim_type: str, claim_types: Sequence[str]) -> str:
    if claim_type in claim_types:
        return claim_type
    if "other" in claim_types:
        return "other"
    return claim_types[0]


class ClaimSuggester:
    """The claim finder as a :class:`~annotator.suggest.base.Suggester` for one schema."""

    def __init__(self, schema: LabelSchema, finder: ClaimFinder | None = None) -> None:
        self.finder = finder or ClaimFinder()
        self.schema = schema
        self._version = f"c{REVISION}.{content_hash()}.{schema_tag(schema)}"

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return self._version

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        proposals = self.finder.find(
            item.document.text,
            item.tokens,
            claim_types=item.schema.claim_types,
            entity_labels=item.schema.entity_names,
            title=item.document.title,
            cancel=cancel,
        )
        suggestions: list[Suggestion] = []
        for p in proposals:
            if item.is_ignored(p.start, p.end):
                continue
            claimant = p.claimant
            if claimant is not None and item.is_ignored(claimant[0], claimant[1]):
                claimant = None
            suggestions.append(
                Suggestion(
                    id=None,
                    document_id=item.document.id,
                    layer=Layer.CLAIM,
                    start=p.start,
                    end=p.end,
                    label=item.schema.claim_label,
                    suggester=NAME,
                    score=p.score,
                    reason=p.reason,
                    attributes={
                        "cue": list(p.cue) if p.cue is not None else None,
                        "type": p.claim_type,
                        "hedged": p.hedged,
                        "claimant": list(claimant) if claimant is not None else None,
                        **(
                            {"claimant_reason": p.claimant_reason}
                            if claimant is not None and p.claimant_reason
                            else {}
                        ),
                        **({KEY: [q.to_dict() for q in p.quantities]} if p.quantities else {}),
                    },
                )
            )
        return suggestions
