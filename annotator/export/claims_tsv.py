"""CheckThat-style sentence rows: ``sentence_id``, ``document_id``, ``text``, ``claim``.

One row per sentence of every exported document (the project tokenizer's sentences; with
``--drop-ignored``, of the text without boilerplate). ``claim`` is ``1`` when any claim
overlaps the sentence, else ``0``. ``sentence_id`` is ``<document id>:<sentence index>``.

Tab-separated with a header row, UTF-8, rows ending in CR LF (RFC 4180), written by
:func:`annotator.core.spreadsheet.table_text`: a cell is quoted where it holds a tab, a quote,
a CR or an LF (a document id may hold a line break), and each line of a cell that starts with
``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) gets a leading ``'`` so that a
spreadsheet shows it as text instead of running it as a formula; strip one leading ``'`` from
each such line to get the text back.
"""

from __future__ import annotations

import bisect
import csv
from pathlib import Path

from annotator.core.model import Layer
from annotator.core.spreadsheet import is_safe, table_text
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument
from annotator.export.validation import Findings
from annotator.export.writing import ExportContext, close_output, open_output

FORMAT = "claims-tsv"
HEADER = ("sentence_id", "document_id", "text", "claim")


def rows(doc: ExportDocument, tokens: Tokenized) -> list[tuple[str, str, str, str]]:
    """``doc``'s rows with their cells as they are (:func:`table_text` escapes and quotes)."""
    text, key = doc.text, doc.key
    claims = sorted((s.start, s.end) for s in doc.spans if s.layer is Layer.CLAIM)
    claim_starts = [start for start, _ in claims]
    result = []
    for index, sentence in enumerate(tokens.sentences):
        # A claim overlaps when it starts before the sentence ends and ends after it starts.
        before = bisect.bisect_left(claim_starts, sentence.end)
        overlaps = any(end > sentence.start for _, end in claims[:before])
        result.append(
            (f"{key}:{index}", key, text[sentence.start : sentence.end], "1" if overlaps else "0")
        )
    return result


class ClaimsTsvWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)
        self._write([HEADER])

    def _write(self, table: list[tuple[str, str, str, str]]) -> None:
        self.handle.write(table_text(table, delimiter="\t").encode("utf-8"))

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        assert tokens is not None
        self._write(rows(doc, tokens))

    def close(self) -> None:
        close_output(self.handle)


def check(path: Path) -> list[str]:
    """The header, four cells per row, ``claim`` 0 or 1, unique sentence ids, and no line of
    a cell that a spreadsheet would run as a formula (what :func:`table_text` ensures)."""
    findings = Findings()
    try:
        handle = path.open("r", encoding="utf-8", newline="")
    except OSError as exc:
        findings.add(str(path), f"cannot be read: {exc.strerror or exc}")
        return findings.result()
    seen: set[str] = set()
    header = False
    with handle:
        reader = csv.reader(handle, delimiter="\t")
        try:
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if not header:
                    header = True
                    if tuple(row) != HEADER:
                        findings.add(where, f"the header must be {' '.join(HEADER)}")
                    continue
                if len(row) != len(HEADER):
                    findings.add(where, f"expected {len(HEADER)} cells, got {len(row)}")
                    continue
                if row[3] not in ("0", "1"):
                    findings.add(where, f"claim must be 0 or 1, got {row[3]!r}")
                if row[0] in seen:
                    findings.add(where, f"sentence id {row[0]!r} appears twice")
                seen.add(row[0])
                for cell in row:
                    if not is_safe(cell):
                        findings.add(where, f"cell {cell[:20]!r} would run as a formula")
        except (csv.Error, UnicodeDecodeError) as exc:
            findings.add(str(path), f"not readable TSV: {exc}")
    return findings.result()
