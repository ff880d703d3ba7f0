"""Reading a record file (JSONL, CSV) one line at a time, so a large file never sits in memory.

A line is decoded on its own: one bad line is one problem, and the lines after it still come
through. UTF-8 is the rule (a UTF-8 BOM is stripped); a UTF-16/32 BOM selects that codec, as it
does for a text file. A line that is mostly NUL bytes means the file is binary (or BOM-less
UTF-16): the file is given up there, with one problem, rather than reported line by line. A
stray NUL in a line of text is passed on: the record it is in is refused by the record checks,
which name its field, and the lines after it are read as usual.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import AnyStr, BinaryIO

from annotator.core import limits
from annotator.core.errors import InputError
from annotator.ingest.opening import open_regular
from annotator.ingest.problems import problem_from, too_large
from annotator.ingest.records import ImportProblem

_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Read in pieces of this size while skipping the rest of an over-long line.
_SKIP_CHUNK = 1 << 20

#: A line with fewer NUL bytes than this is text with damage in it, never binary data.
_BINARY_MIN_NULS = 4

NumberedLine = tuple[int, str]


def iter_lines(
    path: Path, *, escape_undecodable: bool = False
) -> Iterator[NumberedLine | ImportProblem]:
    """Yield ``(line number, line)`` with the line ending kept, or a problem for a bad line.

    With ``escape_undecodable`` invalid UTF-8 bytes become lone surrogates (``surrogateescape``)
    instead of a problem, for a caller that must keep every line to stay in step (CSV, whose
    quoted cells may span lines); it reports them per record.
    """
    name = str(path)
    try:
        handle = open_regular(path)
    except InputError as exc:
        yield problem_from(exc, name)
        return
    with handle:
        head = handle.read(4)
        for bom, codec in _WIDE_BOMS:
            if head.startswith(bom):
                handle.seek(len(bom))
                yield from _wide_lines(handle, codec, name)
                return
        handle.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        yield from _utf8_lines(handle, name, escape_undecodable)


def _utf8_lines(
    handle: BinaryIO, name: str, escape_undecodable: bool
) -> Iterator[NumberedLine | ImportProblem]:
    # Looked up at call time so that a test (or a caller) can lower the limit.
    limit = limits.MAX_FILE_BYTES
    errors = "surrogateescape" if escape_undecodable else "strict"
    number = 0
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            size = len(raw) + _skip_rest(handle.readline, b"\n")
            yield ImportProblem(name, too_large("line", size, limit), line=number)
            continue
        if b"\x00" in raw and _looks_binary(raw):
            yield ImportProblem(
                name,
                "contains NUL bytes: a binary file, or UTF-16/32 without a byte-order mark; "
                "reading stopped here",
                line=number,
            )
            return
        try:
            yield number, raw.decode("utf-8", errors)
        except UnicodeDecodeError as exc:
            yield ImportProblem(
                name,
                f"is not valid UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of "
                "the line",
                line=number,
            )


def _wide_lines(handle: BinaryIO, codec: str, name: str) -> Iterator[NumberedLine | ImportProblem]:
    limit = limits.MAX_FILE_BYTES
    # newline="\n": split where the UTF-8 path splits and keep line endings as they are.
    stream = io.TextIOWrapper(handle, encoding=codec, errors="strict", newline="\n")
    number = 0
    try:
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            number += 1
            if len(line) > limit and not line.endswith("\n"):
                size = len(line) + _skip_rest(stream.readline, "\n")
                yield ImportProblem(name, too_large("line", size, limit), line=number)
                continue
            yield number, line
    except UnicodeError as exc:
        # A wide codec cannot resynchronise after a bad unit: give up the rest of the file.
        yield ImportProblem(
            name, f"is not valid {codec} ({exc}); reading stopped here", line=number + 1
        )
    finally:
        stream.detach()


def _looks_binary(raw: bytes) -> bool:
    """Whether a line is binary data rather than text with a stray NUL in it: a quarter or
    more of its bytes are NUL (UTF-16 text without a byte-order mark is half NUL bytes)."""
    nuls = raw.count(b"\x00")
    return nuls >= _BINARY_MIN_NULS and nuls * 4 >= len(raw)


def _skip_rest(readline: Callable[[int], AnyStr], newline: AnyStr) -> int:
    """Consume the rest of an over-long line; return how many units were skipped."""
    skipped = 0
    while True:
        chunk = readline(_SKIP_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(newline):
            return skipped
