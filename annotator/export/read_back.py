"""The token formats' cheap read-back: the file compared with what was written, and a
structural test of what was built (docs/adr/0035-token-format-writing.md).

The detailed checks (``check`` in each format's module) parse every line back and test every
token and span; for Prodigy, CoNLL, Hugging Face and spaCy that cost more CPU than the whole
budget of an export. An export knows what it wrote, so, as the native format does
(docs/adr/0027-export-reads-plain-rows.md), each writer keeps a CRC-32 of every piece it
writes (:class:`WrittenPieces`) and compares the synced file with it, and each document's
tokens and labels are tested as they are built (:class:`BuiltCheck`) against what the
detailed check would refuse. Only when either finds something does the detailed check run,
which names the line and field.
"""

from __future__ import annotations

import operator
import zlib
from array import array
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path

from annotator.export.validation import Findings


class WrittenPieces:
    """The CRC-32, length and line count of every piece written to one file, in order (16
    bytes a piece: one document's line or lines, or a DocBin shard), for :meth:`read_back`
    once the file is synced."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sums = array("I")
        self.sizes = array("Q")  # a DocBin shard may pass 4 GB
        self.lines = array("I")

    def add(self, data: bytes) -> bytes:
        """Note ``data`` as written next; returns it."""
        self.sums.append(zlib.crc32(data))
        self.sizes.append(len(data))
        self.lines.append(data.count(b"\n"))
        return data

    def read_back(self) -> list[str]:
        """Where the file differs from what was written (empty: every piece reads back as
        it was written, and nothing is missing or extra); places are ``path:line``."""
        findings = Findings()
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            findings.add(str(self.path), f"cannot be read: {exc.strerror or exc}")
            return findings.result()
        line = 1
        with handle:
            for crc, size, lines in zip(self.sums, self.sizes, self.lines, strict=True):
                data = handle.read(size)
                if len(data) < size:
                    found = line + data.count(b"\n")
                    findings.add(
                        f"{self.path}:{found}",
                        f"missing: the file ends {size - len(data)} bytes short of what was "
                        "written",
                    )
                    return findings.result()
                if zlib.crc32(data) != crc:
                    findings.add(f"{self.path}:{line}", "reads back other than it was written")
                line += lines
            if handle.read(1):
                findings.add(f"{self.path}:{line}", "was not written by this export")
        return findings.result()


class BuiltCheck:
    """What the token writers built, tested as it is built against the detailed checks'
    rules that built values could break: every document id once, tokens in order inside
    their text, labels non-empty strings (without whitespace where a format splits lines
    at it). Everything else a detailed check tests the writers make by construction from
    these (spans on token edges, relations to spans, IOB2 tags from non-overlapping spans).
    ``clean`` turns false, with a ``reason``, at the first thing the detailed check would
    refuse; then the export runs the detailed check."""

    def __init__(self) -> None:
        self.clean = True
        self.reason = ""
        self._keys: set[str] = set()
        self._labels: set[str] = set()

    def fail(self, reason: str) -> None:
        if self.clean:
            self.clean, self.reason = False, reason

    def document(self, key: str, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        """A document going out, with its tokens' offsets."""
        if key in self._keys:
            self.fail(f"document id {key!r} twice")
        self._keys.add(key)
        if not tokens_fit(text, starts, ends):
            self.fail(f"the tokens of {key!r} do not fit its text")

    def labels(self, labels: Iterable[object], *, spaced: bool = True) -> None:
        """Labels written (``spaced``: may hold whitespace)."""
        fresh = set(labels) - self._labels
        for label in fresh:
            if type(label) is not str or not label or (not spaced and label.split() != [label]):
                self.fail(f"label {label!r} cannot be written")
                return
        # One export writes one format: a label found fine is fine for the rest of it.
        self._labels |= fresh


def tokens_fit(text: str, starts: Sequence[int], ends: Sequence[int]) -> bool:
    """Whether the tokens ``text[starts[i]:ends[i]]`` are non-empty, inside ``text`` and in
    order without overlapping (what every token format's detailed check requires): a test
    of the offset arrays a column at a time, in C loops."""
    count = len(starts)
    if count != len(ends):
        return False
    if not count:
        return True
    return (
        starts[0] >= 0
        and ends[-1] <= len(text)
        and all(map(operator.lt, starts, ends))
        and all(map(operator.le, islice(ends, count - 1), islice(starts, 1, None)))
    )


def nothing_more(_path: Path) -> list[str]:
    """What is left to check of a split whose files read back as written from values found
    clean, for a format whose files hold nothing else (Prodigy, CoNLL, spaCy)."""
    return []
