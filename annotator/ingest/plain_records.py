"""A plain record (a JSONL object or a CSV row, already a mapping) made into a document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.core.errors import InputError
from annotator.ingest.field_names import FieldNames
from annotator.ingest.records import ImportedDocument
from annotator.ingest.values import (
    clean_title,
    document_text,
    meta_object,
    optional_str,
    record_id,
    title_from_text,
)

#: Keys that only the native format has: a record with one of them is read as native.
NATIVE_KEYS: tuple[str, ...] = (
    "offsets",
    "entities",
    "claims",
    "rejected",
    "ignored",
    "status",
    "statuses",
)


def document_from_fields(
    record: Mapping[str, Any],
    fields: FieldNames,
    *,
    path: str,
    line: int,
    source: str | None = None,
    extra_meta: Mapping[str, Any] | None = None,
) -> ImportedDocument:
    """Build a document from ``record`` read through ``fields``; raise :class:`InputError`.

    ``source`` is used when the record names none. ``extra_meta`` (columns or keys that are
    not fields) is kept under ``meta``; the record's own ``meta`` wins on a clash.
    """
    _raw, text = document_text(record.get(fields.text), path=path, line=line, field=fields.text)
    title = optional_str(record.get(fields.title), field=fields.title)
    title = clean_title(title, path=path, line=line, field=fields.title) if title else ""
    meta = meta_object(record.get(fields.meta), field=fields.meta)
    if extra_meta:
        meta = {**extra_meta, **meta}
    return ImportedDocument(
        text=text,
        title=title or title_from_text(text),
        external_id=record_id(record.get(fields.id), field=fields.id),
        source=optional_str(record.get(fields.source), field=fields.source) or source,
        meta=meta,
        origin=f"{path}:{line}",
    )


def native_keys_in(record: Mapping[str, Any]) -> list[str]:
    """The native-format keys ``record`` has with a value, in a fixed order."""
    return [key for key in NATIVE_KEYS if record.get(key) not in (None, [], {}, "")]


def refuse_annotations(record: Mapping[str, Any]) -> None:
    """A record with annotations read under custom field names: say so rather than drop them."""
    keys = [key for key in native_keys_in(record) if key != "offsets"]
    if keys:
        raise InputError(
            f"has annotations ({', '.join(keys)}) but was read with custom field names; import "
            "the file in the 'annotator' format to keep them",
            field=keys[0],
        )
