"""A document too long for a token format is refused before anything is written, by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.export import token_cache
from annotator.export.errors import ExportError
from annotator.services import exporting
from annotator.services.exporting import MAX_TOKENIZED_CHARACTERS, export
from annotator.storage.database import Database


def _project(path: Path, texts: list[tuple[str, str]]) -> Database:
    db = Database.open(path)
    with db.write() as store:
        store.insert_documents(
            [
                {"external_id": f"d{i}", "title": title, "text": text,
                 "sha256": token_cache.text_hash(text)}
                for i, (title, text) in enumerate(texts)
            ]
        )  # fmt: skip
    return db


def test_token_format_refuses_a_document_over_the_limit(tmp_path: Path) -> None:
    long = "word " * (MAX_TOKENIZED_CHARACTERS // 5 + 1)
    db = _project(tmp_path / "p.sqlite", [("Short", "A short text."), ("Corpus dump", long)])
    out = tmp_path / "out.jsonl"
    with pytest.raises(ExportError) as raised:
        export(db, out, fmt="prodigy")
    message = str(raised.value)
    assert "#2 'Corpus dump'" in message
    assert f"{len(long):,} characters" in message
    assert not out.exists()
    # The lossless format has no tokens to hold and takes it.
    summary = export(db, tmp_path / "native.jsonl", fmt="annotator")
    assert summary.documents == 2
    db.close()


def test_a_long_document_left_out_does_not_stop_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exporting, "MAX_TOKENIZED_CHARACTERS", 20)
    db = _project(tmp_path / "p.sqlite", [("Short", "A short text."), ("Long", "word " * 10)])
    # Only done documents go out, and neither is done: nothing is refused.
    summary = export(db, tmp_path / "out.jsonl", fmt="conll", only_done=True)
    assert summary.documents == 0
    with pytest.raises(ExportError, match="#2 'Long' has 50 characters"):
        export(db, tmp_path / "all.jsonl", fmt="conll")
    db.close()
