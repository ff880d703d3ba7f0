"""CSV and TSV: a header row names the columns, then one document per row, streamed.

The delimiter is ``\\t`` for ``.tsv``; otherwise it is sniffed from the header row (the most
frequent of ``, \\t ; |`` outside quotes) because a header of short names says it far more
reliably than rows of prose full of commas. Columns that are not fields are kept in ``meta``;
a ``meta`` column, when there is one, holds a JSON object. Rows are reported by the line they
start on, which is not the row number once a quoted cell spans lines.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.core import limits
from annotator.core.errors import InputError
from annotator.ingest.field_names import DEFAULT_FIELDS, FieldNames
from annotator.ingest.lines import NumberedLine, iter_lines
from annotator.ingest.plain_records import document_from_fields
from annotator.ingest.problems import problem_from
from annotator.ingest.record_checks import check_string, checked
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.ingest.seen_ids import SeenIds

DELIMITERS: tuple[str, ...] = (",", "\t", ";", "|")

_QUOTED = re.compile(r'"[^"]*"')
# Invalid UTF-8 bytes, kept by ``surrogateescape`` so that a bad line does not shift the rows.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def read_csv(
    path: Path, *, fields: FieldNames = DEFAULT_FIELDS, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    """Stream the documents of a CSV/TSV file, with a problem for each bad row."""
    name = str(path)
    # The default limit (128 KiB per cell) is smaller than a long article; a cell may be as
    # large as a whole text file may be.
    csv.field_size_limit(max(csv.field_size_limit(), limits.MAX_FILE_BYTES))
    feed = _LineFeed(iter_lines(path, escape_undecodable=True))
    first = feed.peek()
    unreadable = list(feed.drain())
    yield from unreadable
    if first is None:
        if not unreadable:
            yield ImportProblem(name, "file is empty")
        return
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(first)
    # strict: a stray quote is an error for its row, not a cell that swallows the rest of the
    # file (the lenient default takes everything up to the end of the file into one cell).
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    seen = SeenIds()
    rows = 0
    while True:
        feed.row_start = None
        try:
            row = next(reader)
        except StopIteration:
            # What the line reader reported after the last row (a binary tail) is kept.
            yield from feed.drain()
            break
        except csv.Error as exc:
            yield from feed.drain()
            reason = f"is not valid CSV: {exc}"
            if "end of data" in str(exc):
                reason += " (a quote opened in this row is never closed)"
            yield ImportProblem(name, reason, line=feed.row_start)
            continue
        yield from feed.drain()
        number = feed.row_start or feed.line
        if not any(cell.strip() for cell in row):
            continue
        try:
            if header is None:
                header = _header(row, fields)
                continue
            rows += 1
            document = _document(row, header, fields, path=name, line=number, source=source)
            checked(document, fields)
            seen.add(document.external_id, number, field=fields.id)
        except _FatalHeader as exc:
            yield problem_from(exc.error, name, number)
            return
        except InputError as exc:
            yield problem_from(exc, name, number)
            continue
        yield document
    if header is not None and rows == 0:
        yield ImportProblem(name, "has a header row but no records", severity="warning")


def sniff_delimiter(header_line: str) -> str:
    """The candidate delimiter used most in ``header_line`` outside quotes (``,`` if none)."""
    bare = _QUOTED.sub("", header_line)
    counts = [(bare.count(candidate), -index) for index, candidate in enumerate(DELIMITERS)]
    best_count, best_index = max(counts)
    return DELIMITERS[-best_index] if best_count else ","


class _FatalHeader(Exception):
    """A header that makes every row unreadable: one problem, then the file is given up."""

    def __init__(self, error: InputError) -> None:
        super().__init__(error.reason)
        self.error = error


def _header(row: list[str], fields: FieldNames) -> list[str]:
    names = [cell.strip() or f"column {index + 1}" for index, cell in enumerate(row)]
    seen: set[str] = set()
    for column in names:
        if column in seen:
            raise _FatalHeader(InputError(f"the header names the column {column!r} twice"))
        seen.add(column)
    if fields.text not in seen:
        raise _FatalHeader(
            InputError(
                f"the header has no {fields.text!r} column (columns: {', '.join(names)}); a "
                "header row is required, and the text field name can be set for the import",
                field=fields.text,
            )
        )
    return names


def _document(
    row: list[str],
    header: list[str],
    fields: FieldNames,
    *,
    path: str,
    line: int,
    source: str | None,
) -> ImportedDocument:
    if len(row) != len(header):
        raise InputError(
            f"has {len(row)} cells but the header has {len(header)} (an unquoted delimiter, "
            "or a quote left open?)"
        )
    record: dict[str, Any] = dict(zip(header, row, strict=True))
    for column, cell in record.items():
        match = _ESCAPED_BYTE.search(cell)
        if match is not None:
            byte = ord(match.group()) - 0xDC00
            raise InputError(f"is not valid UTF-8: byte 0x{byte:02x}", field=column)
        # Every cell, not only the fields: a NUL in a column kept as metadata is named by
        # its column, not as meta.<column>.
        check_string(cell, column, None)
    meta_cell = record.get(fields.meta)
    if isinstance(meta_cell, str):
        record[fields.meta] = _meta_json(meta_cell, fields.meta)
    field_set = frozenset(fields.names())
    extra = {column: cell for column, cell in record.items() if column not in field_set}
    return document_from_fields(
        record, fields, path=path, line=line, source=source, extra_meta=extra
    )


def _meta_json(cell: str, column: str) -> Any:
    if not cell.strip():
        return None
    try:
        return orjson.loads(cell)
    except orjson.JSONDecodeError as exc:
        raise InputError(
            f"must hold a JSON object: {exc.msg} at character {exc.pos + 1}", field=column
        ) from None


class _LineFeed:
    """Hands decoded lines to ``csv.reader`` and keeps, aside, what it must not see.

    Problems from the line reader are kept for the caller to yield between rows; the line
    a row starts on is noted, since ``csv.reader.line_num`` counts lines it was given, which
    drifts from the file's once a line is skipped.
    """

    def __init__(self, items: Iterator[NumberedLine | ImportProblem]) -> None:
        self._items = items
        self._pending: list[NumberedLine] = []
        self._problems: list[ImportProblem] = []
        self.line = 0
        self.row_start: int | None = None

    def peek(self) -> str | None:
        """The first non-blank line, left in place for the reader; ``None`` for none."""
        for item in self._items:
            if isinstance(item, ImportProblem):
                self._problems.append(item)
                continue
            self._pending.append(item)
            if item[1].strip():
                return item[1]
        return None

    def drain(self) -> Iterator[ImportProblem]:
        problems, self._problems = self._problems, []
        yield from problems

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        while True:
            if self._pending:
                number, line = self._pending.pop(0)
            else:
                item = next(self._items)
                if isinstance(item, ImportProblem):
                    self._problems.append(item)
                    continue
                number, line = item
            self.line = number
            if self.row_start is None:
                self.row_start = number
            return line
