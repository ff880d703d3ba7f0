"""Who makes a claim: the entity in the attribution, or the one it refers back to.

* A name in the attribution ("Colonel General Teodor Haskel told VTV", "Y, the operator,
  Redrock Minerals, said"): the earliest entity the rules find there, else a run of two to
  four capitalised words. A run is a PERSON when a title, a rank or a job word comes before
  it, or when its last word stands alone elsewhere in the article (a surname: "Haskel
  said"); otherwise an ORG. Job titles are not part of a name ("Mayor [Dusan Orlik]",
  "Trade Minister [Oskar Brandt]"); honorifics and ranks are ("[Dr Hanna Lisk]").
* A country as the speaker: "Kostrova said", "The government of neighbouring Kostrova said",
  "A spokesman for Kostrova's defence ministry said" (GPE).
* A surname alone ("Haskel said"): the person's nearest earlier full mention.
* A reference back: "he said"/"she said" → the nearest earlier PERSON; "the ministry",
  "the company", "a rebel spokesman"... → the nearest earlier ORG, one whose name has the
  noun ("the bank" → "Northway Bank") first. The suggestion keeps the reason ("'the
  ministry' → Varnian Ministry of Defence, 2 sentences earlier").

Unnamed sources ("officials", "police", "residents of Velka", "analysts") have no claimant.
The mentions come from the rules' entity suggestions and the capitalised runs of the
article's sentences (the suggester input carries no confirmed spans).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from annotator.suggest import and_names
from annotator.suggest import lexicon as lx
from annotator.suggest.attribution import Sentence


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    label: str
    #: Index of the sentence it is in.
    sentence: int


@dataclass(frozen=True, slots=True)
class Claimant:
    start: int
    end: int
    label: str
    #: How a reference back was resolved ("" when the name is in the attribution).
    resolved: str = ""

    def as_triple(self) -> tuple[int, int, str]:
        return self.start, self.end, self.label


#: Honorifics and ranks: part of a person's name (the other title words are job titles).
HONORIFICS: Final = lx.HONORIFICS_AND_RANKS
#: Words that may come before a name without being part of it.
_JOB_WORDS: Final = (
    (lx.TITLE_HEADS - HONORIFICS) | lx.TITLE_MODIFIERS - HONORIFICS | lx.DEMONYMS | lx.JOB_WORDS
)
_GPE_FRAME: Final = frozenset(
    """the a an neighbouring government of spokesman spokeswoman spokesperson for
    authorities in 's ’s defence foreign interior ministry""".split()
)
_PRONOUNS: Final = frozenset({"he", "she"})
#: Nouns that organisations carry in their names ("the ministry" is a Ministry of ...): a
#: reference with one resolves only to a name that has it. The others ("the company", "a
#: spokesman") take the nearest organisation.
_NAME_NOUNS: Final = frozenset(
    """ministry bank council commission board trust agency federation union department
    committee authority party alliance foundation coastguard government""".split()
)


def strip_job_title(s: Sentence, first: int, stop: int) -> int:
    """The first token of the name in tokens [first, stop): job titles, their modifiers and
    demonyms before it are left out ("Varnian President Andrej Volkan"); at least two words
    stay."""
    while stop - first > 2 and s.tokens[first].text in _JOB_WORDS:
        first += 1
    return first


