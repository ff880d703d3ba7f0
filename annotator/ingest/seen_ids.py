"""Duplicate record ids within one file. Duplicates of stored documents are the service's job
(it compares the sha256 of the text); this only catches one file naming two records alike."""

from __future__ import annotations

from annotator.core.errors import InputError


class SeenIds:
    """Remembers the line each id was first seen on; memory grows with the ids of one file."""

    __slots__ = ("_first_line",)

    def __init__(self) -> None:
        self._first_line: dict[str, int] = {}

    def add(self, record_id: str | None, line: int, *, field: str = "id") -> None:
        """Record ``record_id`` as seen on ``line``; raise if an earlier line had it."""
        if record_id is None:
            return
        first = self._first_line.setdefault(record_id, line)
        if first != line:
            raise InputError(
                f"duplicate id {record_id!r} (first seen on line {first})", line=line, field=field
            )
