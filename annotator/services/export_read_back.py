"""The cheap read-back of an export whose writers remember what they wrote (the native format,
docs/adr/0027-export-reads-plain-rows.md; the token formats, docs/adr/0035-token-format-writing.md).

Every file is compared with what was written and what was built was tested as it was built; the
detailed check, which names the line and field, runs only when either found something.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from annotator.export.checking import check_export
from annotator.export.formats import ExportFormat
from annotator.export.writing import Writer


def read_back_cheaply(
    root: Path,
    spec: ExportFormat,
    folder: bool,
    writers: Sequence[Writer],
    *,
    clean: bool,
    rest: Callable[[Path], list[str]],
) -> list[str]:
    """The problems of the export at ``root``: what each writer's own ``read_back`` finds,
    with the format's detailed check when that found something or ``clean`` is false (what was
    built failed its test); else only ``rest``, what is left to check of a file or split that
    read back as written (a folder's manifest is checked either way)."""
    found = [message for writer in writers for message in cast(Any, writer).read_back()]
    if found or not clean:
        return (check_export(root, spec.name) if folder else spec.check(root)) + found
    if folder:
        return check_export(root, spec.name, check_split=rest)
    return rest(root)
