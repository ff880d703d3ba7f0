"""Progress of the long commands: drawn on a terminal (each phase ends on a clean line of its
own), one summary line per phase without a terminal (never a carriage return), nothing with
--quiet, and Ctrl+C as a clean stop that says what was kept and exits 130."""

from __future__ import annotations

import re
import signal
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

import annotator.services.training as training_service
from annotator.cli import EXIT_INTERRUPTED, EXIT_OK, main
from annotator.cli.progress import TerminalProgress
from annotator.services.importing import BATCH_SIZE
from annotator.storage.database import Database
from annotator.suggest.training import TrainingConfig
from tests.cli.team_project import team_project
from tests.cli.terminal import COLUMNS, Screen, Terminal, TerminalSession
from tests.services.claims_corpus import claims_project
from tests.suggest.test_learned import tiny_corpus

ARTICLES = 240
SOURCES = ("harbour-post", "valley-news")
#: Enough to train in seconds; the default configuration trains for much longer.
FAST = TrainingConfig(max_epochs=4, min_epochs=2, patience=2, seed=1)


def articles(path: Path, count: int = ARTICLES) -> Path:
    with path.open("wb") as file:
        for number in range(count):
            text = (
                f"Ferry timetable {number}\n"
                f"The ferry company said crossing {number} leaves at {number % 24}:00.\n"
                "Read more of our coverage online.\n"
            )
            record = {"id": f"a{number}", "text": text, "source": SOURCES[number % 2]}
            file.write(orjson.dumps(record) + b"\n")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> str:
    """A project holding the articles."""
    db = str(tmp_path / "corpus.sqlite")
    source = articles(tmp_path / "articles.jsonl")
    assert main(["import", str(source), "--db", db, "--quiet"]) == EXIT_OK
    return db


@pytest.fixture
def claimed(tmp_path: Path) -> str:
    """A project whose articles report one claim twice."""
    path = tmp_path / "claims.sqlite"
    db = Database.open(path)
    try:
        claims_project(db)
    finally:
        db.close()
    return str(path)


@pytest.fixture
def team(tmp_path: Path) -> str:
    return team_project(tmp_path / "team.sqlite")


