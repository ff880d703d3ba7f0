"""Claim + claimant JSONL: one record per claim, with its claimant, cue and sentence.

``{"id", "document_id", "offsets": "codepoint", "start", "end", "text", "label", "type",
"hedged", "claimant": {"id", "start", "end", "text", "label"} | null, "cue": {"start", "end",
"text"} | null, "sentence": {"index", "start", "end", "text"}, "quantities": [{"figure",
"unit", "counted"}], "annotator", "origin"}``. ``quantities`` are the claim's number slots
(:mod:`annotator.core.quantities`; ``[]`` when it has none).
Offsets are code points into the document text (after ``--drop-ignored``, into the text
without boilerplate). ``sentence`` is the sentence the claim starts in, stretched to the end
of the last sentence it touches when it runs on (``index`` is the first one's).
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import Layer, Span
from annotator.core.quantities import QuantityError, from_attributes
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument, span_key
from annotator.export.validation import Findings, check_range, is_int, iter_json_lines
from annotator.export.writing import OFFSETS, ExportContext, close_output, open_output

FORMAT = "claims-json"


def sentence_around(tokens: Tokenized, start: int, end: int) -> tuple[int, int, int] | None:
    """``(index, start, end)`` of the sentences that ``start..end`` touches."""
    sentences = tokens.sentences
    if not sentences:
        return None
    starts = [s.start for s in sentences]
    first = max(0, bisect.bisect_right(starts, start) - 1)
    if sentences[first].end <= start and first + 1 < len(sentences):
        first += 1  # the claim starts in whitespace between two sentences
    last = max(first, bisect.bisect_left(starts, end) - 1)
    return first, min(sentences[first].start, start), max(sentences[last].end, end)


def quantities_of(span: Span) -> list[dict[str, str]]:
    """A claim's number slots for export: ``[{"figure", "unit", "counted"}]``; ``[]`` when it
    has none or they are not in that shape (an imported file's own attribute)."""
    try:
        return [q.to_dict() for q in from_attributes(span.attributes)]
    except QuantityError:
        return []


def records(doc: ExportDocument, tokens: Tokenized) -> list[dict[str, Any]]:
    text, key = doc.text, doc.key
    result = []
    for claim in doc.spans:
        if claim.layer is not Layer.CLAIM or claim.claim is None:
            continue
        details = claim.claim
        claimant = doc.claimant(claim)
        around = sentence_around(tokens, claim.start, claim.end)
        index, s_start, s_end = around if around is not None else (0, claim.start, claim.end)
        result.append(
            {
                "id": span_key(claim),
                "document_id": key,
                "offsets": OFFSETS,
                "start": claim.start,
                "end": claim.end,
                "text": text[claim.start : claim.end],
                "label": claim.label,
                "type": details.claim_type,
                "hedged": details.hedged,
                "claimant": None
                if claimant is None
                else {
                    "id": span_key(claimant),
                    "start": claimant.start,
                    "end": claimant.end,
                    "text": text[claimant.start : claimant.end],
                    "label": claimant.label,
                },
                "cue": None
                if details.cue is None
                else {
                    "start": details.cue[0],
                    "end": details.cue[1],
                    "text": text[details.cue[0] : details.cue[1]],
                },
                "sentence": {
                    "index": index,
                    "start": s_start,
                    "end": s_end,
                    "text": text[s_start:s_end],
                },
                "quantities": quantities_of(claim),
                "annotator": claim.annotator,
                "origin": claim.origin,
            }
        )
    return result


class ClaimsJsonWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        assert tokens is not None
        for item in records(doc, tokens):
            self.handle.write(orjson.dumps(item) + b"\n")

    def close(self) -> None:
        close_output(self.handle)


def check(path: Path) -> list[str]:
    """Each record has its fields; the claim lies in its sentence and its text is the
    sentence's text at those offsets; claimant and cue have offsets and text."""
    findings = Findings()
    for where, item in iter_json_lines(path, findings):
        if item.get("offsets") != OFFSETS:
            findings.add(where, f"'offsets' must be {OFFSETS!r}")
        for key in ("id", "document_id", "text", "label", "type"):
            if not isinstance(item.get(key), str):
                findings.add(where, f"{key!r} must be a string")
        if not isinstance(item.get("hedged"), bool):
            findings.add(where, "'hedged' must be true or false")
        sentence = item.get("sentence")
        start, end = item.get("start"), item.get("end")
        if not isinstance(sentence, dict) or not isinstance(sentence.get("text"), str):
            findings.add(where, "'sentence' must be an object with its text")
            continue
        s_start = sentence.get("start")
        if not (is_int(start) and is_int(end) and is_int(s_start)):
            findings.add(where, "offsets must be integers")
            continue
        check_range(
            sentence["text"],
            start - s_start,
            end - s_start,
            f"{where} [claim in sentence]",
            findings,
            given=item.get("text"),
        )
        slots = item.get("quantities", [])
        if not isinstance(slots, list) or not all(
            isinstance(q, dict)
            and all(isinstance(q.get(k), str) for k in ("figure", "unit", "counted"))
            for q in slots
        ):
            findings.add(where, "'quantities' must be a list of {figure, unit, counted} strings")
        for part in ("claimant", "cue"):
            value = item.get(part)
            if value is not None and not (
                isinstance(value, dict)
                and is_int(value.get("start"))
                and is_int(value.get("end"))
                and value["start"] < value["end"]
                and isinstance(value.get("text"), str)
            ):
                findings.add(where, f"{part!r} must be null or have start < end and text")
    return findings.result()
