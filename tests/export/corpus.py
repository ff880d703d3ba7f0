"""A small invented corpus for the export tests, stored in a real database.

* ``flag``: a flag and an emoji before every span (code points vs UTF-16), an entity inside a
  claim, a claim with claimant and cue. Small enough for exact expected outputs.
* ``nested``: overlapping entities (one inside another, two crossing), a hedged claim, and
  (``misaligned=True``) an entity made with character precision inside a word.
* ``boiler``: a donation appeal glued to the body and a footer, recorded as ignored ranges;
  one entity inside the appeal.
* ``pair``: marked done by two annotators (a conflict without ``--annotator``).
* ``draft``: in progress only (not done).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from annotator.services.importing import import_paths
from annotator.storage.database import Database

FLAG_TEXT = "🇺🇦 Kyiv 😀\nThe ministry said 33 strikes hit targets.\n"
NESTED_TEXT = (
    "Port talks stall\n"
    "The Port Authority of Valmora reported 41 ships offshore.\n"
    "Union leaders allegedly rejected the offer, Marta Ilves said.\n"
)
APPEAL = "Support our newsroom today."
FOOTER = "Join the forum\nComments"
BOILER_TEXT = (
    "Ferry strike ends\n"
    "Crews return after talks\n"
    f"{APPEAL}Crews at Brenmouth harbour ended their strike, the union said.\n"
    f"{FOOTER}\n"
)


def at(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


def entity(text: str, ref: str, piece: str, label: str, **extra: Any) -> dict[str, Any]:
    start, end = at(text, piece, extra.pop("after", 0))
    return {"id": ref, "start": start, "end": end, "label": label, "text": piece, **extra}


def claim(
    text: str,
    ref: str,
    piece: str,
    *,
    claimant: str | None = None,
    cue: str | None = None,
    claim_type: str = "other",
    hedged: bool = False,
) -> dict[str, Any]:
    start, end = at(text, piece)
    record: dict[str, Any] = {
        "id": ref,
        "start": start,
        "end": end,
        "text": piece,
        "claimant": claimant,
        "cue": None,
        "type": claim_type,
        "hedged": hedged,
    }
    if cue is not None:
        cue_start, cue_end = at(text, cue)
        record["cue"] = {"start": cue_start, "end": cue_end}
    return record


QUANTITY = {"figure": "33", "unit": "", "counted": "strikes"}


def flag_record() -> dict[str, Any]:
    t = FLAG_TEXT
    return {
        "id": "flag",
        "title": "Kyiv",
        "text": t,
        "source": "wire",
        "entities": [
            entity(t, "e1", "Kyiv", "GPE"),
            entity(t, "e2", "The ministry", "ORG"),
            entity(t, "e3", "33 strikes", "QUANTITY"),
        ],
        "claims": [
            {
                **claim(
                    t,
                    "c1",
                    "33 strikes hit targets",
                    claimant="e2",
                    cue="said",
                    claim_type="quantity",
                ),
                # The claim's number slots (read by the native import, written by exports).
                "attributes": {"quantities": [QUANTITY]},
            }
        ],
        "statuses": {"ana": "done"},
    }


def nested_record(*, misaligned: bool = True) -> dict[str, Any]:
    t = NESTED_TEXT
    entities = [
        entity(t, "n1", "Port Authority of Valmora", "ORG"),
        entity(t, "n2", "Valmora", "GPE"),
        entity(t, "n3", "Authority of Valmora reported", "EVENT"),
        entity(t, "n4", "41 ships", "QUANTITY"),
        entity(t, "n5", "Marta Ilves", "PERSON"),
        entity(t, "n6", "Union leaders", "ORG"),
    ]
    if misaligned:
        start, end = at(t, "ships")
        entities.append(
            {"id": "n7", "start": start, "end": end - 1, "label": "WEAPON", "text": "ship"}
        )
    return {
        "id": "nested",
        "text": t,
        "source": "wire",
        "entities": entities,
        "claims": [
            claim(
                t,
                "k1",
                "Union leaders allegedly rejected the offer",
                claimant="n5",
                cue="said",
                claim_type="event",
                hedged=True,
            )
        ],
        "statuses": {"ana": "done"},
    }


def boiler_record() -> dict[str, Any]:
    t = BOILER_TEXT
    return {
        "id": "boiler",
        "text": t,
        "source": "outlet",
        "entities": [
            entity(t, "b1", "newsroom", "ORG"),
            entity(t, "b2", "Brenmouth harbour", "FAC"),
            entity(t, "b3", "the union", "ORG"),
        ],
        "claims": [
            claim(
                t,
                "b4",
                "Crews at Brenmouth harbour ended their strike",
                claimant="b3",
                cue="said",
                claim_type="event",
            )
        ],
        "ignored": [
            {"start": at(t, APPEAL)[0], "end": at(t, APPEAL)[1], "reason": "boilerplate"},
            {"start": at(t, FOOTER)[0], "end": at(t, FOOTER)[1], "reason": "boilerplate"},
        ],
        "statuses": {"ana": "done"},
    }


def pair_record() -> dict[str, Any]:
    t = "Two readers\nMayor Petra Novak opened the bridge.\n"
    mine = entity(t, "p1", "Petra Novak", "PERSON", annotator="ana")
    theirs = entity(t, "p2", "Mayor Petra Novak", "PERSON", annotator="ben")
    return {
        "id": "pair",
        "text": t,
        "source": "blog",
        "entities": [mine, theirs],
        "statuses": {"ana": "done", "ben": "done"},
    }


def draft_record() -> dict[str, Any]:
    t = "Draft\nThe council met on Tuesday.\n"
    return {
        "id": "draft",
        "text": t,
        "source": "blog",
        "entities": [entity(t, "d1", "Tuesday", "DATE")],
        "statuses": {"ana": "in_progress"},
    }


def corpus(*, misaligned: bool = True) -> list[dict[str, Any]]:
    return [
        flag_record(),
        nested_record(misaligned=misaligned),
        boiler_record(),
        pair_record(),
        draft_record(),
    ]


def fill(
    db: Database, folder: Path, records: list[dict[str, Any]], *, annotator: str = "ana"
) -> None:
    """Import ``records`` as native JSONL; spans without an annotator belong to ``annotator``."""
    for record in records:
        for item in record.get("entities", []) + record.get("claims", []):
            item.setdefault("annotator", annotator)
    path = folder / "corpus.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    summary = import_paths(db, [path], detect_boilerplate=False)
    assert not summary.errors, summary.errors
    assert summary.imported == len(records)


Row = tuple[str, int, int, str, object]


def annotation_rows(db: Database, annotator: str | None = None) -> dict[str, set[Row]]:
    """Per document id: ``(layer, start, end, label, claim details)`` of its spans, where the
    details name the claimant by offsets and label (ids differ between databases)."""
    result: dict[str, set[Row]] = {}
    with db.read() as store:
        for doc_id in store.document_ids():
            spans = store.spans(doc_id, annotator)
            by_id = {span.id: span for span in spans}
            rows: set[Row] = set()
            for span in spans:
                details: object = None
                if span.claim is not None:
                    claimant = by_id.get(span.claim.claimant_id)
                    details = (
                        None
                        if claimant is None
                        else (claimant.start, claimant.end, claimant.label),
                        span.claim.cue,
                        span.claim.claim_type,
                        span.claim.hedged,
                    )
                rows.add((span.layer.value, span.start, span.end, span.label, details))
            result[store.document(doc_id).external_id or str(doc_id)] = rows
    return result


def documents(db: Database) -> dict[str, tuple[str, str | None, str]]:
    """Per document id: ``(title, source, text)``."""
    with db.read() as store:
        return {
            (doc := store.document(i)).external_id or str(i): (doc.title, doc.source, doc.text)
            for i in store.document_ids()
        }
