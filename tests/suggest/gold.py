"""A tiny gold file (native JSONL) whose scores are worked out by hand in the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

DOC1 = "Mr Dravin left Port Sela on Tuesday with 41 ships."
DOC2 = "Russian divers met the Harbour Safety Board in Valmora."
DOC3 = "The ministry said 41 ships were seized."


def _entity(text: str, ref: str, covered: str, label: str) -> dict[str, Any]:
    start = text.index(covered)
    return {"id": ref, "start": start, "end": start + len(covered), "label": label}


def _claim(text: str, covered: str, **details: Any) -> dict[str, Any]:
    start = text.index(covered)
    return {"start": start, "end": start + len(covered), **details}


def gold_records() -> list[dict[str, Any]]:
    return [
        {
            "id": "g1",
            "text": DOC1,
            "entities": [
                _entity(DOC1, "e1", "Mr Dravin", "PERSON"),
                _entity(DOC1, "e2", "Port Sela", "GPE"),
                _entity(DOC1, "e3", "Tuesday", "DATE"),
                _entity(DOC1, "e4", "41 ships", "QUANTITY"),
            ],
            # Shorter than what the claim suggester proposes (the whole sentence): an overlap
            # match, not an exact one; typed "event" where the suggester says "quantity".
            "claims": [_claim(DOC1, "Mr Dravin left Port Sela on Tuesday", type="event")],
        },
        {
            "id": "g2",
            "text": DOC2,
            "entities": [
                _entity(DOC2, "e1", "Harbour Safety Board", "ORG"),
                _entity(DOC2, "e2", "Valmora", "GPE"),
            ],
        },
        {
            "id": "g3",
            "text": DOC3,
            "entities": [_entity(DOC3, "e1", "41 ships", "QUANTITY")],
            "claims": [
                _claim(
                    DOC3,
                    "41 ships were seized",
                    type="quantity",
                    cue={"start": DOC3.index("said"), "end": DOC3.index("said") + 4},
                )
            ],
        },
    ]


def write_gold(path: Path) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in gold_records()))
    return path
