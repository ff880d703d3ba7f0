"""The seed lists as a suggester: well-known places, nationalities and international
organisations suggested from the first document of a new project, before anything is
confirmed (the lists themselves: :mod:`annotator.suggest.seed_lists`).

Precision comes first, so a match is suggested only when

* it is a whole run of tokens, not inside a longer seed term (longest match wins: "South
  Sudan" over "Sudan", "Russian Federation" over "Russian");
* its case is a name's: as listed, or in capitals, or Title Case in a headline ("Syria",
  "SYRIA"); never lowercase ("turkey", "china"); acronyms only as written ("US", not "Us");
* it is not a common word or a name that reads as something else more often ("Nice",
  "Reading", "Mobile", "Split": the stoplists);
* it is not part of a longer capitalised name: no capitalised word right before it or right
  after it on the same line ("Paris Hilton", "Washington Post", "Free Syrian Army"), apart
  from function words, titles after it ("Syrian President") and compass words before it
  ("Northern Syria"); not followed by "of" and a capitalised word ("Red Crescent of
  Almora"); not after a capitalised word and "of" ("University of Texas", "Red Cross of
  Finland") unless that word is a title or starts the sentence ("Mayor of London",
  "Hundreds of French nationals"). Title Case headlines are exempt (every word is
  capitalised there);
* it is a city of at least ``min_population`` people (other kinds have no threshold).

The project's own work overrides the seeds. A text the project confirmed with any label is
left to the gazetteer, which suggests the project's label ("a relabel wins"). A text and label
that an annotator rejected is not suggested again in this project (:class:`RejectedTerms`,
filled from the project's decisions by the suggestion service).

The seeds' labels are GPE, LOC, NORP and ORG; a schema without GPE gets places as LOC, one
without NORP gets nationalities as MISC (CoNLL-2003); a label the schema lacks is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Mapping
from typing import Final

from annotator.core.model import Suggestion
from annotator.core.progress import CancelToken
from annotator.core.schema import LabelSchema
from annotator.core.tokens import Token, Tokenized
from annotator.suggest import lexicon as lx
from annotator.suggest.base import SuggestInput
from annotator.suggest.candidates import Candidate, entity_suggestions, longest_first
from annotator.suggest.gazetteer import Gazetteer, fold
from annotator.suggest.nesting import SEEDS
from annotator.suggest.nesting import hide_nested as hide_nested
from annotator.suggest.seed_lists import SeedData, SeedTerm, shipped
from annotator.suggest.settings import DEFAULT_MIN_POPULATION as DEFAULT_MIN_POPULATION
from annotator.suggest.versions import schema_tag, short_hash

NAME = SEEDS
#: A seed is a guess from a list, not project evidence: below a confirmed text's score.
SCORE = 0.55
#: Bump when the matching code changes (the lists' content changes the version by itself).
REVISION = "1"

#: Where a label is missing from the schema, the labels to try instead, in order.
LABEL_FALLBACKS: Final[Mapping[str, tuple[str, ...]]] = {
    "GPE": ("GPE", "LOC"),
    "LOC": ("LOC",),
    "NORP": ("NORP", "MISC"),
    "ORG": ("ORG",),
}
#: Capitalised words before a place that do not make it part of a longer name.
COMPASS: Final = frozenset(
    """
    North South East West Northern Southern Eastern Western Central Greater Upper Lower
    North-East North-West South-East South-West Northeast Northwest Southeast Southwest
    Northeastern Northwestern Southeastern Southwestern
    """.split()
)
#: Lowercase nouns after a place name that the guidelines count as part of it.
TYPE_NOUNS: Final = frozenset(
    "province governorate region district oblast county prefecture river".split()
)
#: Share of capitalised words (of four letters or more) that makes a line of at most
#: TITLE_CASE_WORDS words a Title Case headline, where capitals say nothing about names.
TITLE_CASE_SHARE = 0.9
TITLE_CASE_WORDS = 25


class RejectedTerms:
    """``(text, label)`` pairs an annotator rejected in this project, folded; replaced whole
    by the suggestion service before each batch. Thread-safe."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._lock = threading.Lock()
        self._pairs: frozenset[tuple[str, str]] = frozenset()
        self._digest = short_hash("")
        self.reset(pairs)

    def reset(self, pairs: Iterable[tuple[str, str]]) -> None:
        folded = frozenset((fold(" ".join(text.split())), label) for text, label in pairs)
        digest = short_hash(*(f"{text}\x1f{label}" for text, label in sorted(folded)))
        with self._lock:
            self._pairs = folded
            self._digest = digest

    @property
    def digest(self) -> str:
        with self._lock:
            return self._digest

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, tuple) or len(pair) != 2:
            return False
        text, label = pair
        with self._lock:
            return (fold(" ".join(str(text).split())), label) in self._pairs

    def __len__(self) -> int:
        with self._lock:
            return len(self._pairs)


