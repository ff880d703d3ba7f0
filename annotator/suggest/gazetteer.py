"""The gazetteer: every entity the project has confirmed, plus the term lists the user imported,
found again in new documents with Aho–Corasick.

What it knows is kept per *key*: a term's text either as written (case-sensitive terms) or
case-folded (the rest). A key remembers how often each label was confirmed for it and which
imported lists name it with which label, so the most frequent label wins and the reason can
say why ("confirmed 12× as ORG in this project").

Case rules, per term:

* an imported term matches in any case unless its list marked it case-sensitive;
* a confirmed text without lowercase letters ("NATO", "RT", "US") is an acronym and matches
  only as written, so "us" and "it" are never suggested;
* any other confirmed text matches in any case except all-lowercase when the annotator only
  ever confirmed it with capitals: "Hmeymim Airbase" still matches "Hmeymim airbase", but
  "turkey" does not match a confirmed "Turkey".

A match must start at a token start and end at a token end (so "Iran" is not found inside
"Iranian"), and matches do not overlap: the longest wins ("Russian Ministry of Defence" over
"Russian"). Terms shorter than two characters, without a letter, or one common word ("the",
"may") are skipped: they would be noise everywhere.

Updates are incremental. A count change only touches the key's entry; a new key goes into a
small second automaton, and the big one is rebuilt lazily once enough keys have piled up, so
the next document benefits at once. The version is a sum of per-entry hashes, kept up to date
on each change: it depends only on the content, so it is the same in every process that knows
the same terms, and cached suggestions of another content are recomputed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from annotator.core.model import Suggestion
from annotator.core.progress import CancelToken
from annotator.core.schema import LabelSchema
from annotator.core.tokens import Tokenized
from annotator.suggest.base import SuggestInput
from annotator.suggest.candidates import Candidate, entity_suggestions, longest_first
from annotator.suggest.lexicon import STOP_WORDS
from annotator.suggest.versions import schema_tag

NAME = "gazetteer"
MIN_TERM_LENGTH = 2

_MASK = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class Term:
    """A term from an imported list."""

    text: str
    label: str
    case_sensitive: bool = False
    #: The list it came from (a file name), shown in the reason.
    source: str | None = None


def normalise_term(text: str) -> str:
    """Whitespace runs become one space and the ends are trimmed (an entity confirmed across a
    line break still matches the same words on one line)."""
    return " ".join(text.split())


def usable_term(text: str) -> bool:
    """Whether a (normalised) term is worth matching: two characters or more, with a letter,
    and not a single common word (an all-capitals acronym such as "US" or "WHO" is kept)."""
    if len(text) < MIN_TERM_LENGTH or not any(c.isalpha() for c in text):
        return False
    return not (" " not in text and text.casefold() in STOP_WORDS and not text.isupper())


def is_acronym(text: str) -> bool:
    """Letters, all capitals, one word: matched only as written."""
    return " " not in text and text.isupper()


def fold(text: str) -> str:
    """Case-folded text with exactly one character per character of ``text``, so offsets found
    in the folded copy are offsets in the original. A character whose folding would grow
    ("ß" -> "ss", "İ") is lowered if that keeps one character, else kept."""
    folded = text.casefold()
    # Folding never shortens a character, so equal lengths mean one-to-one (the usual case).
    if len(folded) == len(text):
        return folded
    return "".join(_fold_char(c) for c in text)


def _fold_char(char: str) -> str:
    folded = char.casefold()
    if len(folded) == 1:
        return folded
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


@dataclass(slots=True)
class _Entry:
    """What the gazetteer knows about one key."""

    #: Label -> how many confirmed spans with this text carry it.
    confirmed: Counter[str] = field(default_factory=Counter)
    #: Confirmations written all in lowercase (then lowercase occurrences match too).
    lowercase: int = 0
    #: Label -> the imported list that named the term with it ("" when unnamed).
    imported: dict[str, str] = field(default_factory=dict)
    digest: int = 0

    def empty(self) -> bool:
        return not self.confirmed and not self.imported

    def content_hash(self, exact: bool, key: str) -> int:
        if not self.confirmed and not self.imported:
            return 0
        confirmed = ",".join(f"{label}={n}" for label, n in sorted(self.confirmed.items()))
        imported = ",".join(f"{label}@{source}" for label, source in sorted(self.imported.items()))
        data = f"{'E' if exact else 'F'}{key}\x1f{confirmed}\x1f{self.lowercase}\x1f{imported}"
        return int.from_bytes(hashlib.blake2b(data.encode(), digest_size=8).digest(), "little")


class _KeyIndex:
    """Aho–Corasick over a set of keys that grows and shrinks.

    Keys added since the last build go into a second, small automaton (cheap to rebuild on
    every change); the main one is rebuilt when that overflow gets large. Removed keys stay in
    the automata until then and are filtered by the caller (their entry is gone).
    """

    def __init__(self, keys: Callable[[], Iterable[str]]) -> None:
        self._keys = keys
        self._main: Any = None
        self._built = False
        self._main_keys: set[str] = set()
        self._extra: set[str] = set()
        self._extra_automaton: Any = None
        self._stale = 0

    def reset(self) -> None:
        self._main = None
        self._built = False
        self._main_keys = set()
        self._extra = set()
        self._extra_automaton = None
        self._stale = 0

    def added(self, key: str) -> None:
        if key not in self._main_keys and key not in self._extra:
            self._extra.add(key)
            self._extra_automaton = None

    def removed(self, key: str) -> None:
        self._stale += 1

    def iter(self, text: str) -> Iterator[tuple[int, int, str]]:
        """``(start, end, key)`` of every occurrence of every key in ``text``."""
        overflow = len(self._extra) + self._stale
        if not self._built or overflow > max(500, len(self._main_keys) // 8):
            self._rebuild()
        elif self._extra and self._extra_automaton is None:
            self._extra_automaton = _automaton(self._extra)
        for automaton in (self._main, self._extra_automaton):
            if automaton is None:
                continue
            for last, key in automaton.iter(text):
                yield last - len(key) + 1, last + 1, key

    def _rebuild(self) -> None:
        self._main_keys = set(self._keys())
        self._main = _automaton(self._main_keys)
        self._built = True
        self._extra = set()
        self._extra_automaton = None
        self._stale = 0


def _automaton(keys: Iterable[str]) -> Any:
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, key)
    if len(automaton) == 0:
        return None  # pyahocorasick cannot search with an automaton of no words
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True, slots=True)
class _Pick:
    label: str
    score: float
    reason: str


class Gazetteer:
    """Confirmed texts and imported terms, matched in a document's text. Thread-safe."""

    def __init__(
        self,
        confirmed: Mapping[tuple[str, str], int] | None = None,
        terms: Iterable[Term] = (),
    ) -> None:
        self._lock = threading.RLock()
        # (exact?, key) -> entry; exact keys are as written, the others folded.
        self._entries: dict[tuple[bool, str], _Entry] = {}
        self._digest = 0
        self._indexes = {
            exact: _KeyIndex(lambda exact=exact: (k for e, k in self._entries if e is exact))
            for exact in (True, False)
        }
        self.reset(confirmed, terms)

    def reset(
        self, confirmed: Mapping[tuple[str, str], int] | None = None, terms: Iterable[Term] = ()
    ) -> None:
        """Replace everything it knows, in place: suggesters built on this gazetteer keep
        working and see the new content (and version)."""
        with self._lock:
            self._entries.clear()
            self._digest = 0
            for index in self._indexes.values():
                index.reset()
            for (text, label), count in (confirmed or {}).items():
                self.add_confirmed(text, label, count)
            self.add_terms(terms)

    # -- what it knows ----------------------------------------------------------------------

    @property
    def digest(self) -> str:
        """Identifies the content: equal for equal terms and counts, in any process."""
        with self._lock:
            return f"{self._digest:016x}"

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def confirmed_count(self, text: str, label: str) -> int:
        """How often ``text`` was confirmed as ``label`` (after normalisation and folding)."""
        text = normalise_term(text)
        with self._lock:
            entry = self._entries.get(self._key_of_confirmed(text))
            return 0 if entry is None else entry.confirmed[label]

    def confirmed_labels(self, text: str) -> dict[str, int]:
        """Label -> how often ``text`` was confirmed with it (empty: never confirmed)."""
        text = normalise_term(text)
        with self._lock:
            entry = self._entries.get(self._key_of_confirmed(text))
            return {} if entry is None else dict(entry.confirmed)

    def add_confirmed(self, text: str, label: str, count: int = 1) -> bool:
        """Count ``count`` more confirmed spans of ``text`` as ``label``; False when the text
        is not a usable term (too short, a common word) and nothing changed."""
        return self._change_confirmed(text, label, count)

    def remove_confirmed(self, text: str, label: str, count: int = 1) -> bool:
        """Undo :meth:`add_confirmed` (a span deleted, relabelled or its accept undone)."""
        return self._change_confirmed(text, label, -count)

    def add_terms(self, terms: Iterable[Term]) -> int:
        """Add imported terms (a term already listed with the same label is replaced)."""
        added = 0
        with self._lock:
            for term in terms:
                text = normalise_term(term.text)
                label = term.label.strip()
                if not label or not usable_term(text):
                    continue
                key = (True, text) if term.case_sensitive else (False, fold(text))
                source = term.source or ""

                def name(entry: _Entry, label: str = label, source: str = source) -> None:
                    entry.imported[label] = source

                self._update(key, name)
                added += 1
        return added

    def remove_terms(self, terms: Iterable[Term]) -> int:
        removed = 0
        with self._lock:
            for term in terms:
                text = normalise_term(term.text)
                key = (True, text) if term.case_sensitive else (False, fold(text))
                entry = self._entries.get(key)
                if entry is not None and term.label in entry.imported:

                    def unname(entry: _Entry, label: str = term.label) -> None:
                        entry.imported.pop(label, None)

                    self._update(key, unname)
                    removed += 1
        return removed

    def clear_terms(self) -> None:
        """Forget every imported term (confirmed texts stay)."""
        with self._lock:
            for key in [k for k, e in self._entries.items() if e.imported]:
                self._update(key, lambda e: e.imported.clear())

    def _key_of_confirmed(self, text: str) -> tuple[bool, str]:
        return (True, text) if is_acronym(text) else (False, fold(text))

    def _change_confirmed(self, text: str, label: str, delta: int) -> bool:
        text = normalise_term(text)
        if not usable_term(text) or not label or delta == 0:
            return False
        lowercase = text.islower()

        def change(entry: _Entry) -> None:
            entry.confirmed[label] = max(0, entry.confirmed[label] + delta)
            if entry.confirmed[label] == 0:
                del entry.confirmed[label]
            if lowercase:
                entry.lowercase = max(0, entry.lowercase + delta)

        with self._lock:
            key = self._key_of_confirmed(text)
            if delta < 0 and key not in self._entries:
                return False
            self._update(key, change)
        return True

    def _update(self, key: tuple[bool, str], change: Callable[[_Entry], object]) -> None:
        """Apply ``change`` to the entry of ``key`` and keep the digest and indexes in step."""
        exact, text = key
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry()
            self._entries[key] = entry
            self._indexes[exact].added(text)
        before = entry.digest
        change(entry)
        entry.digest = entry.content_hash(exact, text)
        self._digest = (self._digest - before + entry.digest) & _MASK
        if entry.empty():
            del self._entries[key]
            self._indexes[exact].removed(text)

    # -- matching ---------------------------------------------------------------------------

    def find(
        self, text: str, tokens: Tokenized, labels: Collection[str] | None = None
    ) -> list[Candidate]:
        """Non-overlapping token-bounded matches in ``text``, longest first, with the winning
        label among ``labels`` (every label when ``None``)."""
        starts = {token.start for token in tokens.tokens}
        ends = {token.end for token in tokens.tokens}
        found: list[Candidate] = []
        with self._lock:
            folded = fold(text)
            for exact, haystack in ((True, text), (False, folded)):
                for start, end, key in self._indexes[exact].iter(haystack):
                    if start not in starts or end not in ends:
                        continue
                    entry = self._entries.get((exact, key))
                    if entry is None:
                        continue  # removed since the automaton was built
                    pick = _pick(entry, text[start:end], exact, labels)
                    if pick is not None:
                        # At the same place, a term as written beats a folded one.
                        found.append(
                            Candidate(start, end, pick.label, pick.score, pick.reason, int(exact))
                        )
        return longest_first(found)


