"""Label Studio JSON: a list of tasks, each with ``data.text`` and one annotation's results.

Regions are ``labels`` results on ``text`` (``value``: ``start``, ``end``, ``text``,
``labels``); claims are regions labelled ``CLAIM`` with two per-region ``choices`` results
sharing the region's id (``claim_type``: the type; ``hedged``: ``"true"``/``"false"``); cues
are regions labelled ``CUE``; ``relation`` results join a claim (``from_id``) to its claimant
or cue (``to_id``) with ``labels`` ``["Claimant"]``/``["Cue"]``. Each region's ``origin`` is
``manual`` or ``prediction`` (accepted from a suggestion; region ``meta.origin`` names the
suggester). The labeling config that matches is in docs/formats.md ("Loading an export").

Offsets are code points, which is what Label Studio writes since its emoji fix; older versions
counted UTF-16 units (the importer notices and converts). ``data`` carries the document id,
title and source, the task ``meta`` the annotator and ``"offsets": "codepoint"``. The file is
one JSON array, written element by element so memory stays flat.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import MANUAL, Layer, Span
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument, span_key
from annotator.export.validation import Findings, check_range
from annotator.export.writing import (
    CLAIMANT_RELATION,
    CUE_LABEL,
    CUE_RELATION,
    OFFSETS,
    ExportContext,
    close_output,
    open_output,
)

FORMAT = "labelstudio"
LABELS = "label"
TEXT = "text"
CLAIM_TYPE = "claim_type"
HEDGED = "hedged"
PREDICTION = "prediction"


def _region(
    region_id: str, text: str, start: int, end: int, label: str, origin: str
) -> dict[str, Any]:
    region: dict[str, Any] = {
        "id": region_id,
        "from_name": LABELS,
        "to_name": TEXT,
        "type": "labels",
        "origin": MANUAL if origin == MANUAL else PREDICTION,
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }
    if origin != MANUAL:
        region["meta"] = {"origin": origin}
    return region


def _choice(region_id: str, text: str, span: Span, name: str, value: str) -> dict[str, Any]:
    return {
        "id": region_id,
        "from_name": name,
        "to_name": TEXT,
        "type": "choices",
        "value": {
            "start": span.start,
            "end": span.end,
            "text": text[span.start : span.end],
            "choices": [value],
        },
    }


def _relation(head: str, child: str, label: str) -> dict[str, Any]:
    return {
        "type": "relation",
        "from_id": head,
        "to_id": child,
        "direction": "right",
        "labels": [label],
    }


def task(doc: ExportDocument, number: int) -> dict[str, Any]:
    text = doc.text
    result: list[dict[str, Any]] = []
    ids: dict[int | None, str] = {}
    for span in doc.spans:
        if span.layer is Layer.ENTITY:
            ids[span.id] = key = span_key(span)
            result.append(_region(key, text, span.start, span.end, span.label, span.origin))
    for span in doc.spans:
        if span.layer is not Layer.CLAIM or span.claim is None:
            continue
        details = span.claim
        key = span_key(span)
        result.append(_region(key, text, span.start, span.end, span.label, span.origin))
        result.append(_choice(key, text, span, CLAIM_TYPE, details.claim_type))
        result.append(_choice(key, text, span, HEDGED, "true" if details.hedged else "false"))
        claimant = ids.get(details.claimant_id) if details.claimant_id is not None else None
        if claimant is not None:
            result.append(_relation(key, claimant, CLAIMANT_RELATION))
        if details.cue is not None:
            cue = f"{key}-cue"
            result.append(_region(cue, text, *details.cue, CUE_LABEL, span.origin))
            result.append(_relation(key, cue, CUE_RELATION))
    data: dict[str, Any] = {"text": text, "document_id": doc.key, "title": doc.document.title}
    if doc.document.source is not None:
        data["source"] = doc.document.source
    meta: dict[str, Any] = {"offsets": OFFSETS}
    if doc.annotator is not None:
        meta["annotator"] = doc.annotator
    return {
        "id": number,
        "data": data,
        "meta": meta,
        "annotations": [{"result": result, "was_cancelled": False, "ground_truth": False}],
    }


class LabelStudioWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)
        self.handle.write(b"[")
        self.count = 0

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        self.count += 1
        self.handle.write(b"\n" if self.count == 1 else b",\n")
        self.handle.write(orjson.dumps(task(doc, self.count)))

    def close(self) -> None:
        self.handle.write(b"\n]\n")
        close_output(self.handle)


def check(path: Path) -> list[str]:
    """The file is a JSON array of tasks; regions fit ``data.text`` and show its characters;
    relations and per-region choices refer to regions of the same annotation."""
    findings = Findings()
    name = str(path)
    try:
        tasks = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        findings.add(name, f"cannot be read as JSON: {exc}")
        return findings.result()
    if not isinstance(tasks, list):
        findings.add(name, "must be a JSON array of tasks")
        return findings.result()
    for number, item in enumerate(tasks):
        where = f"{name} [{number}]"
        data = item.get("data") if isinstance(item, dict) else None
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str):
            findings.add(where, "a task needs data.text")
            continue
        meta = item.get("meta") or {}
        if isinstance(meta, dict) and meta.get("offsets", OFFSETS) != OFFSETS:
            findings.add(where, f"meta.offsets must be {OFFSETS!r}")
        for a, annotation in enumerate(item.get("annotations") or []):
            results = annotation.get("result") if isinstance(annotation, dict) else None
            if not isinstance(results, list):
                findings.add(f"{where}.annotations[{a}]", "'result' must be an array")
                continue
            _check_results(text, results, f"{where}.annotations[{a}]", findings)
    return findings.result()


def _check_results(text: str, results: list[Any], where: str, findings: Findings) -> None:
    regions: set[str] = set()
    for r, region in enumerate(results):
        if isinstance(region, dict) and region.get("type") == "labels":
            value = region.get("value") or {}
            here = f"{where}.result[{r}]"
            check_range(
                text, value.get("start"), value.get("end"), here, findings, given=value.get("text")
            )
            labels = value.get("labels")
            if not isinstance(labels, list) or len(labels) != 1:
                findings.add(here, "a region needs exactly one label")
            regions.add(region.get("id"))
    for r, item in enumerate(results):
        here = f"{where}.result[{r}]"
        if not isinstance(item, dict):
            findings.add(here, "not an object")
        elif item.get("type") == "relation":
            if item.get("from_id") not in regions or item.get("to_id") not in regions:
                findings.add(here, "from_id/to_id must be region ids of this annotation")
        elif item.get("type") == "choices" and item.get("id") not in regions:
            findings.add(here, "a per-region choice must share a region's id")
