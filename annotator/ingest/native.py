"""The native JSONL format (docs/formats.md): one document and its annotations per line.

Validation is strict and names the bad field (``entities[3].end``): a record with any problem
is skipped whole, because a document imported without some of its spans would look finished
and be wrong. Offsets are code points into the text *after* import normalisation; a record
whose text normalisation changes (CRLF, non-NFC) while it carries spans is refused, since its
offsets were counted in a text that will not be stored. A record without ``offsets`` is taken
to count code points too; one with any other value is refused. Unknown keys on a span are
ignored; unknown keys on a record are kept in its ``meta`` (its own ``meta`` wins on a clash).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError, OffsetError
from annotator.core.model import CLAIM_TYPES, MANUAL, IgnoredRange, Layer, Status
from annotator.ingest.json_lines import read_json_lines
from annotator.ingest.native_clean import clean_claims, clean_entities
from annotator.ingest.records import (
    ImportedClaim,
    ImportedDocument,
    ImportedEntity,
    ImportProblem,
)
from annotator.ingest.values import (
    clean_title,
    document_text,
    meta_object,
    optional_str,
    record_id,
    require_object,
    shorten,
    title_from_text,
    type_name,
)

OFFSETS = "codepoint"

_RECORD_KEYS = frozenset(
    {
        "id",
        "title",
        "text",
        "source",
        "meta",
        "annotator",
        "offsets",
        "entities",
        "claims",
        "rejected",
        "ignored",
        "status",
        "statuses",
        "seconds",
    }
)
_SPAN_LISTS = ("entities", "claims", "rejected", "ignored")
_STATUSES = ", ".join(status.value for status in Status)
_STATUS_OF = {status.value: status for status in Status}


def read_native(
    path: Path, *, default_annotator: str | None = None, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    """Stream the documents of a native JSONL file, with a problem for each bad record."""

    def parse(
        record: Mapping[str, Any],
        *,
        path: str,
        line: int,
        default_annotator: str | None,
        source: str | None,
    ) -> tuple[ImportedDocument, list[str]]:
        # Named, not ``**where``: no mapping of them made twice per record.
        document = parse_native(
            record, path=path, line=line, default_annotator=default_annotator, source=source
        )
        return document, []

    return read_json_lines(path, parse, default_annotator=default_annotator, source=source)


def parse_native(
    record: Mapping[str, Any],
    *,
    path: str,
    line: int,
    default_annotator: str | None = None,
    source: str | None = None,
) -> ImportedDocument:
    """One native record as a document; raise :class:`InputError` naming the bad field."""
    raw, text = document_text(record.get("text"), path=path, line=line, field="text")
    offsets = record.get("offsets")
    if offsets is not None and offsets != OFFSETS:
        raise InputError(
            f"offsets are {shorten(str(offsets))!r}; only {OFFSETS!r} offsets (Python code "
            "points, end exclusive) can be imported: convert them first",
            field="offsets",
        )
    if raw != text and any(record.get(key) for key in _SPAN_LISTS):
        raise OffsetError(
            "the text changes under import normalisation (CRLF or CR line breaks, or "
            f"characters not in Unicode NFC; first change at character {_first_change(raw, text)}"
            "), so offsets counted in it would point at the wrong characters; normalise the "
            "text (LF line breaks, NFC) and recount the offsets before importing",
            field="text",
        )
    own_annotator = optional_str(record.get("annotator"), field="annotator")
    annotator = own_annotator or default_annotator
    # A clean list is read in one pass; any doubt, and it is read again field by field, which
    # names the bad field (native_clean.py).
    value = record.get("entities")
    entities = clean_entities(value, text, annotator)
    if entities is None:
        entities = _SpanReader(text, annotator).entities(value)
    value = record.get("claims")
    claims: tuple[ImportedClaim, ...] = ()
    if value is not None:
        refs = {e.ref for e in entities if e.ref is not None}
        found = clean_claims(value, text, annotator, refs)
        claims = _SpanReader(text, annotator).claims(value, refs) if found is None else found
    title = optional_str(record.get("title"), field="title")
    meta = meta_object(record.get("meta"), field="meta")
    # Nearly every record has only keys of the format: nothing to keep from it.
    if record.keys() <= _RECORD_KEYS:
        extra = None
    else:
        extra = {key: value for key, value in record.items() if key not in _RECORD_KEYS}
    rejected, ignored = record.get("rejected"), record.get("ignored")
    return ImportedDocument(
        text=text,
        title=clean_title(title, path=path, line=line, field="title")
        if title
        else title_from_text(text),
        external_id=record_id(record.get("id"), field="id"),
        source=optional_str(record.get("source"), field="source") or source,
        meta={**extra, **meta} if extra else meta,
        entities=entities,
        claims=claims,
        rejected=() if rejected is None else _SpanReader(text, annotator).rejected(rejected),
        ignored=() if ignored is None else _SpanReader(text, annotator).ignored(ignored),
        statuses=_statuses(record, annotator),
        seconds=_seconds(record.get("seconds")),
        origin=f"{path}:{line}",
    )


class _SpanReader:
    """Validates the span lists of one record against its (normalised) text."""

    def __init__(self, text: str, annotator: str | None) -> None:
        self.text = text
        self.annotator = annotator

    def entities(self, value: Any) -> tuple[ImportedEntity, ...]:
        result: list[ImportedEntity] = []
        seen: set[str] = set()
        for where, item in _items(value, "entities"):
            ref = _unique_ref(item, where, seen)
            start, end = self._span(item, where)
            result.append(
                ImportedEntity(
                    ref=ref,
                    start=start,
                    end=end,
                    label=_label(item, where),
                    annotator=self._annotator(item, where),
                    origin=_origin(item, where),
                    attributes=meta_object(item.get("attributes"), field=f"{where}.attributes"),
                    where=where,
                )
            )
        return tuple(result)

    def claims(self, value: Any, entity_refs: set[str]) -> tuple[ImportedClaim, ...]:
        result: list[ImportedClaim] = []
        seen: set[str] = set()
        for where, item in _items(value, "claims"):
            ref = _unique_ref(item, where, seen)
            start, end = self._span(item, where)
            claimant = record_id(item.get("claimant"), field=f"{where}.claimant")
            if claimant is not None and claimant not in entity_refs:
                raise InputError(
                    f"claimant {claimant!r} is not the id of an entity in this record",
                    field=f"{where}.claimant",
                )
            cue = item.get("cue")
            if cue is not None:
                cue = self._offsets(require_object(cue, field=f"{where}.cue"), f"{where}.cue")
            label = item.get("label")
            result.append(
                ImportedClaim(
                    ref=ref,
                    start=start,
                    end=end,
                    claimant=claimant,
                    cue=cue,
                    claim_type=_claim_type(item.get("type"), f"{where}.type"),
                    hedged=_flag(item.get("hedged"), f"{where}.hedged"),
                    annotator=self._annotator(item, where),
                    origin=_origin(item, where),
                    label=_label(item, where) if label is not None else "CLAIM",
                    attributes=meta_object(item.get("attributes"), field=f"{where}.attributes"),
                    where=where,
                )
            )
        return tuple(result)

    def rejected(self, value: Any) -> tuple[dict[str, Any], ...]:
        result: list[dict[str, Any]] = []
        for where, item in _items(value, "rejected"):
            start, end = self._offsets(item, where)
            layer = item.get("layer", Layer.ENTITY.value)
            if layer not in {member.value for member in Layer}:
                raise InputError(
                    f"layer {layer!r} is not 'entity' or 'claim'", field=f"{where}.layer"
                )
            result.append(
                {
                    "annotator": self._annotator(item, where),
                    "start": start,
                    "end": end,
                    "label": _label(item, where),
                    "layer": layer,
                    "suggester": optional_str(item.get("suggester"), field=f"{where}.suggester"),
                }
            )
        return tuple(result)

    def ignored(self, value: Any) -> tuple[IgnoredRange, ...]:
        result: list[IgnoredRange] = []
        for where, item in _items(value, "ignored"):
            start, end = self._offsets(item, where)
            reason = optional_str(item.get("reason"), field=f"{where}.reason")
            result.append(IgnoredRange(start, end, reason or "boilerplate"))
        return tuple(result)

    def _span(self, item: Mapping[str, Any], where: str) -> tuple[int, int]:
        """Offsets, and the span's own ``text`` checked against them when it is given."""
        start, end = self._offsets(item, where)
        given = item.get("text")
        if given is not None:
            if not isinstance(given, str):
                raise InputError(f"must be a string, got {type_name(given)}", field=f"{where}.text")
            actual = self.text[start:end]
            if given != actual:
                raise OffsetError(
                    f"span text {shorten(given)!r} does not match text[{start}:{end}] "
                    f"{shorten(actual)!r}",
                    field=f"{where}.text",
                )
        return start, end

    def _offsets(self, item: Mapping[str, Any], where: str) -> tuple[int, int]:
        start = _offset(item.get("start"), f"{where}.start")
        end = _offset(item.get("end"), f"{where}.end")
        if start < 0:
            raise OffsetError(f"start {start} is negative", field=f"{where}.start")
        if end > len(self.text):
            raise OffsetError(
                f"end {end} is past the end of the text ({len(self.text)} characters)",
                field=f"{where}.end",
            )
        if start >= end:
            raise OffsetError(f"start {start} must be less than end {end}", field=f"{where}.start")
        return start, end

    def _annotator(self, item: Mapping[str, Any], where: str) -> str | None:
        own = optional_str(item.get("annotator"), field=f"{where}.annotator")
        return own or self.annotator