def _pick(entry: _Entry, surface: str, exact: bool, labels: Collection[str] | None) -> _Pick | None:
    """The label a match gets: the most confirmed one (ties: alphabetical), else an imported
    list's. Confirmations only made with capitals do not vouch for an all-lowercase surface."""
    confirmed = {
        label: n for label, n in entry.confirmed.items() if labels is None or label in labels
    }
    if confirmed and (exact or entry.lowercase > 0 or not surface.islower()):
        ranked = sorted(confirmed.items(), key=lambda item: (-item[1], item[0]))
        label, count = ranked[0]
        total = sum(confirmed.values())
        share = count / total
        reason = f"confirmed {count}× as {label} in this project"
        if len(ranked) > 1:
            others = ", ".join(f"{n}× as {other}" for other, n in ranked[1:3])
            reason += f" (also {others})"
        # More confirmations and a clearer majority make a surer suggestion.
        score = 0.35 + 0.6 * share * count / (count + 1)
        return _Pick(label, score, reason)
    imported = sorted(
        (label, source)
        for label, source in entry.imported.items()
        if labels is None or label in labels
    )
    if not imported:
        return None
    label, source = imported[0]
    reason = f"in term list {source} as {label}" if source else f"in a term list as {label}"
    if len(imported) > 1:
        reason += " (also " + ", ".join(other for other, _ in imported[1:3]) + ")"
    return _Pick(label, 0.7 if len(imported) == 1 else 0.5, reason)


class GazetteerSuggester:
    """The gazetteer as a :class:`~annotator.suggest.base.Suggester` for one schema. The
    gazetteer it reads may keep changing; its version follows."""

    def __init__(self, gazetteer: Gazetteer, schema: LabelSchema) -> None:
        self.gazetteer = gazetteer
        self.schema = schema
        self._schema_tag = schema_tag(schema)

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return f"g{self.gazetteer.digest}.{self._schema_tag}"

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        if cancel is not None:
            cancel.check()
        labels = set(item.schema.entity_names)
        found = self.gazetteer.find(item.document.text, item.tokens, labels)
        return entity_suggestions(found, item, NAME)
