"""JSON Lines parsing shared by the plain and native readers: one object per line, streamed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import InputError
from annotator.ingest.field_names import DEFAULT_FIELDS, FieldNames
from annotator.ingest.lines import iter_lines
from annotator.ingest.problems import problem_from
from annotator.ingest.record_checks import checked
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.ingest.seen_ids import SeenIds
from annotator.ingest.values import type_name

NumberedObject = tuple[int, dict[str, Any]]

#: A NUL byte not after a backslash (after one it is no escape we could write instead).
_RAW_NUL = re.compile(r"(?<!\\)\x00")


def iter_json_objects(path: Path) -> Iterator[NumberedObject | ImportProblem]:
    """Yield ``(line number, object)`` for each record, or a problem for a line that is not one.

    Blank lines are skipped. A broken line is reported and the next line is read, except when
    the first line shows the file is one pretty-printed JSON document rather than JSON Lines:
    then every line would be "broken", so one problem says what the file is instead.
    """
    name = str(path)
    first = True
    for item in iter_lines(path):
        if isinstance(item, ImportProblem):
            first = False
            yield item
            continue
        number, line = item
        # (Not ``strip``: that copies every line to find out it is not blank.)
        if not line or line.isspace():
            continue
        if "\x00" in line:
            # A raw NUL is not valid JSON. Written as its escape, a NUL inside a string is
            # read as the character, and the record checks then refuse the record naming its
            # field, as they do for an escaped one; anywhere else it is still a JSON error.
            line = _RAW_NUL.sub(r"\\u0000", line)
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            if first and _opens_json_document(line):
                yield ImportProblem(
                    name,
                    "is one JSON document, not JSON Lines (one object per line); convert it, "
                    "e.g. with jq -c '.[]'",
                    line=number,
                )
                return
            yield ImportProblem(
                name, f"is not valid JSON: {exc.msg} at column {exc.colno}", line=number
            )
            first = False
            continue
        first = False
        if not isinstance(value, dict):
            yield ImportProblem(
                name, f"a record must be a JSON object, got {type_name(value)}", line=number
            )
            continue
        yield number, value
    if first:
        yield ImportProblem(name, "file is empty")


def first_object(path: Path, *, max_lines: int = 1000) -> dict[str, Any] | None:
    """The first valid record of a JSONL file (looking no further than ``max_lines``)."""
    for item in iter_json_objects(path):
        if isinstance(item, ImportProblem):
            if item.line is None or item.line > max_lines:
                return None
            continue
        number, value = item
        return value if number <= max_lines else None
    return None


def _opens_json_document(line: str) -> bool:
    stripped = line.strip()
    return stripped in ("[", "{") or (stripped.startswith("[") and not stripped.endswith("]"))


#: ``parse(record, path=, line=, default_annotator=, source=) -> (document, warnings)``
RecordParser = Callable[..., tuple[ImportedDocument, list[str]]]


def read_json_lines(
    path: Path,
    parse: RecordParser,
    *,
    default_annotator: str | None = None,
    source: str | None = None,
    names: FieldNames = DEFAULT_FIELDS,
) -> Iterator[ImportedDocument | ImportProblem]:
    """Stream a JSONL export of another tool through its record parser: each bad line is a
    problem naming the line, warnings follow their document, duplicate ids are refused, and
    every value is checked against the limits (``names``: where the format keeps the id,
    title, source and metadata, for messages)."""
    name = str(path)
    seen = SeenIds()
    for item in iter_json_objects(path):
        if isinstance(item, ImportProblem):
            yield item
            continue
        number, record = item
        try:
            document, warnings = parse(
                record, path=name, line=number, default_annotator=default_annotator, source=source
            )
            checked(document, names)
            seen.add(document.external_id, number, field=names.id)
        except InputError as exc:
            yield problem_from(exc, name, number)
            continue
        for warning in warnings:
            yield ImportProblem(name, warning, line=number, severity="warning")
        yield document
