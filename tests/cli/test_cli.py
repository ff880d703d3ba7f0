"""The command line, run in-process through ``main(argv)`` and once as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from annotator import __version__
from annotator.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from tests.helpers import write_articles


def test_version_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == EXIT_OK
    assert __version__ in capsys.readouterr().out
    assert main(["import"]) == EXIT_USAGE
    assert main(["export", "--format", "nonsense", "--out", "x"]) == EXIT_USAGE
    assert main(["frobnicate"]) == EXIT_USAGE


def test_import_stats_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.sqlite")
    write_articles(tmp_path / "outlet")
    assert main(["import", str(tmp_path / "outlet"), "--db", db]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Imported 3 documents" in out and "boilerplate found in 3 documents" in out
    assert main(["--db", db, "stats", "--json"]) == EXIT_OK
    stats = orjson.loads(capsys.readouterr().out)
    assert stats["documents"] == 3 and stats["status"]["new"] == 3
    target = tmp_path / "out.jsonl"
    # Nothing is done yet: by default only done documents go out, so ask for all of them.
    export = ["export", "--db", db, "--format", "annotator", "--out", str(target), "--all"]
    assert main(export) == EXIT_OK
    records = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert len(records) == 3 and all(r["offsets"] == "codepoint" for r in records)
    assert all(r["ignored"] for r in records)


def test_rejected_input_exits_1_after_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.sqlite")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    good = tmp_path / "good.txt"
    good.write_text("A headline\nA body line.\n", encoding="utf-8")
    code = main(["import", str(bad), str(good), str(tmp_path / "missing.txt"), "--db", db])
    captured = capsys.readouterr()
    assert code == EXIT_REJECTED
    assert "Imported 1 documents" in captured.out
    assert str(bad) in captured.err and "missing.txt" in captured.err


def test_db_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.sqlite")
    # A project that is not there is not created by an upgrade.
    assert main(["db", "upgrade", "--db", db]) == EXIT_REJECTED
    assert "the file does not exist" in capsys.readouterr().err
    assert not Path(db).exists()
    assert main(["--db", db, "new"]) == EXIT_OK
    assert main(["db", "upgrade", "--db", db]) == EXIT_OK
    assert "is at the newest schema" in capsys.readouterr().out
    assert main(["db", "check", "--db", db]) == EXIT_OK
    assert "ok" in capsys.readouterr().out
    assert main(["db", "backup", "--db", db]) == EXIT_OK
    assert "Backed up" in capsys.readouterr().out
    assert list((tmp_path / "backups").glob("p-*.sqlite"))


def test_corrupt_database_exits_1_with_recovery_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    assert main(["stats", "--db", str(path)]) == EXIT_REJECTED
    assert "integrity check" in capsys.readouterr().err


def test_environment_variable_selects_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.sqlite"))
    assert main(["new"]) == EXIT_OK
    assert str(tmp_path / "env.sqlite") in capsys.readouterr().out
    assert main(["stats", "--json"]) == EXIT_OK
    assert orjson.loads(capsys.readouterr().out)["database"] == str(tmp_path / "env.sqlite")


def test_python_dash_m_runs_the_command_line(tmp_path: Path) -> None:
    assert main(["--db", str(tmp_path / "p.sqlite"), "new"]) == EXIT_OK
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(tmp_path / "p.sqlite"), "stats"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Documents:  0" in result.stdout


def test_suggest_precomputes_and_evaluates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.sqlite")
    write_articles(tmp_path / "outlet")
    assert main(["import", str(tmp_path / "outlet"), "--db", db]) == EXIT_OK
    capsys.readouterr()
    assert main(["suggest", "--db", db, "--only", "rules", "claims"]) == EXIT_OK
    assert "rules" in capsys.readouterr().out
    target = tmp_path / "with.jsonl"
    args = ["export", "--db", db, "--format", "annotator", "--all", "--include-suggestions"]
    assert main([*args, "--out", str(target)]) == EXIT_OK
    records = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    suggested = [s for r in records for s in r["suggestions"]]
    assert suggested and all(s["reason"] and s["suggester"] for s in suggested)
    gold = Path(__file__).resolve().parents[2] / "resources" / "eval" / "gold.jsonl"
    capsys.readouterr()
    assert main(["suggest", "--db", db, "--only", "rules", "--evaluate", str(gold), "--json"]) == 0
    report = orjson.loads(capsys.readouterr().out)
    assert "rules" in orjson.dumps(report).decode()
    assert main(["suggest", "--db", db, "--status"]) == EXIT_OK
    assert "not trained" in capsys.readouterr().out.lower()
    assert main(["suggest", "--db", db, "--evaluate", str(tmp_path / "nope.jsonl")]) == 1
