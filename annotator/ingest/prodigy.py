"""Prodigy / spaCy JSONL: ``text``, ``spans`` (character offsets), ``relations``, ``answer``.

Spans are read by their character ``start``/``end`` (tokens are not needed; ``token_start``/
``token_end`` are ignored); a span's ``text``, when given, must match. Relations join spans by
``head_span``/``child_span`` offsets and label (Prodigy's ``head``/``child`` token indices are
not enough on their own: a relation without both spans is refused). The rules for
claims, cues and claimants are in :mod:`annotator.ingest.foreign`. ``answer``: ``accept`` (or
none) imports the spans as done work; ``reject`` imports them as rejected suggestions and the
status skipped; ``ignore`` imports the text alone. ``meta`` gives the id, title, source and
annotator; ``meta.offsets``, when present, must be ``codepoint``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.model import Layer, Status
from annotator.ingest.field_names import FieldNames
from annotator.ingest.foreign import (
    CLAIM_LABEL,
    CUE_LABEL,
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
#: Where a Prodigy record keeps the document's fields.
NAMES = FieldNames(title="meta.title", id="meta.id", source="meta.source")


def read_prodigy(
    path: Path, *, default_annotator: str | None = None, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    return read_json_lines(
        path, parse_prodigy, default_annotator=default_annotator, source=source, names=NAMES
    )


def parse_prodigy(
    record: Mapping[str, Any],
    *,
    path: str,
    line: int,
    default_annotator: str | None = None,
    source: str | None = None,
) -> tuple[ImportedDocument, list[str]]:
    raw, text = document_text(record.get("text"), path=path, line=line, field="text")
    meta = meta_object(record.get("meta"), field="meta")
    if meta.get("offsets", OFFSETS) != OFFSETS:
        raise InputError(
            f"offsets are {shorten(str(meta['offsets']))!r}; only {OFFSETS!r} offsets can be "
            "imported",
            field="meta.offsets",
        )
    spans = _list(record.get("spans"), "spans")
    relations = _list(record.get("relations"), "relations")
    check_text_unchanged(raw, text, bool(spans or relations))
    annotator = optional_str(meta.get("annotator"), field="meta.annotator") or default_annotator
    answer = record.get("answer", "accept")
    if answer not in ("accept", "reject", "ignore"):
        raise InputError(
            f"answer {shorten(str(answer))!r} is not accept, reject or ignore", field="answer"
        )
    regions = [_region(text, span, f"spans[{i}]") for i, span in enumerate(spans)]
    links = [_link(regions, relation, f"relations[{i}]") for i, relation in enumerate(relations)]
    entities, claims, warnings = (), (), []
    rejected: tuple[dict[str, Any], ...] = ()
    statuses: dict[str | None, Status] = {}
    if answer == "accept":
        entities, claims, warnings = annotations(text, regions, links, annotator=annotator)
        if entities or claims:
            statuses[annotator] = Status.DONE
    elif answer == "reject":
        # A rejected Prodigy example says its spans are wrong: keep them as rejections.
        rejected = tuple(
            {
                "annotator": annotator,
                "start": r.start,
                "end": r.end,
                "label": r.label,
                "layer": (Layer.CLAIM if r.label == CLAIM_LABEL else Layer.ENTITY).value,
                "suggester": "prodigy",
                "where": r.field,
            }
            for r in regions
            if r.label != CUE_LABEL
        )
        statuses[annotator] = Status.SKIPPED
    title = optional_str(meta.get("title"), field="meta.title")
    return (
        ImportedDocument(
            text=text,
            title=clean_title(title, path=path, line=line, field="meta.title")
            if title
            else title_from_text(text),
            external_id=record_id(meta.get("id"), field="meta.id"),
            source=optional_str(meta.get("source"), field="meta.source") or source,
            meta=document_meta(meta),
            entities=entities,
            claims=claims,
            rejected=rejected,
            statuses=statuses,
            origin=f"{path}:{line}",
        ),
        warnings,
    )


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"must be an array, got {type_name(value)}", field=field)
    return value


def _region(text: str, value: Any, field: str) -> Region:
    span = require_object(value, field=field)
    start, end = offsets(span, "start", "end", field)
    label = span.get("label")
    if not isinstance(label, str):
        raise InputError("label must be a non-empty string", field=f"{field}.label")
    given = span.get("text")
    if given is not None and 0 <= start < end <= len(text) and given != text[start:end]:
        raise InputError(
            f"span text {shorten(str(given))!r} does not match text[{start}:{end}] "
            f"{shorten(text[start:end])!r}",
            field=f"{field}.text",
        )
    return Region(
        key=f"{start}:{end}:{label}",
        start=start,
        end=end,
        label=label,
        field=field,
        claim_type=span.get("claim_type"),
        hedged=flag(span.get("hedged"), f"{field}.hedged"),
        origin="manual",
    )


def _link(regions: list[Region], value: Any, field: str) -> Link:
    """A relation, matched to spans by ``head_span``/``child_span``; a cue is a span of its
    own that the relation names (added to ``regions``)."""
    relation = require_object(value, field=field)
    label = relation.get("label")
    if not isinstance(label, str):
        raise InputError("label must be a string", field=f"{field}.label")
    keys = []
    for side in ("head", "child"):
        ref = relation.get(f"{side}_span")
        if not isinstance(ref, dict):
            raise InputError(
                f"a relation needs {side}_span (the span it joins)", field=f"{field}.{side}_span"
            )
        start, end = offsets(ref, "start", "end", f"{field}.{side}_span")
        ref_label = ref.get("label")
        key = f"{start}:{end}:{ref_label}"
        if not any(r.key == key for r in regions):
            if ref_label != CUE_LABEL:
                raise InputError(
                    f"{side}_span {start}..{end} {ref_label!r} is not one of the spans",
                    field=f"{field}.{side}_span",
                )
            regions.append(Region(key, start, end, CUE_LABEL, f"{field}.{side}_span"))
        keys.append(key)
    return Link(label, keys[0], keys[1], field)
