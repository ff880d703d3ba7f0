"""doccano JSONL: ``text`` with ``entities`` and ``relations`` (the relation form), or with
``label`` as ``[[start, end, label], ...]`` (the sequence-labelling form).

Entities are ``{"id", "label", "start_offset", "end_offset"}``; relations ``{"from_id",
"to_id", "type"}``. Claims, cues and claimants follow :mod:`annotator.ingest.foreign`; a claim
entity may carry ``claim_type`` and ``hedged`` (our exports write them; doccano keeps them).
The record's ``id`` becomes the document id; ``meta`` (or, doccano-style, any other key) its
metadata, with ``title``, ``source`` and ``annotator`` taken out. Offsets must be code points
(``offsets``, when present, must say ``codepoint``): doccano counts code points since its 1.x
releases.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.model import Status
from annotator.ingest.field_names import FieldNames
from annotator.ingest.foreign import (
    Link,
    Region,
    annotations,
    check_text_unchanged,
    document_meta,
    flag,
    offsets,
)
from annotator.ingest.json_lines import read_json_lines
from annotator.ingest.records import ImportedDocument, ImportProblem
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
#: Where a doccano record keeps the document's fields.
NAMES = FieldNames(title="meta.title", source="meta.source")
_KNOWN = frozenset({"id", "text", "entities", "relations", "label", "offsets", "meta"})


def read_doccano(
    path: Path, *, default_annotator: str | None = None, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    return read_json_lines(
        path, parse_doccano, default_annotator=default_annotator, source=source, names=NAMES
    )


def parse_doccano(
    record: Mapping[str, Any],
    *,
    path: str,
    line: int,
    default_annotator: str | None = None,
    source: str | None = None,
) -> tuple[ImportedDocument, list[str]]:
    raw, text = document_text(record.get("text"), path=path, line=line, field="text")
    offsets_name = record.get("offsets", OFFSETS)
    if offsets_name != OFFSETS:
        raise InputError(
            f"offsets are {shorten(str(offsets_name))!r}; only {OFFSETS!r} can be imported",
            field="offsets",
        )
    regions = _regions(record)
    links = [_link(value, f"relations[{i}]") for i, value in enumerate(_list(record, "relations"))]
    check_text_unchanged(raw, text, bool(regions))
    meta = meta_object(record.get("meta"), field="meta")
    extra = {key: value for key, value in record.items() if key not in _KNOWN}
    annotator = optional_str(meta.get("annotator"), field="meta.annotator") or default_annotator
    entities, claims, warnings = annotations(text, regions, links, annotator=annotator)
    title = optional_str(meta.get("title"), field="meta.title")
    return (
        ImportedDocument(
            text=text,
            title=clean_title(title, path=path, line=line, field="meta.title")
            if title
            else title_from_text(text),
            external_id=record_id(record.get("id"), field="id"),
            source=optional_str(meta.get("source"), field="meta.source") or source,
            meta={**extra, **document_meta(meta)},
            entities=entities,
            claims=claims,
            statuses={annotator: Status.DONE} if entities or claims else {},
            origin=f"{path}:{line}",
        ),
        warnings,
    )


def _list(record: Mapping[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"must be an array, got {type_name(value)}", field=key)
    return value


def _regions(record: Mapping[str, Any]) -> list[Region]:
    regions = []
    for i, value in enumerate(_list(record, "entities")):
        field = f"entities[{i}]"
        entity = require_object(value, field=field)
        start, end = offsets(entity, "start_offset", "end_offset", field)
        key = record_id(entity.get("id"), field=f"{field}.id") or f"#{i}"
        label = entity.get("label")
        if not isinstance(label, str):
            raise InputError("label must be a string", field=f"{field}.label")
        regions.append(
            Region(
                key,
                start,
                end,
                label,
                field,
                claim_type=entity.get("claim_type"),
                hedged=flag(entity.get("hedged"), f"{field}.hedged"),
            )
        )
    if not regions:
        # The sequence-labelling form: "label": [[start, end, "ORG"], ...].
        for i, value in enumerate(_list(record, "label")):
            field = f"label[{i}]"
            if not (isinstance(value, list) and len(value) == 3 and isinstance(value[2], str)):
                raise InputError("must be [start, end, label]", field=field)
            start, end = offsets({"start": value[0], "end": value[1]}, "start", "end", field)
            regions.append(Region(f"#{i}", start, end, value[2], field))
    return regions


def _link(value: Any, field: str) -> Link:
    relation = require_object(value, field=field)
    kind = relation.get("type")
    if not isinstance(kind, str):
        raise InputError("type must be a string", field=f"{field}.type")
    head = record_id(relation.get("from_id"), field=f"{field}.from_id")
    child = record_id(relation.get("to_id"), field=f"{field}.to_id")
    if head is None or child is None:
        raise InputError("a relation needs from_id and to_id", field=field)
    return Link(kind, head, child, field)
