"""Values read from records: the title taken from a text's first line."""

from __future__ import annotations

import random

from annotator.ingest.values import TITLE_MAX_CHARS, title_from_text


def _first_line(text: str) -> str:
    """The definition: the first line that is not blank once stripped, cut to the limit."""
    for line in text.split("\n"):
        if line.strip():
            title = line.strip()
            return title if len(title) <= TITLE_MAX_CHARS else title[: TITLE_MAX_CHARS - 1] + "…"
    return ""


def test_the_title_is_the_first_line_with_text() -> None:
    assert title_from_text("\n \t\nHeadline here \nBody.") == "Headline here"
    assert title_from_text("Only line") == "Only line"
    assert title_from_text(" \n\n\t") == ""
    assert title_from_text("x" * 1000).endswith("…")


def test_any_text_gives_the_title_of_its_definition() -> None:
    alphabet = ["\n", "\n", " ", "\t", "\u2028", "\r", "a", "b c", "😀", "\u00a0", "x" * 400]
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert title_from_text(text) == _first_line(text), repr(text)
