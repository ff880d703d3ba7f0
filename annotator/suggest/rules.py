"""Rules: entities recognisable by their shape, with no project knowledge.

Spans are drawn as the annotation guidelines draw them (``resources/eval/README.md``):

* QUANTITY: a figure with what it counts ("127 sorties", "33 air strikes", "49 Isis targets",
  "1,300 postal ballots", "23 police officers"; digits or number words, "2.3 million" and "a
  dozen" included) or its whole unit ("140 km/h"), money ("€2.3 million", "$4 million") and
  percentages ("4.5%"). Approximators ("about", "at least") stay outside the span; a bare
  number without a counted noun is not suggested (the schema's QUANTITY is a figure *with
  what it counts*), nor is a year.
* DATE: dates, days, months, years after a preposition, clock times, periods ("24 hours",
  "3 days", "past week", "two days ago"), relative expressions ("early next week", "last
  Thursday") and time words ("recently", "yesterday", "overnight"). Prepositions and a
  leading "the" stay outside the span ("in the past week" → "past week", "on Tuesday" →
  "Tuesday"); a preposition is still what makes "in a day" a period ("a day").
* PERSON: a title phrase and a capitalised name. Honorifics and ranks are part of the name
  ("Colonel General Andrei Kartapolov", "Mr Putin", "Vice Admiral Lena Okafor"); job titles
  are not ("President Francois Hollande" → "Francois Hollande", "Defence Minister Ilona
  Savric" → "Ilona Savric"), the same distinction the claimants draw
  (``lexicon.HONORIFICS_AND_RANKS``). A demonym before the title is not part of it either
  ("French President Francois Hollande" → NORP + PERSON). After a lowercase job word ("union
  secretary Marta Ilves", "chief executive Jonas Berg") only the name, of two words at
  least, is the person: the job is a description.
* ORG: capitalised words ending in an organisation noun ("Civil Aviation Office", "Syrian
  Army"), or an organisation noun with an "of"/"for"/"on" complement ("Ministry of Defence",
  "Foundation for the Defense of Democracies", "Port Authority of Valmora"). A demonym before
  it is part of the name ("Russian Ministry of Defence"); a determiner is not ("the").
* NORP: a demonym or group word ("Russian", "Syrians", "Sunni") unless a capitalised word
  follows that makes it part of a name ("Russian Federation", "Irish Times"); a title after
  it is fine ("French President").
* WEAPON: letter-digit designators ("Tu-22M3", "Su-34", "F-16") and mark numbers before an
  equipment noun ("Mk 41" in "Mk 41 launchers"), without the generic noun ("Kestrel-7 drones"
  → "Kestrel-7"; the noun raises the score). Codes that are not equipment ("COVID-19",
  "G-20") are not.

Overlaps are resolved longest first ("Russian Ministry of Defence" beats "Russian"). Every
suggestion's reason names its rule. Nothing is proposed inside ignored ranges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from annotator.core.model import Suggestion
from annotator.core.progress import CancelToken
from annotator.core.schema import LabelSchema
from annotator.core.tokens import Token, Tokenized
from annotator.suggest import and_names
from annotator.suggest import lexicon as lx
from annotator.suggest.base import SuggestInput
from annotator.suggest.candidates import Candidate, entity_suggestions, longest_first
from annotator.suggest.patterns import (
    AMOUNT_PATTERNS,
    DATE_PATTERNS,
    DESIGNATOR,
    MARK,
    MARK_WORDS,
    designator_is_equipment,
)
from annotator.suggest.versions import schema_tag, short_hash

NAME = "rules"

#: Bump when the code of a rule changes; changes to the word lists and patterns change the
#: version by themselves (they are hashed).
REVISION = "3"

# Ties between candidates of equal length: names beat equipment beat dates beat figures.
_PRIORITY: Final = {"PERSON": 6, "ORG": 5, "WEAPON": 4, "DATE": 3, "QUANTITY": 2, "NORP": 1}

_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_YEAR_LIKE = re.compile(r"(?:1[89]|20)\d\d")
_CURRENCY_TOKEN = re.compile(r"(?:[A-Z]{1,3})?[$€£¥₽₹₴]|USD|EUR|GBP|RUB")
_INITIAL = re.compile(r"[A-Z]\.?")


def _lexicon_hash() -> str:
    parts: list[str] = []
    for name in sorted(dir(lx)):
        value = getattr(lx, name)
        if isinstance(value, frozenset):
            parts.append(name + ":" + " ".join(sorted(map(str, value))))
    parts += [p.regex.pattern for p in (*DATE_PATTERNS, *AMOUNT_PATTERNS)]
    parts += [DESIGNATOR.pattern, MARK.pattern]
    return short_hash(*parts, size=4)


_CONTENT_HASH: Final = _lexicon_hash()


def _bare(token: Token) -> str:
    """A title's text without its full stop ("Dr." -> "Dr")."""
    return token.text[:-1] if token.text.endswith(".") and len(token.text) > 2 else token.text


