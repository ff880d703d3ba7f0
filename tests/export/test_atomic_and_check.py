"""An export that fails midway leaves nothing behind (and the previous export intact);
``check`` catches corrupted exports."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core.errors import OperationCancelled
from annotator.core.progress import CancelToken
from annotator.export.checking import check_export
from annotator.export.errors import ExportCheckError, ExportError
from annotator.services import exporting
from annotator.services.exporting import export
from annotator.storage.database import Database


class Boom(RuntimeError):
    pass


def _fail_after(documents: int):  # type: ignore[no-untyped-def]
    def progress(done: int, total: int | None, message: str) -> None:
        if done >= documents:
            raise Boom("disk full")

    return progress


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize(("fmt", "name"), [("prodigy", "out.jsonl"), ("brat", "out")])
def test_a_failure_midway_leaves_no_partial_export(
    corpus_db: Database, tmp_path: Path, fmt: str, name: str
) -> None:
    out = tmp_path / name
    with pytest.raises(Boom):
        export(corpus_db, out, fmt=fmt, only_done=True, batch=1, progress=_fail_after(2))
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_a_failed_export_keeps_the_previous_one(corpus_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "split"
    options = {"fmt": "conll", "only_done": True, "split": exporting_split()}
    export(corpus_db, out, **options)  # type: ignore[arg-type]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(Boom):
        export(corpus_db, out, batch=1, progress=_fail_after(1), **options)  # type: ignore[arg-type]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _leftovers(tmp_path) == []
    # And a successful export replaces it whole.
    export(corpus_db, out, **options)  # type: ignore[arg-type]
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


def exporting_split():  # type: ignore[no-untyped-def]
    from annotator.export.splitting import parse_split

    return parse_split("train=0.5,test=0.5", seed=1)


def test_cancel_leaves_nothing(corpus_db: Database, tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(OperationCancelled):
        export(corpus_db, tmp_path / "x.jsonl", fmt="hf", cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_read_back_check_is_not_saved(
    corpus_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exporting, "check_export", lambda path, fmt: ["bad: injected"])
    with pytest.raises(ExportCheckError, match="injected"):
        export(corpus_db, tmp_path / "out", fmt="brat", only_done=True)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_an_export_is_never_replaced(
    corpus_db: Database, tmp_path: Path
) -> None:
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.md").write_text("years of work")
    with pytest.raises(ExportError, match="not an Annotator export"):
        export(corpus_db, precious, fmt="brat")
    with pytest.raises(ExportError, match="is a folder"):
        export(corpus_db, precious, fmt="prodigy")
    assert [p.name for p in precious.iterdir()] == ["chapter1.md"]


def _corrupt_jsonl(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    lines = path.read_bytes().splitlines()
    record = orjson.loads(lines[0])
    change(record)
    lines[0] = orjson.dumps(record)
    path.write_bytes(b"\n".join(lines) + b"\n")


def _exclusive_token_end(record: dict) -> None:
    record["spans"][0]["token_end"] += 1


def _shift_entity(record: dict) -> None:
    record["entities"][0]["start"] += 1


def _dangling_relation(record: dict) -> None:
    record["relations"][0]["to_id"] = 999


@pytest.mark.parametrize(
    ("fmt", "change", "expected"),
    [
        ("prodigy", _exclusive_token_end, "token_end is inclusive"),
        ("annotator", _shift_entity, "is not the text at"),
        ("doccano", _dangling_relation, "from_id/to_id"),
    ],
)
def test_check_catches_corrupted_json_lines(
    corpus_db: Database,
    tmp_path: Path,
    fmt: str,
    change,
    expected: str,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out.jsonl"
    export(corpus_db, out, fmt=fmt, only_done=True)
    _corrupt_jsonl(out, change)
    problems = check_export(out, fmt)
    assert problems and expected in problems[0] and str(out) in problems[0]


def test_check_catches_broken_iob2_and_truncated_files(corpus_db: Database, tmp_path: Path) -> None:
    conll = tmp_path / "out.conll"
    export(corpus_db, conll, fmt="conll", only_done=True)
    conll.write_text(
        conll.read_text(encoding="utf-8").replace("B-GPE", "I-GPE", 1), encoding="utf-8"
    )
    assert any("I- tag must continue" in p for p in check_export(conll, "conll"))

    studio = tmp_path / "tasks.json"
    export(corpus_db, studio, fmt="labelstudio", only_done=True)
    studio.write_bytes(studio.read_bytes()[:-5])
    assert any("cannot be read as JSON" in p for p in check_export(studio, "labelstudio"))

    docbin = tmp_path / "docbin"
    export(corpus_db, docbin, fmt="spacy", only_done=True)
    shard = next(docbin.glob("*.spacy"))
    shard.write_bytes(shard.read_bytes()[:40])
    assert any("spaCy cannot read it" in p for p in check_export(docbin, "spacy"))


def test_check_catches_hf_and_brat_damage(corpus_db: Database, tmp_path: Path) -> None:
    hf = tmp_path / "hf"
    export(corpus_db, hf, fmt="hf", only_done=True)
    _corrupt_jsonl(hf / "data.jsonl", lambda row: row["ner_tags"].__setitem__(0, 999))
    assert any("not a tag id" in p for p in check_export(hf, "hf"))

    brat = tmp_path / "brat"
    export(corpus_db, brat, fmt="brat", only_done=True)
    ann = brat / "flag.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("3 7\tKyiv", "4 7\tKyiv"))
    assert any("is not 'yiv'" in p for p in check_export(brat, "brat"))
    (brat / "nested.txt").unlink()
    assert any("has no .txt beside it" in p for p in check_export(brat, "brat"))


def test_check_catches_a_leaking_manifest(corpus_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "split"
    export(corpus_db, out, fmt="claims-json", only_done=True, split=exporting_split())
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    manifest["splits"]["test"]["ids"].append(manifest["splits"]["train"]["ids"][0])
    manifest["splits"]["test"]["documents"] += 1
    (out / "manifest.json").write_bytes(orjson.dumps(manifest))
    assert any("is in split 'train' and 'test'" in p for p in check_export(out, "claims-json"))
