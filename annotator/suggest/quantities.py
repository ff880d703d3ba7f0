"""Number slots proposed for a quantity claim (see :mod:`annotator.core.quantities`).

Each QUANTITY the rules find inside the claim gives one slot, read from its text: a currency
symbol before the number, or a unit word or "%" after it, is the unit; the words after the
number (and unit) are what is counted; after a unit or a percentage, "of <noun phrase>" that
follows the quantity is what is counted ("40% of Merren province", "8,200 tonnes of cod").
A duration ("within 24 hours") gives the number and its time unit as what is counted ("24 |
hours"), since durations are what a check of "24 hours" compares. Dates and years give none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from annotator.core.quantities import Quantity, figure_of
from annotator.suggest import lexicon as lx
from annotator.suggest.candidates import Candidate

_CURRENCY_SYMBOLS: Final = {"$": "$", "€": "€", "£": "£", "¥": "¥", "₽": "₽"}
_PERCENT: Final = re.compile(r"^(?:%|per ?cent\b|percent\b)", re.IGNORECASE)
_NUMBER: Final = re.compile(
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>(?:\s?(?:thousand|million|billion|trillion))|bn|mn|tn|m|k)?(?![\w])",
    re.IGNORECASE,
)
#: Words that may start a unit of two words ("nautical miles", "square kilometres").
_UNIT_MODIFIERS: Final = frozenset({"nautical", "square", "cubic", "metric"})
#: Lengths: "within 12 nautical miles of the harbour" is a distance from it, not an amount of
#: it ("8,200 tonnes of cod", "40% of the province", "120 square km of fishing grounds" are).
_DISTANCES: Final = frozenset(
    "km kilometres kilometers miles mile metres meters m cm mm feet yards".split()
)
#: Words that end a counted noun phrase besides the function words ("of depth since 2020").
_ENDS_NOUN_PHRASE: Final = frozenset(
    "since per across within daily weekly monthly yearly annually below above away".split()
)
_OF_NOUN_PHRASE: Final = re.compile(
    r"^\s+of\s+(?:(?:the|its|their|his|her|our)\s+)?(?P<np>[^\W\d_][\w’'-]*(?:\s+[^\W\d_][\w’'-]*){0,3})"
)


def quantities(text: str, entities: Sequence[Candidate], start: int, end: int) -> list[Quantity]:
    """The slots of the quantities the rules found in ``text[start:end]``, in text order."""
    found: list[Quantity] = []
    for c in entities:
        if not (start <= c.start and c.end <= end):
            continue
        if c.label == "QUANTITY":
            slot = _slot(text, c.start, c.end, end)
        elif c.label == "DATE":
            slot = _duration(text[c.start : c.end])
        else:
            continue
        if slot is not None:
            found.append(slot)
    return found


def _slot(text: str, start: int, end: int, limit: int) -> Quantity | None:
    piece = text[start:end]
    unit = ""
    stripped = piece.lstrip()
    if stripped[:1] in _CURRENCY_SYMBOLS:
        unit = _CURRENCY_SYMBOLS[stripped[0]]
        stripped = stripped[1:].lstrip()
    match = _NUMBER.match(stripped)
    if match is not None:
        figure = figure_of(match["number"] + (match["scale"] or ""))
        rest = stripped[match.end() :].strip()
    else:  # "two frigates", "a dozen boats"
        words = stripped.split()
        if words and words[0].lower() in ("a", "an") and len(words) > 1:
            words = words[1:]
        figure = figure_of(words[0]) if words else None
        rest = " ".join(words[1:])
    if figure is None:
        return None
    percent = _PERCENT.match(rest)
    if percent is not None:
        unit, rest = "%", rest[percent.end() :].strip()
    words = rest.split()
    if words and not unit:
        if words[0].lower() in _UNIT_MODIFIERS and len(words) > 1 and _is_unit(words[1]):
            unit, words = " ".join(words[:2]), words[2:]
        elif _is_unit(words[0]):
            unit, words = words[0], words[1:]
            after = text[end : end + 2]
            if after == "/h":  # "140 km/h"
                unit += after
    counted = " ".join(words)
    area = unit.lower().startswith(("square", "sq"))
    if unit and not counted and (area or unit.lower().split()[-1] not in _DISTANCES):
        of = _OF_NOUN_PHRASE.match(text[end:limit])
        if of is not None:
            counted = _noun_phrase(of["np"])
    return Quantity(figure, unit, counted)


def _is_unit(word: str) -> bool:
    lowered = word.lower()
    return lowered in lx.UNITS or lowered in (w.lower() for w in lx.CURRENCY_WORDS)


def _noun_phrase(words: str) -> str:
    """The noun phrase at the start of ``words``: up to the first function word."""
    kept = []
    for word in words.split():
        lowered = word.lower()
        if lowered in _ENDS_NOUN_PHRASE or (
            lowered in lx.STOP_WORDS and lowered not in lx.TIME_UNITS
        ):
            break
        kept.append(word)
    return " ".join(kept)


def _duration(piece: str) -> Quantity | None:
    """ "within 24 hours", "previous 24 hours", "three weeks" → figure and time unit; None
    for dates, years and "three weeks ago" (a point in time, not an amount)."""
    words = piece.split()
    lowered = [w.lower() for w in words]
    if "ago" in lowered:
        return None
    for k, word in enumerate(words[:-1]):
        figure = figure_of(word)
        if figure is not None and lowered[k + 1] in lx.TIME_UNITS:
            return Quantity(figure, "", lowered[k + 1])
    return None
