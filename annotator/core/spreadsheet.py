"""Text for files people open in a spreadsheet (CSV, TSV): every cell quoted as the format
requires and no cell that a spreadsheet would run as a formula.

A spreadsheet runs a cell, or a line of a cell, that starts with ``= + - @`` (and, after a tab
or a carriage return, what follows them) as a formula: an annotator named ``=HYPERLINK(…)`` must
not become a link in the lead's sheet. Such a line gets a leading ``'``, which spreadsheets show
as text and hide; strip one ``'`` at the start of each line to get the text back.

Quoting follows RFC 4180: rows end with CR LF, so the :mod:`csv` module quotes every cell that
holds a CR or an LF (with a bare ``\\n`` ending rows it leaves a CR unquoted, and a spreadsheet
starts a new row there).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Final

#: What starts a formula in common spreadsheets (tab and CR: some strip them, then see ``=``).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
#: Row ending of RFC 4180; any cell with a CR or LF in it is then quoted.
ROW_END: Final = "\r\n"


def safe_cell(value: str) -> str:
    """``value`` with a ``'`` before every line that starts like a formula."""
    if not value:
        return value
    lines = value.splitlines(keepends=True)
    return "".join("'" + line if line.startswith(FORMULA_STARTS) else line for line in lines)


def is_safe(value: str) -> bool:
    """Whether no line of ``value`` would run as a formula (what :func:`safe_cell` ensures)."""
    return not any(line.startswith(FORMULA_STARTS) for line in value.splitlines(keepends=True))


def table_text(rows: Iterable[Sequence[str]], *, delimiter: str = ",") -> str:
    """``rows`` as CSV (or TSV with ``delimiter="\\t"``) text: every cell made safe with
    :func:`safe_cell` and quoted where it holds the delimiter, a quote, a CR or an LF."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator=ROW_END, quoting=csv.QUOTE_MINIMAL
    )
    for row in rows:
        writer.writerow([safe_cell(str(cell)) for cell in row])
    return buffer.getvalue()
