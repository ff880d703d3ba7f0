"""Reading gazetteer term lists: CSV/TSV (``term,label[,case]``), JSONL (``{"term", "label",
"case_sensitive"}``) or plain text (one term per line, the label given by the caller).

A CSV/TSV file may have a header naming its columns (``term``, ``label``, ``case`` or
``case_sensitive``, in any order); without one the columns are term, label, case. The case
column says ``sensitive``/``exact``/``yes``/``true``/``1`` for a case-sensitive term; anything
else, or nothing, matches in any case. A label given by the caller fills rows without one.
Text is decoded and normalised like imported documents (UTF-8, NFC), so terms match them.
Lines starting with ``#`` in plain text lists are comments.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import InputError
from annotator.core.text import decode
from annotator.suggest.gazetteer import Term, normalise_term

FORMATS = ("csv", "tsv", "jsonl", "txt")

_TRUE = frozenset({"sensitive", "case-sensitive", "exact", "yes", "y", "true", "1"})
_FALSE = frozenset(
    {"", "insensitive", "case-insensitive", "ignore", "any", "no", "n", "false", "0"}
)
_TERM_COLUMNS = ("term", "text", "name", "entity")
_CASE_COLUMNS = ("case", "case_sensitive", "case-sensitive", "cased")


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("csv",):
        return "csv"
    if suffix in ("tsv", "tab"):
        return "tsv"
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    return "txt"


def read_terms(
    path: Path,
    *,
    label: str | None = None,
    case_sensitive: bool = False,
    fmt: str | None = None,
) -> list[Term]:
    """Every term of the list at ``path``; raises :class:`InputError` naming the line."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(f"unknown term list format {fmt!r}; use one of {', '.join(FORMATS)}")
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the term list: {exc.strerror or exc}", path=name) from exc
    text = decode(data, path=name, allow_cp1252=False).text
    source = path.name
    if fmt == "txt":
        rows = _plain(text, name, label)
    elif fmt == "jsonl":
        rows = _jsonl(text, name, label)
    else:
        rows = _table(text, name, label, "," if fmt == "csv" else "\t")
    terms: list[Term] = []
    for line, term, term_label, cased in rows:
        term = normalise_term(term)
        if not term:
            raise InputError("the term is empty", path=name, line=line, field="term")
        if not term_label or not term_label.strip():
            raise InputError(
                "no label: give the file a label column or name one for the whole list",
                path=name,
                line=line,
                field="label",
            )
        terms.append(
            Term(term, term_label.strip(), case_sensitive if cased is None else cased, source)
        )
    return terms


_Row = tuple[int, str, str | None, bool | None]


def _plain(text: str, path: str, label: str | None) -> Iterator[_Row]:
    if label is None:
        raise InputError("a plain-text term list needs a label for its terms", path=path)
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped, label, None


def _jsonl(text: str, path: str, label: str | None) -> Iterator[_Row]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record: Any = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc}", path=path, line=number) from exc
        if not isinstance(record, dict):
            raise InputError("each line must be a JSON object", path=path, line=number)
        term = record.get("term", record.get("text"))
        if not isinstance(term, str):
            raise InputError("must be a string", path=path, line=number, field="term")
        own = record.get("label", label)
        if own is not None and not isinstance(own, str):
            raise InputError("must be a string", path=path, line=number, field="label")
        cased = record.get("case_sensitive", record.get("case"))
        yield number, term, own, _case(cased, path, number)


def _table(text: str, path: str, label: str | None, delimiter: str) -> Iterator[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = {"term": 0, "label": 1, "case": 2}
    for row in reader:
        number = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if number == 1 and any(cell.strip().lower() in _TERM_COLUMNS for cell in row):
            columns = _header(row, path)
            continue
        term = _cell(row, columns.get("term"))
        if term is None:
            raise InputError("no term in this row", path=path, line=number, field="term")
        own = _cell(row, columns.get("label")) or label
        cased = _cell(row, columns.get("case"))
        yield number, term, own, _case(cased, path, number)


def _header(row: list[str], path: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = cell.strip().lower()
        if name in _TERM_COLUMNS:
            columns["term"] = index
        elif name == "label":
            columns["label"] = index
        elif name in _CASE_COLUMNS:
            columns["case"] = index
    return columns


def _cell(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    value = row[index].strip()
    return value or None


def _case(value: Any, path: str, line: int) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(
        f"case {value!r} is not one of sensitive/insensitive (or yes/no, true/false)",
        path=path,
        line=line,
        field="case",
    )
