"""The token formats' cheap read-back (annotator/export/read_back.py): each file is compared
with what was written, what was built is tested as it is built, and a damaged token entry
or a label a format cannot write still makes the export fail, with the detailed check's
message naming the line."""

from __future__ import annotations

from array import array
from pathlib import Path

import orjson
import pytest

from annotator.core.model import Document
from annotator.core.tokens import tokenize
from annotator.export.document import ExportDocument
from annotator.export.errors import ExportCheckError
from annotator.export.formats import get
from annotator.export.read_back import BuiltCheck, WrittenPieces, tokens_fit
from annotator.export.writing import ExportContext
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import entity, fill

TEXTS = (
    'Mayor Petra Novak said "the port" closed.\nIt opened again.',
    "Drava Power reported twelve failures. Engineers agreed.",
    "A third, short one.",
)


def _documents() -> list[ExportDocument]:
    return [
        ExportDocument(Document(i + 1, f"d{i}", f"Title {i}", text, None), annotator="ana")
        for i, text in enumerate(TEXTS)
    ]


def _written(fmt: str, folder: Path) -> tuple[object, Path]:
    """A writer of ``fmt`` that wrote the three documents and was closed, and its file."""
    spec = get(fmt)
    target = spec.target(folder / fmt, None)
    if spec.is_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    writer = spec.writer(target, ExportContext())
    for doc in _documents():
        writer.write(doc, tokenize(doc.text))
    writer.close()
    path = next(target.glob("*.spacy")) if target.is_dir() else target
    return writer, path


@pytest.mark.parametrize("fmt", ["prodigy", "conll", "hf", "spacy"])
def test_every_token_writer_compares_its_file_with_what_it_wrote(tmp_path: Path, fmt: str) -> None:
    writer, path = _written(fmt, tmp_path)
    assert writer.read_back() == []  # type: ignore[attr-defined]
    data = path.read_bytes()
    middle = len(data) // 2
    path.write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :])
    (message,) = writer.read_back()  # type: ignore[attr-defined]
    assert message.startswith(f"{path}:") and message.endswith(
        "reads back other than it was written"
    )
    path.write_bytes(data[:-3])
    (message,) = writer.read_back()  # type: ignore[attr-defined]
    assert message.startswith(f"{path}:") and "missing: the file ends 3 bytes short" in message
    path.write_bytes(data + b"\n")
    (message,) = writer.read_back()  # type: ignore[attr-defined]
    assert message.startswith(f"{path}:") and message.endswith("was not written by this export")
    path.unlink()
    (message,) = writer.read_back()  # type: ignore[attr-defined]
    assert message.startswith(f"{path}: cannot be read")


def test_a_changed_line_is_named_by_its_number(tmp_path: Path) -> None:
    path = tmp_path / "out.conll"
    written = WrittenPieces(path)
    pieces = [b"a O O\n\n", b"b O O\nc O O\n\n", b"d O O\n\n"]
    path.write_bytes(b"".join(map(written.add, pieces)))
    assert written.read_back() == []
    path.write_bytes(pieces[0] + pieces[1].replace(b"c", b"x") + pieces[2])
    # The second piece starts on line 3.
    assert written.read_back() == [f"{path}:3: reads back other than it was written"]


def test_tokens_fit_only_in_order_inside_their_text() -> None:
    text = "ab cd"
    assert tokens_fit(text, [0, 3], [2, 5])
    assert tokens_fit(text, array("I", [0, 3]), array("I", [2, 5]))
    assert tokens_fit("", [], [])
    assert not tokens_fit(text, [0, 3], [2, 6])  # past the end
    assert not tokens_fit(text, [-1, 3], [2, 5])
    assert not tokens_fit(text, [0, 1], [2, 5])  # overlapping
    assert not tokens_fit(text, [3, 0], [5, 2])  # out of order
    assert not tokens_fit(text, [0, 3], [0, 5])  # empty
    assert not tokens_fit(text, [0, 3], [2])


def test_the_built_check_fails_on_what_the_detailed_checks_refuse() -> None:
    check = BuiltCheck()
    check.document("a", "ab cd", [0, 3], [2, 5])
    check.labels(["ORG", "NEW ORG"])
    assert check.clean
    for trouble in (
        lambda c: c.document("a", "ab", [0], [2]),
        lambda c: c.document("b", "ab", [0], [3]),
        lambda c: c.labels([""]),
        lambda c: c.labels([None]),
        lambda c: c.labels(["NEW ORG"], spaced=False),
        lambda c: c.labels([" ORG"], spaced=False),
    ):
        check = BuiltCheck()
        check.document("a", "ab cd", [0, 3], [2, 5])
        trouble(check)
        assert not check.clean and check.reason


def _break_stored_tokens(db: Database) -> None:
    """Make every stored token entry's first token run past the second one's start."""
    with db.write() as store:
        connection = store.session.connection()
        rows = connection.exec_driver_sql("SELECT sha256, data FROM token_boundaries")
        for sha, data in rows.fetchall():
            values = array("I")
            values.frombytes(data)
            count = values[0]
            if count >= 2:
                values[1 + count] = values[2] + 1  # the first end past the second start
            connection.exec_driver_sql(
                "UPDATE token_boundaries SET data = ? WHERE sha256 = ?",
                (values.tobytes(), sha),
            )


def test_a_damaged_stored_token_entry_fails_a_prodigy_export(
    corpus_db: Database, tmp_path: Path
) -> None:
    export(corpus_db, tmp_path / "first.jsonl", fmt="prodigy", only_done=True)  # stores tokens
    _break_stored_tokens(corpus_db)
    out = tmp_path / "again.jsonl"
    try:
        with pytest.raises(ExportCheckError) as failed:
            export(corpus_db, out, fmt="prodigy", only_done=True)
    finally:
        with corpus_db.write() as store:
            store.session.connection().exec_driver_sql("DELETE FROM token_boundaries")
    message = failed.value.problems[0]
    assert message.startswith(f"{out}:1 [tokens[1]]") and "tokens overlap" in message
    assert not out.exists()


def test_a_label_with_a_space_fails_a_conll_export(tmp_path: Path) -> None:
    text = "Drava Power reported twelve failures."
    db = Database.open(tmp_path / "project.sqlite")
    try:
        fill(
            db,
            tmp_path,
            [
                {
                    "id": "spaced",
                    "text": text,
                    "entities": [entity(text, "e1", "Drava Power", "POWER COMPANY")],
                    "statuses": {"ana": "done"},
                }
            ],
        )
        out = tmp_path / "out.conll"
        with pytest.raises(ExportCheckError, match=r"out\.conll:3: expected"):
            export(db, out, fmt="conll", only_done=True)
        assert not out.exists()
        # Prodigy writes the label as a JSON string: nothing to refuse.
        export(db, tmp_path / "out.jsonl", fmt="prodigy", only_done=True)
        record = orjson.loads((tmp_path / "out.jsonl").read_bytes())
        assert record["spans"][0]["label"] == "POWER COMPANY"
    finally:
        db.close()
