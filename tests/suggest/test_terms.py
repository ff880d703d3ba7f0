"""Reading term lists: CSV/TSV with or without a header, JSONL, plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.suggest.gazetteer import Term
from annotator.suggest.terms import read_terms


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_a_header_in_any_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kit.csv",
        "label,term,case\n"
        "WEAPON,Kestrel-7,\n"
        "WEAPON,Sparrow,sensitive\n"
        'ORG,"Sela Dockers, Ltd",no\n',
    )
    assert read_terms(path) == [
        Term("Kestrel-7", "WEAPON", False, "kit.csv"),
        Term("Sparrow", "WEAPON", True, "kit.csv"),
        Term("Sela Dockers, Ltd", "ORG", False, "kit.csv"),
    ]


def test_tsv_without_a_header_and_a_default_label(tmp_path: Path) -> None:
    path = write(tmp_path, "places.tsv", "Port Sela\tGPE\nLower  Quay\t\n\nValmora\tGPE\tyes\n")
    assert read_terms(path, label="LOC") == [
        Term("Port Sela", "GPE", False, "places.tsv"),
        Term("Lower Quay", "LOC", False, "places.tsv"),
        Term("Valmora", "GPE", True, "places.tsv"),
    ]


def test_jsonl(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "orgs.jsonl",
        '{"term": "Harbour Safety Board", "label": "ORG"}\n'
        '{"term": "HSB", "label": "ORG", "case_sensitive": true}\n',
    )
    assert read_terms(path) == [
        Term("Harbour Safety Board", "ORG", False, "orgs.jsonl"),
        Term("HSB", "ORG", True, "orgs.jsonl"),
    ]


def test_plain_text_needs_a_label(tmp_path: Path) -> None:
    path = write(tmp_path, "ships.txt", "# ships\nSea Wren\n\nNorth Star\n")
    assert read_terms(path, label="FAC", case_sensitive=True) == [
        Term("Sea Wren", "FAC", True, "ships.txt"),
        Term("North Star", "FAC", True, "ships.txt"),
    ]
    with pytest.raises(InputError, match="needs a label"):
        read_terms(path)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("bad.csv", "term,label\nSparrow,\n", "bad.csv:2 [label]"),
        ("bad.csv", "Sparrow,WEAPON,maybe\n", "bad.csv:1 [case]"),
        ("bad.jsonl", '{"label": "ORG"}\n', "bad.jsonl:1 [term]"),
        ("bad.jsonl", "not json\n", "bad.jsonl:1"),
    ],
)
def test_errors_name_the_line_and_field(tmp_path: Path, name: str, text: str, where: str) -> None:
    with pytest.raises(InputError) as raised:
        read_terms(write(tmp_path, name, text))
    assert where in str(raised.value)
