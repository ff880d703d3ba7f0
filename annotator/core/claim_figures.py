"""The figures a claim states ("33 air strikes", "1.5 million", "24 hours", "12%", "$4bn"),
read from its text and from its number slots, in one normalised form so that claims written
in different words compare figure by figure.

A figure is its value without thousands separators or scale words ("1.5 million" and
"1,500,000" are both ``1500000``), its unit in one spelling ("per cent" -> ``%``,
"kilometres" -> ``km``, "dollars" -> ``$``, "hours" -> ``hours``) and, when the text says, what
is counted (the words after it, "air strikes"). Two figures are the same when value and unit
agree and what they count is alike: a word in common ("33 air strikes", "33 strikes", "33 air
raids") or not said on one side ("33"); "5 soldiers" is not "5 drones".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from annotator.core.quantities import WORD_NUMBERS

#: The key under which a claim span's number slots are kept in its ``attributes``.
QUANTITIES = "quantities"

_SCALES = {
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "mln": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
}

#: Unit spellings -> the one spelling compared. Currency signs before the number map the same.
_UNITS = {
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "pct": "%",
    "$": "$",
    "usd": "$",
    "dollar": "$",
    "dollars": "$",
    "€": "€",
    "eur": "€",
    "euro": "€",
    "euros": "€",
    "£": "£",
    "gbp": "£",
    "pound": "£",
    "pounds": "£",
    "rub": "rub",
    "rouble": "rub",
    "roubles": "rub",
    "ruble": "rub",
    "rubles": "rub",
    "km": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "mile": "miles",
    "miles": "miles",
    "m²": "m2",
    "kg": "kg",
    "tonne": "tonnes",
    "tonnes": "tonnes",
    "ton": "tonnes",
    "tons": "tonnes",
    "hour": "hours",
    "hours": "hours",
    "hrs": "hours",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
    "minute": "minutes",
    "minutes": "minutes",
}

# "one" is left out: "one of the", "one side" state no figure.
_NUMBER_WORDS = {word: n for word, n in WORD_NUMBERS.items() if word != "one"}

#: Words after a figure that are not what it counts.
_NOT_COUNTED = frozenset(
    "a an the of in on at to and or by for from with than more less over under about "
    "some at least per each were was are is had have has been said says times".split()
)

_SCALE_WORDS = "|".join(sorted((re.escape(s) for s in _SCALES), key=len, reverse=True))
_UNIT_WORDS = "|".join(
    sorted((re.escape(u) for u in _UNITS if u not in "$€£"), key=len, reverse=True)
)
_FIGURE = re.compile(
    rf"(?P<sign>[$€£])?\s?"
    # Not inside a word or a longer number, not an ordinal: "G7", "F-16", "A320" and "5th"
    # state no figure.
    rf"(?<![\w.-])(?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?(?![.,]?\d|(?:st|nd|rd|th)\b)"
    rf"|\b(?:{'|'.join(_NUMBER_WORDS)})\b)"
    rf"(?:\s?(?P<scale>(?:{_SCALE_WORDS}))\b)?"
    rf"(?:\s?(?P<unit>%|(?:{_UNIT_WORDS})\b))?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'-]*")


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure a claim states."""

    #: The value as a plain decimal without separators ("33", "1500000", "2.5").
    value: str
    #: The unit in its one spelling ("%", "km", "$", "hours") or "".
    unit: str = ""
    #: What is counted ("air strikes"), lower case, or "".
    counted: str = ""

    @property
    def key(self) -> str:
        """What two figures must share to be the same figure."""
        return f"{self.value}|{self.unit}"

    def measures_alike(self, other: Figure) -> bool:
        """Whether two figures measure the same thing: the same unit, and what they count
        shares a word (cut to five letters: "strike" meets "strikes") or one does not say.
        "5 soldiers" and "5 drones" do not; "33 air strikes" and "33 strikes" do."""
        if self.unit != other.unit:
            return False
        if not self.counted or not other.counted:
            return True
        return not _stems(self.counted).isdisjoint(_stems(other.counted))

    def describe(self) -> str:
        """As a reason shows it: "33 air strikes", "12 %", "$ 4000000000"."""
        if self.unit in ("$", "€", "£"):
            shown = f"{self.unit}{self.value}"
        else:
            shown = f"{self.value} {self.unit}" if self.unit else self.value
        return f"{shown} {self.counted}" if self.counted else shown


