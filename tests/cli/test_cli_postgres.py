"""The command line on a PostgreSQL URL: import, export, stats and db commands against a real
server, the export matching the same work on SQLite, and no password in any output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from sqlalchemy.engine import make_url

from annotator.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from tests.helpers import write_articles

SECRET = "annotator-test"  # the password .ci/postgres gives the test role


def _export(db: str, out: Path) -> list[dict[str, object]]:
    code = main(["export", "--db", db, "--format", "annotator", "--out", str(out), "--all"])
    assert code == EXIT_OK
    return [orjson.loads(line) for line in out.read_bytes().splitlines()]


def test_import_export_stats_round_trip(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_articles(tmp_path / "outlet")
    assert main(["import", str(tmp_path / "outlet"), "--db", pg_url]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Imported 3 documents" in out and "boilerplate found in 3 documents" in out
    # The same files again: recognised by their hash on the server too.
    assert main(["import", str(tmp_path / "outlet"), "--db", pg_url]) == EXIT_OK
    capsys.readouterr()

    first = _export(pg_url, tmp_path / "pg.jsonl")
    assert len(first) == 3 and all(r["ignored"] for r in first)

    # PostgreSQL → native JSONL → SQLite → native JSONL gives the same records, and back.
    lite = str(tmp_path / "copy.sqlite")
    assert main(["import", str(tmp_path / "pg.jsonl"), "--format", "annotator", "--db", lite]) == 0
    assert _export(lite, tmp_path / "lite.jsonl") == first

    capsys.readouterr()
    assert main(["--db", pg_url, "stats", "--json"]) == EXIT_OK
    stats = orjson.loads(capsys.readouterr().out)
    assert stats["documents"] == 3 and stats["status"]["new"] == 3

    assert main(["db", "check", "--db", pg_url]) == EXIT_OK
    assert main(["db", "upgrade", "--db", pg_url]) == EXIT_OK
    # Servers are backed up with pg_dump, not by Annotator: said, and exit 1.
    assert main(["db", "backup", "--db", pg_url]) == EXIT_REJECTED
    captured = capsys.readouterr()
    assert "pg_dump" in captured.err


def test_a_password_in_the_url_is_never_printed(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_password = make_url(pg_url).set(password=SECRET).render_as_string(hide_password=False)
    assert SECRET in with_password
    write_articles(tmp_path / "outlet")
    assert main(["import", str(tmp_path / "outlet"), "--db", with_password]) == EXIT_OK
    assert main(["--db", with_password, "stats"]) == EXIT_OK
    assert main(["db", "check", "--db", with_password]) == EXIT_OK
    assert main(["db", "upgrade", "--db", with_password]) == EXIT_OK
    captured = capsys.readouterr()
    assert "***" in captured.out
    assert SECRET not in captured.out + captured.err

    # A project given both ways is a usage error; the message shows the URL masked.
    assert main(["--db", "x.sqlite", with_password]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert "give the project once" in captured.err and SECRET not in captured.err


def test_a_wrong_password_names_the_masked_url(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = make_url(pg_url).set(password="not-the-password-42")
    assert main(["--db", wrong.render_as_string(hide_password=False), "stats"]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "password authentication failed" in err
    assert wrong.render_as_string(hide_password=True) in err
    assert "not-the-password-42" not in err


def test_a_real_subprocess_on_the_server(pg_url: str, tmp_path: Path) -> None:
    """The installed entry point, with the password from PGPASSWORD (the environment)."""
    write_articles(tmp_path / "outlet")
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", pg_url, "import", str(tmp_path / "outlet")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Imported 3 documents" in done.stdout
    assert SECRET not in done.stdout + done.stderr
