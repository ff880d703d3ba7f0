"""Marking by windows (``Boilerplate.windows``) looks only at the lines that begin or end like a
frequent piece: it must find exactly what looking at every line finds."""

from __future__ import annotations

import random

import pytest

from annotator.ingest import boilerplate
from annotator.ingest.boilerplate import BoilerplateSettings, learn
from tests.ingest import test_boilerplate_pinned as pinned
from tests.ingest.fixtures import APPEAL, APPEAL_GLUE, FOOTER, article, random_story


def test_the_pinned_corpus_gives_the_same_ranges_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(boilerplate, "_PRUNE_AT", pinned._PRUNE_AT)
    used = 0
    for source, texts in pinned.corpus().items():
        settings = pinned._PRUNED_SETTINGS if source == "pruned" else BoilerplateSettings()
        every_line = learn(texts, settings)
        model = every_line.with_windows(texts[:64])
        used += model.windows is not None
        for text in texts:
            assert model.ranges(text) == every_line.ranges(text)
    assert used == 4  # every source with boilerplate


_FRAGMENTS = (
    *APPEAL,
    APPEAL_GLUE,
    *FOOTER,
    "Comments",
    "Share",
    "Mr. Brandt said.",
    "U.S. officials said.",
    "It was over!",
    "“We will see.”",
)


def _scrambled(rng: random.Random, index: int) -> str:
    """An article with boilerplate fragments put anywhere: alone, glued before or after body
    sentences, with blank lines, spaces and tabs around."""
    story = random_story(rng, index)
    lines = [story.headline, story.standfirst, *story.paragraphs]
    for _ in range(rng.randint(2, 14)):
        fragment = rng.choice(_FRAGMENTS)
        at = rng.randrange(len(lines) + 1)
        roll = rng.random()
        if roll < 0.4 or at == len(lines):
            lines.insert(at, fragment)
        elif roll < 0.7:
            lines[at] = fragment + rng.choice(("", " ")) + lines[at]
        else:
            lines[at] = lines[at] + rng.choice(("", " ")) + fragment
    pads = ("", "", " ", "\t", "\u00a0")
    return "\n".join(rng.choice(pads) + line + rng.choice(pads) for line in lines) + rng.choice(
        ("", "\n", "\n\n  \n")
    )


def test_scrambled_boilerplate_gives_the_same_ranges_either_way() -> None:
    rng = random.Random(23)
    texts = [_scrambled(rng, index) for index in range(600)]
    every_line = learn(texts)
    model = every_line.with_windows(texts[:64])
    assert model.windows is not None
    marked = 0
    for text in texts:
        found = model.ranges(text)
        assert found == every_line.ranges(text), text
        marked += bool(found)
    assert marked > 300


def test_pairs_of_scrambled_documents_give_the_same_ranges_either_way() -> None:
    # A source of two: blocks count from 200 characters, except one that ends the document.
    rng = random.Random(31)
    marked = 0
    for pair in range(150):
        texts = [_scrambled(rng, 2 * pair), _scrambled(rng, 2 * pair + 1)]
        every_line = learn(texts)
        model = every_line.with_windows(texts)
        if model.windows is None:
            continue
        for text in texts:
            found = model.ranges(text)
            assert found == every_line.ranges(text), text
            marked += bool(found)
    assert marked > 50


def test_a_piece_missing_from_the_documents_given_marks_by_every_line() -> None:
    # The footer is in the first 40% of the documents only (an older template): the last 64
    # do not have its text, so marking looks at every line, and still finds it; from the
    # first 64, marking by windows finds the same.
    rng = random.Random(29)
    texts = [
        article(random_story(rng, index), appeal=False, footer=index < 200) for index in range(500)
    ]
    model = learn(texts)
    assert model.pieces
    assert model.with_windows(texts[-64:]) == model
    assert model.with_windows(texts[-64:]).windows is None
    by_windows = model.with_windows(texts[:64])
    assert by_windows.windows is not None
    first = texts[0]
    for marking in (model, by_windows):
        assert [first[r.start : r.end] for r in marking.ranges(first)] == ["\n".join(FOOTER)]
