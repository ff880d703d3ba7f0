"""What an import of a varied native file stores, row by row, and the messages of its bad
records, on SQLite and on PostgreSQL: pinned against ``native_import_pinned.json``.

The file mixes what native records may carry (claims with claimant, cue, type and hedged;
attributes of quantities; rejections on both layers; ignored ranges; statuses and time of
several annotators; text outside the Basic Multilingual Plane; a record whose document is
already in the project) with records that must be refused, each for one reason. The pinned
rows were stored by the import as it was before its record checks and row building were made
faster, so any change in what is stored or in what a message says shows here. The batch size
is small so that the file spans several batches, and one duplicate crosses a batch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from annotator.core import limits
from annotator.services.importing import import_paths
from annotator.storage.database import Database

PINNED = Path(__file__).with_name("native_import_pinned.json")

EMOJI = "🇺🇦 Flood update 😀\nThe river agency said 300 homes near Valmora lost power.\n"
QUOTE = "Mayor Petra Novak (𝔑𝔬𝔳𝔞𝔨) says the bridge will reopen in 14 days, probably.\n"
PLAIN = "Port Authority figures show 41 ships waiting off Valmora this weekend.\n"


def at(text: str, piece: str, nth: int = 0) -> dict[str, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return {"start": start, "end": start + len(piece)}


def good_records() -> list[dict[str, Any]]:
    agency, cue, claim, qty = (
        at(EMOJI, "The river agency"),
        at(EMOJI, "said"),
        at(EMOJI, "300 homes near Valmora lost power"),
        at(EMOJI, "300 homes"),
    )
    return [
        {
            "id": "flood-1",
            "title": "  Flood\tupdate  ",
            "text": EMOJI,
            "source": "wire",
            "meta": {"url": "https://news.invalid/1", "tags": ["a", "ü"]},
            "scraped_by": "bot-7",
            "offsets": "codepoint",
            "annotator": "ana",
            "entities": [
                {"id": "e1", **agency, "label": "ORG", "text": "The river agency"},
                {
                    "id": "e2",
                    **qty,
                    "label": "QUANTITY",
                    "origin": "suggested:rules",
                    "attributes": {"value": 300, "unit": "homes", "approx": False},
                },
                {**at(EMOJI, "Valmora"), "label": "GPE", "annotator": "bo"},
                {**at(EMOJI, "😀"), "label": "MISC", "text": "😀", "extra": 1},
            ],
            "claims": [
                {
                    "id": "c1",
                    **claim,
                    "claimant": "e1",
                    "cue": cue,
                    "type": "quantity",
                    "hedged": True,
                    "text": EMOJI[claim["start"] : claim["end"]],
                },
                {**at(EMOJI, "Flood update"), "label": "HEADLINE", "annotator": "bo"},
            ],
            "rejected": [
                {**at(EMOJI, "🇺🇦"), "label": "GPE", "suggester": "gazetteer"},
                {**claim, "label": "CLAIM", "layer": "claim", "annotator": "bo"},
            ],
            "ignored": [{"start": 0, "end": 3, "reason": "flag"}, {"start": 3, "end": 5}],
            "statuses": {"ana": "done", "bo": "in_progress"},
            "seconds": {"ana": 93.5, "cy": 4},
        },
        {
            "id": 2,
            "text": QUOTE,
            "meta": {"n": 2},
            "entities": [
                {"id": 7, **at(QUOTE, "Mayor Petra Novak"), "label": "PERSON"},
                {"id": "m", **at(QUOTE, "𝔑𝔬𝔳𝔞𝔨"), "label": "PERSON", "text": "𝔑𝔬𝔳𝔞𝔨"},
                {**at(QUOTE, "14 days"), "label": "QUANTITY", "attributes": {"value": 14}},
            ],
            "claims": [
                {
                    **at(QUOTE, "the bridge will reopen in 14 days"),
                    "claimant": "7",
                    "cue": at(QUOTE, "says"),
                    "hedged": False,
                    "type": "prediction",
                },
                {**at(QUOTE, "probably"), "claimant": None, "origin": "suggested:hedges"},
            ],
            "status": "skipped",
        },
        {"id": "plain-3", "title": "Ships", "text": PLAIN, "source": "port"},
        {
            "id": "ships-4",
            "text": PLAIN.replace("41", "42"),
            "annotator": "cy",
            "entities": [{**at(PLAIN, "Port Authority"), "label": "ORG", "annotator": None}],
            "rejected": [{**at(PLAIN, "Valmora"), "label": "LOC"}],
            "status": "done",
            "seconds": {"cy": 12},
        },
        # The first document again (same text, no id), with another annotator's work: brought
        # onto it.
        {
            "text": EMOJI,
            "annotator": "dee",
            "entities": [{**agency, "label": "ORG"}],
            "status": "done",
        },
    ]


def bad_records() -> list[dict[str, Any]]:
    """Each refused for one reason; the message names the field."""
    base = {"text": PLAIN}
    port = at(PLAIN, "Port Authority")
    return [
        {**base, "id": "b1", "entities": [{"start": "0", "end": 4, "label": "ORG"}]},
        {**base, "id": "b2", "entities": [{"start": 0, "end": 400, "label": "ORG"}]},
        {**base, "id": "b3", "entities": [{"start": 5, "end": 5, "label": "ORG"}]},
        {**base, "id": "b4", "entities": [{"start": -1, "end": 4, "label": "ORG"}]},
        {**base, "id": "b5", "entities": [{**port, "label": "ORG", "text": "Port"}]},
        {**base, "id": "b6", "entities": [{**port, "label": " "}]},
        {**base, "id": "b7", "entities": [{"start": True, "end": 4, "label": "ORG"}]},
        {
            **base,
            "id": "b8",
            "entities": [{"id": "x", **port, "label": "ORG"}, {"id": "x", **port, "label": "O"}],
        },
        {**base, "id": "b9", "claims": [{**port, "claimant": "nobody"}]},
        {**base, "id": "b10", "claims": [{**port, "type": "rumour"}]},
        {**base, "id": "b11", "claims": [{**port, "hedged": "yes"}]},
        {**base, "id": "b12", "entities": [{**port, "label": "ORG", "origin": "robot"}]},
        {**base, "id": "b13", "rejected": [{**port, "label": "ORG", "layer": "token"}]},
        {**base, "id": "b14", "status": "finished"},
        {**base, "id": "b15", "offsets": "utf16", "entities": [{**port, "label": "ORG"}]},
        {"id": "b16", "text": "A\r\nB C\r\n", "entities": [{"start": 0, "end": 1, "label": "X"}]},
        {**base, "id": "b17", "entities": {"start": 0}},
        {**base, "id": "b18", "entities": [{**port, "label": "ORG"}, "ORG"]},
        {**base, "id": "b19", "entities": [{**port, "label": "L" * (limits.MAX_LABEL_CHARS + 1)}]},
        {**base, "id": "b20", "entities": [{**port, "label": "O\x00RG"}]},
        {**base, "id": "b21", "entities": [{**port, "label": "ORG", "attributes": [1]}]},
        {**base, "id": "b22", "claims": [{**port, "cue": {"start": 3, "end": 900}}]},
        {**base, "id": "b23", "claims": [{**port, "cue": [3, 4]}]},
        {**base, "id": "b24", "entities": [{"end": 4, "label": "ORG"}]},
        {**base, "id": 2.5},
        {**base, "id": "b26", "entities": [{**port, "label": "ORG", "annotator": 3}]},
        {**base, "id": "b27", "entities": [{**port, "label": "ORG", "id": "i" * 600}]},
        {**base, "id": "b28", "statuses": {"": "done"}},
        {**base, "id": "b29", "seconds": {"ana": -1}},
        {**base, "id": "b30", "ignored": [{"start": 2, "end": 1}]},
        {**base, "id": "b31", "claims": [{**port, "label": ""}]},
        {**base, "id": "b32", "entities": [{**port, "label": "ORG", "text": 5}]},
        {**base, "id": "b33", "entities": [{**port, "label": "ORG", "attributes": {"k\x00": 1}}]},
        {**base, "id": "b34", "claims": [{**port, "annotator": "a" * 300}]},
        # Good in itself, but its id was taken by a document with another text.
        {**base, "id": "flood-1"},
    ]


def write_file(path: Path) -> None:
    good, bad = good_records(), bad_records()
    # Bad records between the good ones, so that batches hold both.
    lines = [good[0], *bad[:12], good[1], good[2], *bad[12:24], good[3], *bad[24:], good[4]]
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in lines))


def snapshot(db: Database) -> dict[str, Any]:
    """Every stored row the import wrote, timestamps aside, annotators by name."""
    queries = {
        "documents": "SELECT d.id, d.external_id, d.source, d.title, d.text, d.sha256, d.meta, "
        "d.ignored_from_file FROM documents d ORDER BY d.id",
        "spans": 'SELECT s.id, s.document_id, s.layer, s.start, s."end", s.label, a.name, '
        "s.origin, s.attributes, s.ref, s.version FROM spans s "
        "JOIN annotators a ON a.id = s.annotator_id ORDER BY s.id",
        "claims": "SELECT c.span_id, c.claimant_id, c.cue_start, c.cue_end, c.claim_type, "
        "c.hedged FROM claims c ORDER BY c.span_id",
        "decisions": 'SELECT d.document_id, a.name, d.layer, d.start, d."end", d.label, '
        "d.decision, d.suggester FROM decisions d JOIN annotators a ON a.id = d.annotator_id "
        'ORDER BY d.document_id, a.name, d.layer, d.start, d."end", d.label',
        "statuses": "SELECT s.document_id, a.name, s.status, s.seconds_spent, s.skip_reason "
        "FROM document_status s JOIN annotators a ON a.id = s.annotator_id "
        "ORDER BY s.document_id, a.name",
        "ignored": 'SELECT r.document_id, r.start, r."end", r.reason FROM ignored_ranges r '
        'ORDER BY r.document_id, r.start, r."end"',
    }
    result: dict[str, Any] = {}
    with db.engine.connect() as conn:
        for name, query in queries.items():
            result[name] = [[_plain(value) for value in row] for row in conn.execute(text(query))]
    return result


def _plain(value: Any) -> Any:
    """A column value as JSON holds it on both backends (JSON columns come back as text from
    SQLite and as objects from PostgreSQL; booleans as 0/1 from SQLite)."""
    if isinstance(value, str) and value[:1] in "{[" and value:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, bool):
        return int(value)
    return value


def run(db: Database, tmp_path: Path) -> dict[str, Any]:
    source = tmp_path / "varied.jsonl"
    write_file(source)
    summary = import_paths(db, [source], annotator="lead", batch_size=4)
    name = str(source)
    return {
        "summary": {
            "imported": summary.imported,
            "duplicates": summary.duplicates,
            "entities": summary.entities,
            "claims": summary.claims,
            "annotators": {
                who: [tally.new, tally.unchanged, tally.conflicts]
                for who, tally in sorted(summary.annotators.items())
            },
            "conflicts": len(summary.conflicts),
        },
        "problems": [p.describe().replace(name, "FILE") for p in summary.problems],
        "rows": snapshot(db),
    }


def test_a_varied_native_file_stores_what_it_always_stored(
    backend_db: Database, tmp_path: Path
) -> None:
    got = run(backend_db, tmp_path)
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert got["summary"] == pinned["summary"]
    assert got["problems"] == pinned["problems"]
    for table, rows in pinned["rows"].items():
        assert got["rows"][table] == rows, table


@pytest.mark.parametrize("batch_size", [1, 500])
def test_the_batch_size_changes_nothing_stored(
    db: Database, tmp_path: Path, batch_size: int
) -> None:
    """Whether the records share a batch or not, the same rows (batches of one store the
    claims of a document just after its entities, so only the ids move: compared by value)."""
    source = tmp_path / "varied.jsonl"
    write_file(source)
    summary = import_paths(db, [source], annotator="lead", batch_size=batch_size)
    assert len(summary.problems) == len(bad_records())
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))["rows"]
    got = snapshot(db)
    assert got["documents"] == pinned["documents"]
    assert _by_value(got) == _by_value(pinned)


def _by_value(rows: dict[str, Any]) -> list[Any]:
    """Spans with their claim details and claimant as values instead of ids, sorted."""
    spans = {row[0]: row for row in rows["spans"]}
    claims = {row[0]: row for row in rows["claims"]}
    result = []
    for span_id, span in spans.items():
        claim = claims.get(span_id)
        details = None
        if claim is not None:
            claimant = spans.get(claim[1])
            details = [claimant[2:6] if claimant else None, *claim[2:]]
        result.append([*span[1:], details])
    return sorted(result, key=json.dumps) + [
        sorted(rows[name], key=json.dumps) for name in ("decisions", "statuses", "ignored")
    ]
