"""Fixture articles in the shape of scraped news (headline, standfirst, a donation appeal glued
to the first body line, a comment footer), written for these tests, and helpers to run a
suggester on a text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.model import Document, Suggestion
from annotator.core.schema import LabelSchema, default_schema
from annotator.core.tokens import tokenize
from annotator.suggest.base import SuggestInput

APPEAL = (
    "Independent reporting needs you\n"
    "We stay in places other newsrooms have left, and we answer only to our readers.\n"
    "A small monthly gift keeps our correspondents on the ground.\n"
    "Every contribution makes the difference."
)
FOOTER = "Join the conversation\nRead what other subscribers think and share your view\nComments"

BODY = [
    "The Valmoran Ministry of Defence recently reported that 33 air strikes had destroyed "
    "49 Isis targets within 24 hours.",
    'Colonel General Andrei Voskov announced on Tuesday that "in total 127 sorties were made" '
    'against "206 terrorist targets."',
    "The footage shows a fleet of Tu-22M3 bombers leaving the Hmeymim airbase.",
    "Mr Dravin and French President Lucien Marchetti have reportedly agreed to coordinate "
    "attacks within the region.",
    "Dock workers in Port Sela extended their strike on Monday, the union said.",
]


def article(headline: str, standfirst: str, body: Sequence[str]) -> str:
    first, *rest = body
    return "\n".join([headline, standfirst, APPEAL + first, *rest, FOOTER]) + "\n"


ARTICLE = article(
    "Valmora intensifies air campaign with '127 sorties'",
    "Video shows a fleet of Tu-22M3 long-range bombers attacking militant positions",
    BODY,
)


def boilerplate(text: str) -> tuple[tuple[int, int], ...]:
    """The appeal and the footer of an :func:`article`, as ignored ranges."""
    start = text.index(APPEAL)
    footer = text.index(FOOTER)
    return ((start, start + len(APPEAL)), (footer, footer + len(FOOTER)))


def item(
    text: str,
    *,
    ignored: Sequence[tuple[int, int]] = (),
    schema: LabelSchema | None = None,
    document_id: int = 1,
    title: str = "fixture",
) -> SuggestInput:
    document = Document(document_id, None, title, text)
    return SuggestInput(document, tokenize(text), schema or default_schema(), tuple(ignored))


def spans(text: str, suggestions: Iterable[Suggestion]) -> list[tuple[str, str]]:
    """``(covered text, label)`` of each suggestion, in text order."""
    return [(text[s.start : s.end], s.label) for s in sorted(suggestions, key=lambda s: s.start)]
