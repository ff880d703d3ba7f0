"""``annotator agreement``: JSON equal to the service's report, the readable table, options."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from annotator.services.agreement import AgreementOptions, compute_agreement
from annotator.storage.database import Database
from tests.cli.team_project import team_project


@pytest.fixture
def project(tmp_path: Path) -> str:
    return team_project(tmp_path / "team.sqlite")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["agreement", *args, "--json"]) == EXIT_OK
    return orjson.loads(capsys.readouterr().out)


def test_json_equals_the_service(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.cli.agreement import limited

    db = Database.open(project)
    try:
        expected = limited(compute_agreement(db), 20).to_dict()
        unfinished = compute_agreement(db, AgreementOptions(include_unfinished=True)).to_dict()
        pair = compute_agreement(db, AgreementOptions(annotators=("ana", "cy"))).to_dict()
    finally:
        db.close()
    got = run_json(capsys, "--db", project)
    assert got == expected
    assert got["overall"]["documents"] == 2
    assert got["overall"]["annotators"] == ["ana", "ben", "cy"]
    assert run_json(capsys, "--db", project, "--include-unfinished", "--documents", "0") == (
        unfinished
    )
    assert run_json(capsys, "--db", project, "--annotators", "ana,cy") == pair
    assert pair["overall"]["pairs"] == 1
    # --documents limits the list of documents, not the figures.
    one = run_json(capsys, "--db", project, "--documents", "1")
    assert len(one["documents"]) == 1 and one["overall"] == expected["overall"]
    assert one["documents"][0] == expected["documents"][0]


def test_table(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", project, "agreement"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Documents: 2   Annotators: ana, ben, cy   Pairs: 3" in out
    assert "Per label" in out and "QUANTITY" in out and "PERSON" in out
    assert "Hardest documents first" in out
    hardest = out.split("Hardest documents first")[1].splitlines()
    # The port document (extent, hedged and claimant disagreements) comes first.
    assert "Strike at the port" in hardest[2]
    assert "Per pair" in out and "ana / ben" in out


def test_empty_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = str(tmp_path / "empty.sqlite")
    assert main(["--db", empty, "new"]) == EXIT_OK
    assert main(["--db", empty, "agreement"]) == EXIT_OK
    assert "no agreement to measure" in capsys.readouterr().out
    assert main(["--db", empty, "agreement", "--annotators", "ana"]) == EXIT_USAGE
    assert "at least two" in capsys.readouterr().err
    assert main(["--db", empty, "agreement", "--documents", "-1"]) == EXIT_USAGE
    assert main(["--db", empty, "agreement", "--annotators", "ana,bob"]) == EXIT_REJECTED
    assert "no annotator named 'ana', 'bob'" in capsys.readouterr().err
