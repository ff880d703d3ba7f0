"""Small native records for the import-onto-existing and merge tests: a few short articles and
helpers that annotate them as a given person would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import Status

TEXTS = {
    "a1": "The ministry said 33 strikes hit Kharkiv overnight.",
    "a2": "Officials in Lviv reported that the bridge reopened on Monday.",
    "a3": "The central bank raised rates by 2 points, its governor said.",
    "a4": "Rescuers in Odesa found 12 survivors after the storm.",
}


def at(doc: str, piece: str) -> tuple[int, int]:
    start = TEXTS[doc].index(piece)
    return start, start + len(piece)


def entity(doc: str, piece: str, label: str, ref: str, annotator: str) -> dict[str, Any]:
    start, end = at(doc, piece)
    return {
        "id": ref,
        "start": start,
        "end": end,
        "label": label,
        "text": piece,
        "annotator": annotator,
    }


def claim(
    doc: str, piece: str, annotator: str, *, claimant: str | None = None, cue: str | None = None
) -> dict[str, Any]:
    start, end = at(doc, piece)
    item: dict[str, Any] = {
        "start": start,
        "end": end,
        "text": piece,
        "annotator": annotator,
        "type": "event",
        "claimant": claimant,
    }
    if cue is not None:
        cue_start, cue_end = at(doc, cue)
        item["cue"] = {"start": cue_start, "end": cue_end}
    return item


def record(
    doc: str,
    *,
    entities: list[dict[str, Any]] = (),  # type: ignore[assignment]
    claims: list[dict[str, Any]] = (),  # type: ignore[assignment]
    statuses: dict[str, Status] | None = None,
    rejected: list[dict[str, Any]] = (),  # type: ignore[assignment]
    seconds: dict[str, float] | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": doc,
        "text": TEXTS[doc],
        "offsets": "codepoint",
        "entities": list(entities),
        "claims": list(claims),
        "rejected": list(rejected),
        "statuses": {name: status.value for name, status in (statuses or {}).items()},
    }
    if seconds is not None:
        result["seconds"] = seconds
    return result


def ana_version(doc: str) -> dict[str, Any]:
    """Ana's finished work: an ORG or GPE entity, a claim citing it, done."""
    if doc == "a1":
        return record(
            doc,
            entities=[entity(doc, "The ministry", "ORG", "e1", "ana")],
            claims=[claim(doc, "33 strikes hit Kharkiv", "ana", claimant="e1", cue="said")],
            statuses={"ana": Status.DONE},
            seconds={"ana": 41.5},
        )
    if doc == "a2":
        return record(
            doc,
            entities=[entity(doc, "Lviv", "GPE", "e1", "ana")],
            rejected=[
                {"start": 0, "end": 9, "label": "ORG", "layer": "entity", "annotator": "ana"}
            ],
            statuses={"ana": Status.DONE},
        )
    if doc == "a3":
        return record(
            doc,
            entities=[entity(doc, "The central bank", "ORG", "e1", "ana")],
            statuses={"ana": Status.DONE},
        )
    return record(
        doc, entities=[entity(doc, "Odesa", "GPE", "e1", "ana")], statuses={"ana": Status.DONE}
    )


def bob_version(doc: str) -> dict[str, Any]:
    """Bob's finished work: agrees with Ana on a1, differs on a2 (label) and a3 (extent)."""
    if doc == "a1":
        return record(
            doc,
            entities=[entity(doc, "The ministry", "ORG", "e1", "bob")],
            claims=[claim(doc, "33 strikes hit Kharkiv", "bob", claimant="e1", cue="said")],
            statuses={"bob": Status.DONE},
            seconds={"bob": 30.0},
        )
    if doc == "a2":
        return record(
            doc,
            entities=[entity(doc, "Lviv", "LOC", "e1", "bob")],
            statuses={"bob": Status.DONE},
        )
    if doc == "a3":
        return record(
            doc,
            entities=[entity(doc, "central bank", "ORG", "e1", "bob")],
            statuses={"bob": Status.DONE},
        )
    return record(
        doc, entities=[entity(doc, "Rescuers", "ORG", "e1", "bob")], statuses={"bob": Status.DONE}
    )


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path
