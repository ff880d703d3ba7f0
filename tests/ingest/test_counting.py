"""The records an import will read, counted before it starts (its progress total)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.ingest import counting
from annotator.ingest.counting import count_records
from annotator.ingest.readers import read_all


def test_counts_what_the_readers_read(tmp_path: Path) -> None:
    folder = tmp_path / "outlet"
    folder.mkdir()
    for number in range(3):
        (folder / f"{number}.txt").write_text(f"Headline {number}\nBody.\n", encoding="utf-8")
    (folder / "notes.md").write_text("not imported, not counted\n", encoding="utf-8")
    lines = tmp_path / "more.jsonl"
    lines.write_bytes(b'{"text": "One"}\n\n{"text": "Two"}\n  \n{"text": "Three"}')
    table = tmp_path / "table.csv"
    table.write_text("text,title\nA body,A\nAnother body,B\n", encoding="utf-8")
    paths = [folder, lines, table]
    assert count_records(paths) == 3 + 3 + 2
    assert count_records(paths) == sum(1 for _ in read_all(paths))


def test_a_count_it_cannot_have_cheaply_is_unknown(tmp_path: Path) -> None:
    pipe = tmp_path / "stream.jsonl"
    os.mkfifo(pipe)  # readable once only: counting must not open it
    assert count_records([pipe]) is None
    tasks = tmp_path / "tasks.json"
    tasks.write_text('[{"data": {"text": "One"}}]', encoding="utf-8")
    assert count_records([tasks], "labelstudio") is None
    assert count_records([tmp_path / "missing.jsonl"]) == 1  # one problem is read


def test_a_large_file_is_counted_in_chunks(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    record = b'{"text": "' + b"x" * 5000 + b'"}\n'
    big.write_bytes(record * 600)  # about 3 MB: several chunks, lines cut across them
    assert count_records([big]) == 600


def test_blank_lines_are_not_counted_wherever_chunks_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = tmp_path / "gaps.jsonl"
    lines = [b'{"text": "a"}', b"", b" \t\r", b'{"text": "b"}', b"\x0c", b'{"text": "c"}', b"  "]
    # No line break after the last line; then blank lines first as well.
    for content in (b"\n".join(lines), b"\n \n" + b"\n".join(lines)):
        records.write_bytes(content)
        for chunk in (1, 2, 5, 1 << 20):
            monkeypatch.setattr(counting, "_CHUNK", chunk)
            assert count_records([records]) == 3, (content, chunk)
            assert count_records([records]) == sum(1 for _ in read_all([records]))