def _is_capitalised(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and text.replace("'", "").replace("’", "").replace("-", "").isalpha()


def _is_name_word(token: Token) -> bool:
    """A word that can be part of a person's name: capitalised, with lowercase letters (not an
    acronym), and not a word that names something else (a title, a month, "The")."""
    text = token.text
    if _INITIAL.fullmatch(text):
        return True
    if not _is_capitalised(token) or not any(c.islower() for c in text):
        return False
    return not (
        text in lx.CAPITALISED_FUNCTION_WORDS
        or text in lx.TITLE_HEADS
        or text in lx.ORG_HEADS
        or text in lx.MONTHS
        or text in lx.WEEKDAYS
        or text in lx.DEMONYMS
    )


def _is_title_word(token: Token) -> bool:
    bare = _bare(token)
    return token.text[:1].isupper() and (bare in lx.TITLE_HEADS or bare in lx.TITLE_MODIFIERS)


def _joined(left: Token, right: Token) -> bool:
    return left.end == right.start


def _is_plural_noun(word: str) -> bool:
    if word in lx.IRREGULAR_PLURALS or word in lx.UNITS:
        return True
    return (
        word.isalpha()
        and word.islower()
        and len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ous"))
        and word not in lx.STOP_WORDS
    )


class Rules:
    """The rule engine: text and tokens in, non-overlapping candidates out (every label;
    the suggester filters by schema). Stateless and thread-safe."""

    def find(self, text: str, tokens: Tokenized) -> list[Candidate]:
        found: list[Candidate] = []
        found += self._patterns(text, tokens)
        for index in range(len(tokens.sentences)):
            sentence = tokens.sentence_tokens(index)
            found += self._people(sentence)
            found += self._organisations(sentence)
            found += self._joined_names(sentence)
            found += self._demonyms(sentence)
            found += self._figures(sentence)
        return longest_first(found)

    # -- character patterns -----------------------------------------------------------------

    def _patterns(self, text: str, tokens: Tokenized) -> list[Candidate]:
        found: list[Candidate] = []
        for pattern in (*DATE_PATTERNS, *AMOUNT_PATTERNS):
            for match in pattern.regex.finditer(text):
                group = "span" if "span" in pattern.regex.groupindex else 0
                start, end = match.span(group)
                if tokens.is_token_aligned(start, end):
                    found.append(
                        _candidate(start, end, pattern.label, pattern.score, pattern.reason)
                    )
        for match in DESIGNATOR.finditer(text):
            if not designator_is_equipment(match.group("prefix")):
                continue
            # The generic noun after the code ("drones") is evidence, not part of the name.
            noun = match.group("noun")
            if noun and not tokens.is_token_aligned(*match.span()):
                noun = None
            start, end = match.span("code")
            if tokens.is_token_aligned(start, end):
                reason = "an equipment designator" + (f" before “{noun}”" if noun else "")
                found.append(_candidate(start, end, "WEAPON", 0.8 if noun else 0.6, reason))
        for match in MARK.finditer(text):
            if tokens.is_token_aligned(*match.span()):
                start, end = match.span("code")
                found.append(_candidate(start, end, "WEAPON", 0.75, "a mark number"))
        return found

    # -- token rules ------------------------------------------------------------------------

    def _people(self, sentence: Sequence[Token]) -> list[Candidate]:
        found: list[Candidate] = []
        n = len(sentence)
        i = 0
        while i < n:
            token = sentence[i]
            if _is_title_word(token):
                stop = i
                while stop < n and _is_title_word(sentence[stop]):
                    stop += 1
                # The title ends at its last head word ("Colonel General"; "Vice Admiral").
                last_head = max(
                    (k for k in range(i, stop) if _bare(sentence[k]) in lx.TITLE_HEADS),
                    default=None,
                )
                if last_head is not None:
                    end = _name_end(sentence, last_head + 1, min_words=1)
                    if end is not None:
                        title = " ".join(t.text for t in sentence[i : last_head + 1])
                        words = end - last_head - 1
                        first = _rank_start(sentence, i, last_head)
                        found.append(
                            _candidate(
                                sentence[first].start,
                                sentence[end - 1].end,
                                "PERSON",
                                0.8 if words > 1 else 0.7,
                                f"the title “{title}” before a name",
                            )
                        )
                        i = end
                        continue
                i = stop
                continue
            if token.text in lx.ROLE_NOUNS and i + 1 < n:
                end = _name_end(sentence, i + 1, min_words=2)
                if end is not None:
                    found.append(
                        _candidate(
                            sentence[i + 1].start,
                            sentence[end - 1].end,
                            "PERSON",
                            0.6,
                            f"a name after “{token.text}”",
                        )
                    )
                    i = end
                    continue
            i += 1
        return found

    def _organisations(self, sentence: Sequence[Token]) -> list[Candidate]:
        found: list[Candidate] = []
        covered_to = -1
        for h, head in enumerate(sentence):
            if h <= covered_to or head.text not in lx.ORG_HEADS:
                continue
            # Capitalised words before the head, without a break between them.
            first = h
            while first > 0 and _org_word(sentence[first - 1]) and first - 1 > covered_to:
                first -= 1
            last = _complement_end(sentence, h)
            if first == h and last == h:
                continue  # a bare "Union" or "Police": too common a word alone
            if head.text in lx.PLACE_HEADS and all(
                t.text in lx.DEMONYMS for t in sentence[first:h]
            ):
                continue  # "Russian Federation": a country, not an organisation
            covered_to = last
            found.append(
                _candidate(
                    sentence[first].start,
                    sentence[last].end,
                    "ORG",
                    0.75 if last > h or h - first > 1 else 0.65,
                    f"an organisation name ending in “{head.text}”"
                    if last == h
                    else f"“{head.text} {sentence[h + 1].text} …” names an organisation",
                )
            )
        return found

    def _joined_names(self, sentence: Sequence[Token]) -> list[Candidate]:
        """ "Procter and Gamble", "Marks & Spencer": one organisation named by two single
        words joined by "and" or "&" (annotator.suggest.and_names); two names joined by
        "and" ("Smith and Jones") are left alone."""
        found: list[Candidate] = []
        for i in range(len(sentence) - 2):
            first, joiner, second = sentence[i : i + 3]
            if (
                i > 0
                and _is_capitalised(sentence[i - 1])
                and sentence[i - 1].text not in lx.CAPITALISED_FUNCTION_WORDS
            ) or (i + 3 < len(sentence) and _is_capitalised(sentence[i + 3])):
                continue  # a side of more than one word: not this kind of name
            if and_names.one_name(first.text, joiner.text, second.text):
                found.append(
                    _candidate(
                        first.start,
                        second.end,
                        "ORG",
                        0.7,
                        f"“{first.text} {joiner.text} {second.text}”: one organisation's name",
                    )
                )
        return found

    def _demonyms(self, sentence: Sequence[Token]) -> list[Candidate]:
        found: list[Candidate] = []
        for i, token in enumerate(sentence):
            if token.text not in lx.DEMONYMS:
                continue
            following = sentence[i + 1] if i + 1 < len(sentence) else None
            if (
                following is not None
                and _is_capitalised(following)
                and not _is_title_word(following)
            ):
                continue  # part of a name: "Russian Federation", "Irish Times"
            found.append(_candidate(token.start, token.end, "NORP", 0.7, "a demonym"))
        return found

    def _figures(self, sentence: Sequence[Token]) -> list[Candidate]:
        found: list[Candidate] = []
        n = len(sentence)
        i = 0
        while i < n:
            token = sentence[i]
            digits = _FIGURE.fullmatch(token.text) is not None
            words = token.text.lower() in lx.NUMBER_WORDS
            if not (digits or words):
                i += 1
                continue
            previous = sentence[i - 1] if i > 0 else None
            if previous is not None and (
                _CURRENCY_TOKEN.fullmatch(previous.text)
                or (
                    _joined(previous, token)
                    and (previous.text[-1].isalnum() or previous.text == "-")
                )
            ):
                i += 1
                continue  # money ("$4 million") or part of a code ("Mk41")
            if previous is not None and previous.text.rstrip(".") in MARK_WORDS:
                i += 1
                continue  # a mark number ("Mk 41 launchers"), not a count
            if digits and _YEAR_LIKE.fullmatch(token.text):
                i += 1
                continue  # a year, not a count
            # The number may go on: "2.3 million", "two hundred", "twenty - five".
            stop = i + 1
            while stop < n and (
                sentence[stop].text.lower() in lx.NUMBER_WORDS
                or sentence[stop].text.lower() in lx.SCALE_WORDS
            ):
                stop += 1
            noun_end = _counted_noun_end(sentence, stop)
            if noun_end is not None:
                noun = sentence[noun_end - 1].text
                # "a dozen boats", "a hundred troops": the article is the number's "one".
                first = token
                if token.text.lower() in _TAKES_ARTICLE and previous is not None:
                    first = previous if previous.text in ("a", "A") else token
                found.append(
                    _candidate(
                        first.start,
                        sentence[noun_end - 1].end,
                        "QUANTITY",
                        0.75,
                        f"a figure with what it counts (“{noun}”)",
                    )
                )
                i = noun_end
            else:
                i = stop
        return found


def _candidate(start: int, end: int, label: str, score: float, reason: str) -> Candidate:
    return Candidate(start, end, label, score, reason, _PRIORITY.get(label, 0))


def _rank_start(sentence: Sequence[Token], first: int, last_head: int) -> int:
    """Where a person's name starts in the title phrase [first, last_head] and the name after
    it: at the honorific or rank that ends the phrase, with the words that make it a rank
    ("Vice Admiral", "Colonel General"); after the phrase when it ends in a job title ("Mayor",
    "Defence Minister", "Secretary General"), which is left out of the name."""
    if _bare(sentence[last_head]) not in lx.HONORIFICS_AND_RANKS:
        return last_head + 1
    k = last_head
    while k > first and (
        _bare(sentence[k - 1]) in lx.HONORIFICS_AND_RANKS
        or sentence[k - 1].text in lx.RANK_MODIFIERS
    ):
        k -= 1
    if k > first:
        return last_head + 1  # a rank word after a job word is part of the job: "Secretary General"
    return k


def _name_end(sentence: Sequence[Token], at: int, *, min_words: int) -> int | None:
    """Index after the capitalised name starting at ``at`` (one to four words, with particles
    such as "van" or "al" and hyphens inside), or None when there is none."""
    n = len(sentence)
    k = at
    words = 0
    end: int | None = None
    while k < n and words < 4:
        token = sentence[k]
        if _is_name_word(token):
            words += 1
            k += 1
            end = k
        elif words > 0 and _links_name_words(sentence, k):
            k += 1
        else:
            break
    if end is None or words < min_words:
        return None
    return end


def _links_name_words(sentence: Sequence[Token], k: int) -> bool:
    """Whether token ``k`` joins two parts of a name: a particle ("van", "al") or a hyphen
    written without spaces ("Jean-Luc"), with a name word after it."""
    token = sentence[k]
    if token.text in lx.NAME_PARTICLES:
        # Particles may come in a row ("van der Berg"); a name word must follow them.
        following = k + 1
        while following < len(sentence) and sentence[following].text in lx.NAME_PARTICLES:
            following += 1
        return following < len(sentence) and _is_name_word(sentence[following])
    if k + 1 >= len(sentence) or not _is_name_word(sentence[k + 1]):
        return False
    return token.text == "-" and _joined(sentence[k - 1], token) and _joined(token, sentence[k + 1])


def _org_word(token: Token) -> bool:
    """A word that can stand before an organisation noun: capitalised (or an acronym), not a
    sentence-opening function word, not a date word, not a title."""
    text = token.text
    if not (_is_capitalised(token) or (text.isupper() and text.isalpha())):
        return False
    return not (
        text in lx.CAPITALISED_FUNCTION_WORDS
        or text in lx.MONTHS
        or text in lx.WEEKDAYS
        or text in lx.TITLE_HEADS
    )


_CONNECTORS: Final = frozenset({"of", "for", "on", "and", "the", "&"})


def _complement_end(sentence: Sequence[Token], head: int) -> int:
    """Index of the last token of an "of/for/on ..." complement after an organisation noun
    ("of Defence", "for the Defense of Democracies"), or ``head`` when there is none."""
    n = len(sentence)
    if head + 1 >= n or sentence[head + 1].text not in ("of", "for", "on"):
        return head
    last = head
    k = head + 1
    while k < n:
        # One or more connectors, then at least one capitalised word. After "and", a demonym
        # starts something else ("the Ministry of Defence and Russian pilots").
        j = k
        while j < n and sentence[j].text in _CONNECTORS:
            j += 1
        if j == k or j >= n or not _org_word(sentence[j]):
            break
        if "and" in (t.text for t in sentence[k:j]) and sentence[j].text in lx.DEMONYMS:
            break
        while j < n and _org_word(sentence[j]):
            j += 1
        last = j - 1
        k = j
    return last


#: Number words that take "a" for "one" ("a dozen", "a hundred").
_TAKES_ARTICLE: Final = frozenset({"dozen", "hundred", "thousand", "million", "billion"})


def _counted_noun_end(sentence: Sequence[Token], at: int) -> int | None:
    """Index after the counted noun phrase starting at ``at`` ("air strikes", "Isis
    targets"): up to three words, the last a plural noun or a unit. None when the figure
    counts nothing, or counts time (a period is a DATE)."""
    n = len(sentence)
    for k in range(at, min(at + 3, n)):
        token = sentence[k]
        word = token.text
        if word.lower() in lx.TIME_UNITS or word.lower() in ("per", "percent", "%"):
            return None
        if word in lx.UNITS:
            return _unit_end(sentence, k)
        if _is_plural_noun(word):
            following = sentence[k + 1] if k + 1 < n else None
            if (
                word in lx.IRREGULAR_PLURALS
                and following is not None
                and following.text not in lx.IRREGULAR_PLURALS
                and _is_plural_noun(following.text)
            ):
                return k + 2  # the plural is a modifier: "police officers", "crew members"
            return k + 1
        modifier = (
            word.isalpha()
            and word.lower() not in lx.STOP_WORDS
            and (word.islower() or (_is_capitalised(token) and word not in lx.MONTHS))
            and word not in lx.CAPITALISED_FUNCTION_WORDS
        )
        if not modifier:
            return None
    return None


def _unit_end(sentence: Sequence[Token], k: int) -> int:
    """Index after the unit at ``k``, with a rate written without spaces ("km/h", "m/s"):
    the unit is the whole rate."""
    n = len(sentence)
    if (
        k + 2 < n
        and sentence[k + 1].text == "/"
        and _joined(sentence[k], sentence[k + 1])
        and _joined(sentence[k + 1], sentence[k + 2])
        and sentence[k + 2].text.isalpha()
        and len(sentence[k + 2].text) <= 3
    ):
        return k + 3
    return k + 1


class RulesSuggester:
    """The rules as a :class:`~annotator.suggest.base.Suggester` for one schema."""

    def __init__(self, schema: LabelSchema, rules: Rules | None = None) -> None:
        self.rules = rules or Rules()
        self._version = f"r{REVISION}.{_CONTENT_HASH}.{schema_tag(schema)}"

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return self._version

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        if cancel is not None:
            cancel.check()
        found = self.rules.find(item.document.text, item.tokens)
        return entity_suggestions(found, item, NAME)


def content_hash() -> str:
    """What the rules' version is made of besides :data:`REVISION` (for other suggesters that
    build on the rules, such as the claim suggester)."""
    return f"{REVISION}.{_CONTENT_HASH}"