@pytest.fixture
def trainable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A project with enough done documents to train, trained with few epochs."""
    source = tmp_path / "done.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in tiny_corpus()))
    db = str(tmp_path / "trainable.sqlite")
    assert main(["import", str(source), "--db", db, "--quiet", "--no-boilerplate"]) == EXIT_OK
    monkeypatch.setattr(training_service, "TrainingConfig", lambda: FAST)
    return db


@dataclass(frozen=True)
class Long:
    """A long command: how to run it on a project, and the phases it shows."""

    project: str  # the fixture holding its project
    argv: Callable[[str, Path], list[str]]
    phases: tuple[str, ...]


LONG_COMMANDS = {
    "import": Long(
        "tmp_path",
        lambda db, tmp: ["import", str(articles(tmp / "in.jsonl")), "--db", db],
        ("Importing documents", "Looking for boilerplate", "Looking for near-duplicates"),
    ),
    "export": Long(
        "corpus",
        lambda db, tmp: [
            *("export", "--db", db, "--format", "annotator", "--all"),
            *("--out", str(tmp / "out.jsonl")),
        ],
        ("Choosing documents", "Exporting documents", "Reading the export back"),
    ),
    "suggest": Long("corpus", lambda db, tmp: ["suggest", "--db", db], ("Computing suggestions",)),
    "evaluate": Long(
        "team",
        lambda db, tmp: ["suggest", "--db", db, "--evaluate", str(_gold(db, tmp))],
        ("Evaluating suggesters",),
    ),
    "train": Long(
        "trainable",
        lambda db, tmp: ["suggest", "--db", db, "--train"],
        ("Reading the done documents", "Training the model"),
    ),
    "claims": Long(
        "claimed", lambda db, tmp: ["claims", "--db", db], ("Reading claims", "Comparing claims")
    ),
    "agreement": Long("team", lambda db, tmp: ["agreement", "--db", db], ("Computing agreement",)),
    "adjudicate": Long(
        "team",
        lambda db, tmp: ["adjudicate", "--db", db, "--auto-agreed"],
        ("Taking agreed units into gold",),
    ),
}


def _gold(db: str, tmp: Path) -> Path:
    gold = tmp / "gold.jsonl"
    args = ["export", "--db", db, "--format", "annotator", "--all", "--out", str(gold), "-q"]
    assert main(args) == EXIT_OK
    return gold


def _project(request: pytest.FixtureRequest, long: Long, tmp_path: Path) -> str:
    if long.project == "tmp_path":
        return str(tmp_path / "new.sqlite")
    return str(request.getfixturevalue(long.project))


def _is_finished(line: str, phase: str) -> bool:
    """A phase's last frame: the name, a count (over a total and a bar where it is known),
    the time and the rate, an optional detail, and nothing after the closing bracket. A line
    filling the terminal (tqdm leaves its last column free, and trailing blanks do not show)
    has had the end of a long detail cut off instead."""
    head = (
        re.escape(phase) + r": (\s*\d+%\|[^|]*\| )?\d+(/\d+)? \w+ \[\d\d:\d\d(<\d\d:\d\d)?,"
        r"\s+[\d.?]+ ?\w+/s"
    )
    if re.fullmatch(head + r"(, [^\]]*)?\]", line):
        return True
    return len(line) >= COLUMNS - 2 and re.match(head, line) is not None


@pytest.mark.parametrize("name", list(LONG_COMMANDS))
def test_on_a_terminal_each_phase_ends_on_a_clean_line(
    name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    long = LONG_COMMANDS[name]
    argv = long.argv(_project(request, long, tmp_path), tmp_path)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    assert main(argv) == EXIT_OK
    drawn = terminal.output()
    summary = capsys.readouterr().out

    assert "\r" in drawn  # drawn live, frame over frame
    screen = Screen.replay(drawn)
    assert screen.dirty_rows() == []
    lines = screen.lines()
    assert len(lines) == len(long.phases), lines
    for line, phase in zip(lines, long.phases, strict=True):
        assert _is_finished(line, phase), line
    assert summary.strip()  # the summary goes to standard output as before


@pytest.mark.parametrize("name", list(LONG_COMMANDS))
def test_without_a_terminal_one_line_per_phase(
    name: str, request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = LONG_COMMANDS[name]
    argv = long.argv(_project(request, long, tmp_path), tmp_path)
    capsys.readouterr()
    assert main(argv) == EXIT_OK
    captured = capsys.readouterr()
    assert "\r" not in captured.err and "\r" not in captured.out
    lines = captured.err.splitlines()
    assert [line.split(":")[0] for line in lines] == list(long.phases)
    assert all(re.fullmatch(r"[\w -]+: \d+( of \d+)? \w+ in [\d.]+ s.*", line) for line in lines)
    if name == "import":  # the records were counted first: the total was known throughout
        assert lines[0].startswith(f"Importing documents: {ARTICLES} of {ARTICLES} documents in")


def test_quiet_prints_only_problems_and_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = articles(tmp_path / "in.jsonl", 3)
    with source.open("ab") as file:
        file.write(b"{not json\n")
    db = str(tmp_path / "p.sqlite")
    assert main(["import", str(source), "--db", db, "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        line for line in captured.err.splitlines() if line.startswith("error: ")
    ]
    assert len(captured.err.splitlines()) == 1
    assert captured.out.startswith("Imported 3 documents")
    # Before the command too, like --db.
    assert (
        main(
            [
                *("--quiet", "export", "--db", db, "--format", "hf", "--all"),
                *("--out", str(tmp_path / "hf.jsonl")),
            ]
        )
        == EXIT_OK
    )
    assert capsys.readouterr().err == ""


def test_the_import_line_no_longer_leaves_the_tail_of_a_longer_one(tmp_path: Path) -> None:
    """The bug this display replaces: '0 looking for boilerplateocuments'."""
    terminal = Terminal()
    from annotator.cli.progress import Mode

    progress = TerminalProgress(terminal.stream, Mode.LIVE)
    progress(3500, 5000, "Importing documents")
    progress(5000, 5000, "Importing documents")
    progress(0, None, "Looking for boilerplate")
    progress.close()
    screen = Screen.replay(terminal.output())
    assert screen.dirty_rows() == []
    assert screen.lines()[0].startswith("Importing documents: 100%")
    assert screen.lines()[1].startswith("Looking for boilerplate: 0 sources")


# -- Ctrl+C ------------------------------------------------------------------------------


def _ctrl_c_when(
    monkeypatch: pytest.MonkeyPatch, phase: str, done: int = 1
) -> list[tuple[int, int | None, str]]:
    """Press Ctrl+C (SIGINT to this process, as a terminal sends it) the first time ``phase``
    reports ``done`` or more; returns the reports seen."""
    seen: list[tuple[int, int | None, str]] = []
    real = TerminalProgress.__call__

    def report(self: TerminalProgress, count: int, total: int | None, message: str) -> None:
        real(self, count, total, message)
        seen.append((count, total, message))
        pressed = any(m.startswith(phase) and c >= done for c, _, m in seen[:-1])
        if message.startswith(phase) and count >= done and not pressed:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(TerminalProgress, "__call__", report)
    return seen


def test_ctrl_c_during_an_export_writes_nothing(
    corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _ctrl_c_when(monkeypatch, "Exporting documents")
    out = tmp_path / "out.jsonl"
    argv = ["export", "--db", corpus, "--format", "annotator", "--all", "--out", str(out)]
    assert main(argv) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert "stopping after the current batch" in err
    assert f"annotator: interrupted: nothing written; {out} is as it was" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_during_adjudication_keeps_the_documents_done(
    team: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _ctrl_c_when(monkeypatch, "Taking agreed units into gold")
    assert main(["adjudicate", "--db", team, "--auto-agreed"]) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert "interrupted: kept the agreed units of 1 documents in gold" in err
    # The second run finishes the rest: the first document's units are in gold already, so
    # only the other one takes any.
    assert main(["adjudicate", "--db", team, "--auto-agreed", "-q"]) == EXIT_OK
    assert "into gold in 1 of 2 documents" in capsys.readouterr().out


def test_ctrl_c_during_suggestions_keeps_the_batches_done(
    corpus: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _ctrl_c_when(monkeypatch, "Computing suggestions")
    assert main(["suggest", "--db", corpus]) == EXIT_INTERRUPTED
    captured = capsys.readouterr()
    assert "cancelled: the batches done are kept" in captured.out
    kept = re.search(r"kept the suggestions of (\d+) documents", captured.err)
    assert kept is not None and 0 < int(kept.group(1)) < ARTICLES


def test_a_second_ctrl_c_stops_at_once(
    corpus: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = TerminalProgress.__call__
    pressed = False

    def report(self: TerminalProgress, *args: Any) -> None:
        nonlocal pressed
        real(self, *args)
        if not pressed:
            pressed = True
            signal.raise_signal(signal.SIGINT)  # asks to stop after the batch
            signal.raise_signal(signal.SIGINT)  # impatient: stops here

    monkeypatch.setattr(TerminalProgress, "__call__", report)
    assert main(["suggest", "--db", corpus]) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert "interrupted: stopped at once; committed batches are kept" in err
    assert "Traceback" not in err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_in_a_terminal_stops_an_import_between_batches(tmp_path: Path) -> None:
    """The real thing: ``annotator import`` in a terminal, Ctrl+C typed on it once the first
    batch is in the database (read through a connection of its own). Twenty batches make sure
    the import is still running when the key arrives; it stops after the batch it is on."""
    total = 20 * BATCH_SIZE
    source = tmp_path / "outlet.jsonl"
    source.write_bytes(
        b"".join(
            orjson.dumps({"id": f"ferry-{n}", "text": f"Ferry timetable {n}. Crossing {n}."})
            + b"\n"
            for n in range(total)
        )
    )
    db = tmp_path / "p.sqlite"
    argv = [sys.executable, "-m", "annotator", "--db", str(db), "import", str(source)]
    with TerminalSession(argv) as session:
        _wait_for_documents(db, BATCH_SIZE)
        session.type(b"\x03")
        session.wait_for("stopping after the current batch")
        code, drawn = session.finish()
    assert code == EXIT_INTERRUPTED, drawn
    assert "Traceback" not in drawn
    kept = re.search(
        r"annotator: interrupted: kept ([\d,]+) of ([\d,]+) documents; run the "
        r"same import again to finish — duplicates are skipped",
        drawn,
    )
    assert kept is not None, drawn
    documents = int(kept.group(1).replace(",", ""))
    assert int(kept.group(2).replace(",", "")) == total
    # Whole batches only, and not all of them.
    assert documents % BATCH_SIZE == 0 and 0 < documents < total
    assert f"Imported {documents} documents" in drawn  # the summary line scripts read
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM documents").fetchone()[0] == documents
    # The terminal itself echoes the typed key as "^C", wherever its cursor is when the kernel
    # gets to it; that is not the command's drawing.
    assert Screen.replay(drawn.replace("^C", "")).dirty_rows() == []


def _wait_for_documents(db: Path, count: int) -> None:
    """Until the import has committed ``count`` documents (polled; the import's own progress
    is the limit, and a test that never sees them fails on the session's own timeout)."""
    import time

    for _ in range(6000):
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as check:
                    found = check.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                found = 0  # the schema is not there yet
            if found >= count:
                return
        time.sleep(0.01)
    raise AssertionError(f"the import never committed {count} documents")
