"""``annotator import`` reports near-duplicates (``--no-near-duplicates`` skips them) and
``annotator dedupe`` finds them over the whole project."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_OK, main
from tests.syndication import corpus, write_jsonl


def test_import_reports_copies_and_dedupe_finds_them_when_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records, original_of = corpus(seed=11, originals=12, copies=8)
    path = write_jsonl(tmp_path / "all.jsonl", records)
    first = str(tmp_path / "first.sqlite")
    assert main(["new", "--db", first]) == EXIT_OK
    assert main(["import", "--db", first, "--quiet", str(path)]) == EXIT_OK
    assert "; 8 near-duplicates of another document." in capsys.readouterr().out

    second = str(tmp_path / "second.sqlite")
    assert main(["new", "--db", second]) == EXIT_OK
    assert main(["import", "--db", second, "--quiet", "--no-near-duplicates", str(path)]) == 0
    assert "; 0 near-duplicates of another document." in capsys.readouterr().out
    assert main(["dedupe", "--db", second, "--quiet"]) == EXIT_OK
    groups = len(set(original_of.values()))
    assert (
        f"{groups} groups of near-duplicates ({groups + 8} documents, 8 of them copies)"
        in capsys.readouterr().out
    )


def test_stats_counts_the_groups(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records, original_of = corpus(seed=12, originals=10, copies=6)
    project = str(tmp_path / "p.sqlite")
    assert main(["new", "--db", project]) == EXIT_OK
    path = write_jsonl(tmp_path / "all.jsonl", records)
    assert main(["import", "--db", project, "--quiet", str(path)]) == EXIT_OK
    capsys.readouterr()
    assert main(["stats", "--db", project]) == EXIT_OK
    groups = len(set(original_of.values()))
    expected = f"Near-duplicates: {groups} groups, {groups + 6} documents (6 copies of another)"
    assert expected in capsys.readouterr().out
    assert main(["stats", "--db", project, "--json"]) == EXIT_OK
    printed = orjson.loads(capsys.readouterr().out)
    assert printed["near_duplicates"] == {"groups": groups, "documents": groups + 6, "copies": 6}
