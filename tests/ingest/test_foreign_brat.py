"""brat standoff in: our export round-trips; hand-written .ann files import."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import Status
from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.export.corpus import annotation_rows, corpus, documents, fill

TEXT = "Mayor Petra Novak said\n300 homes lost power.\n"


def _read(path: Path) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    items = list(read(path, "brat"))
    return (
        [i for i in items if isinstance(i, ImportedDocument)],
        [i for i in items if isinstance(i, ImportProblem)],
    )


def _pair(folder: Path, ann: str, text: str = TEXT, stem: str = "doc") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8")
    return folder / f"{stem}.ann"


def test_export_then_import_gives_the_same_annotations(db: Database, tmp_path: Path) -> None:
    fill(db, tmp_path, corpus())
    out = tmp_path / "brat"
    export(db, out, fmt="brat", annotator="ana")
    again = Database.open(tmp_path / "again.sqlite")
    summary = import_paths(again, [out], fmt="brat", annotator="ana", detect_boilerplate=False)
    assert (summary.imported, summary.problems) == (5, [])
    assert annotation_rows(again) == annotation_rows(db, "ana")
    # brat has no place for titles or sources: the title comes from the first line again.
    assert {k: v[2] for k, v in documents(again).items()} == {
        k: v[2] for k, v in documents(db).items()
    }
    with again.read() as store:
        assert all(store.get_state(i, "ana").status is Status.DONE for i in store.document_ids())


def test_a_hand_written_pair_with_fragments_attributes_and_notes(tmp_path: Path) -> None:
    ann = (
        "T1\tPERSON 6 17\tPetra Novak\n"
        "T2\tCLAIM 18 22;23 32\tsaid 300 homes\n"
        "T3\tCUE 18 22\tsaid\n"
        "R1\tClaimant Arg1:T2 Arg2:T1\n"
        "R2\tCue Arg1:T2 Arg2:T3\n"
        "A1\tClaimType T2 quantity\n"
        "A2\tHedged T2\n"
        "A3\tNegated T1\n"
        "#1\tAnnotatorNotes T1\tthe mayor\n"
        "E1\tSay:T3\n"
    )
    path = _pair(tmp_path / "pairs", ann)
    (doc,), problems = _read(path)
    assert doc.external_id == "doc" and doc.title == "Mayor Petra Novak said"
    (claim,) = doc.claims
    assert (claim.start, claim.end, claim.claimant, claim.cue) == (18, 32, "T1", (18, 22))
    assert (claim.claim_type, claim.hedged) == ("quantity", True)
    assert [p.severity for p in problems] == ["warning", "warning"]
    # The same document when the .txt is named, and a .txt without .ann is plain text.
    (same,), _ = _read(path.with_suffix(".txt"))
    assert same.claims == doc.claims
    (path.parent / "bare.txt").write_text("Just text.\n", encoding="utf-8")
    (bare,), problems = _read(path.parent / "bare.txt")
    assert (bare.entities, bare.statuses, problems) == ((), {}, [])


def test_offsets_that_do_not_show_their_text_are_refused(tmp_path: Path) -> None:
    path = _pair(tmp_path / "bad", "T1\tPERSON 5 17\tPetra Novak\n")
    documents_, (problem,) = _read(path)
    assert documents_ == [] and "is not the text at" in problem.reason


def test_crlf_text_with_annotations_is_refused(tmp_path: Path) -> None:
    text = TEXT.replace("\n", "\r\n")
    path = _pair(tmp_path / "crlf", "T1\tQUANTITY 24 33\t300 homes\n", text=text)
    documents_, (problem,) = _read(path)
    assert documents_ == [] and "normalisation" in problem.reason


def test_other_files_in_a_folder_are_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("{}")
    (problem,) = list(read(tmp_path / "notes.json", "brat"))
    assert isinstance(problem, ImportProblem) and problem.severity == "warning"