class ClaimantFinder:
    """Finds claimants sentence by sentence, in text order, remembering earlier mentions."""

    def __init__(self, text: str, labels: Collection[str]) -> None:
        self.text = text
        self.labels = labels
        self.mentions: list[Mention] = []

    def remember(self, s: Sentence, index: int) -> None:
        """Record the names in sentence ``index`` (call after resolving its claimants)."""
        found: dict[tuple[int, int], Mention] = {}
        for c in s.entities:
            if c.label in ("PERSON", "ORG"):
                found[(c.start, c.end)] = self._named(s, c.start, c.end, c.label, index)
        k = 0
        while k < len(s):
            run = self._run_at(s, k, len(s))
            if run is None:
                k += 1
                continue
            start, end, label, k = run
            if not any(a <= start < b for a, b in found):
                found[(start, end)] = Mention(start, end, label, index)
        self.mentions.extend(sorted(found.values(), key=lambda m: m.start))

    def find(
        self, s: Sentence, index: int, source: tuple[int, int], cue: tuple[int, int]
    ) -> Claimant | None:
        """The claimant of an attribution whose source is the tokens ``source`` of ``s`` (the
        cue, when the source runs over it, "..., said Mr Dravin", is not part of it)."""
        first, stop = source
        if first < cue[0] < stop:
            stop = cue[0]  # "..., he said on Monday": the subject before the cue
        elif first <= cue[0] < stop:
            first = cue[1]  # "..., said Mr Dravin": the subject after it
        if first >= stop:
            return None
        named = self._named_in(s, index, first, stop)
        if named is not None:
            return named
        # "In a statement, the ministry": the subject is after the last comma.
        commas = [k for k in range(first, stop) if s.words[k] == "," and not s.inside[k]]
        return self._referred(s, index, commas[-1] + 1 if commas else first, stop)

    # -- a name in the attribution -------------------------------------------------------

    def _named_in(self, s: Sentence, index: int, first: int, stop: int) -> Claimant | None:
        lo, hi = s.span(first, stop)
        found = [
            self._named(s, c.start, c.end, c.label, index)
            for c in s.entities
            if c.label in ("PERSON", "ORG") and lo <= c.start and c.end <= hi
        ]
        k = first
        while k < stop:
            run = self._run_at(s, k, stop)
            if run is None:
                k += 1
                continue
            start, end, label, k = run
            found.append(Mention(start, end, label, index))
        found = [m for m in found if m.label in self.labels]
        if found:
            # A person in the attribution is the speaker ("Almora One editor David Krane").
            best = min(found, key=lambda m: (m.label != "PERSON", m.start, -m.end))
            return Claimant(best.start, best.end, best.label)
        return self._single_word(s, index, first, stop)

    def _named(self, s: Sentence, start: int, end: int, label: str, index: int) -> Mention:
        if label != "PERSON":
            return Mention(start, end, label, index)
        first = next((k for k, t in enumerate(s.tokens) if t.start == start), None)
        stop = next((k + 1 for k, t in enumerate(s.tokens) if t.end == end), None)
        if first is None or stop is None:
            return Mention(start, end, label, index)
        return Mention(s.tokens[strip_job_title(s, first, stop)].start, end, label, index)

    def _run_at(self, s: Sentence, k: int, stop: int) -> tuple[int, int, str, int] | None:
        """A name-like run of capitalised words starting at token ``k``: ``(start, end,
        label, next token)``; None when there is none there."""
        token = s.tokens[k]
        if s.inside[k] or not token.text[:1].isupper() or token.text in _NOT_NAMES:
            return None
        j = k
        while j < stop and _name_word(s, j):
            j += 1
        # "Maritime Workers’ Union", "Drivers’ Union of Varnia": a possessive inside a name.
        while j + 1 < stop and s.tokens[j].text in ("’", "'") and _name_word(s, j + 1):
            j += 1
            while j < stop and _name_word(s, j):
                j += 1
        # "Institute for Defence Analysis": "for"/"of" inside an organisation's name.
        if (
            j + 1 < stop
            and s.words[j] in ("of", "for")
            and s.tokens[j - 1].text in lx.ORG_HEADS
            and _name_word(s, j + 1)
        ):
            j += 1
            while j < stop and _name_word(s, j):
                j += 1
            j = _joined_by_and(s, j, stop)
        if j == k + 1:
            joined = self._one_name_by_and(s, k)
            if joined is not None:
                return token.start, s.tokens[joined - 1].end, "ORG", joined
        words = s.tokens[k:j]
        if len(words) == 1 and 2 <= len(token.text) <= 6 and token.text.isupper():
            return token.start, token.end, "ORG", j
        names = [w for w in words if w.text not in ("’", "'", "and", "&")]
        if not 2 <= len(names) <= 5 or not all(any(c.islower() for c in w.text) for w in names):
            return None
        label = self._label(s, k, j)
        if label == "PERSON":
            k = strip_job_title(s, k, j)
        elif j + 1 < stop and s.words[j] == "of" and _name_word(s, j + 1):
            j += 1  # "Red Crescent of Almora"
            while j < stop and _name_word(s, j):
                j += 1
            j = _joined_by_and(s, j, stop)
        return s.tokens[k].start, s.tokens[j - 1].end, label, j

    def _one_name_by_and(self, s: Sentence, k: int) -> int | None:
        """Where "A and B" ends (the token after B) when the single capitalised words A (token
        ``k``) and B are one organisation's name (annotator.suggest.and_names): by their
        words alone, or by a singular verb or a possessive after them ("Halden and Vosk has
        said") when neither word is found on its own elsewhere in the article ("Mr Halden
        ... Halden and Vosk has" names people). None when they may be two subjects ("Smith
        and Jones said", "Army and Navy said"), which stay as they were."""
        n = len(s)
        if k + 2 >= n or s.words[k + 1] not in and_names.JOINERS or not _name_word(s, k + 2):
            return None
        if k + 3 < n and _name_word(s, k + 3):
            return None  # "Ana and Tomas Berg": not a two-word name
        first, joiner, second = s.tokens[k].text, s.words[k + 1], s.tokens[k + 2].text
        if and_names.one_name(first, joiner, second):
            return k + 3
        after = s.tokens[k + 3].text if k + 3 < n else ""
        if not (and_names.may_join(first) and and_names.may_join(second)):
            return None
        if joiner != "and" or after not in lx.SINGULAR_AFTER:
            return None
        # Either word alone elsewhere (outside "A and B" itself): people named apart.
        rest = re.sub(rf"\b{re.escape(first)} and {re.escape(second)}\b", " ", self.text)
        if re.search(rf"\b(?:{re.escape(first)}|{re.escape(second)})\b", rest):
            return None
        return k + 3

    def _label(self, s: Sentence, k: int, j: int) -> str:
        """PERSON or ORG for the capitalised run [k, j), from what surrounds it."""
        words = [t.text for t in s.tokens[k:j] if t.text not in ("’", "'")]
        if any(w in lx.ORG_HEADS for w in words):
            return "ORG"
        if words[0] in HONORIFICS or words[0] in _JOB_WORDS:
            return "PERSON"
        if k > 0 and s.words[k - 1] == "the":
            return "ORG"  # "told the Eastgate Observer": people do not take "the"
        if j < len(s) and s.words[j] in lx.ROLE_NOUNS:
            return "ORG"  # "Almora One editor David Krane": the employer
        # The nearest describing word before it: "the operator, Redrock Minerals", "a group
        # calling itself Grey Lantern" (ORG); "the federation's president, Lukas Berger"
        # (PERSON).
        for w in reversed(s.words[max(0, k - 4) : k]):
            if w in lx.ROLE_NOUNS or w.title() in HONORIFICS:
                return "PERSON"
            if w in lx.ORG_ANAPHORS:
                return "ORG"
        full = " ".join(words)
        if re.search(rf"\bthe {re.escape(full)}\b", self.text, re.IGNORECASE):
            return "ORG"  # "the Almoran Coastguard": people do not take "the"
        # The surname alone elsewhere ("Haskel said"): a person.
        surname = re.escape(words[-1])
        if re.search(rf"(?<!{re.escape(words[-2])} )\b{surname}\b", self.text):
            return "PERSON"
        if len(words) > 2 or (words[-1].endswith("s") and not words[-1].endswith("ss")):
            return "ORG"  # "Coastal Energy Networks", "Redrock Minerals"
        return "PERSON"

    def _single_word(self, s: Sentence, index: int, first: int, stop: int) -> Claimant | None:
        """ "Haskel said" (a surname: the person's nearest earlier mention), "Kostrova said",
        "The government of neighbouring Kostrova said" (GPE)."""
        words = [
            k
            for k in range(first, stop)
            if s.words[k] not in _GPE_FRAME and s.words[k] not in (",", "’", "'")
        ]
        if len(words) != 1:
            return None
        k = words[0]
        word = s.tokens[k].text
        if (
            not word[:1].isupper()
            or not word.isalpha()
            or word in _NOT_NAMES
            or word in lx.ORG_HEADS
            or re.search(rf"\b{word.lower()}\b", self.text)
        ):
            return None
        # A name is capitalised mid-sentence too; "Forecasters said" is a common noun.
        if not re.search(rf"[a-z,] {re.escape(word)}\b", self.text):
            return None
        for m in reversed(self.mentions):
            surname = self.text[m.start : m.end].split()[-1]
            if m.label == "PERSON" and surname == word and m.label in self.labels:
                return Claimant(
                    m.start,
                    m.end,
                    m.label,
                    f"‘{word}’ → {self.text[m.start : m.end]}, {_distance(m, index)}",
                )
        if "GPE" in self.labels:
            token = s.tokens[k]
            return Claimant(token.start, token.end, "GPE")
        return None

    # -- a reference back ------------------------------------------------------------------

    def _referred(self, s: Sentence, index: int, first: int, stop: int) -> Claimant | None:
        """ "he said" → the nearest earlier PERSON; "the ministry said", "a rebel spokesman
        said" → the nearest earlier ORG (one with the noun in its name first)."""
        kept = [k for k in range(first, stop) if s.words[k] not in (",", "’", "'")]
        words = [s.words[k] for k in kept]
        if len(words) == 1 and words[0] in _PRONOUNS:
            wanted, noun = "PERSON", ""
        elif (
            2 <= len(words) <= 4
            and words[0] in ("the", "a", "an")
            and words[-1] in lx.ORG_ANAPHORS
            and not any(s.tokens[k].text[:1].isupper() for k in kept[1:])
        ):
            wanted, noun = "ORG", words[-1]
        else:
            return None
        if wanted not in self.labels:
            return None
        before = s.tokens[first].start
        candidates = [m for m in self.mentions if m.label == wanted and m.end <= before]
        if not candidates:
            return None
        chosen = candidates[-1]
        if noun:
            named = [m for m in candidates if noun in self.text[m.start : m.end].lower().split()]
            if named:
                chosen = named[-1]
            elif noun in _NAME_NOUNS:
                return None  # "the ministry" is not the last company named
        phrase = " ".join(s.tokens[k].text for k in kept)
        if phrase[:1].isupper() and phrase.split()[0].lower() in ("the", "a", "an", "he", "she"):
            phrase = phrase[:1].lower() + phrase[1:]
        reason = f"‘{phrase}’ → {self.text[chosen.start : chosen.end]}, {_distance(chosen, index)}"
        return Claimant(chosen.start, chosen.end, chosen.label, reason)


