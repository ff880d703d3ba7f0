"""Number slots of a quantity claim: the figure, its unit and what is counted.

A claim span keeps them in ``attributes["quantities"]``, a list of
``{"figure": "33", "unit": "", "counted": "air strikes"}``:

* ``figure`` is the number as a plain decimal string, scale words applied and thousands
  separators dropped ("1.5 million" → ``"1500000"``, "$1.4bn" → ``"1400000000"``, "two" →
  ``"2"``); the written form stays in the text;
* ``unit`` is a measurement or currency unit ("%", "km", "$", "tonnes") or "";
* ``counted`` is the noun phrase counted ("air strikes", "Merren province" in "40% of Merren
  province") or "".

The inspector edits them as one line, ``33 | air strikes; 40 % | Merren province`` (figure,
then the unit if any, a bar, then what is counted), parsed by :func:`parse_line`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from annotator.core.errors import InputError

KEY: Final = "quantities"

#: Scale words and suffixes after a number.
SCALES: Final = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
WORD_NUMBERS: Final = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_WRITTEN: Final = re.compile(
    r"^\s*(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+)"
    r"(?:(?P<gap>\s*)(?P<scale>[A-Za-z]+))?\s*$"
)


class QuantityError(InputError):
    """An edited or imported quantity that cannot be read."""


@dataclass(frozen=True, slots=True)
class Quantity:
    figure: str
    unit: str = ""
    counted: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"figure": self.figure, "unit": self.unit, "counted": self.counted}

    def shown(self) -> str:
        """``33 | air strikes``, ``40 % | Merren province``."""
        left = f"{self.figure} {self.unit}".strip()
        return f"{left} | {self.counted}".rstrip() if self.counted else left


def figure_of(written: str) -> str | None:
    """The plain decimal figure of a written number ("1,200" → "1200", "1.5 million" →
    "1500000", "two" → "2", "4.2m" → "4200000"); None when it is not a number."""
    match = _WRITTEN.match(written.replace("\u00a0", " "))
    if match is None:
        return None
    number, scale = match["number"], (match["scale"] or "").lower()
    if number[0].isdigit():
        value = Decimal(number.replace(",", ""))
    elif number.lower() in WORD_NUMBERS:
        value = Decimal(WORD_NUMBERS[number.lower()])
    else:
        return None
    if scale:
        # "4.2m" is 4.2 million; "5 m" is five metres (a unit, not a scale).
        if scale not in SCALES or (match["gap"] and len(scale) <= 2):
            return None
        value *= SCALES[scale]
    return plain(value)


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros ("1200000", "6.1")."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def from_attributes(attributes: dict[str, Any]) -> tuple[Quantity, ...]:
    """The quantities kept on a claim span (or a suggestion), checked; a malformed list
    raises :class:`QuantityError` naming the entry and field."""
    items = attributes.get(KEY)
    if items is None:
        return ()
    if not isinstance(items, list):
        raise QuantityError(f"{KEY} must be a list, got {type(items).__name__}")
    result = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise QuantityError(f"{KEY}[{number}] must be an object")
        for field in ("figure", "unit", "counted"):
            if not isinstance(item.get(field, ""), str):
                raise QuantityError(f"{KEY}[{number}].{field} must be a string")
        figure = str(item.get("figure", ""))
        try:
            Decimal(figure)
        except InvalidOperation:
            raise QuantityError(
                f"{KEY}[{number}].figure must be a plain decimal number, got {figure!r}"
            ) from None
        result.append(Quantity(figure, str(item.get("unit", "")), str(item.get("counted", ""))))
    return tuple(result)


def to_attributes(attributes: dict[str, Any], quantities: Sequence[Quantity]) -> dict[str, Any]:
    """``attributes`` with its quantities replaced (the key dropped when there are none)."""
    result = {k: v for k, v in attributes.items() if k != KEY}
    if quantities:
        result[KEY] = [q.to_dict() for q in quantities]
    return result


def shown_line(quantities: Sequence[Quantity]) -> str:
    return "; ".join(q.shown() for q in quantities)


def parse_line(line: str) -> tuple[Quantity, ...]:
    """Read ``33 | air strikes; 40 % | Merren province`` back; an empty line is no
    quantities. A figure may be written as in the text ("1.5 million", "1,200", "two")."""
    result = []
    for number, part in enumerate((p.strip() for p in line.split(";")), start=1):
        if not part:
            continue
        left, _, counted = part.partition("|")
        words = left.split()
        if not words:
            raise QuantityError(f"quantity {number}: a figure is missing before “|”")
        # The figure is the longest leading run of words that reads as a number.
        for cut in range(min(len(words), 2), 0, -1):
            figure = figure_of(" ".join(words[:cut]))
            if figure is not None:
                break
        else:
            raise QuantityError(f"quantity {number}: “{words[0]}” is not a number")
        result.append(Quantity(figure, " ".join(words[cut:]), " ".join(counted.split())))
    return tuple(result)
