"""Plain text files: one document per file, decoded and normalised whole (DESIGN.md section 3).

The text is kept exactly as normalisation leaves it: the headline stays as line 1 (and is the
title), boilerplate stays and is marked later as ignored ranges.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core import text as core_text
from annotator.core.errors import TextDecodeError
from annotator.ingest.problems import problem_from, too_large
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
    # Looked up at call time so that a test (or a caller) can lower the module's limit.
    limit = core_text.MAX_FILE_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            # Refused before reading: a corpus dump must not be loaded just to be rejected.
            yield ImportProblem(name, too_large("file", size, limit))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ImportProblem(name, f"cannot be read: {exc.strerror or exc}")
        return
    try:
        decoded = core_text.decode(data, path=name, max_bytes=limit)
    except TextDecodeError as exc:
        yield problem_from(exc, name)
        return
    if not decoded.text.strip():
        yield ImportProblem(name, "file is empty")
        return
    for warning in decoded.warnings:
        yield ImportProblem(name, warning, severity="warning")
    yield ImportedDocument(
        text=decoded.text,
        title=title_from_text(decoded.text),
        external_id=path.stem,
        source=source or path.parent.name or None,
        origin=name,
    )
