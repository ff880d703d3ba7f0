"""``annotator stats --json`` prints every overview figure, equal to the service's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator.cli import EXIT_OK, EXIT_USAGE, main
from annotator.services.overview import compute_overview
from annotator.storage.database import Database
from tests.services.overview_project import build


def stats(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["stats", *argv]) == EXIT_OK
    return orjson.loads(capsys.readouterr().out)


def without_clock(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures minus the window's ends, which follow the clock between two calls."""
    copy = orjson.loads(orjson.dumps(figures))
    for part in [copy, *copy["per_annotator"].values()]:
        part.get("throughput", {}).pop("since", None)
        part.get("throughput", {}).pop("until", None)
    return copy


@pytest.fixture
def project(db_path: Path) -> str:
    db = Database.open(db_path)
    try:
        build(db)
    finally:
        db.close()
    return str(db_path)


def test_json_has_every_figure_and_equals_the_service(
    project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The fixture's work is dated March 2026: a year-long window reaches it from any clock.
    printed = stats(capsys, "--db", project, "--json", "--days", "400")
    assert set(printed) == {
        "database",
        "documents",
        "annotator",
        "spans",
        "status",
        "labels",
        "claim_types",
        "annotators",
        "per_annotator",
        "gold",
        "throughput",
        "time_per_document",
        "acceptance",
        "near_duplicates",
    }
    assert printed["status"] == {"new": 0, "in_progress": 1, "done": 4, "skipped": 1}
    assert printed["annotators"] == ["ana", "bob"]
    assert printed["per_annotator"]["bob"]["time_per_document"]["median_seconds"] == 172.5
    assert printed["gold"]["spans"] == 1
    assert printed["throughput"]["days"] == 400
    assert [h["spans_created"] for h in printed["throughput"]["hours"]] == [1, 1, 3, 2]
    assert printed["time_per_document"]["p90_seconds"] == 600.0
    assert printed["acceptance"]["by_suggester"] == [
        {"suggester": "gazetteer", "accepted": 0, "rejected": 1, "rate": 0.0},
        {"suggester": "rules", "accepted": 4, "rejected": 1, "rate": 0.8},
    ]
    db = Database.open(project)
    try:
        service = compute_overview(db, days=400).to_json()
    finally:
        db.close()
    assert without_clock(printed) == without_clock(service)


def test_one_annotator_and_the_text_output(
    project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = stats(capsys, "--db", project, "--json", "--annotator", "ana")
    assert ana["annotator"] == "ana" and list(ana["per_annotator"]) == ["ana"]
    assert ana["status"] == {"new": 2, "in_progress": 0, "done": 3, "skipped": 1}
    assert ana["throughput"]["days"] == 7 and ana["gold"] is None

    assert main(["stats", "--db", project]) == EXIT_OK
    text = capsys.readouterr().out
    assert "Status: new 0, in progress 1, done 4, skipped 1" in text
    assert "Time per document: median 2m, p90 10m, mean 3m 45s (5 documents)" in text
    assert "Suggester rules: 80% accepted (4 accepted, 1 rejected)" in text
    assert "  bob: new 2, in progress 2, done 2, skipped 0; 2 spans;" in text
    assert "Gold (adjudicated): 1 documents done, 1 spans" in text


def test_days_must_be_positive(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", project, "--days", "0"]) == EXIT_USAGE
    assert "whole number of days >= 1, not '0'" in capsys.readouterr().err
