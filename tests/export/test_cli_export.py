"""``annotator export``: every option, the summary it prints, ``--check`` and exit codes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, build_parser, main
from annotator.services.exporting import FORMATS
from tests.export.corpus import corpus


@pytest.fixture
def project(tmp_path: Path) -> str:
    records = corpus()
    for record in records:
        for item in record.get("entities", []) + record.get("claims", []):
            item.setdefault("annotator", "ana")
    source = tmp_path / "corpus.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    db = str(tmp_path / "p.sqlite")
    assert main(["import", str(source), "--db", db, "--no-boilerplate"]) == EXIT_OK
    return db


def test_format_choices_are_the_service_formats() -> None:
    parser = build_parser()
    export = parser._subparsers._group_actions[0].choices["export"]  # type: ignore[union-attr]
    (fmt,) = [a for a in export._actions if a.dest == "format"]
    assert tuple(fmt.choices) == tuple(FORMATS)


def test_export_prints_what_went_out_and_what_did_not(
    project: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "train.jsonl"
    assert main(["export", "--db", project, "--format", "prodigy", "--out", str(out)]) == EXIT_OK
    captured = capsys.readouterr()
    assert "Exported 3 documents (13 entities, 3 claims) as prodigy" in captured.out
    assert "1 not done (use --all to include them)" in captured.out
    assert "1 done by several annotators (choose with --annotator)" in captured.out
    assert "read back and checked" in captured.out
    assert "warning: nested [59:63]: misaligned 'ship'" in captured.err
    assert "warning: pair: annotator-conflict" in captured.err
    assert len(out.read_bytes().splitlines()) == 3


def test_split_all_annotator_and_drop_ignored(
    project: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hf"
    args = ["export", "--db", project, "--format", "hf", "--out", str(out), "--all"]
    args += ["--annotator", "ana", "--drop-ignored", "--split", "train=0.6,test=0.4"]
    args += ["--seed", "5", "--group-by", "source"]
    assert main(args) == EXIT_OK
    assert "Exported 5 documents (" in capsys.readouterr().out
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert (manifest["seed"], manifest["group_by"], manifest["options"]["drop_ignored"]) == (
        5,
        "source",
        True,
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "labels.json",
        "manifest.json",
        "test.jsonl",
        "train.jsonl",
    ]
    assert main(["export", "--format", "hf", "--check", str(out)]) == EXIT_OK
    assert "reads back cleanly" in capsys.readouterr().out


def test_check_exits_1_on_a_corrupted_export(
    project: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.conll"
    assert main(["export", "--db", project, "--format", "conll", "--out", str(out)]) == EXIT_OK
    out.write_text(out.read_text(encoding="utf-8").replace(" B-ORG ", " I-ORG ", 1))
    capsys.readouterr()
    assert main(["export", "--format", "conll", "--check", str(out)]) == EXIT_REJECTED
    captured = capsys.readouterr()
    assert "error:" in captured.err and "I- tag must continue" in captured.err
    assert "problems found" in captured.out


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "prodigy"],  # no --out
        ["--format", "prodigy", "--out", "x", "--split", "train=2"],
        ["--format", "prodigy", "--out", "x", "--group-by", "source"],
        ["--format", "prodigy", "--out", "x", "--include-suggestions"],
        ["--format", "prodigy", "--out", "x", "--all", "--done-only"],
        ["--format", "nonsense", "--out", "x"],
    ],
)
def test_usage_errors_exit_2(extra: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", *extra]) == EXIT_USAGE


def test_an_export_error_exits_1(
    project: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("keep me")
    assert main(["export", "--db", project, "--format", "brat", "--out", str(folder)]) == 1
    assert "not an Annotator export" in capsys.readouterr().err
