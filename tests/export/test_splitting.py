"""Splits by document: seeded, deterministic, leak-free, grouped by source when asked."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.export.checking import check_export
from annotator.export.splitting import assign, parse_split, quotas
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.corpus import fill

SOURCES = ("wire", "outlet", "blog", "radio", "daily")


@pytest.fixture(scope="module")
def many_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    folder = tmp_path_factory.mktemp("many")
    records = []
    for i in range(40):
        text = f"Story {i}\nThe council of Town{i} met on Monday.\n"
        start = text.index(f"Town{i}")
        records.append(
            {
                "id": f"s{i:02d}",
                "text": text,
                "source": SOURCES[i % len(SOURCES)],
                "entities": [
                    {"id": "e", "start": start, "end": start + len(f"Town{i}"), "label": "GPE"}
                ],
                "statuses": {"ana": "done"},
            }
        )
    db = Database.open(folder / "many.sqlite")
    fill(db, folder, records)
    return db


def _manifest(path: Path) -> dict:
    return orjson.loads((path / "manifest.json").read_bytes())


def _split(db: Database, out: Path, fmt: str = "annotator", **spec: object) -> dict:
    spec.setdefault("seed", 7)
    export(
        db,
        out,
        fmt=fmt,
        only_done=True,
        split=parse_split("train=0.6,dev=0.2,test=0.2", **spec),  # type: ignore[arg-type]
    )
    assert check_export(out, fmt) == []
    return _manifest(out)


def test_split_is_deterministic_and_leak_free(many_db: Database, tmp_path: Path) -> None:
    first = _split(many_db, tmp_path / "a")
    again = _split(many_db, tmp_path / "b")
    other = _split(many_db, tmp_path / "c", seed=8)
    ids = {name: split["ids"] for name, split in first["splits"].items()}
    assert ids == {name: split["ids"] for name, split in again["splits"].items()}
    assert ids != {name: split["ids"] for name, split in other["splits"].items()}
    assert {name: len(v) for name, v in ids.items()} == {"train": 24, "dev": 8, "test": 8}
    every = [doc for v in ids.values() for doc in v]
    assert sorted(every) == [f"s{i:02d}" for i in range(40)] and len(set(every)) == 40
    assert (first["format"], first["seed"], first["offsets"]) == ("annotator", 7, "codepoint")
    assert first["ratios"] == {"train": 0.6, "dev": 0.2, "test": 0.2}
    assert first["splits"]["train"]["path"] == "train.jsonl"
    # Each file holds exactly its split's documents, in the manifest's order.
    for name, split_ids in ids.items():
        lines = (tmp_path / "a" / f"{name}.jsonl").read_bytes().splitlines()
        assert [orjson.loads(line)["id"] for line in lines] == split_ids


def test_group_by_source_keeps_each_source_in_one_split(many_db: Database, tmp_path: Path) -> None:
    manifest = _split(many_db, tmp_path / "g", fmt="hf", group_by="source")
    assert manifest["group_by"] == "source"
    where: dict[str, set[str]] = {}
    for name, split in manifest["splits"].items():
        for doc in split["ids"]:
            source = SOURCES[int(doc[1:]) % len(SOURCES)]
            where.setdefault(source, set()).add(name)
    assert all(len(splits) == 1 for splits in where.values())
    assert sum(split["documents"] for split in manifest["splits"].values()) == 40
    for name in manifest["splits"]:
        assert (tmp_path / "g" / f"{name}.jsonl").is_file()
    assert (tmp_path / "g" / "labels.json").is_file()


def test_folder_formats_get_a_folder_per_split(many_db: Database, tmp_path: Path) -> None:
    manifest = _split(many_db, tmp_path / "b", fmt="brat")
    for name, split in manifest["splits"].items():
        stems = sorted(p.stem for p in (tmp_path / "b" / name).glob("*.ann"))
        assert stems == sorted(split["ids"])
    assert (tmp_path / "b" / "annotation.conf").is_file()


def test_assignment_is_independent_of_input_order() -> None:
    keys = [f"doc{i}" for i in range(100)]
    spec = parse_split("train=0.8,dev=0.1,test=0.1", seed=3)
    forward = dict(zip(keys, assign(keys, None, spec), strict=True))
    backward = dict(zip(keys[::-1], assign(keys[::-1], None, spec), strict=True))
    assert forward == backward
    assert sorted(forward.values()).count(0) == 80


def test_quotas_add_up() -> None:
    assert quotas(5, [0.8, 0.1, 0.1]) == [4, 1, 0]
    assert quotas(7, [1 / 3, 1 / 3, 1 / 3]) == [3, 2, 2]
    assert sum(quotas(1001, [0.7, 0.2, 0.1])) == 1001


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("train=0.8,dev=0.1", "add up to 1"),
        ("train=0.8,train=0.2", "named twice"),
        ("train:0.8", "NAME=RATIO"),
        ("train=x,dev=1", "not a number"),
        ("all=1", "cannot be a split name"),
        ("train=0,dev=1", "above 0"),
    ],
)
def test_bad_split_specs_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_split(text)
