"""Regular expressions for the rules that are about the shape of characters: dates and times,
money, percentages and equipment designators. (Names, organisations, demonyms and counted
figures are found over tokens, in :mod:`annotator.suggest.rules`.)

Spaces inside a pattern are horizontal only (``[ \\t\\u00a0]``), so no match runs across a
line break: lines are separate sentences here (a headline is not the start of the body).
A match is kept only when it starts and ends on token boundaries, which the rules check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from annotator.suggest.lexicon import DESIGNATOR_STOPLIST, EQUIPMENT_NOUNS

_H = r"[ \t\u00a0]+"
_B = r"(?<![\w])"  # not preceded by a word character
_E = r"(?![\w])"  # not followed by a word character

_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MONTH = rf"(?:{_MONTH_NAMES}|(?:{_MONTH_ABBR})\.?)"
# Months that are not also everyday words ("may", "march"): safe on their own.
_SAFE_MONTH = "(?:January|February|April|June|July|August|September|October|November|December)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART_OF_DAY = "(?:morning|afternoon|evening|night)"
_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|nights?)"
_WORD_NUMBER = (
    "(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|a dozen|dozens of|"
    "hundreds of|thousands of|a couple of|a few|several)"
)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_RELATIVE = "(?:past|last|next|coming|previous|following|first)"

_CURRENCY_SYMBOL = r"(?:US|A|C|NZ|HK|S)?[$€£¥₽₹₴]"
_SCALE = r"(?:[ \u00a0](?:hundred|thousand|million|billion|trillion)|[ ]?(?:bn|mn|m|k)(?![\w]))"
_CURRENCY_WORD = (
    "(?:US dollars|dollars|euros|pounds sterling|pounds|roubles|rubles|yen|yuan|rupees|francs|"
    "hryvnias|lira|shekels|dinars|riyals|USD|EUR|GBP|RUB)"
)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A rule: a label, a regular expression, and the reason shown to the annotator.

    When the expression has a group named ``span`` only that group is the entity (the rest is
    context, e.g. the preposition in "in June")."""

    rule: str
    label: str
    regex: re.Pattern[str]
    reason: str
    score: float


def _p(rule: str, label: str, pattern: str, reason: str, score: float) -> Pattern:
    return Pattern(rule, label, re.compile(pattern), reason, score)


