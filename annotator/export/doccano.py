"""doccano JSONL in its relation form: ``text``, ``entities`` and ``relations`` per document.

``{"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations":
[{"id", "from_id", "to_id", "type"}]}``, entity ids numbered from 1 in each document. Claims
are entities labelled ``CLAIM`` carrying ``claim_type`` and ``hedged`` (doccano keeps keys it
does not know); cues are entities labelled ``CUE``; relations ``Claimant`` (claim -> entity)
and ``Cue`` (claim -> cue). Offsets are code points (``"offsets": "codepoint"``); ``meta``
holds the title, source and annotator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import Layer
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument
from annotator.export.validation import (
    Findings,
    check_range,
    iter_json_lines,
    require_list,
    require_str,
)
from annotator.export.writing import (
    CLAIMANT_RELATION,
    CUE_LABEL,
    CUE_RELATION,
    OFFSETS,
    ExportContext,
    close_output,
    open_output,
)

FORMAT = "doccano"


def record(doc: ExportDocument) -> dict[str, Any]:
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    ids: dict[int | None, int] = {}
    cues: dict[tuple[int, int], int] = {}

    def add(label: str, start: int, end: int, **extra: Any) -> int:
        number = len(entities) + 1
        entities.append(
            {"id": number, "label": label, "start_offset": start, "end_offset": end, **extra}
        )
        return number

    for span in doc.spans:
        if span.layer is Layer.ENTITY:
            ids[span.id] = add(span.label, span.start, span.end)
    for span in doc.spans:
        if span.layer is not Layer.CLAIM or span.claim is None:
            continue
        details = span.claim
        claim = add(
            span.label,
            span.start,
            span.end,
            claim_type=details.claim_type,
            hedged=details.hedged,
        )
        claimant = ids.get(details.claimant_id) if details.claimant_id is not None else None
        if claimant is not None:
            relations.append(
                {
                    "id": len(relations) + 1,
                    "from_id": claim,
                    "to_id": claimant,
                    "type": CLAIMANT_RELATION,
                }
            )
        if details.cue is not None:
            cue = cues.get(details.cue)
            if cue is None:
                cue = cues[details.cue] = add(CUE_LABEL, *details.cue)
            relations.append(
                {"id": len(relations) + 1, "from_id": claim, "to_id": cue, "type": CUE_RELATION}
            )
    meta: dict[str, Any] = {"title": doc.document.title}
    if doc.document.source is not None:
        meta["source"] = doc.document.source
    if doc.annotator is not None:
        meta["annotator"] = doc.annotator
    return {
        "id": doc.key,
        "text": doc.text,
        "entities": entities,
        "relations": relations,
        "offsets": OFFSETS,
        "meta": meta,
    }


class DoccanoWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        self.handle.write(orjson.dumps(record(doc)) + b"\n")

    def close(self) -> None:
        close_output(self.handle)


def check(path: Path) -> list[str]:
    """Offsets fit the text, entity ids are unique, relations join existing entities."""
    findings = Findings()
    for where, item in iter_json_lines(path, findings):
        text = require_str(item, "text", where, findings)
        if text is None:
            continue
        if item.get("offsets", OFFSETS) != OFFSETS:
            findings.add(where, f"'offsets' must be {OFFSETS!r}")
        ids: set[Any] = set()
        for i, entity in enumerate(require_list(item, "entities", where, findings)):
            here = f"{where} [entities[{i}]]"
            if not isinstance(entity, dict):
                findings.add(here, "not an object")
                continue
            check_range(text, entity.get("start_offset"), entity.get("end_offset"), here, findings)
            if entity.get("id") in ids:
                findings.add(here, f"id {entity.get('id')!r} appears twice")
            ids.add(entity.get("id"))
            if not isinstance(entity.get("label"), str) or not entity["label"]:
                findings.add(here, "'label' must be a non-empty string")
        for i, relation in enumerate(require_list(item, "relations", where, findings)):
            here = f"{where} [relations[{i}]]"
            if not isinstance(relation, dict):
                findings.add(here, "not an object")
            elif relation.get("from_id") not in ids or relation.get("to_id") not in ids:
                findings.add(here, "from_id/to_id must be entity ids of this record")
            elif relation.get("type") not in (CLAIMANT_RELATION, CUE_RELATION):
                findings.add(here, f"type {relation.get('type')!r} is not Claimant or Cue")
    return findings.result()
