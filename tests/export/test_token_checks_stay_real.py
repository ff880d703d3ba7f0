"""The token formats' read-back checks stay real: a damaged export fails with the line named,
and the Prodigy check's fast path for relations lets no faulty relation through."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator.export import conll, hf, prodigy
from annotator.services.exporting import export
from annotator.storage.database import Database


@pytest.mark.parametrize("fmt", ["prodigy", "conll", "hf"])
def test_a_damaged_token_export_fails_its_check(
    corpus_db: Database, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / ("out" if fmt == "hf" else f"out.{fmt}")
    export(corpus_db, out, fmt=fmt, only_done=True)
    data = out / "data.jsonl" if fmt == "hf" else out
    lines = data.read_bytes().split(b"\n")
    if fmt == "conll":
        # The first token line of the second sentence of a document that has entities.
        number = next(i for i, line in enumerate(lines) if line.endswith(b" B-ORG O"))
        lines[number] = lines[number].replace(b" B-ORG ", b" I-ORG ")
        expected = f"{data}:{number + 1}"
        check = conll.check
    else:
        record = orjson.loads(lines[1])
        if fmt == "hf":
            record["ner_tags"][0] = 99
        else:
            record["tokens"][2]["start"] += 1
        lines[1] = orjson.dumps(record)
        expected = f"{data}:2"
        check = hf.check if fmt == "hf" else prodigy.check
    data.write_bytes(b"\n".join(lines))
    found = check(data)
    assert found and all(message.startswith(expected) for message in found), found


def _first_relations(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return next(r["relations"] for r in records if len(r["relations"]) == 2)


RELATION_FAULTS: dict[str, tuple[Callable[[list[dict[str, Any]]], None], str]] = {
    "float": (
        lambda rs: _first_relations(rs)[0]["head_span"].update(start=28.0),
        "[relations[0]].head_span: offsets must be integers",
    ),
    "bool": (
        lambda rs: _first_relations(rs)[0].update(head=True),
        "[relations[0]]: head must be the token_end of head_span",
    ),
    "head": (
        lambda rs: _first_relations(rs)[0].update(head=_first_relations(rs)[0]["head"] + 1),
        "[relations[0]]: head must be the token_end of head_span",
    ),
    "label": (
        lambda rs: _first_relations(rs)[0].update(label="SAID"),
        "[relations[0]]: label 'SAID' is not CLAIMANT or CUE",
    ),
    "claimant": (
        lambda rs: _first_relations(rs)[0]["child_span"].update(label="NOPE"),
        "[relations[0]]: child_span is not one of the record's spans",
    ),
    "cue": (
        lambda rs: _first_relations(rs)[1]["child_span"].update(token_start=0),
        "[relations[1]].child_span: start/end",
    ),
}


@pytest.mark.parametrize("fault", list(RELATION_FAULTS))
def test_prodigy_relation_faults_are_named(corpus_db: Database, tmp_path: Path, fault: str) -> None:
    path = tmp_path / "out.jsonl"
    export(corpus_db, path, fmt="prodigy", only_done=True)
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    change, message = RELATION_FAULTS[fault]
    change(records)
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    found = prodigy.check(path)
    assert any(message in line for line in found), found


def test_spacy_export_leaves_srsly_as_it_found_it(corpus_db: Database, tmp_path: Path) -> None:
    from srsly import msgpack

    from annotator.export.docbin import MsgpackHooks

    registries = (msgpack.msgpack_encoders, msgpack.msgpack_decoders)
    before = [registry.get_all() for registry in registries]
    export(corpus_db, tmp_path / "out", fmt="spacy", only_done=True)
    assert all("get_all" not in registry.__dict__ for registry in registries)
    hooks = MsgpackHooks()
    with hooks.active():
        # The same hooks while active, and a caller changing the answer changes nothing.
        assert [registry.get_all() for registry in registries] == before
        msgpack.msgpack_encoders.get_all().clear()
        assert [registry.get_all() for registry in registries] == before
    assert [registry.get_all() for registry in registries] == before
