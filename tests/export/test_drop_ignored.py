"""--drop-ignored cuts boilerplate out and shifts every offset; nothing changes silently."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core.model import ClaimDetails, Document, IgnoredRange, Layer, Span
from annotator.export.document import ExportDocument
from annotator.export.dropping import drop_ignored
from annotator.export.problems import ProblemLog
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import APPEAL, BOILER_TEXT, FOOTER


def _records(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(orjson.loads, path.read_bytes().splitlines())}


def test_native_export_without_boilerplate_keeps_every_span_text(
    corpus_db: Database, tmp_path: Path
) -> None:
    plain = export(corpus_db, tmp_path / "plain.jsonl", annotator="ana", only_done=True)
    cut = export(
        corpus_db, tmp_path / "cut.jsonl", annotator="ana", only_done=True, drop_ignored=True
    )
    before, after = _records(plain.path)["boiler"], _records(cut.path)["boiler"]
    assert before["text"] == BOILER_TEXT
    assert after["text"] == BOILER_TEXT.replace(APPEAL, "").replace(FOOTER, "")
    assert after["ignored"] == []
    # The entity inside the appeal is gone, and said so; every other span keeps its text.
    kept = {e["id"]: e for e in after["entities"]}
    assert sorted(kept) == ["b2", "b3"]
    for span in [*after["entities"], *after["claims"]]:
        assert after["text"][span["start"] : span["end"]] == span["text"]
        assert span["text"] == next(
            s["text"] for s in before["entities"] + before["claims"] if s["id"] == span["id"]
        )
    (claim,) = after["claims"]
    assert claim["claimant"] == "b3"
    assert after["text"][claim["cue"]["start"] : claim["cue"]["end"]] == "said"
    assert claim["start"] == before["claims"][0]["start"] - len(APPEAL)
    (dropped,) = [p for p in cut.problems if p.kind == "dropped-ignored"]
    assert (dropped.document, dropped.text) == ("boiler", "newsroom")
    # Documents without ignored ranges are untouched.
    assert _records(cut.path)["flag"] == _records(plain.path)["flag"]


def test_token_formats_see_the_shortened_text(corpus_db: Database, tmp_path: Path) -> None:
    summary = export(
        corpus_db, tmp_path / "p.jsonl", fmt="prodigy", only_done=True, drop_ignored=True
    )
    records = {
        r["meta"]["id"]: r for r in map(orjson.loads, summary.path.read_bytes().splitlines())
    }
    boiler = records["boiler"]
    assert APPEAL not in boiler["text"] and "Comments" not in boiler["text"]
    assert [s["text"] for s in boiler["spans"]] == [
        "Crews at Brenmouth harbour ended their strike",
        "Brenmouth harbour",
        "the union",
    ]
    assert [t["text"] for t in boiler["tokens"][:6]] == ["Ferry", "strike", "ends", "Crews",
                                                        "return", "after"]  # fmt: skip


def _span(sid: int, start: int, end: int, layer: Layer = Layer.ENTITY, **claim: object) -> Span:
    details = ClaimDetails(**claim) if layer is Layer.CLAIM else None  # type: ignore[arg-type]
    return Span(sid, 1, layer, start, end, "CLAIM" if details else "ORG", "ana", claim=details)


def test_claims_lose_a_cut_cue_or_claimant_and_keep_the_rest() -> None:
    text = "AAAA Bob said BBBB it rained. Ann noted it snowed."
    #       0    5   9    14   19        29  33    39
    doc = ExportDocument(
        Document(1, "d", "t", text),
        spans=(
            _span(1, 5, 8),  # Bob: survives
            _span(2, 30, 33),  # Ann: survives
            _span(3, 19, 28, Layer.CLAIM, claimant_id=1, cue=(9, 13)),
            _span(4, 39, 49, Layer.CLAIM, claimant_id=5, cue=(34, 39)),
            _span(5, 0, 4),  # AAAA: cut
            _span(6, 12, 16),  # "d BB": crosses a cut edge
        ),
        ignored=(IgnoredRange(0, 4), IgnoredRange(14, 18), IgnoredRange(36, 37)),
    )
    problems = ProblemLog()
    result = drop_ignored(doc, problems)
    assert result.text == "AAAA Bob said BBBB it rained. Ann noted it snowed."[4:14] + (
        " it rained. Ann no" + "ed it snowed."
    )
    by_id = {s.id: s for s in result.spans}
    assert sorted(by_id) == [1, 2, 3, 4]
    assert result.text[by_id[1].start : by_id[1].end] == "Bob"
    assert result.text[by_id[2].start : by_id[2].end] == "Ann"
    assert result.text[by_id[3].start : by_id[3].end] == "it rained"
    assert by_id[3].claim is not None and by_id[3].claim.claimant_id == 1
    cue = by_id[3].claim.cue
    assert cue is not None and result.text[cue[0] : cue[1]] == "said"
    assert by_id[4].claim == ClaimDetails(None, None, "other", False)
    assert problems.counts["dropped-ignored"] == 4  # two spans, a claimant, a cue
