"""Plain text files: one document per file, decoded and normalised whole (docs/adr/0004).

The text is kept exactly as normalisation leaves it: the headline stays as line 1 (and is the
title), boilerplate stays and is marked later as ignored ranges.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core import limits
from annotator.core import text as core_text
from annotator.core.errors import InputError, TextDecodeError
from annotator.ingest.opening import read_limited
from annotator.ingest.problems import problem_from
from annotator.ingest.record_checks import checked
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.ingest.values import title_from_text


def read_txt(
    path: Path, *, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    """Yield the file's document (after a warning if its encoding was a fallback), or a problem.

    ``source`` defaults to the name of the folder holding the file: scrapes are usually saved
    one folder per outlet.
    """
    name = str(path)
    # Looked up at call time so that a test (or a caller) can lower the limit.
    limit = limits.MAX_FILE_BYTES
    try:
        data = read_limited(path, limit)
    except InputError as exc:
        yield problem_from(exc, name)
        return
    try:
        decoded = core_text.decode(data, path=name, max_bytes=limit)
    except TextDecodeError as exc:
        # A text file is one record: a NUL in it refuses it whole, at the line it is on.
        yield problem_from(exc, name, _nul_line(data))
        return
    if not decoded.text.strip():
        yield ImportProblem(name, "file is empty")
        return
    try:
        document = checked(
            ImportedDocument(
                text=decoded.text,
                title=title_from_text(decoded.text),
                external_id=path.stem,
                source=source or path.parent.name or None,
                origin=name,
            )
        )
    except InputError as exc:
        yield problem_from(exc, name)
        return
    for warning in decoded.warnings:
        yield ImportProblem(name, warning, severity="warning")
    yield document


def _nul_line(data: bytes) -> int | None:
    """The line of the first NUL byte in a file that is not UTF-16/32, if it has one."""
    at = data.find(b"\x00")
    if at < 0 or data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None
    return data.count(b"\n", 0, at) + 1
