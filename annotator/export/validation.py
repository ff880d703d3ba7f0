"""Helpers for reading an export back and saying precisely what is wrong with it.

Every format has a ``check(path)`` built from these; the export service runs it on each file
before the export is renamed into place, and ``annotator export --check`` runs it on an
existing export. Messages name the file, the line (1-based) and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

#: Messages kept in full; the rest are counted.
LIMIT = 100


class Findings:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.messages: list[str] = []
        self.count = 0

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if len(self.messages) < self.limit:
            self.messages.append(f"{where}: {message}")

    def merge(self, messages: list[str]) -> None:
        for message in messages:
            where, _, rest = message.partition(": ")
            self.add(where, rest)

    def result(self) -> list[str]:
        extra = self.count - len(self.messages)
        return self.messages + ([f"... and {extra} more problems"] if extra > 0 else [])


def iter_json_lines(path: Path, findings: Findings) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, object)`` for each line of a JSONL file; bad lines go to ``findings``."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        findings.add(str(path), f"cannot be read: {exc.strerror or exc}")
        return
    with handle:
        for number, line in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not line.strip():
                findings.add(where, "blank line")
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                findings.add(where, f"not valid JSON ({exc})")
                continue
            if not isinstance(value, dict):
                findings.add(where, "not a JSON object")
                continue
            yield where, value


def is_int(value: Any) -> bool:
    return type(value) is int


def check_range(
    text: str, start: Any, end: Any, where: str, findings: Findings, *, given: Any = None
) -> bool:
    """Offsets are integers with ``0 <= start < end <= len(text)``; a given span text must be
    ``text[start:end]``. Returns whether they are usable."""
    if not (is_int(start) and is_int(end)):
        findings.add(where, f"offsets must be integers, got {start!r}..{end!r}")
        return False
    if not 0 <= start < end <= len(text):
        findings.add(where, f"offsets {start}..{end} are outside 0..{len(text)} or empty")
        return False
    if given is not None and given != text[start:end]:
        findings.add(where, f"text {given!r} is not the text at {start}..{end} {text[start:end]!r}")
        return False
    return True


def require_str(record: dict[str, Any], key: str, where: str, findings: Findings) -> str | None:
    value = record.get(key)
    if not isinstance(value, str):
        findings.add(where, f"{key!r} must be a string")
        return None
    return value


def require_list(record: dict[str, Any], key: str, where: str, findings: Findings) -> list[Any]:
    value = record.get(key, [])
    if not isinstance(value, list):
        findings.add(where, f"{key!r} must be an array")
        return []
    return value
