"""``annotator PROJECT.sqlite`` (a file manager's "Open with", the .desktop ``%f``) opens the
project in the window, exactly like ``--db``; commands and usage errors are unchanged."""

from __future__ import annotations

import pytest

from annotator import cli

COMMANDS = {"import", "export", "stats", "db"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["corpus.sqlite"], ["--db", "corpus.sqlite"]),
        (["/home/ana/My Projects/news.SQLITE"], ["--db", "/home/ana/My Projects/news.SQLITE"]),
        (["old.db"], ["--db", "old.db"]),
        (["x.sqlite3"], ["--db", "x.sqlite3"]),
        (["postgresql://ana@db/corpus"], ["--db", "postgresql://ana@db/corpus"]),
        (["-h"], ["-h"]),
        ([], []),
        (["--db", "a.sqlite"], ["--db", "a.sqlite"]),
        (["--db", "a.sqlite", "stats"], ["--db", "a.sqlite", "stats"]),
        (["import", "news.db"], ["import", "news.db"]),  # a command's argument, not a project
        (["notes.txt"], ["notes.txt"]),  # not a project: argparse says "invalid choice"
        (["a.sqlite", "stats"], ["a.sqlite", "stats"]),  # left for argparse to refuse
    ],
)
def test_project_argument(argv: list[str], expected: list[str]) -> None:
    assert cli.project_argument(argv, COMMANDS) == expected


def test_project_given_twice_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match="give the project once"):
        cli.project_argument(["--db", "a.sqlite", "b.sqlite"], COMMANDS)
    with pytest.raises(ValueError, match="give the project once"):
        cli.project_argument(["--db=a.sqlite", "b.sqlite"], COMMANDS)


def test_commands_known_to_the_parser() -> None:
    assert cli._command_names(cli.build_parser()) >= COMMANDS


def test_positional_project_opens_the_window_on_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import annotator.app

    opened: list[str | None] = []

    def fake_gui(argv: object = None, *, db: str | None = None) -> int:
        opened.append(db)
        return 0

    monkeypatch.setattr(annotator.app, "main", fake_gui)
    assert cli.main(["projects/corpus.sqlite"]) == 0
    assert cli.main(["--db", "other.sqlite"]) == 0
    assert cli.main([]) == 0
    assert opened == ["projects/corpus.sqlite", "other.sqlite", None]
    assert cli.main(["--db", "a.sqlite", "b.sqlite"]) == cli.EXIT_USAGE
    assert "give the project once" in capsys.readouterr().err
    assert cli.main(["typo"]) == cli.EXIT_USAGE
    assert opened == ["projects/corpus.sqlite", "other.sqlite", None]
