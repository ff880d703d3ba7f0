"""A large source is counted from a sample of its documents (``BoilerplateSettings.sample``):
past twice ``sample`` documents, the n-th is counted with a chance of ``sample / n``, weighted
by its inverse. What it finds must be what counting every document finds, away from the
threshold."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from annotator.ingest import boilerplate
from annotator.ingest.boilerplate import BoilerplateSettings, detect
from tests.ingest.fixtures import APPEAL, APPEAL_GLUE, FOOTER, article, random_story

RELATED = "Related coverage: our reporters follow the port dispute day by day"


def _corpus(size: int) -> dict[int, str]:
    """The appeal in 40% of the documents, the footer in 30% (both in a pattern that repeats
    every 5 and 10 documents, as interleaved templates do), a related-coverage line in 10%:
    under the 20% threshold."""
    rng = random.Random(17)
    texts = {}
    for index in range(size):
        text = article(random_story(rng, index), appeal=index % 5 < 2, footer=index % 10 < 3)
        if index % 10 == 9:
            text = text.replace("\n", f"\n{RELATED}\n", 1)
        texts[index] = text
    return texts


def _expected(index: int) -> list[str]:
    expected = []
    if index % 5 < 2:
        expected.append("\n".join(APPEAL) + "\n" + APPEAL_GLUE)
    if index % 10 < 3:
        expected.append("\n".join(FOOTER))
    return expected


def test_a_sampled_source_finds_what_counting_every_document_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _corpus(3_000)
    counted = 0
    piece_keys = boilerplate._piece_keys

    def counting(text: str, glued: int, shortest: int) -> set[int]:
        nonlocal counted
        counted += 1
        return piece_keys(text, glued, shortest)

    monkeypatch.setattr(boilerplate, "_piece_keys", counting)
    sampled = detect(texts.items(), BoilerplateSettings(sample=100))
    # The first 200 documents, then about 100 x (1/2 + 1/3 + ... + 1/29): 200 + 300.
    assert 400 < counted < 600
    counted = 0

    exact = detect(texts.items(), BoilerplateSettings(sample=0))

    assert counted == len(texts)
    assert sampled == exact
    for index, text in texts.items():
        assert [text[r.start : r.end] for r in sampled[index]] == _expected(index), index


def test_a_source_under_twice_the_sample_is_counted_whole() -> None:
    texts = _corpus(400)
    settings = BoilerplateSettings(sample=200)
    learner = boilerplate.BoilerplateLearner(settings)
    for text in texts.values():
        learner.add(text)
    exact = boilerplate.BoilerplateLearner(BoilerplateSettings(sample=0))
    for text in texts.values():
        exact.add(text)
    assert learner._counts == exact._counts


def _picked(settings: BoilerplateSettings, size: int) -> list[int]:
    """The positions of the documents a learner counts in a source of ``size``."""
    learner = boilerplate.BoilerplateLearner(settings)
    picked = []
    for index in range(size):
        before = sum(learner._counts.values())
        # A text whose one line is new each time: counted, it adds to the counter.
        learner.add(f"Line number {index}")
        if sum(learner._counts.values()) > before:
            picked.append(index)
    return picked


def test_the_sample_is_the_same_in_every_run() -> None:
    # Picked by position, not by Python's hash (salted per process): the ranges of a source do
    # not change from one import to the next.
    script = (
        "from tests.ingest.test_boilerplate_sampling import _picked\n"
        "from annotator.ingest.boilerplate import BoilerplateSettings\n"
        "print(_picked(BoilerplateSettings(sample=20), 400))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert runs[0].startswith("[0, 1, 2,")


def test_documents_that_alternate_are_counted_about_as_often_as_they_occur() -> None:
    # A source whose documents alternate between templates (every 2nd, 3rd... 16th document):
    # each template's estimated share is within 3 points of its true share (about twice the
    # spread of a random sample as large), at 20,000 documents of which the default sample
    # counts about 2,000.
    periods = range(2, 17)
    size = 20_000
    learner = boilerplate.BoilerplateLearner()
    for n in range(size):
        learner.add("\n".join(f"template {n % period} of {period}" for period in periods))
    assert learner._pruned_at == 0
    for period in periods:
        for residue in range(period):
            line = f"template {residue} of {period}"
            key = hash(line) & boilerplate._HASH_MASK | len(line)
            occurring = len(range(residue, size, period))
            assert abs(learner._counts[key] - occurring) < 0.03 * size, (period, residue)


def test_settings_refuse_a_negative_sample() -> None:
    with pytest.raises(ValueError, match="sample"):
        BoilerplateSettings(sample=-1)
