"""The token cache: decoding a stored entry gives exactly what tokenizing gives, and a second
export of a token format reads the stored boundaries instead of tokenizing again."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core.tokens import tokenize
from annotator.export import token_cache
from annotator.services.exporting import export
from annotator.storage.database import Database

TEXTS = [
    "",
    "   ",
    "Headline without a stop\nFirst paragraph. Second one!  Third\u2028line",
    "Flags \U0001f1ea\U0001f1fa and a family \U0001f468\u200d\U0001f469\u200d\U0001f467 here.",
    "Tabs\tand\u00a0NBSP, e\u0301 combining, \u0928\u092e\u0938\u094d\u0924\u0947 Hindi.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_decoded_entry_is_what_tokenizing_gives(text: str) -> None:
    tokenized = tokenize(text)
    assert token_cache.decode(text, token_cache.encode(tokenized)) == tokenized


def _entries(db: Database) -> dict[str, str]:
    with db.read() as store:
        rows = store.session.connection().exec_driver_sql(
            "SELECT sha256, tokenizer FROM token_boundaries"
        )
        return dict(rows.fetchall())


def test_second_export_reads_the_stored_boundaries(
    corpus_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export(corpus_db, tmp_path / "first.jsonl", fmt="prodigy")
    entries = _entries(corpus_db)
    texts = [orjson.loads(line)["text"] for line in (tmp_path / "first.jsonl").open("rb")]
    assert first.documents > 0
    assert {token_cache.text_hash(t) for t in texts} <= set(entries)
    assert set(entries.values()) == {token_cache.TOKENIZER}

    # Nothing is tokenized the second time: the tokenizer is made to fail.
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("tokenized again")

    monkeypatch.setattr(token_cache, "tokenize_many", refuse)
    export(corpus_db, tmp_path / "second.jsonl", fmt="prodigy")
    assert (tmp_path / "second.jsonl").read_bytes() == (tmp_path / "first.jsonl").read_bytes()


def test_entries_of_another_tokenizer_are_made_again(corpus_db: Database, tmp_path: Path) -> None:
    export(corpus_db, tmp_path / "first.conll", fmt="conll")
    with corpus_db.write() as store:
        store.session.connection().exec_driver_sql(
            "UPDATE token_boundaries SET tokenizer = 'v0 spacy 0.0', data = x'00000000'"
        )
    export(corpus_db, tmp_path / "second.conll", fmt="conll")
    assert set(_entries(corpus_db).values()) == {token_cache.TOKENIZER}
    assert (tmp_path / "second.conll").read_bytes() == (tmp_path / "first.conll").read_bytes()


def test_entries_round_trip_on_each_backend(backend_url: str) -> None:
    text = TEXTS[3]
    tokenized = tokenize(text)
    sha = token_cache.text_hash(text)
    db = Database.open(backend_url)
    try:
        with db.write() as store:
            store.store_token_boundaries({sha: token_cache.encode(tokenized)}, "old tokenizer")
        with db.write() as store:  # a later tokenizer replaces the entry
            store.store_token_boundaries({sha: token_cache.encode(tokenized)}, "new tokenizer")
        with db.read() as store:
            assert store.token_boundaries([sha], "old tokenizer") == {}
            found = store.token_boundaries([sha, "0" * 64], "new tokenizer")
        assert list(found) == [sha]
        assert token_cache.decode(text, found[sha]) == tokenized
    finally:
        db.close()
