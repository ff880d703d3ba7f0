"""The command line never prints a credential of a database URL, wherever the URL carries it:
``user:password@``, ``?password=``, ``?PASSWORD=``, ``?sslpassword=``.

Run as a user runs it (``python -m annotator`` in a subprocess), against a loopback port where no
server listens, so every command fails the way an unreachable team database fails; each must
say which database (masked) and exit 1, its secret in neither stdout nor stderr.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "Sesame-7q"

FORMS = {
    "userinfo": f"postgresql+psycopg://ana:{SECRET}@{{host}}/corpus",
    "query": f"postgresql+psycopg://ana@{{host}}/corpus?password={SECRET}",
    "query upper case": f"postgresql+psycopg://ana@{{host}}/corpus?PASSWORD={SECRET}",
    "query sslpassword": f"postgresql://ana@{{host}}/corpus?sslmode=disable&sslpassword={SECRET}",
}

COMMANDS = {
    "stats": ["stats"],
    "db check": ["db", "check"],
    "new": ["new"],
    "labels": ["labels"],
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
        "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
        "ANNOTATOR_QUIT_AFTER_MS": "60000",  # the window, if one opens, never waits for a person
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("ANNOTATOR_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,  # a hung process is a failure, not a stuck test run; not a speed limit
        check=False,
    )


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_no_command_prints_the_secret(form: str, command: str, tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = FORMS[form].format(host=f"127.0.0.1:{_free_port()}")
    done = _run(["--db", url, *COMMANDS[command]], tmp_path)
    assert done.returncode == 1, done.stderr
    assert "127.0.0.1" in done.stderr and "***" in done.stderr  # names the database, masked
    assert SECRET not in done.stderr and SECRET not in done.stdout


@pytest.mark.parametrize("form", sorted(FORMS))
def test_the_window_start_prints_no_secret(form: str, tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = FORMS[form].format(host=f"127.0.0.1:{_free_port()}")
    done = _run([url], tmp_path)  # what a file manager or a shortcut runs
    assert done.returncode == 1, done.stderr
    assert "127.0.0.1" in done.stderr
    assert SECRET not in done.stderr and SECRET not in done.stdout
    settings = tmp_path / "config" / "settings.ini"
    assert not settings.exists() or SECRET not in settings.read_text(encoding="utf-8")


def test_a_misplaced_url_is_refused_without_its_secret(tmp_path: Path) -> None:
    url = FORMS["query"].format(host="db.example")
    done = _run([url, "stats"], tmp_path)
    assert done.returncode == 2
    assert SECRET not in done.stderr
    assert "db.example" in done.stderr and "***" in done.stderr  # what was typed, masked


def test_a_url_that_does_not_parse_is_refused_without_a_traceback_or_its_secret(
    tmp_path: Path,
) -> None:
    """A port that is not a number made SQLAlchemy raise ValueError: a traceback that
    printed the URL, password included."""
    done = _run(
        ["--db", f"postgresql://ana:{SECRET}@db.example:notaport/corpus", "stats"], tmp_path
    )
    assert done.returncode == 1
    assert "Traceback (most recent call last)" not in done.stderr
    assert "db.example" in done.stderr and SECRET not in done.stderr + done.stdout