def _stems(words: str) -> set[str]:
    return {word[:5] for word in words.split()}


def plain_value(number: str, scale: str | None = None) -> str | None:
    """``number`` (digits with optional thousands commas and decimals, or a number word)
    times ``scale``, as a plain decimal; ``None`` when it is not a number."""
    word = _NUMBER_WORDS.get(number.lower())
    try:
        value = Decimal(word) if word is not None else Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    if scale:
        factor = _SCALES.get(scale.lower())
        if factor is None:
            return None
        value *= factor
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def plain_unit(unit: str | None) -> str:
    if not unit:
        return ""
    unit = " ".join(unit.lower().split())
    return _UNITS.get(unit, unit)


def _counted(text: str, at: int) -> str:
    """Up to two words after a figure that say what it counts ("air strikes")."""
    words: list[str] = []
    for match in _WORD.finditer(text, at):
        gap = text[at : match.start()]
        if gap.strip() or len(words) == 2:
            break  # punctuation or another figure between: the counted words ended
        word = match.group().lower()
        if word in _NOT_COUNTED or word in _UNITS or word in _SCALES:
            break
        words.append(word)
        at = match.end()
    return " ".join(words)


def figures_in(text: str) -> list[Figure]:
    """The figures written in ``text``, in text order."""
    found: list[Figure] = []
    for match in _FIGURE.finditer(text):
        number = match.group("number")
        scale = match.group("scale")
        if scale and scale.lower() in ("m", "b", "k") and not match.group("sign"):
            # "5 m" is metres as often as millions: a lone letter scales only money ("$5m").
            scale = None
        value = plain_value(number, scale)
        if value is None:
            continue
        unit = plain_unit(match.group("sign") or match.group("unit"))
        end = match.end() if (scale or match.group("unit")) else match.end("number")
        found.append(Figure(value, unit, _counted(text, end)))
    return found


def figures_from_slots(attributes: Mapping[str, Any]) -> list[Figure]:
    """The figures of a claim's number slots (``attributes["quantities"]``: a list of
    ``{"figure", "unit", "counted"}``); slots that are not of that shape are passed over."""
    slots = attributes.get(QUANTITIES)
    if not isinstance(slots, list):
        return []
    found: list[Figure] = []
    for slot in slots:
        if not isinstance(slot, Mapping) or not isinstance(slot.get("figure"), str):
            continue
        figure = slot["figure"].strip()
        # "1.5 million" may be written into the slot as it stands in the text.
        number, _, scale = figure.partition(" ")
        value = plain_value(number, scale or None)
        if value is None:
            continue
        unit = plain_unit(slot.get("unit") if isinstance(slot.get("unit"), str) else "")
        counted = slot.get("counted")
        counted = " ".join(counted.lower().split()) if isinstance(counted, str) else ""
        if not unit and counted in _UNITS:
            # A slot may say "24 | hours" where the text is read as 24 with the unit hours:
            # the same figure either way.
            unit, counted = _UNITS[counted], ""
        found.append(Figure(value, unit, counted))
    return found


def claim_figures(text: str, attributes: Mapping[str, Any]) -> tuple[Figure, ...]:
    """A claim's figures: its number slots first (a person checked them), then those read
    from the text that the slots do not already give; one per value and unit."""
    return unique(figures_from_slots(attributes) + figures_in(text))


def unique(figures: Iterable[Figure]) -> tuple[Figure, ...]:
    """One figure per key, keeping the first (and the first one that says what it counts)."""
    kept: dict[str, Figure] = {}
    for figure in figures:
        known = kept.get(figure.key)
        if known is None or (not known.counted and figure.counted):
            kept[figure.key] = figure
    return tuple(kept.values())
