"""Native JSONL: lossless, one document per line, code-point offsets (docs/formats.md)."""

from __future__ import annotations

import operator
import os
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import (
    Decision,
    Document,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Status,
    Suggestion,
    SuggestionDecision,
)
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument, span_key
from annotator.export.validation import (
    Findings,
    check_range,
    iter_json_lines,
    require_list,
    require_str,
)
from annotator.export.writing import OFFSETS, ExportContext, close_output, open_output

FORMAT = "annotator"
__all__ = ["FORMAT", "NativeWriter", "check", "document_record", "dumps", "span_key"]

_RANK = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.SKIPPED: 2, Status.DONE: 3}


def document_record(
    document: Document,
    spans: Sequence[Span],
    *,
    ignored: Sequence[IgnoredRange] = (),
    decisions: Sequence[SuggestionDecision] = (),
    states: Sequence[DocumentState] = (),
    suggestions: Sequence[Suggestion] | None = None,
) -> dict[str, Any]:
    """One native JSONL record. ``states`` are the annotators' statuses for this document."""
    keys = {span.id: span_key(span) for span in spans}
    text = document.text
    entities = [
        {
            "id": keys[s.id],
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "text": text[s.start : s.end],
            "annotator": s.annotator,
            "origin": s.origin,
            **({"attributes": s.attributes} if s.attributes else {}),
        }
        for s in spans
        if s.layer is Layer.ENTITY
    ]
    claims = []
    for s in spans:
        if s.layer is not Layer.CLAIM:
            continue
        details = s.claim
        assert details is not None
        claimant = details.claimant_id
        claims.append(
            {
                "id": keys[s.id],
                "start": s.start,
                "end": s.end,
                "text": text[s.start : s.end],
                "claimant": None if claimant is None else keys.get(claimant),
                "cue": None
                if details.cue is None
                else {"start": details.cue[0], "end": details.cue[1]},
                "type": details.claim_type,
                "hedged": details.hedged,
                "annotator": s.annotator,
                "origin": s.origin,
                **({"label": s.label} if s.label != "CLAIM" else {}),
                **({"attributes": s.attributes} if s.attributes else {}),
            }
        )
    rejected = [
        {
            "start": d.start,
            "end": d.end,
            "label": d.label,
            "layer": d.layer.value,
            "annotator": d.annotator,
            "suggester": d.suggester,
        }
        for d in decisions
        if d.decision is Decision.REJECTED
    ]
    record: dict[str, Any] = {
        "id": document.external_id if document.external_id is not None else str(document.id),
        "title": document.title,
        "text": text,
        "source": document.source,
        "meta": document.meta,
        "offsets": "codepoint",
        "entities": entities,
        "claims": claims,
        "rejected": rejected,
        "ignored": [{"start": r.start, "end": r.end, "reason": r.reason} for r in ignored],
        "status": overall_status(states).value,
        "statuses": {st.annotator: st.status.value for st in states if st.status is not Status.NEW},
    }
    # Time spent per annotator, only when someone has some (imports read it back).
    seconds = {st.annotator: st.seconds_spent for st in states if st.seconds_spent > 0}
    if seconds:
        record["seconds"] = seconds
    if suggestions is not None:
        record["suggestions"] = [
            {
                "start": s.start,
                "end": s.end,
                "layer": s.layer.value,
                "label": s.label,
                "text": text[s.start : s.end],
                "suggester": s.suggester,
                "score": s.score,
                "reason": s.reason,
                **({"attributes": s.attributes} if s.attributes else {}),
            }
            for s in suggestions
        ]
    return record


def overall_status(states: Iterable[DocumentState]) -> Status:
    """The most advanced status among the annotators (done > skipped > in progress > new)."""
    best = Status.NEW
    for state in states:
        if _RANK[state.status] > _RANK[best]:
            best = state.status
    return best


