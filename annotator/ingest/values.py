"""Checks for the values of a record's fields. Each raises :class:`InputError` naming the field.

Shared by the plain JSONL, CSV and native readers so that one bad value reads the same way
whatever the file format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.core import limits
from annotator.core.errors import InputError
from annotator.core.text import normalise
from annotator.ingest.record_checks import check_string

#: A title longer than this is cut (see :mod:`annotator.core.limits`).
TITLE_MAX_CHARS = limits.MAX_TITLE_CHARS


def shorten(value: str, limit: int = 60) -> str:
    """``value`` cut to ``limit`` characters for a message, with an ellipsis when cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def type_name(value: Any) -> str:
    """The JSON name of a value's type, for messages ("got an array")."""
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def record_id(value: Any, *, field: str) -> str | None:
    """An id is a string or an integer (kept as its decimal string); empty or null is no id."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if type(value) is int:
        return str(value)
    raise InputError(f"must be a string or an integer, got {type_name(value)}", field=field)


def optional_str(value: Any, *, field: str) -> str | None:
    """A string, or ``None`` when the value is missing, null or empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"must be a string, got {type_name(value)}", field=field)
    return value or None


def meta_object(value: Any, *, field: str) -> dict[str, Any]:
    """Metadata is a JSON object (or missing/null, which is an empty one)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"must be an object, got {type_name(value)}", field=field)
    return value


def title_from_text(text: str) -> str:
    """The first non-empty line of ``text``, stripped: the headline of a scraped article."""
    # Line by line from the start: splitting the whole text cost more than the rest of this.
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        stripped = text[start:end].strip()
        if stripped:
            return _cap(stripped)
        start = end + 1
    return ""


def clean_title(value: str, *, path: str, line: int | None, field: str) -> str:
    """A given title, normalised like text and folded onto one line."""
    check_string(value, field, None)
    try:
        title = normalise(value, path=path, line=line)
    except InputError as exc:
        raise InputError(exc.reason, path=path, line=line, field=field) from exc
    return _cap(" ".join(title.split()))


def document_text(value: Any, *, path: str, line: int | None, field: str) -> tuple[str, str]:
    """``(raw, normalised)`` text of a record; missing, non-string or blank text is refused."""
    if value is None:
        raise InputError(f"no text: the field {field!r} is missing or null", field=field)
    if not isinstance(value, str):
        raise InputError(f"must be a string, got {type_name(value)}", field=field)
    if not value.strip():
        raise InputError(f"the field {field!r} is empty", field=field)
    # Before normalising: the same words for a NUL in the text as in any other field.
    check_string(value, field, None)
    try:
        return value, normalise(value, path=path, line=line)
    except InputError as exc:
        raise InputError(exc.reason, path=path, line=line, field=field) from exc


def require_object(value: Any, *, field: str | None = None) -> Mapping[str, Any]:
    """``value`` if it is a JSON object; ``field`` is ``None`` for a whole record."""
    if not isinstance(value, dict):
        what = "must be an object" if field else "a record must be a JSON object"
        raise InputError(f"{what}, got {type_name(value)}", field=field)
    return value


def _cap(title: str) -> str:
    return title if len(title) <= TITLE_MAX_CHARS else title[: TITLE_MAX_CHARS - 1] + "…"
