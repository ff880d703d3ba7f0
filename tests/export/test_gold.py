"""Exports with the gold layer: gold wins where a document is adjudicated, nothing changes
without the flag, and the manifest says gold was used."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_OK, main
from annotator.core.adjudicating import Kind
from annotator.core.model import GOLD_ANNOTATOR, DocumentState, Status
from annotator.export.splitting import parse_split
from annotator.services import adjudication
from annotator.services.adjudication import Adjudicator
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.services.adjudication_corpus import TEXT, add_document, annotate


def lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def spans_of(record: dict) -> list[tuple[str, str]]:
    text = record["text"]
    return [(text[s["start"] : s["end"]], s["label"]) for s in record["spans"]]


@pytest.fixture
def docs(db: Database) -> dict[str, int]:
    """``both``: done by ana and ben (adjudicated below by the tests that want it);
    ``ana``: done by ana only; ``pair``: done by both, never adjudicated."""
    both = add_document(db)
    annotate(db, both)
    lone = add_document(db, TEXT.replace("Mayor", "Deputy"))
    annotate(db, lone, done=False)
    with db.write() as store:
        store.set_state(DocumentState(lone, "ana", Status.DONE))
    pair = add_document(db, TEXT.replace("Mayor", "Governor"))
    annotate(db, pair)
    return {"both": both, "ana": lone, "pair": pair}


def adjudicate(db: Database, document_id: int) -> None:
    """Agreed units, ben's version of every other unit, then marked adjudicated."""
    reviewer = Adjudicator(db, "rita")
    _, view = reviewer.take_agreed(reviewer.load(document_id))
    for unit in [u for u in view.units if u.kind is not Kind.AGREED]:
        current = reviewer.load(document_id).unit_at(unit.layer, unit.start, unit.end)
        assert current is not None
        reviewer.take(current, "ben")
    reviewer.mark_adjudicated(reviewer.load(document_id))


def test_without_the_flag_nothing_changes(db: Database, docs: dict[str, int], tmp_path: Path):
    before = tmp_path / "before.jsonl"
    first = export(db, before, fmt="prodigy")
    adjudicate(db, docs["both"])
    after = tmp_path / "after.jsonl"
    second = export(db, after, fmt="prodigy")
    # Gold is not a competing annotator: the same documents, the same bytes, same counts.
    assert before.read_bytes() == after.read_bytes()
    assert (second.documents, second.skipped_conflicts, second.from_gold) == (1, 2, 0)
    assert (first.documents, first.skipped_conflicts) == (1, 2)


def test_gold_wins_where_adjudicated(db: Database, docs: dict[str, int], tmp_path: Path):
    adjudicate(db, docs["both"])
    out = tmp_path / "gold.jsonl"
    summary = export(db, out, fmt="prodigy", gold=True)
    assert (summary.documents, summary.from_gold, summary.skipped_conflicts) == (2, 1, 1)
    gold_record, ana_record = lines(out)
    assert spans_of(gold_record) == [
        ("Petra Novak", "PERSON"),
        ("300", "QUANTITY"),
        ("24 hours", "QUANTITY"),
        ("The Port Authority", "ORG"),
        ("41 ships", "QUANTITY"),
        ("41 ships were waiting offshore", "CLAIM"),
    ]
    assert ("300 homes", "QUANTITY") in spans_of(ana_record)  # ana's own version


def test_gold_only_leaves_the_rest_out(db: Database, docs: dict[str, int], tmp_path: Path):
    adjudicate(db, docs["both"])
    out = tmp_path / "gold.jsonl"
    summary = export(db, out, fmt="prodigy", gold_only=True)
    assert (summary.documents, summary.from_gold, summary.skipped_not_adjudicated) == (1, 1, 2)
    assert len(lines(out)) == 1


def test_native_export_keeps_gold_claims_and_claimants(
    db: Database, docs: dict[str, int], tmp_path: Path
) -> None:
    adjudicate(db, docs["both"])
    out = tmp_path / "gold.jsonl"
    export(db, out, fmt="annotator", gold_only=True)
    [record] = lines(out)
    assert {e["annotator"] for e in record["entities"]} == {GOLD_ANNOTATOR}
    [claim] = record["claims"]
    claimant = next(e for e in record["entities"] if e["id"] == claim["claimant"])
    assert record["text"][claimant["start"] : claimant["end"]] == "The Port Authority"
    assert claim["hedged"] is True  # ben's version was taken
    assert {e["origin"] for e in record["entities"]} == {
        "adjudicated:ana+ben",
        "adjudicated:ben",
    }


def test_the_manifest_records_gold(db: Database, docs: dict[str, int], tmp_path: Path) -> None:
    adjudicate(db, docs["both"])
    split = parse_split("train=0.5,test=0.5", seed=1)
    export(db, tmp_path / "gold", fmt="prodigy", gold=True, split=split)
    manifest = orjson.loads((tmp_path / "gold" / "manifest.json").read_bytes())
    assert manifest["gold"] == {"used": True, "documents": 1}
    assert manifest["options"]["gold"] is True and manifest["options"]["gold_only"] is False
    assert manifest["left_out"] == {"not_done": 0, "conflicts": 1, "not_adjudicated": 0}
    export(db, tmp_path / "plain", fmt="prodigy", split=split)
    plain = orjson.loads((tmp_path / "plain" / "manifest.json").read_bytes())
    assert "gold" not in plain and "gold" not in plain["options"]


def test_cli_gold_export_and_auto_agreed(
    db: Database, docs: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(db.path)
    assert main(["adjudicate", "--db", target, "--auto-agreed"]) == EXIT_OK
    said = capsys.readouterr().out
    assert "Took 4 agreed units into gold in 2 of 2 documents" in said
    view = adjudication.load(db, docs["both"])
    assert [u.gold_source for u in view.units if u.kind is Kind.AGREED] == ["ana+ben"] * 2
    Adjudicator(db, "rita").mark_adjudicated(view)
    out = tmp_path / "out.jsonl"
    args = ["export", "--db", target, "--format", "prodigy", "--out", str(out), "--gold"]
    assert main(args) == EXIT_OK
    said = capsys.readouterr().out
    assert "Exported 2 documents" in said and "; 1 from the gold layer" in said
    assert spans_of(lines(out)[0]) == [("Petra Novak", "PERSON"), ("The Port Authority", "ORG")]
    assert main(["adjudicate", "--db", target]) == 2


def test_the_choosing_rule_with_gold() -> None:
    from annotator.export.choosing import CONFLICT, NOT_ADJUDICATED, Choice, choose

    done, wip = Status.DONE, Status.IN_PROGRESS
    states = [DocumentState(1, n, s) for n, s in (("ana", done), ("ben", done), ("gold", done))]
    plain = {"annotator": None, "include_all": False, "lossless": False}
    assert choose(states, (), **plain).reason == CONFLICT  # gold is not a third annotator
    assert choose(states, (), gold=True, **plain) == Choice(True, GOLD_ANNOTATOR)
    assert choose(states, (), **plain | {"annotator": "gold"}) == Choice(True, GOLD_ANNOTATOR)
    unadjudicated = [DocumentState(1, "ana", done), DocumentState(1, "gold", wip)]
    assert choose(unadjudicated, (), gold=True, **plain) == Choice(True, "ana")
    assert choose(unadjudicated, (), gold_only=True, **plain).reason == NOT_ADJUDICATED
    # --all: gold's spans do not make a document look annotated by several people.
    workers = {"ana", GOLD_ANNOTATOR}
    assert choose([], workers, **plain | {"include_all": True}) == Choice(True, "ana")
