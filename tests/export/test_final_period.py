"""A full stop after an uppercase letter or a digit ends the word before it as a token of its
own, so a span that stops before it ("47C") is exported as it is, not widened to "47C."."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.export.problems import MISALIGNED
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import entity, fill

TEXT = "Heatwave\nTemperatures rose to 47C. Officials in the US. urged calm.\n"


@pytest.fixture(scope="module")
def heat_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("heat")
    db = Database.open(folder / "project.sqlite")
    record = {
        "id": "heat",
        "text": TEXT,
        "source": "wire",
        "entities": [entity(TEXT, "t1", "47C", "QUANTITY"), entity(TEXT, "g1", "US", "GPE")],
        "claims": [],
        "statuses": {"ana": "done"},
    }
    fill(db, folder, [record])
    yield db
    db.close()


def _spans(text: str) -> list[tuple[str, str]]:
    start = TEXT.index("47C")
    us = TEXT.index("US.")
    return [(text[start : start + 3], "QUANTITY"), (text[us : us + 2], "GPE")]


def test_prodigy_keeps_the_span_and_splits_the_full_stop(heat_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    summary = export(heat_db, out, fmt="prodigy", only_done=True)
    assert [p.kind for p in summary.problems if p.kind == MISALIGNED] == []
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [(TEXT[s["start"] : s["end"]], s["label"]) for s in record["spans"]] == _spans(TEXT)
    words = [t["text"] for t in record["tokens"]]
    assert words[words.index("47C") : words.index("47C") + 3] == ["47C", ".", "Officials"]


def test_conll_tags_the_number_alone(heat_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    export(heat_db, out, fmt="conll", only_done=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "47C B-QUANTITY O" in lines
    assert "US B-GPE O" in lines
    # The full stops are tokens outside the entities, each ending its sentence.
    index = lines.index("47C B-QUANTITY O")
    assert lines[index + 1 : index + 3] == [". O O", ""]


def test_spacy_entities_are_exact(heat_db: Database, tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    out = tmp_path / "out"
    export(heat_db, out, fmt="spacy", only_done=True)
    (doc,) = DocBin(store_user_data=True).from_disk(out / "docs-00000.spacy").get_docs(Vocab())
    assert [(e.text, e.label_) for e in doc.ents] == _spans(TEXT)


def test_boundaries_stored_by_the_previous_tokenizer_are_not_used(tmp_path: Path) -> None:
    from importlib.metadata import version

    from annotator.core.tokens import Token, Tokenized, tokenize
    from annotator.export import token_cache

    db = Database.open(tmp_path / "project.sqlite")
    try:
        record = {
            "id": "heat",
            "text": TEXT,
            "source": "wire",
            "entities": [entity(TEXT, "t1", "47C", "QUANTITY")],
            "claims": [],
            "statuses": {"ana": "done"},
        }
        fill(db, tmp_path, [record])
        # What the tokenizer before this rule stored: "47C." as one token, under its identity.
        fresh = tokenize(TEXT)
        start = TEXT.index("47C")
        old_tokens = [t for t in fresh.tokens if t.start != start + 3]
        old_tokens = [
            Token(t.start, t.end + 1, TEXT[t.start : t.end + 1]) if t.start == start else t
            for t in old_tokens
        ]
        old = Tokenized(tokens=tuple(old_tokens), sentences=fresh.sentences)
        with db.write() as store:
            store.store_token_boundaries(
                {token_cache.text_hash(TEXT): token_cache.encode(old)},
                f"v1 spacy {version('spacy')}",
            )
        out = tmp_path / "out.conll"
        export(db, out, fmt="conll", only_done=True)
        assert "47C B-QUANTITY O" in out.read_text(encoding="utf-8").splitlines()
    finally:
        db.close()