#: Capitalised words that never start a name (sentence openers, months, weekdays).
_NOT_NAMES: Final = lx.CAPITALISED_FUNCTION_WORDS | lx.WEEKDAYS | lx.MONTHS


def _name_word(s: Sentence, k: int) -> bool:
    text = s.tokens[k].text
    return text[:1].isupper() and text.replace("-", "").isalpha() and not s.inside[k]


def _joined_by_and(s: Sentence, j: int, stop: int) -> int:
    """Where a name ends that may go on with "and" after its "of"/"for" part: "Federation of
    Port and Dock Workers", "Ministry of Trade and Industry" are one organisation. Two names
    stay two ("Ana Lisk and Tomas Berg said", "the Ministry of Defence and the Foreign
    Ministry said"): this is only called inside an "of" part, and what follows "and" must be
    capitalised words none of which heads an organisation of its own."""
    if not (j + 1 < stop and s.tokens[j].text in ("and", "&") and _name_word(s, j + 1)):
        return j
    end = j + 1
    while end < stop and _name_word(s, end):
        end += 1
    if any(s.tokens[m].text in lx.ORG_HEADS for m in range(j + 1, end)):
        return j
    return end


def _distance(m: Mention, index: int) -> str:
    gap = index - m.sentence
    if gap <= 0:
        return "same sentence"
    return "1 sentence earlier" if gap == 1 else f"{gap} sentences earlier"
