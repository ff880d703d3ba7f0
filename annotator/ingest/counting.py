"""How many records an import will read, counted before it starts, so that its progress has a
total: one per text file, one per non-blank line of a line-based file, one per row of a CSV
file after its header. Counting reads line-based files once more, as bytes and without
parsing (a fraction of the import's own time); a count that cannot be had cheaply (a pipe, a
JSON array, an unknown extension) makes the total unknown rather than wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from annotator.core.errors import InputError
from annotator.ingest.discover import SUFFIX_FORMATS, detect_format, iter_path_names, suffix_of

#: One document per file.
_WHOLE_FILE = frozenset({"txt", "brat"})
#: One record per non-blank line.
_LINE_BASED = frozenset({"jsonl", "annotator", "prodigy", "doccano"})
_CHUNK = 1 << 20
#: A blank line (what ``bytes.strip`` leaves empty) before a line break: after a line break of
#: its own, so that the text counted is given one in front.
_BLANK_LINE = re.compile(rb"\n[ \t\r\x0b\x0c]*(?=\n)")


def count_records(paths: Iterable[str | Path], fmt: str = "auto") -> int | None:
    """The records under ``paths`` (files and folders, as the import walks them), or None
    when some file's count is unknown."""
    total = 0
    for name in iter_path_names(paths):
        found = _count_file(name, fmt)
        if found is None:
            return None
        total += found
    return total


def _count_file(name: str, fmt: str) -> int | None:
    by_suffix = SUFFIX_FORMATS.get(suffix_of(name)) if fmt == "auto" else fmt
    if by_suffix in _WHOLE_FILE:
        # One record whatever is behind the name: a document, or one problem saying why not.
        # (No look at the file, no Path made: in a folder of text files, that was most of
        # the count.)
        return 1
    path = Path(name)
    if not path.is_file():
        # A pipe can be read once only; a missing file is one problem (one record read).
        return 1 if not path.exists() else None
    if fmt == "auto":
        try:
            fmt = detect_format(path)
        except InputError:
            return 1  # reported as one problem
    if fmt in _WHOLE_FILE:
        return 1
    if fmt in _LINE_BASED:
        return _lines(path, header=False)
    if fmt == "csv":
        return _lines(path, header=True)
    return None


def _lines(path: Path, *, header: bool) -> int | None:
    """Non-blank lines (CSV: less the header). A quoted newline inside a CSV cell counts as a
    line: the total is then a little high, and the import ends the count where it really is."""
    count = 0
    try:
        with path.open("rb") as handle:
            tail = b""
            while chunk := handle.read(_CHUNK):
                # Whole lines of this chunk, counted in C: line breaks less blank lines (a
                # Python loop over the lines cost a sixth of a JSONL import), in place
                # rather than in copies of the chunk.
                data = tail + chunk if tail else chunk
                cut = data.rfind(b"\n") + 1
                if cut:
                    count += data.count(b"\n", 0, cut) - len(_BLANK_LINE.findall(data, 0, cut))
                    # The first line has no line break in front of it to be found by.
                    count -= not data[: data.find(b"\n")].strip()
                tail = data[cut:]
            count += bool(tail.strip())
    except OSError:
        return 1  # the reader reports why it cannot be read
    return max(count - 1, 0) if header else count
