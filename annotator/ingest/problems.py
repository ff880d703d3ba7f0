"""Turning the errors a reader raises into the problems it yields, with their place kept."""

from __future__ import annotations

from annotator.core.errors import InputError
from annotator.ingest.records import ImportProblem


def problem_from(error: InputError, path: str, line: int | None = None) -> ImportProblem:
    """An :class:`ImportProblem` for ``error``; the reader's path and line fill what it lacks."""
    return ImportProblem(
        path=error.path if error.path is not None else path,
        reason=error.reason,
        line=error.line if error.line is not None else line,
        field=error.field,
    )


def too_large(what: str, size: int | None, limit: int) -> str:
    """Why a file, or one line of a record file, is refused for its size (same wording as
    :func:`annotator.core.text.decode`, so the user sees one message for one limit); ``size``
    is ``None`` when reading stopped at the limit before the end was seen."""
    megabytes = limit / 1_048_576
    how_big = f"is over {megabytes:.0f} MB" if size is None else f"is {size / 1_048_576:.1f} MB"
    return (
        f"{what} {how_big}; the limit is {megabytes:.0f} MB per {what} (split it, or import "
        "it as JSONL)"
    )