DATE_PATTERNS: Final = (
    _p(
        "day-month-year",
        "DATE",
        rf"{_B}{_DAY}{_H}{_MONTH}(?:,?{_H}{_YEAR})?{_E}",
        "a day and a month",
        0.85,
    ),
    _p(
        "month-day-year",
        "DATE",
        rf"{_B}{_MONTH}{_H}{_DAY}(?:,?{_H}{_YEAR})?(?![\w,]\d|\w)",
        "a month and a day",
        0.85,
    ),
    _p(
        "month-year",
        "DATE",
        rf"{_B}(?:(?i:early|mid|late)[- ])?{_MONTH}{_H}{_YEAR}{_E}",
        "a month and a year",
        0.85,
    ),
    _p(
        "relative-month",
        "DATE",
        rf"{_B}(?i:early|mid|late|last|next|this)(?:-|{_H})(?:{_MONTH_NAMES}){_E}",
        "a month relative to now",
        0.8,
    ),
    _p(
        "month-after-preposition",
        "DATE",
        rf"{_B}(?i:in|since|until|by|before|after|during|from|through|for|with|than){_H}"
        rf"(?P<span>{_SAFE_MONTH}){_E}",
        "a month after a preposition",
        0.7,
    ),
    _p(
        "ambiguous-month-after-preposition",
        "DATE",
        # "May" and "March" are words too: a month only after a preposition, capitalised, and
        # not as someone's name ("in May's speech", "since May Halloran left").
        rf"{_B}(?i:in|since|until|by|before|after|during|from|through|for|with){_H}"
        rf"(?P<span>May|March)(?!\w|['’]s|{_H}[A-Z])",
        "a month after a preposition",
        0.65,
    ),
    _p(
        "part-of-period",
        "DATE",
        # "by the end of April", "before the end of the year": "the" in front stays outside.
        rf"{_B}(?i:the){_H}(?P<span>(?i:end|start|beginning|middle){_H}of{_H}"
        rf"(?:{_MONTH_NAMES}|(?i:the{_H}(?:week|month|year|decade|summer|winter|spring|autumn)))"
        rf"){_E}",
        "part of a period",
        0.75,
    ),
    _p(
        "season-after-preposition",
        "DATE",
        rf"{_B}(?i:in|since|until|by|before|after|during|through){_H}(?:the{_H})?"
        rf"(?P<span>(?i:spring|summer|autumn|winter)){_E}",
        "a season after a preposition",
        0.7,
    ),
    _p(
        "year-after-preposition",
        "DATE",
        rf"{_B}(?i:in|since|until|by|before|after|during|from|through|early|late|mid){_H}"
        rf"(?:the{_H})?(?P<span>{_YEAR}s?)(?![\w,.]\d|\w)",
        "a year after a preposition",
        0.75,
    ),
    _p(
        "weekday",
        "DATE",
        rf"{_B}(?:(?i:last|next|this|coming|early|late){_H})?{_WEEKDAY}"
        rf"(?:{_H}(?i:{_PART_OF_DAY}))?{_E}",
        "a day of the week",
        0.85,
    ),
    _p(
        "relative-period",
        "DATE",
        rf"{_B}(?i:(?:(?:early|earlier|late|later|mid)[- ])?"
        rf"(?:past|coming|previous|following|this|next|last){_H}"
        rf"(?:week(?:end)?|month|year|decade|century|spring|summer|autumn|fall|winter|"
        rf"{_PART_OF_DAY})){_E}",
        "a period relative to now",
        0.8,
    ),
    _p(
        "deictic-day",
        "DATE",
        rf"{_B}(?i:yesterday|today|tonight|tomorrow|recently|overnight|lately){_E}",
        "a time word",
        0.7,
    ),
    _p(
        "duration-with-preposition",
        "DATE",
        rf"{_B}(?i:(?:within|in|over){_H}(?:the{_H}(?=(?:{_RELATIVE}){_H}))?"
        rf"|(?:for|during){_H}the{_H}(?=(?:{_RELATIVE}){_H}))"
        rf"(?P<span>(?i:(?:(?:{_RELATIVE}){_H})?"
        rf"(?:{_NUMBER}|{_WORD_NUMBER}|a|an|one){_H}(?:more{_H})?{_UNIT})){_E}",
        "a period of time",
        0.8,
    ),
    _p(
        "duration",
        "DATE",
        rf"{_B}(?i:(?:the{_H}(?=(?:{_RELATIVE}){_H}))?)"
        rf"(?P<span>(?i:(?:(?:{_RELATIVE}){_H})?(?:{_NUMBER}|{_WORD_NUMBER}){_H}{_UNIT}"
        rf"(?:{_H}ago)?)){_E}",
        "a period of time",
        0.7,
    ),
    _p(
        "ago",
        "DATE",
        rf"{_B}(?i:(?:a|an|one|a few|several|some){_H}{_UNIT}{_H}ago){_E}",
        "a time in the past",
        0.75,
    ),
    _p(
        "clock-time",
        "DATE",
        r"(?<![\w:.])(?:(?:[01]?\d|2[0-3])(?::[0-5]\d)?[ ]?(?i:am|pm|a\.m\.|p\.m\.)"
        r"|(?:[01]?\d|2[0-3]):[0-5]\d|(?i:noon|midnight|midday))(?![\w:])",
        "a time of day",
        0.75,
    ),
    _p(
        "numeric-date",
        "DATE",
        rf"(?<![\w/-])(?:{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
        rf"|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}}))(?![\w/-])",
        "a numeric date",
        0.85,
    ),
)

AMOUNT_PATTERNS: Final = (
    _p(
        "money",
        "QUANTITY",
        rf"{_B}{_CURRENCY_SYMBOL}[ ]?{_NUMBER}{_SCALE}?{_E}",
        "an amount of money",
        0.85,
    ),
    _p(
        "money-words",
        "QUANTITY",
        rf"(?<![\w.,]){_NUMBER}(?:{_H}(?:hundred|thousand|million|billion|trillion))?"
        rf"{_H}{_CURRENCY_WORD}{_E}",
        "an amount of money",
        0.8,
    ),
    _p(
        "percentage",
        "QUANTITY",
        rf"(?<![\w.,]){_NUMBER}(?:[ ]?%|{_H}(?:per{_H}?cent|percent|percentage{_H}points?){_E})",
        "a percentage",
        0.85,
    ),
)

_EQUIPMENT = "|".join(sorted(EQUIPMENT_NOUNS, key=len, reverse=True))

#: A letter-digit designator ("Tu-22M3", "Su-34s", "Kestrel-7"), and the equipment noun after
#: it when there is one ("Kestrel-7 drones").
DESIGNATOR: Final = re.compile(
    rf"(?<![\w-])(?P<code>(?P<prefix>[A-Z][A-Za-z]{{0,11}})-\d{{1,4}}[A-Za-z0-9]*"
    rf"(?:-\d+[A-Za-z]*)?)(?![\w-])(?:{_H}(?P<noun>{_EQUIPMENT}){_E})?"
)
#: Words before a mark number ("Mk 41"): the number after them is not a count.
MARK_WORDS: Final = ("Mk", "Mark", "Model", "Type", "Block")
#: A mark number before an equipment noun ("Mk 41" in "Mk 41 launchers"); without the noun
#: it is too often something else ("Type 2 diabetes"). The noun is not part of the name.
MARK: Final = re.compile(
    rf"{_B}(?P<code>(?:{'|'.join(MARK_WORDS)})\.?{_H}?\d+[A-Za-z]?){_H}(?:{_EQUIPMENT}){_E}"
)


def designator_is_equipment(prefix: str) -> bool:
    return prefix not in DESIGNATOR_STOPLIST
