"""Where a sentence attributes a statement: the reporting cue, the attribution's subject (the
source) and the asserted content, as token indices into the sentence.

The patterns (see :mod:`annotator.suggest.claims` for what becomes of them):

* "X reported that Y." / "X said Y." / "X told reporters (that) Y." / "X said on Monday that
  Y." / "X accused Z of Y." / "X found that Y.";
* "Y, X said." / "Y, said X." / "Y, the operator, Redrock Minerals, said." / "Y, the report
  estimates.";
* "According to X, Y." / "According to X, a think tank, Y." / "Y, according to X.";
* "X told the Business Insider:" followed by a quoted sentence.

The content ends where the assertion ends: before a semicolon, a trailing comment on it
(", a figure that could not be verified") or another statement of the subject ("and
demanded", "and that", "but fear"), which :func:`follow_on` reads as a claim of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from annotator.core.tokens import Token
from annotator.suggest import lexicon as lx
from annotator.suggest.candidates import Candidate

TRAILING: Final = frozenset({".", ",", ";", ":", "!", "?", "…", "—", "–", "-"})
DETERMINERS: Final = frozenset({"the", "a", "an", "its", "their", "his", "her"})
MIN_CONTENT_TOKENS = 3


@dataclass(frozen=True, slots=True)
class Attribution:
    """A cue and where its content and its source are, as token indices in the sentence."""

    cue: tuple[int, int]  # token indices [first, stop)
    content: tuple[int, int]
    source: tuple[int, int]
    #: The content is the inside of quotation marks the layout already removed.
    quoted: bool = False
    #: The content is in the next sentence (the cue ends with a colon).
    colon: bool = False


class Sentence:
    """One sentence's tokens with what the rules found in it."""

    def __init__(self, tokens: Sequence[Token], entities: Sequence[Candidate]) -> None:
        self.tokens = tokens
        self.words = [t.text.lower() for t in tokens]
        self.entities = entities
        self.inside = _inside_double_quotes(tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def span(self, first: int, stop: int) -> tuple[int, int]:
        return self.tokens[first].start, self.tokens[stop - 1].end


def _inside_double_quotes(tokens: Sequence[Token]) -> list[bool]:
    """Per token: inside a double quotation (“…” or "...")? Marks themselves count as inside.
    Single quotes are left out: they are apostrophes too often."""
    inside: list[bool] = []
    depth = 0
    for token in tokens:
        text = token.text
        if text == "“" or (text == '"' and depth == 0):
            depth += 1
            inside.append(True)
        elif text == "”" or (text == '"' and depth > 0):
            inside.append(True)
            depth = max(0, depth - 1)
        else:
            inside.append(depth > 0)
    return inside


# -- finding the attribution ---------------------------------------------------------------


def find_attribution(s: Sentence) -> Attribution | None:
    return _according_to(s) or _reporting_verb(s)


def _according_to(s: Sentence) -> Attribution | None:
    n = len(s)
    for i in range(n - 1):
        if s.words[i] != "according" or s.words[i + 1] != "to" or s.inside[i]:
            continue
        cue = (i, i + 2)
        opening = all(w in ("but", "and", "yet", "so", ",") for w in s.words[:i])
        if opening:
            comma = _next_comma(s, i + 2)
            if comma is None:
                return None
            return Attribution(cue, (_after_apposition(s, comma) + 1, n), (i + 2, comma))
        before = i - 1 if s.words[i - 1] == "," else i
        source_end = _next_comma(s, i + 2) or n
        return Attribution(cue, (0, before), (i + 2, source_end))
    return None


def _after_apposition(s: Sentence, comma: int) -> int:
    """After "According to X," skip an apposition ("a think tank in Drezna,"): the content
    starts after it. An apposition opens with "a"/"an" ("the" opens content too often)."""
    if comma + 1 < len(s) and s.words[comma + 1] in ("a", "an"):
        following = _next_comma(s, comma + 2)
        if following is not None and following - comma <= 8:
            return following
    return comma


def _next_comma(s: Sentence, start: int) -> int | None:
    return next((k for k in range(start, len(s)) if s.words[k] == "," and not s.inside[k]), None)


def _is_cue(s: Sentence, i: int) -> bool:
    word = s.words[i]
    following = s.words[i + 1] if i + 1 < len(s) else ""
    previous = s.words[i - 1] if i > 0 else ""
    if word in lx.ACCUSING_VERBS:
        return previous not in lx.BE_FORMS and "of" in s.words[i + 1 : i + 7]
    if word in lx.CUE_VERBS_WITH_THAT:
        # "..., the report estimates.": a trailing attribution needs no "that".
        return following == "that" or (
            (following in TRAILING or not following)
            and "," in s.words[max(0, i - 5) : i]
            and i + 2 >= len(s)
        )
    if word not in lx.CUE_VERBS:
        return False
    if following == "to":
        return False  # "believed to", "is said to" (hedges), "told to leave"
    if previous in lx.BE_FORMS:
        return following == "that"  # passive: only "it was reported that ..."
    return previous not in DETERMINERS  # "the confirmed cases"


def _reporting_verb(s: Sentence) -> Attribution | None:
    n = len(s)
    cue_at = next((i for i in range(n) if not s.inside[i] and _is_cue(s, i)), None)
    if cue_at is None:
        return None
    cue = (cue_at, cue_at + 1)
    # "Y, X said." / "Y, said X.": a short attribution after the last comma before the cue.
    end = n
    while end > cue_at + 1 and s.words[end - 1] in TRAILING:
        end -= 1
    comma = _attribution_comma(s, cue_at)
    if comma is not None:
        comma = _apposition_chain(s, comma, cue_at)
    introduces = s.words[-1] == ":"  # "X, an expert, told the BBC:" + a quotation
    if comma is not None and not introduces and _trailing_attribution(s, comma, cue_at, end):
        # “Quoted words,” she said: the claim is the inside of the quotation.
        if (
            s.tokens[0].text in lx.QUOTES_OPEN
            and comma + 1 < n
            and s.tokens[comma + 1].text in lx.QUOTES_CLOSE
        ):
            return Attribution(cue, (1, comma), (comma + 2, end), quoted=True)
        return Attribution(cue, (0, comma), (comma + 1, end))
    # "X said (that) Y", "X told reporters (that) Y", "X told the Business Insider:".
    k = cue_at + 1
    if s.words[cue_at] in lx.ACCUSING_VERBS:  # "accused Varnia of staging the attack"
        k = s.words.index("of", k) + 1
        return Attribution(cue, (k, n), (0, cue_at))
    if s.words[cue_at] in ("told", "tells"):
        k = _after_object(s, k)
    # "said on a dark-web forum that Y": a place or time phrase may come before "that".
    reach = 9 if k < n and s.words[k] in _PLACE_OR_TIME else 4
    that = next((j for j in range(k, min(k + reach, n)) if s.words[j] == "that"), None)
    if that is not None and "," not in s.words[k:that]:
        k = that + 1
    if k < n and s.words[k] == ":" and all(w in TRAILING for w in s.words[k + 1 :]):
        return Attribution(cue, (k + 1, n), (0, cue_at), colon=True)
    return Attribution(cue, (k, n), (0, cue_at))


def _attribution_comma(s: Sentence, cue_at: int) -> int | None:
    """The last comma before the cue that is outside a quotation, or that ends one (“…,”)."""
    for k in range(cue_at - 1, -1, -1):
        if s.words[k] != ",":
            continue
        closes = k + 1 < len(s) and s.tokens[k + 1].text in lx.QUOTES_CLOSE
        if not s.inside[k] or closes:
            return k
    return None


#: What may follow the cue of an attribution that ends the sentence ("..., X said on Monday").
_AFTER_TRAILING_CUE: Final = frozenset(
    {
        "on",
        "in",
        "at",
        "last",
        "this",
        "yesterday",
        "today",
        "earlier",
        "later",
        "during",
        "after",
        "before",
        "while",
        "when",
        "the",
        "a",
        "an",
        "recently",
        "overnight",
    }
)


def _apposition_chain(s: Sentence, comma: int, cue_at: int) -> int:
    """ "..., the operator, Redrock Minerals, said": when the comma comes right before the
    cue, the attribution starts at the comma before its short appositions (two at most)."""
    after = s.words[cue_at + 1] if cue_at + 1 < len(s) else ""
    if comma != cue_at - 1 or not (after in TRAILING or after in _PLACE_OR_TIME):
        return comma
    for _ in range(2):
        earlier = next(
            (k for k in range(comma - 1, max(-1, comma - 7), -1) if s.words[k] == ","), None
        )
        if earlier is None or s.inside[earlier]:
            break
        comma = earlier
    return comma


#: Words that open a time or place phrase after a cue ("said on Monday", "said in a report").
_PLACE_OR_TIME: Final = _AFTER_TRAILING_CUE - {"the", "a", "an"}


def _trailing_attribution(s: Sentence, comma: int, cue_at: int, end: int) -> bool:
    """Whether "..., <attribution with the cue>" ends the sentence: a short subject between the
    comma and the cue, and after the cue nothing, a time or place phrase, or the subject
    itself ("..., said Mr Putin")."""
    if comma < MIN_CONTENT_TOKENS - 1 or cue_at - comma > 12:
        return False
    if cue_at + 1 >= end:
        return True
    following = s.tokens[cue_at + 1].text
    if following.lower() in _PLACE_OR_TIME:
        return end - cue_at - 1 <= 8  # "..., X said in a report published on Wednesday"
    short = end - cue_at - 1 <= 4  # "..., said the minister", "..., said Mr Putin"
    if short and (following.lower() in _AFTER_TRAILING_CUE or following[:1].isupper()):
        return True
    # “Quoted words,” said union secretary Hélène Marchetti.
    quoted = s.tokens[0].text in lx.QUOTES_OPEN
    return quoted and end - cue_at - 1 <= 5 and s.tokens[end - 1].text[:1].isupper()


def _after_object(s: Sentence, k: int) -> int:
    """Skip the object of "told" ("reporters", "the Business Insider", "the BBC")."""
    n = len(s)
    if k < n and s.words[k] in DETERMINERS:
        k += 1
    if k < n and s.tokens[k].text[:1].isupper():
        while k < n and s.tokens[k].text[:1].isupper():
            k += 1
        return k
    if k < n and s.words[k] not in ("that", ":") and s.words[k].isalpha():
        return k + 1
    return k


# -- where the content ends ----------------------------------------------------------------


def content_stop(s: Sentence, first: int, stop: int) -> int:
    """Where the asserted content ends: before a semicolon, before a trailing comment on it
    (", a figure that could not be verified") and before "and" that starts another statement
    of the attribution's subject ("said A and demanded B", "said A and that B")."""
    for j in range(first + 2, stop):
        if s.inside[j]:
            continue
        word = s.words[j]
        following = s.words[j + 1] if j + 1 < stop else ""
        if word == ";":
            return j
        if (
            word == ","
            and following in ("a", "an")
            and j + 2 < stop
            and s.words[j + 2] in lx.COMMENT_NOUNS
        ):
            return j
        if word == "but" and (s.words[j - 1] == "," or following in lx.FOLLOW_ON_VERBS):
            return j
        if word == "and" and (
            following in lx.FOLLOW_ON_VERBS
            or (following == "that" and j + 2 < stop and s.words[j + 2] not in lx.BE_FORMS)
        ):
            return j
    return stop


def follow_on(s: Sentence, at: int, stop: int, attribution: Attribution) -> Attribution | None:
    """The second statement after "and" at ``at``: "and that B" (the same cue), "and
    expected B" (its own cue), "and accused X of B"; None for anything else."""
    k = at + 1
    if k >= stop:
        return None
    word = s.words[k]
    if word == "that":
        return replace(attribution, content=(k + 1, stop))
    if word in lx.ACCUSING_VERBS and "of" in s.words[k + 1 : stop]:
        return replace(attribution, cue=(k, k + 1), content=(s.words.index("of", k) + 1, stop))
    if word in lx.CUE_VERBS or word in lx.FOLLOW_ON_CUES:
        start = k + 1
        if start < stop and s.words[start] == "that":
            start += 1
        return replace(attribution, cue=(k, k + 1), content=(start, stop))
    return None
