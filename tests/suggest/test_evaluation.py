"""Scoring suggesters against a gold file, with the figures worked out by hand.

Rules on the gold: right "Mr Dravin", "Tuesday", "41 ships" (twice), "Harbour Safety Board";
wrong "Russian" (NORP, not in the gold); missed "Port Sela", "Valmora". So tp 5, fp 1, fn 2:
P = 5/6 = 0.833, R = 5/7 = 0.714, F1 = 2·0.833·0.714/1.548 = 0.769.

Claims on the gold: the suggester proposes the whole first sentence (a figure) and "41 ships
were seized". Exact: 1 right, 1 wrong, 1 missed: P = R = F1 = 0.5. By overlap both match
(35 of 49 characters for the first): P = R = F1 = 1. Attributes of the two matches: claimant
(none/none) 2, cue (none/none, "said"/"said") 2, type 1 (quantity vs event), hedged 2.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core.schema import default_schema
from annotator.services.suggesting import evaluate_gold, read_gold
from annotator.suggest.claims import ClaimSuggester
from annotator.suggest.evaluation import ALL, Scores, evaluate, format_report, overlap_ratio
from annotator.suggest.rules import RulesSuggester
from tests.suggest.gold import write_gold


def test_scores() -> None:
    assert Scores(4, 1, 2).precision == pytest.approx(0.8)
    assert Scores(4, 1, 2).recall == pytest.approx(4 / 6)
    assert Scores(4, 1, 2).f1 == pytest.approx(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6))
    assert Scores(0, 0, 3).precision is None  # nothing suggested: undefined, not zero
    assert Scores(0, 0, 3).recall == 0.0
    assert Scores(0, 2, 0).recall is None
    assert overlap_ratio((0, 35), (0, 49)) == pytest.approx(35 / 49)
    assert overlap_ratio((0, 10), (20, 30)) == 0.0


def test_hand_computed_report(tmp_path: Path) -> None:
    documents, problems = read_gold(write_gold(tmp_path / "gold.jsonl"))
    assert problems == []
    schema = default_schema()
    report = evaluate(
        documents, [RulesSuggester(schema), ClaimSuggester(schema)], schema, gold="gold.jsonl"
    )
    assert (report.documents, report.gold_entities, report.gold_claims) == (3, 7, 2)

    rules = report.suggester("rules")
    assert rules.entities == Scores(5, 1, 2)
    assert rules.entities.precision == pytest.approx(0.8333, abs=1e-4)
    assert rules.entities.recall == pytest.approx(0.7143, abs=1e-4)
    assert rules.entities.f1 == pytest.approx(0.7692, abs=1e-4)
    assert rules.labels["PERSON"] == Scores(1, 0, 0)
    assert rules.labels["NORP"] == Scores(0, 1, 0)
    assert rules.labels["GPE"] == Scores(0, 0, 2)
    assert rules.suggested_claims == 0

    claims = report.suggester("claims").claims
    assert claims.exact == Scores(1, 1, 1)
    assert claims.exact.f1 == pytest.approx(0.5)
    assert claims.overlap == Scores(2, 0, 0)
    assert (claims.claimant, claims.cue, claims.claim_type, claims.hedged) == (2, 2, 1, 2)

    combined = report.suggester(ALL)
    assert combined.entities == Scores(5, 1, 2)
    assert combined.claims.overlap == Scores(2, 0, 0)


def test_format_and_json(tmp_path: Path) -> None:
    report = evaluate_gold(write_gold(tmp_path / "gold.jsonl"), only=["rules", "claims"])
    text = format_report(report)
    assert "3 documents, 7 entities, 2 claims" in text
    rules_line = next(line for line in text.splitlines() if line.startswith("rules "))
    assert rules_line.split()[-3:] == ["0.83", "0.71", "0.77"]
    assert "NORP" in text and "—" in text  # an undefined recall shows as a dash
    data = orjson.loads(orjson.dumps(report.to_dict()))
    rules = next(s for s in data["suggesters"] if s["name"] == "rules")
    assert rules["entities"] == {
        "gold": 7,
        "suggested": 6,
        "correct": 5,
        "precision": 0.8333,
        "recall": 0.7143,
        "f1": 0.7692,
    }
    claims = next(s for s in data["suggesters"] if s["name"] == "claims")
    assert claims["claims"]["attributes"]["type"] == {"agree": 1, "of": 2, "accuracy": 0.5}


def test_bad_gold_records_are_reported_not_fatal(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "gold.jsonl")
    with path.open("ab") as handle:
        handle.write(b'{"id": "bad", "text": "Short.", "entities": [{"start": 0, "end": 99}]}\n')
    report = evaluate_gold(path, only=["rules"])
    assert report.documents == 3
    assert len(report.problems) == 1
    assert "gold.jsonl:4" in report.problems[0]
    assert "skipped: " in format_report(report)
