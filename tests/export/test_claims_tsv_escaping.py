"""CheckThat TSV: lines of cells a spreadsheet would run as formulas are escaped; cells with
a tab, a quote or a line break are quoted; the export passes its own read-back check."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.export.claims_tsv import check
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import fill

TEXT = (
    '=HYPERLINK("http://x.invalid","click") leads\n'
    "-5 degrees were recorded overnight, the agency said.\n"
    "+44 callers rang the line.\n"
    "@mayor replied\twith a tab.\n"
    "Plain sentence.\n"
)


def test_formula_cells_are_escaped_and_read_back(db: Database, tmp_path: Path) -> None:
    start = TEXT.index("-5 degrees")
    claim_text = "-5 degrees were recorded overnight"
    fill(
        db,
        tmp_path,
        [
            {
                "id": "=cmd|' /C calc'!A0",
                "text": TEXT,
                "claims": [{"id": "c", "start": start, "end": start + len(claim_text)}],
                "statuses": {"ana": "done"},
            }
        ],
    )
    out = tmp_path / "claims.tsv"
    export(db, out, fmt="claims-tsv", only_done=True)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows[0] == ["sentence_id", "document_id", "text", "claim"]
    assert [row[2] for row in rows[1:]] == [
        '\'=HYPERLINK("http://x.invalid","click") leads',
        "'-5 degrees were recorded overnight, the agency said.",
        "'+44 callers rang the line.",
        "'@mayor replied\twith a tab.",
        "Plain sentence.",
    ]
    assert [row[3] for row in rows[1:]] == ["0", "1", "0", "0", "0"]
    assert {row[1] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}
    assert rows[1][0] == "'=cmd|' /C calc'!A0:0"
    # Quoting: the cell with quotes and the one with a tab are quoted in the file.
    raw = out.read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://x.invalid"",""click"") leads"' in raw
    assert check(out) == []


def test_check_finds_an_unescaped_formula(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("sentence_id\tdocument_id\ttext\tclaim\na:0\ta\t=1+1\t2\n", encoding="utf-8")
    problems = check(path)
    assert any("would run as a formula" in p for p in problems)
    assert any("claim must be 0 or 1" in p for p in problems)


def test_a_document_id_with_line_breaks_is_quoted_and_escaped(db: Database, tmp_path: Path) -> None:
    # A CR or LF in an id (JSONL allows any string) once went out unquoted with LF row ends,
    # so the file split the row and failed its own read-back check; the id's second line,
    # "=SUM(A1)", was not escaped either.
    key = "wire\r\n=SUM(A1)\nend"
    fill(db, tmp_path, [{"id": key, "text": "One sentence.\n", "statuses": {"ana": "done"}}])
    out = tmp_path / "claims.tsv"
    export(db, out, fmt="claims-tsv", only_done=True)
    assert check(out) == []
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    escaped = "wire\r\n'=SUM(A1)\nend"
    assert rows == [
        ["sentence_id", "document_id", "text", "claim"],
        [f"{escaped}:0", escaped, "One sentence.", "0"],
    ]
    assert out.read_bytes().endswith(b'"\tOne sentence.\t0\r\n')


def test_check_finds_a_formula_on_a_later_line_of_a_cell(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(
        'sentence_id\tdocument_id\ttext\tclaim\r\na:0\ta\t"fine\n=1+1"\t0\r\n',
        encoding="utf-8",
        newline="",
    )
    assert any("would run as a formula" in p for p in check(path))