def _items(value: Any, name: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(field path, object)`` for each element of a span list (missing or null: none)."""
    if value is None:
        return
    if not isinstance(value, list):
        raise InputError(f"must be an array, got {type_name(value)}", field=name)
    for index, item in enumerate(value):
        where = f"{name}[{index}]"
        yield where, require_object(item, field=where)


def _unique_ref(item: Mapping[str, Any], where: str, seen: set[str]) -> str | None:
    ref = record_id(item.get("id"), field=f"{where}.id")
    if ref is not None:
        if ref in seen:
            layer = where.split("[", 1)[0]
            raise InputError(f"duplicate id {ref!r} in {layer}", field=f"{where}.id")
        seen.add(ref)
    return ref


def _offset(value: Any, field: str) -> int:
    # ``bool`` is an ``int`` in Python but never an offset.
    if type(value) is not int:
        what = "is missing" if value is None else f"must be an integer, got {type_name(value)}"
        raise OffsetError(what, field=field)
    return value


def _label(item: Mapping[str, Any], where: str) -> str:
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        what = "is missing" if label is None else "must be a non-empty string"
        raise InputError(f"label {what}", field=f"{where}.label")
    return label


def _origin(item: Mapping[str, Any], where: str) -> str:
    origin = optional_str(item.get("origin"), field=f"{where}.origin") or MANUAL
    if origin != MANUAL and not (origin.startswith("suggested:") and len(origin) > 10):
        raise InputError(
            f"origin {origin!r} is not 'manual' or 'suggested:<suggester>'",
            field=f"{where}.origin",
        )
    return origin


def _claim_type(value: Any, field: str) -> str:
    if value is None:
        return "other"
    if value not in CLAIM_TYPES:
        raise InputError(
            f"type {shorten(str(value))!r} is not one of {', '.join(CLAIM_TYPES)}", field=field
        )
    return str(value)


def _flag(value: Any, field: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(f"must be true or false, got {type_name(value)}", field=field)
    return value


def _status(value: Any, field: str) -> Status:
    # A dictionary look-up first: calling the enumeration costs several times as much.
    found = _STATUS_OF.get(value) if type(value) is str else None
    if found is not None:
        return found
    try:
        return Status(value)
    except ValueError:
        raise InputError(
            f"status {shorten(str(value))!r} is not one of {_STATUSES}", field=field
        ) from None


def _statuses(record: Mapping[str, Any], annotator: str | None) -> dict[str | None, Status]:
    """Per-annotator statuses; ``statuses`` wins over the single ``status`` of the record."""
    statuses = record.get("statuses")
    if statuses is not None:
        result: dict[str | None, Status] = {}
        for name, value in require_object(statuses, field="statuses").items():
            if not name.strip():
                raise InputError("an annotator name is empty", field="statuses")
            result[name] = _status(value, f"statuses.{name}")
        return result
    status = record.get("status")
    return {} if status is None else {annotator: _status(status, "status")}


def _seconds(value: Any) -> dict[str | None, float]:
    """Time each annotator spent on the document (``{"ana": 93.5}``), when the record says."""
    if value is None:
        return {}
    result: dict[str | None, float] = {}
    for name, seconds in require_object(value, field="seconds").items():
        if not name.strip():
            raise InputError("an annotator name is empty", field="seconds")
        if type(seconds) not in (int, float) or not 0 <= seconds < float("inf"):
            raise InputError(
                f"must be a number of seconds, got {shorten(str(seconds))!r}",
                field=f"seconds.{name}",
            )
        result[name] = float(seconds)
    return result


def _first_change(raw: str, text: str) -> int:
    """Index (in the raw text) of the first character that normalisation changes."""
    for index, (before, after) in enumerate(zip(raw, text, strict=False)):
        if before != after:
            return index
    return min(len(raw), len(text))