def dumps(record: Mapping[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


class NativeWriter:
    """One native record per document, every field the database has (lossless).

    Keeps a CRC-32 of what it wrote up to the end of each line (4 bytes a document), so that
    :meth:`read_back` can compare the file, once synced, with what was written: the whole
    file in large reads when it is intact (the last sum and the size say so), line by line
    only when it is not, to name the lines that differ.
    """

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.path = path
        self.handle = open_output(path)
        self.context = context
        #: ``sums[i]``: the CRC-32 of the file's bytes up to the end of line ``i + 1``.
        self.sums = array("I")
        self.size = 0
        self._sum = 0

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        self.write_record(
            document_record(
                doc.document,
                doc.spans,
                ignored=doc.ignored,
                decisions=doc.decisions,
                states=doc.states,
                suggestions=doc.suggestions if self.context.include_suggestions else None,
            )
        )

    def write_record(self, record: Mapping[str, Any]) -> None:
        line = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        self.handle.write(line)
        self._sum = zlib.crc32(line, self._sum)
        self.sums.append(self._sum)
        self.size += len(line)

    def close(self) -> None:
        close_output(self.handle)

    def read_back(self) -> list[str]:
        """Read the closed file back: where it differs from what was written (empty: every
        line is as written, and no line is missing or extra)."""
        findings = Findings()
        try:
            if self._intact():
                return []
            handle = self.path.open("rb")
        except OSError as exc:
            findings.add(str(self.path), f"cannot be read: {exc.strerror or exc}")
            return findings.result()
        with handle:
            number = 0
            for number, line in enumerate(handle, start=1):
                if number > len(self.sums):
                    findings.add(f"{self.path}:{number}", "was not written by this export")
                    break
                # Each line is compared on its own: from the sum written before it.
                before = self.sums[number - 2] if number > 1 else 0
                if zlib.crc32(line, before) != self.sums[number - 1]:
                    findings.add(f"{self.path}:{number}", "reads back other than it was written")
            if number < len(self.sums):
                findings.add(
                    f"{self.path}:{number + 1}",
                    f"missing: {len(self.sums)} lines were written, {number} read back",
                )
        return findings.result()

    def _intact(self) -> bool:
        """Whether the file has the size and the CRC-32 of what was written, read in large
        blocks into one buffer (no object per line)."""
        total, buffer = 0, bytearray(_READ_BLOCK)
        view = memoryview(buffer)
        with self.path.open("rb", buffering=0) as handle:
            if os.fstat(handle.fileno()).st_size != self.size:
                return False
            while count := handle.readinto(buffer):
                total = zlib.crc32(view[:count], total)
        return total == (self.sums[-1] if self.sums else 0)


#: Bytes read at a time when the written file is compared with its CRC.
_READ_BLOCK = 1 << 20

_STATUSES = frozenset(status.value for status in Status)


def check(path: Path) -> list[str]:
    """Read a native JSONL file back: offsets, span texts, claimant ids, cues, statuses."""
    findings = Findings()
    seen: set[str] = set()
    for where, record in iter_json_lines(path, findings):
        doc_id = require_str(record, "id", where, findings)
        if doc_id is not None:
            if doc_id in seen:
                findings.add(where, f"document id {doc_id!r} appears twice")
            seen.add(doc_id)
        if record.get("offsets") != OFFSETS:
            findings.add(where, f"'offsets' must be {OFFSETS!r}")
        text = require_str(record, "text", where, findings)
        if text is None:
            continue
        entities = require_list(record, "entities", where, findings)
        entity_ids = _entity_ids_if_clean(text, entities)
        if entity_ids is None:
            entity_ids = _check_entities(text, entities, where, findings)
        for i, claim in enumerate(require_list(record, "claims", where, findings)):
            here = f"{where} [claims[{i}]]"
            if not isinstance(claim, dict):
                findings.add(here, "not an object")
                continue
            check_range(
                text, claim.get("start"), claim.get("end"), here, findings, given=claim.get("text")
            )
            claimant = claim.get("claimant")
            if claimant is not None and claimant not in entity_ids:
                findings.add(here, f"claimant {claimant!r} is not an entity id of this record")
            cue = claim.get("cue")
            if cue is not None:
                if isinstance(cue, dict):
                    check_range(text, cue.get("start"), cue.get("end"), f"{here}.cue", findings)
                else:
                    findings.add(here, "'cue' must be an object or null")
        for i, item in enumerate(require_list(record, "ignored", where, findings)):
            if isinstance(item, dict):
                check_range(
                    text, item.get("start"), item.get("end"), f"{where} [ignored[{i}]]", findings
                )
        if record.get("status") not in _STATUSES:
            findings.add(where, f"status {record.get('status')!r} is not a known status")
    return findings.result()


_ENTITY_FIELDS = operator.itemgetter("start", "end", "label", "id", "text")


def _entity_ids_if_clean(text: str, entities: list[Any]) -> set[str] | None:
    """The entity ids when every entity is right, else None: the conditions of
    :func:`_check_entities` tested a column at a time by C loops (``map`` over the entities),
    since a record has dozens of entities and this is most of a check's time."""
    if not entities:
        return set()
    if set(map(type, entities)) != {dict}:
        return None
    try:
        starts, ends, labels, ids, words = zip(*map(_ENTITY_FIELDS, entities), strict=True)
    except KeyError:
        return None
    if not (
        set(map(type, starts)) == {int}
        and set(map(type, ends)) == {int}
        and set(map(type, labels)) == {str}
        and set(map(type, ids)) == {str}
        and "" not in labels
        and min(starts) >= 0
        and max(ends) <= len(text)
        and all(map(operator.lt, starts, ends))
        and list(map(text.__getitem__, map(slice, starts, ends))) == list(words)
    ):
        return None
    return set(ids)


def _check_entities(text: str, entities: list[Any], where: str, findings: Findings) -> set[str]:
    """Every entity's offsets, text, label and id, saying what is wrong; the ids found."""
    length = len(text)
    entity_ids: set[str] = set()
    for i, entity in enumerate(entities):
        # The common case in one expression (a record has dozens of entities); the checks
        # below only run to say what is wrong.
        if type(entity) is dict:
            start, end, label, entity_id = (
                entity.get("start"),
                entity.get("end"),
                entity.get("label"),
                entity.get("id"),
            )
            if (
                type(start) is int
                and type(end) is int
                and 0 <= start < end <= length
                and type(label) is str
                and label
                and type(entity_id) is str
                and text[start:end] == entity.get("text")
            ):
                entity_ids.add(entity_id)
                continue
        here = f"{where} [entities[{i}]]"
        if not isinstance(entity, dict):
            findings.add(here, "not an object")
            continue
        check_range(
            text,
            entity.get("start"),
            entity.get("end"),
            here,
            findings,
            given=entity.get("text"),
        )
        if not isinstance(entity.get("label"), str) or not entity["label"]:
            findings.add(here, "'label' must be a non-empty string")
        if isinstance(entity.get("id"), str):
            entity_ids.add(entity["id"])
    return entity_ids