def project_label(label: str, labels: Collection[str]) -> str | None:
    """The schema's label for a seed label (see :data:`LABEL_FALLBACKS`)."""
    for candidate in LABEL_FALLBACKS.get(label, (label,)):
        if candidate in labels:
            return candidate
    return None


def case_matches(term: SeedTerm, surface: str, title_case_line: bool) -> bool:
    if surface == term.term:
        return True
    if term.acronym:
        return False
    letters = [c for c in surface if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True  # "SYRIA" in a headline in capitals
    return title_case_line and surface == _title(term.term)


def _title(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


def _capitalised(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and text.replace("'", "").replace("’", "").replace("-", "").isalpha()


def _line_of(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def is_title_case(line: str) -> bool:
    """A headline in Title Case: short, and (nearly) every word of four letters or more
    capitalised ("Russian Jets Strike Rebel Positions Near Latakia")."""
    all_words = line.split()
    words = [w for w in all_words if sum(c.isalpha() for c in w) >= 4]
    if len(words) < 3 or len(all_words) > TITLE_CASE_WORDS:
        return False
    capitalised = sum(1 for w in words if w.lstrip("“‘\"'(")[:1].isupper())
    return capitalised / len(words) >= TITLE_CASE_SHARE


def _same_line(text: str, left: Token, right: Token) -> bool:
    return "\n" not in text[left.end : right.start]


def part_of_longer_name(text: str, tokens: Tokenized, first: int, stop: int, label: str) -> bool:
    """Whether the tokens ``first..stop`` look like part of a longer capitalised name."""
    all_tokens = tokens.tokens
    start_token, end_token = all_tokens[first], all_tokens[stop - 1]
    if stop < len(all_tokens):
        after = all_tokens[stop]
        if (
            _capitalised(after)
            and _same_line(text, end_token, after)
            and after.text not in lx.CAPITALISED_FUNCTION_WORDS
            and not (after.text in lx.TITLE_HEADS or after.text in lx.TITLE_MODIFIERS)
        ):
            return True  # "Washington Post", "Free Syrian Army", "Paris Hilton"
        if (
            after.text == "of"
            and stop + 1 < len(all_tokens)
            and _capitalised(all_tokens[stop + 1])
            and _same_line(text, end_token, all_tokens[stop + 1])
            and all_tokens[stop + 1].text not in lx.CAPITALISED_FUNCTION_WORDS
        ):
            return True  # "Red Crescent of Almora", "Bank of England" seen from "Bank"
    if first > 0:
        before = all_tokens[first - 1]
        if (
            _capitalised(before)
            and _same_line(text, before, start_token)
            and before.text not in lx.CAPITALISED_FUNCTION_WORDS
            and before.text not in COMPASS
            and not _sentence_start(tokens, first - 1)
        ):
            return True  # "Mr Jackson", "Lake Victoria", "Greater Manchester Police"
        if first > 1 and before.text in ("of", "for"):
            head = all_tokens[first - 2]
            if (
                _capitalised(head)
                and _same_line(text, head, start_token)
                and head.text not in lx.CAPITALISED_FUNCTION_WORDS
                and head.text not in lx.TITLE_HEADS
                and head.text not in lx.TITLE_MODIFIERS
                and not _sentence_start(tokens, first - 2)
            ):
                return True  # "University of Texas", "Red Cross of Finland"; not "Mayor of"
    return False


def _with_type_noun(text: str, tokens: Tokenized, stop: int, end: int, label: str) -> int:
    """Where the span ends once a lowercase type noun right after it is taken in, as the
    guidelines write them ("Sindh province", "Indus river")."""
    if label not in ("GPE", "LOC") or stop >= len(tokens.tokens):
        return end
    after = tokens.tokens[stop]
    if after.text in TYPE_NOUNS and "\n" not in text[end : after.start]:
        return after.end
    return end


def _sentence_start(tokens: Tokenized, index: int) -> bool:
    token = tokens.tokens[index]
    sentence = tokens.sentence_at(token.start)
    return sentence is not None and sentence.start == token.start


class SeedMatcher:
    """Finds seed terms in a text under the rules above; the lists are shared."""

    def __init__(self, data: SeedData, min_population: int = DEFAULT_MIN_POPULATION) -> None:
        self.data = data
        self.min_population = min_population

    def find(
        self,
        text: str,
        tokens: Tokenized,
        labels: Collection[str],
        *,
        gazetteer: Gazetteer | None = None,
        rejected: RejectedTerms | None = None,
    ) -> list[Candidate]:
        automaton = self.data.automaton(self.min_population)
        if len(automaton) == 0 or not tokens.tokens:
            return []
        folded = fold(text)
        title_lines: dict[int, bool] = {}
        found: list[Candidate] = []
        for last, key in automaton.iter(folded):
            start, end = last - len(key) + 1, last + 1
            indices = tokens.token_indices(start, end)
            if indices is None:
                continue  # "Iran" inside "Iranian"
            surface = text[start:end]
            line_start, line_end = _line_of(text, start)
            title_case = title_lines.get(line_start)
            if title_case is None:
                title_case = is_title_case(text[line_start:line_end])
                title_lines[line_start] = title_case
            term = next(
                (
                    t
                    for t in self.data.terms(key)
                    if self.data.kept(t, self.min_population)
                    and case_matches(t, surface, title_case)
                ),
                None,
            )
            if term is None:
                continue
            label = project_label(term.label, labels)
            if label is None:
                continue
            if not title_case and part_of_longer_name(text, tokens, *indices, term.label):
                continue
            end = _with_type_noun(text, tokens, indices[1], end, term.label)
            if gazetteer is not None and gazetteer.confirmed_labels(text[start:end]):
                continue  # the project's own work: the gazetteer suggests its label
            if rejected is not None and (text[start:end], label) in rejected:
                continue
            found.append(Candidate(start, end, label, SCORE, reason(term, surface)))
        return longest_first(found)


def reason(term: SeedTerm, surface: str) -> str:
    """ "country list: Syria"; with what the list says about it when that helps."""
    details = []
    if term.note and term.note != surface and term.note != term.term:
        details.append(term.note)
    if term.population:
        details.append(f"{_people(term.population)} people")
    suffix = f" ({', '.join(details)})" if details else ""
    return f"{term.list_name}: {term.term}{suffix}"


def _people(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} million"
    return f"{count // 1000:,} thousand"


class SeedSuggester:
    """The shipped seed lists as a :class:`~annotator.suggest.base.Suggester`."""

    def __init__(
        self,
        schema: LabelSchema,
        *,
        gazetteer: Gazetteer | None = None,
        rejected: RejectedTerms | None = None,
        min_population: int = DEFAULT_MIN_POPULATION,
        data: SeedData | None = None,
    ) -> None:
        self.schema = schema
        self.gazetteer = gazetteer
        self.rejected = rejected
        self.min_population = min_population
        self._data = data
        self._matcher: SeedMatcher | None = None
        self._lock = threading.Lock()
        self._schema_tag = schema_tag(schema)

    @property
    def name(self) -> str:
        return NAME

    def matcher(self) -> SeedMatcher:
        """Built on first use: reading the lists waits until something is suggested."""
        with self._lock:
            if self._matcher is None:
                data = self._data if self._data is not None else shipped()
                self._matcher = SeedMatcher(data, self.min_population)
            return self._matcher

    @property
    def version(self) -> str:
        # What the project confirmed and rejected changes what is suggested, so it is part
        # of the version; the lists' digest stands for their content.
        confirmed = self.gazetteer.digest if self.gazetteer is not None else ""
        rejected = self.rejected.digest if self.rejected is not None else ""
        return (
            f"s{short_hash(REVISION, self.matcher().data.digest, str(self.min_population))}"
            f".{short_hash(confirmed, rejected, size=4)}.{self._schema_tag}"
        )

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        if cancel is not None:
            cancel.check()
        labels = set(item.schema.entity_names)
        found = self.matcher().find(
            item.document.text,
            item.tokens,
            labels,
            gazetteer=self.gazetteer,
            rejected=self.rejected,
        )
        return entity_suggestions(found, item, NAME)
