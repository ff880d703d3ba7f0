"""Every ``annotator`` command, run as a user runs it, meets a database it cannot write and a
file or project that is not there with a one-line message and a non-zero exit, never a Python
traceback.

(a) ``--db`` names a sound project in a folder that cannot be written: a read-only bind mount
    of a writable folder (the tests run as root, whom ``chmod`` does not stop; skipped, saying
    why, where mounting is not allowed).
(b) The input file a command reads is missing (``import``, ``export --check``,
    ``suggest --evaluate``), or, for the commands that only work on an existing project,
    ``--db`` names a project file that does not exist: that must be refused, not created.

Each case is a subprocess (``python -m annotator``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TRACEBACK = "Traceback (most recent call last)"

#: Every command and action of ``annotator --help`` (and the window: no command), with the
#: arguments it needs; ``{input}`` is a file the command reads, ``{out}`` where it writes.
COMMANDS: dict[str, list[str]] = {
    "window": [],
    "import": ["import", "{input}"],
    "export": ["export", "--format", "annotator", "--out", "{out}"],
    "export --check": ["export", "--format", "annotator", "--check", "{input}"],
    "suggest": ["suggest"],
    "suggest --evaluate": ["suggest", "--evaluate", "{input}"],
    "suggest --train": ["suggest", "--train"],
    "suggest --status": ["suggest", "--status"],
    "stats": ["stats"],
    "claims": ["claims"],
    "dedupe": ["dedupe"],
    "db check": ["db", "check"],
    "db backup": ["db", "backup"],
    "db upgrade": ["db", "upgrade"],
    "agreement": ["agreement"],
    "team": ["team"],
    "team list": ["team", "list"],
    "team add": ["team", "add", "ana"],
    "team reviewer": ["team", "reviewer", "ana"],
    "team per-document": ["team", "per-document", "2"],
    "team next": ["team", "next", "--annotator", "ana"],
    "adjudicate": ["adjudicate", "--auto-agreed"],
    "new": ["new"],
    "labels": ["labels"],
}

#: Commands that read a file named on the command line: case (b) takes that file away.
READS_A_FILE = {"import", "export --check", "suggest --evaluate"}
#: Commands that make a project where none is: a missing --db is their normal case.
CREATE = {"window", "new"}
#: Commands that never open the project (case (a) does not apply).
NO_PROJECT = {"export --check"}


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def message_lines(self) -> list[str]:
        """What the command said on stderr, without the log records the window writes and
        the one line per finished phase that progress prints when stderr is not a terminal
        ("Importing documents: 0 of 0 documents in 0.0 s")."""
        return [
            line
            for line in self.stderr.splitlines()
            if line.strip()
            and not line.startswith(("INFO ", "WARNING ", "DEBUG "))
            and not _PHASE_LINE.match(line)
        ]


_PHASE_LINE = re.compile(r"^[A-Z][a-z]+(?: [a-z]+)*: [\d,]+(?: of [\d,]+)? \w+ in [\d.]+ s")


def _annotator(args: list[str], home: Path) -> Run:
    env = {
        **os.environ,
        "ANNOTATOR_DATA_DIR": str(home / "data"),
        "ANNOTATOR_CONFIG_DIR": str(home / "config"),
        "ANNOTATOR_QUIT_AFTER_MS": "60000",  # the window never waits for a person
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("ANNOTATOR_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=600,  # a hung command is a failure, not a stuck run; not a speed limit
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def _arguments(command: str, *, input_file: Path, out: Path) -> list[str]:
    return [
        a.replace("{input}", str(input_file)).replace("{out}", str(out)) for a in COMMANDS[command]
    ]


def _assert_refused_in_one_line(run: Run, *names: str) -> None:
    assert TRACEBACK not in run.stderr and TRACEBACK not in run.stdout, run.stderr
    assert run.code != 0, (run.stdout, run.stderr)
    lines = run.message_lines()
    assert len(lines) == 1, run.stderr
    for name in names:
        assert name in lines[0], lines[0]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A sound project with one article, and the same folder through a read-only mount."""
    root = tmp_path_factory.mktemp("no-tracebacks")
    article = root / "article.txt"
    article.write_text("Harbour reopens\nThe mayor said the port reopened.\n", encoding="utf-8")
    writable = root / "writable"
    writable.mkdir()
    seeded = _annotator(["--db", str(writable / "project.sqlite"), "import", str(article)], root)
    assert seeded.code == 0, seeded.stderr
    for extra in writable.iterdir():  # only the project: no backups folder, no lock
        if extra.name != "project.sqlite":
            shutil.rmtree(extra) if extra.is_dir() else extra.unlink()
    yield root


@pytest.fixture(scope="module")
def read_only_project(workspace: Path) -> Iterator[Path]:
    view = workspace / "read-only"
    view.mkdir()
    steps = (
        ["mount", "--bind", str(workspace / "writable"), str(view)],
        ["mount", "-o", "remount,bind,ro", str(view)],
    )
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            subprocess.run(["umount", str(view)], capture_output=True, check=False)
            pytest.skip(f"needs a read-only bind mount (root, mounts allowed): {done.stderr}")
    try:
        yield view / "project.sqlite"
    finally:
        subprocess.run(["umount", str(view)], capture_output=True, check=False)


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - NO_PROJECT))
def test_a_project_in_a_read_only_folder(
    command: str, read_only_project: Path, workspace: Path, tmp_path: Path
) -> None:
    args = _arguments(command, input_file=workspace / "article.txt", out=tmp_path / "out.jsonl")
    run = _annotator(["--db", str(read_only_project), *args], tmp_path)
    _assert_refused_in_one_line(run, str(read_only_project), "read-only")


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - CREATE))
def test_a_missing_file_or_project(command: str, workspace: Path, tmp_path: Path) -> None:
    missing_input = tmp_path / "no-such-article.txt"
    if command in READS_A_FILE:
        # A project that is not there either (except for import, which makes one): nothing
        # may be created on the way to saying the file is missing.
        project = tmp_path / "project.sqlite"
        if command == "import":
            shutil.copy(workspace / "writable" / "project.sqlite", project)
        expected = [str(missing_input)]
    else:
        project = tmp_path / "mistyped.sqlite"
        expected = [f"no project at {project}", "does not exist"]
    args = _arguments(command, input_file=missing_input, out=tmp_path / "out.jsonl")
    run = _annotator(["--db", str(project), *args], tmp_path)
    _assert_refused_in_one_line(run, *expected)
    if command != "import":
        assert not project.exists(), "a project was created where none was"
