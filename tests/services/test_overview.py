"""The overview's figures on a project with hand-checked numbers, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.services.overview import (
    ChartTable,
    Overview,
    chart_tables,
    compute_overview,
    duration,
    save_csv,
)
from annotator.storage.database import Database
from tests.services.overview_project import NOW, build


def hour(h: int) -> datetime:
    return datetime(2026, 3, 10, h, tzinfo=UTC)


@pytest.fixture
def overview(backend_db: Database) -> Overview:
    build(backend_db)
    return compute_overview(backend_db, now=NOW)


def test_status_overall_and_per_annotator_without_gold(overview: Overview) -> None:
    assert overview.documents == 6
    assert dict(overview.status) == {"new": 0, "in_progress": 1, "done": 4, "skipped": 1}
    people = {a.name: a for a in overview.annotators}
    assert list(people) == ["ana", "bob"]  # gold is not an annotator here
    assert dict(people["ana"].status) == {"new": 2, "in_progress": 0, "done": 3, "skipped": 1}
    assert dict(people["bob"].status) == {"new": 2, "in_progress": 2, "done": 2, "skipped": 0}
    assert overview.gold is not None
    assert dict(overview.gold.status) == {"new": 5, "in_progress": 0, "done": 1, "skipped": 0}
    assert overview.gold.spans == 1


def test_labels_and_claim_types(overview: Overview) -> None:
    assert overview.labels["entity"] == {"PERSON": 3, "ORG": 2, "GPE": 1}
    assert list(overview.labels["entity"]) == ["PERSON", "ORG", "GPE"]  # by count
    assert overview.labels["claim"] == {"CLAIM": 1}
    assert overview.claim_types["quantity"] == 1
    assert sum(overview.claim_types.values()) == 1
    assert overview.spans == 7  # the gold span is not counted with the annotators'
    people = {a.name: a for a in overview.annotators}
    assert people["ana"].labels["entity"] == {"PERSON": 2, "ORG": 2}
    assert people["bob"].labels["entity"] == {"GPE": 1, "PERSON": 1}
    assert people["bob"].claim_types["quantity"] == 0


def test_throughput_in_utc_hours_of_the_window(overview: Overview) -> None:
    t = overview.throughput
    assert t.since == datetime(2026, 3, 3, 13, tzinfo=UTC)
    assert t.until == datetime(2026, 3, 10, 13, tzinfo=UTC)
    # Ten-day-old work and the gold layer's are left out.
    assert [(h.hour, h.documents_done, h.spans_created) for h in t.hours] == [
        (hour(9), 1, 1),
        (hour(10), 2, 3),
        (hour(11), 1, 2),
    ]
    every = t.every_hour()
    assert len(every) == 7 * 24
    assert every[-1].hour == hour(12) and every[-1].spans_created == 0
    json = t.to_json()
    assert json["hours"][0] == {
        "hour": "2026-03-10T09:00:00+00:00",
        "documents_done": 1,
        "spans_created": 1,
    }


def test_time_per_document(overview: Overview) -> None:
    # 45 60 120 300 600: median the third; p90 by nearest rank is ceil(4.5) = the fifth.
    time = overview.time
    assert (time.documents, time.total_seconds) == (5, 1125.0)
    assert (time.median, time.p90, time.mean) == (120.0, 600.0, 225.0)
    assert [b.documents for b in time.histogram] == [0, 1, 1, 1, 1, 1, 0, 0, 0]
    assert time.histogram[1].label == "30s–1m" and time.histogram[-1].label == "≥ 1h"
    people = {a.name: a.time for a in overview.annotators}
    # ana 60 120 600; bob 45 300 (an even count: the mean of the two middle values).
    assert (people["ana"].median, people["ana"].p90, people["ana"].mean) == (120.0, 600.0, 260.0)
    assert (people["bob"].median, people["bob"].p90, people["bob"].mean) == (172.5, 300.0, 172.5)


def test_acceptance_per_suggester_and_label(overview: Overview) -> None:
    rows = [(a.suggester, a.label, a.accepted, a.rejected, a.rate) for a in overview.acceptance]
    assert rows == [
        ("gazetteer", "ORG", 0, 1, 0.0),
        ("rules", "ORG", 1, 0, 1.0),
        ("rules", "PERSON", 3, 1, 0.75),  # gold's rejection is not counted
    ]
    totals = [
        (a.suggester, a.accepted, a.rejected, a.rate) for a in overview.acceptance_by_suggester()
    ]
    assert totals == [("gazetteer", 0, 1, 0.0), ("rules", 4, 1, 0.8)]


def test_one_annotator(backend_db: Database) -> None:
    build(backend_db)
    bob = compute_overview(backend_db, "bob", now=NOW)
    assert [a.name for a in bob.annotators] == ["bob"] and bob.gold is None
    assert dict(bob.status) == {"new": 2, "in_progress": 2, "done": 2, "skipped": 0}
    assert bob.labels["entity"] == {"GPE": 1, "PERSON": 1}
    assert [(h.hour, h.documents_done, h.spans_created) for h in bob.throughput.hours] == [
        (hour(9), 1, 1),
        (hour(10), 1, 1),
    ]
    assert [(a.suggester, a.label, a.accepted) for a in bob.acceptance] == [("rules", "PERSON", 1)]
    nobody = compute_overview(backend_db, "nobody", now=NOW)
    assert nobody.status["new"] == 6 and nobody.spans == 0 and nobody.time.median is None


def test_a_longer_window_reaches_older_work(backend_db: Database) -> None:
    build(backend_db)
    wide = compute_overview(backend_db, days=11, now=NOW)
    assert wide.throughput.hours[0].hour.date() == datetime(2026, 2, 28).date()
    assert sum(h.spans_created for h in wide.throughput.hours) == 7
    with pytest.raises(ValueError, match="at least 1"):
        compute_overview(backend_db, days=0, now=NOW)


def test_empty_project(backend_db: Database) -> None:
    empty = compute_overview(backend_db, now=NOW)
    assert empty.documents == 0 and empty.annotators == () and empty.gold is None
    assert empty.time.median is None and empty.throughput.hours == ()
    tables = chart_tables(empty)
    assert all(len(t.categories) == len(t.values) for t in tables)


def test_chart_tables_carry_the_same_figures(overview: Overview) -> None:
    tables = {t.key: t for t in chart_tables(overview)}
    assert tables["status"].column("documents") == {
        "New": 0,
        "In progress": 1,
        "Done": 4,
        "Skipped": 1,
    }
    assert tables["status_by_annotator"].categories == ("ana", "bob")
    assert tables["status_by_annotator"].column("Done") == {"ana": 3, "bob": 2}
    assert tables["gold_status"].column("documents")["Done"] == 1
    assert tables["entity_labels"].column("ana") == {"PERSON": 2, "ORG": 2, "GPE": 0}
    assert sum(tables["documents_per_hour"].column("documents done").values()) == 4
    assert tables["time_by_annotator"].column("median") == {"ana": 120.0, "bob": 172.5}
    assert tables["acceptance"].notes == ("0%", "100%", "75%")


def test_csv_is_atomic_and_escapes_formulas(tmp_path: Path) -> None:
    table = ChartTable(
        "labels",
        "Labels",
        "bars",
        "label",
        ("=HYPERLINK(1)", "+1", "-2", "@x", "PERSON"),
        ("count",),
        ((1.0,), (2.0,), (3.0,), (4.0,), (2.5,)),
    )
    target = tmp_path / "out" / "labels.csv"
    save_csv(table, target)
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["label", "count"],
        ["'=HYPERLINK(1)", "1"],
        ["'+1", "2"],
        ["'-2", "3"],
        ["'@x", "4"],
        ["PERSON", "2.5"],
    ]
    assert [p.name for p in target.parent.iterdir()] == ["labels.csv"]  # no temporary left


def test_durations_read_well() -> None:
    assert [duration(s) for s in (45, 60, 150, 3600, 3900)] == [
        "45s",
        "1m",
        "2m 30s",
        "1h",
        "1h 05m",
    ]


def test_postgresql_hours_are_utc_whatever_the_server_zone(pg_url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = make_url(pg_url).database  # a generated annotator_test_<hex> name
    db = Database.open(pg_url)
    try:
        build(db)
        with db.engine.connect() as conn:  # a half-hour offset would move every bucket
            conn.execute(text(f"ALTER DATABASE \"{name}\" SET TimeZone = 'Asia/Kolkata'"))
            conn.commit()
        db.engine.dispose()  # new connections take the database's zone
        with db.engine.connect() as conn:
            assert conn.execute(text("SHOW TimeZone")).scalar() == "Asia/Kolkata"
        hours = compute_overview(db, now=NOW).throughput.hours
        assert [(h.hour, h.documents_done, h.spans_created) for h in hours] == [
            (hour(9), 1, 1),
            (hour(10), 2, 3),
            (hour(11), 1, 2),
        ]
    finally:
        db.close()
