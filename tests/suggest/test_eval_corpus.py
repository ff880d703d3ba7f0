"""The evaluation corpus (resources/eval/gold.jsonl): readable by the project's own native
reader, every span token-aligned (so spaCy's strict ``char_span`` accepts it), claimants and
cues consistent, and exactly what ``tools/build_gold.py`` makes from the marked-up articles."""

from __future__ import annotations

import runpy
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from annotator.core.model import CLAIM_TYPES, Status
from annotator.core.resources import resource
from annotator.core.tokens import get_nlp, tokenize
from annotator.ingest.native import read_native
from annotator.ingest.records import ImportedDocument, ImportProblem

EVAL = Path(str(resource("eval")))
BUILDER = Path(__file__).resolve().parents[2] / "tools" / "build_gold.py"
GOLD = EVAL / "gold.jsonl"
LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "QUANTITY", "WEAPON"}


@pytest.fixture(scope="module")
def documents() -> list[ImportedDocument]:
    items = list(read_native(GOLD))
    problems = [item.describe() for item in items if isinstance(item, ImportProblem)]
    assert problems == []
    return [item for item in items if isinstance(item, ImportedDocument)]


def test_the_corpus_is_big_enough_and_done(documents: list[ImportedDocument]) -> None:
    assert len(documents) >= 12
    assert len({d.external_id for d in documents}) == len(documents)
    for doc in documents:
        assert doc.statuses == {"eval": Status.DONE}
        assert doc.entities and doc.claims
    labels = Counter(e.label for d in documents for e in d.entities)
    assert set(labels) == LABELS


def test_articles_have_the_shape_of_scraped_news(documents: list[ImportedDocument]) -> None:
    for doc in documents:
        lines = doc.text.split("\n")
        assert doc.title == lines[0]
        assert lines[-1] == "Comments"
        appeal, footer = sorted(doc.ignored, key=lambda r: r.start)
        # The appeal is glued to the first body sentence: no line break where it ends.
        assert doc.text[appeal.end - 1] != "\n" and doc.text[appeal.end] not in "\n "
        assert footer.end == len(doc.text)


def test_every_span_is_token_aligned_and_outside_boilerplate(
    documents: list[ImportedDocument],
) -> None:
    nlp = get_nlp()
    for doc in documents:
        tokens = tokenize(doc.text)
        spacy_doc = nlp.make_doc(doc.text)
        spans = [(e.start, e.end) for e in doc.entities] + [(c.start, c.end) for c in doc.claims]
        spans += [c.cue for c in doc.claims if c.cue is not None]
        for start, end in spans:
            where = f"{doc.external_id} {doc.text[start:end]!r}"
            assert tokens.is_token_aligned(start, end), where
            assert spacy_doc.char_span(start, end) is not None, where
            assert not any(start < r.end and r.start < end for r in doc.ignored), where
        ordered = sorted(doc.entities, key=lambda e: e.start)
        for before, after in pairwise(ordered):
            assert before.end <= after.start, f"{doc.external_id}: overlapping entities"


def test_claimants_are_named_entities_and_cues_lie_outside_claims(
    documents: list[ImportedDocument],
) -> None:
    for doc in documents:
        entities = {e.ref: e for e in doc.entities}
        for claim in doc.claims:
            if claim.claimant is not None:
                assert entities[claim.claimant].label in {"PERSON", "ORG", "GPE", "FAC"}
            if claim.cue is not None:
                cue_start, cue_end = claim.cue
                assert cue_end <= claim.start or claim.end <= cue_start
            assert claim.claim_type in CLAIM_TYPES


def test_gold_is_what_the_builder_makes_from_the_articles() -> None:
    builder = runpy.run_path(str(BUILDER), run_name="build_gold")
    assert builder["build"]() == GOLD.read_text(encoding="utf-8")
