"""Plain JSON Lines: one object per line, fields named by :class:`FieldNames`.

A record that carries native keys (``entities``, ``offsets``…) is read as a native record, so
annotations are never dropped because the first line of a file happened to have none. Keys
that are not fields are kept in the document's ``meta``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import InputError
from annotator.ingest.field_names import DEFAULT_FIELDS, FieldNames
from annotator.ingest.json_lines import iter_json_objects
from annotator.ingest.native import parse_native
from annotator.ingest.plain_records import (
    document_from_fields,
    native_keys_in,
    refuse_annotations,
)
from annotator.ingest.problems import problem_from
from annotator.ingest.record_checks import checked
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.ingest.seen_ids import SeenIds


def read_jsonl(
    path: Path,
    *,
    fields: FieldNames = DEFAULT_FIELDS,
    default_annotator: str | None = None,
    source: str | None = None,
) -> Iterator[ImportedDocument | ImportProblem]:
    """Stream the documents of a JSONL file, with a problem for each line that is not one."""
    name = str(path)
    default_fields = fields == DEFAULT_FIELDS
    field_set = frozenset(fields.names())
    seen = SeenIds()
    for item in iter_json_objects(path):
        if isinstance(item, ImportProblem):
            yield item
            continue
        number, record = item
        try:
            if default_fields and native_keys_in(record):
                document = parse_native(
                    record,
                    path=name,
                    line=number,
                    default_annotator=default_annotator,
                    source=source,
                )
            else:
                if not default_fields:
                    refuse_annotations(record)
                extra = {key: value for key, value in record.items() if key not in field_set}
                document = document_from_fields(
                    record, fields, path=name, line=number, source=source, extra_meta=extra
                )
            checked(document, DEFAULT_FIELDS if document.entities or document.claims else fields)
            seen.add(document.external_id, number, field=fields.id)
        except InputError as exc:
            yield problem_from(exc, name, number)
            continue
        yield document
