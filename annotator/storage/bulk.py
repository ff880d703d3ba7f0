"""Helpers for reads over many documents at once (exports, training, agreement).

Those reads run one query per table and batch of documents (rather than several per
document), as Core statements that build values from plain column tuples; JSON columns are read
as text and parsed with orjson (most are "{}").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import orjson

T = TypeVar("T")


def json_object(raw: Any) -> dict[str, Any]:
    """A JSON object column read as text; a driver that parses JSON itself (psycopg) hands
    over the object instead."""
    if raw is None or raw == "{}":
        return {}
    if isinstance(raw, str | bytes):
        value = orjson.loads(raw)
        return value if isinstance(value, dict) else {}
    return dict(raw)


def chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    """``items`` in pieces small enough for one ``IN (...)`` list on every backend."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
