"""brat problems name the file the user must open: the ``.ann`` file and its line for an
annotation, the ``.txt`` for the text; an ``.ann`` without its ``.txt`` is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.services.importing import import_paths
from annotator.storage.database import Database

TEXT = "Mayor Petra Novak said\n300 homes lost power.\n"


def _pair(folder: Path, stem: str, ann: str, text: str = TEXT) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8")


@pytest.mark.parametrize(
    ("ann", "line", "words"),
    [
        ("T1\tPERSON 6 17\tPetra Novak\nT2\tPERSON six 17\tPetra\n", 2, "not 'T<n>"),
        ("T1\tPERSON 6 17\tPetra Novak\n\nT2\tORG 0 5\tPetra\n", 3, "is not the text at"),
        ("T1\tPERSON 6 17\tPetra Novak\nT2\tORG 40 90\n", 2, "past the end"),
        ("T1\tPERSON 6 17\tPetra Novak\nR1\tClaimant Arg1:T1\n", 2, "not 'R<n>"),
        ("T1\tCLAIM 18 32\nT2\tPERSON 6 17\nR1\tClaimant Arg1:T1 Arg2:T9\n", 3, "not both"),
    ],
    ids=["bad-T-line", "wrong-text", "past-the-end", "bad-R-line", "dangling-link"],
)
def test_a_bad_ann_line_is_named_by_the_ann_file_and_line(
    db: Database, tmp_path: Path, ann: str, line: int, words: str
) -> None:
    folder = tmp_path / "brat"
    _pair(folder, "bad", ann)
    _pair(folder, "good", "T1\tPERSON 6 17\tPetra Novak\n")
    summary = import_paths(db, [folder], fmt="brat", detect_boilerplate=False)
    assert summary.imported == 1
    (problem,) = summary.errors
    assert (problem.path, problem.line) == (str(folder / "bad.ann"), line)
    assert words in problem.reason


def test_warnings_name_the_ann_line(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    _pair(folder, "doc", "T1\tPERSON 6 17\tPetra Novak\nA1\tNegated T1\nE1\tSay:T1\n")
    summary = import_paths(db, [folder], fmt="brat", detect_boilerplate=False)
    assert summary.imported == 1
    assert [(p.path, p.line) for p in summary.warnings] == [
        (str(folder / "doc.ann"), 2),
        (str(folder / "doc.ann"), 3),
    ]


def test_an_ann_without_its_txt_is_reported(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    _pair(folder, "paired", "T1\tPERSON 6 17\tPetra Novak\n")
    (folder / "orphan.ann").write_text("T1\tPERSON 6 17\tPetra Novak\n", encoding="utf-8")
    summary = import_paths(db, [folder], fmt="brat", detect_boilerplate=False)
    assert (summary.imported, summary.entities) == (1, 1)
    (problem,) = summary.errors
    assert problem.path == str(folder / "orphan.ann") and "orphan.txt" in problem.reason


def test_each_pair_is_imported_once(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    _pair(folder, "a", "T1\tPERSON 6 17\tPetra Novak\n")
    _pair(folder, "a.b", "T1\tPERSON 6 17\tPetra Novak\n", text=TEXT + "More.\n")
    summary = import_paths(db, [folder], fmt="brat", detect_boilerplate=False)
    assert (summary.imported, summary.duplicates, summary.problems) == (2, 0, [])
