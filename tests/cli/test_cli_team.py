"""``annotator team``: list, add, reviewer, per-document, next."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import main
from annotator.storage import assignments
from annotator.storage.database import Database
from tests.builders import add_documents


@pytest.fixture
def project(db_path: Path) -> str:
    db = Database.open(db_path)
    texts = [
        f"Ferry report {i}\nThe ferry company said services resume on day {i}.\n" for i in range(3)
    ]
    add_documents(db, texts)
    db.close()
    return str(db_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_team_commands(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", project, "team") == (
        0,
        "Annotators per document: no limit\nNo annotators yet.\n",
        "",
    )
    assert run(capsys, "team", "--db", project, "add", "alice", "--reviewer")[:2] == (
        0,
        "Added alice as reviewer.\n",
    )
    assert run(capsys, "team", "--db", project, "add", "bob")[0] == 0
    code, _out, err = run(capsys, "team", "--db", project, "add", "gold")
    assert code == 1 and "reserved for the adjudicated gold layer" in err
    code, _out, err = run(capsys, "team", "--db", project, "add", "bob")
    assert code == 1 and "'bob' is already in the project" in err
    code, _out, err = run(capsys, "team", "--db", project, "reviewer", "zed")
    assert code == 1 and "no annotator named 'zed'" in err
    assert run(capsys, "team", "--db", project, "reviewer", "bob")[:2] == (
        0,
        "bob is now a reviewer.\n",
    )
    assert run(capsys, "team", "--db", project, "reviewer", "alice", "--off")[0] == 0
    assert run(capsys, "team", "--db", project, "per-document", "2")[:2] == (
        0,
        "Annotators per document: 2.\n",
    )
    code, _out, err = run(capsys, "team", "--db", project, "per-document", "-1")
    assert code == 1 and "expected a whole number >= 0" in err

    # The hand-out, as the window's "Done, next" does it.
    assert run(capsys, "team", "--db", project, "next", "--annotator", "alice")[:2] == (0, "1\n")
    assert run(capsys, "team", "--db", project, "next", "--annotator", "bob")[:2] == (0, "1\n")
    assert run(capsys, "team", "--db", project, "next", "--annotator", "carol")[:2] == (0, "2\n")

    code, out, _err = run(capsys, "team", "--db", project, "list", "--json")
    assert code == 0
    listed = orjson.loads(out)
    assert listed["annotators_per_document"] == 2
    assert [(a["name"], a["reviewer"], a["assigned"], a["open"]) for a in listed["annotators"]] == [
        ("alice", False, 1, 1),
        ("bob", True, 1, 1),
        ("carol", False, 1, 1),
    ]
    code, out, _err = run(capsys, "team", "--db", project)
    assert code == 0
    assert out.splitlines()[1].split() == [
        "NAME",
        "ROLE",
        "ASSIGNED",
        "OPEN",
        "DONE",
        "SKIPPED",
        "SPANS",
    ]
    assert out.splitlines()[3].split() == ["bob", "reviewer", "1", "1", "0", "0", "0"]

    db = Database.open(project)
    with db.read() as store:
        assert assignments.assignees(store, [1, 2, 3]) == {1: 2, 2: 1, 3: 0}
    db.close()


def test_next_exits_1_when_nothing_is_left(
    project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "team", "--db", project, "per-document", "1")[0] == 0
    for expected in ("1", "2", "3"):
        assert run(capsys, "team", "--db", project, "next", "--annotator", f"a{expected}")[1] == (
            f"{expected}\n"
        )
    code, out, err = run(capsys, "team", "--db", project, "next", "--annotator", "late")
    assert (code, out) == (1, "") and "nothing left to hand to late" in err
