"""The read-back checks test clean records a column at a time; any fault still falls through to
the check that names the line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator.export import native, prodigy
from annotator.services.exporting import export
from annotator.storage.database import Database

Change = Callable[[dict[str, Any]], None]


def _rewrite(path: Path, change: Change) -> None:
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    change(records[-1])
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def _token(index: int, **values: Any) -> Change:
    def change(record: dict[str, Any]) -> None:
        record["tokens"][index].update(values)

    return change


def _swap_tokens(record: dict[str, Any]) -> None:
    tokens = record["tokens"]
    tokens[1], tokens[2] = tokens[2], tokens[1]
    tokens[1]["id"], tokens[2]["id"] = 1, 2


def _drop_ws(record: dict[str, Any]) -> None:
    del record["tokens"][3]["ws"]


def _not_an_object(record: dict[str, Any]) -> None:
    record["tokens"][0] = [0, 3]


def _past_the_end(record: dict[str, Any]) -> None:
    last = record["tokens"][-1]
    last["end"] = len(record["text"]) + 1


def _span(**values: Any) -> Change:
    def change(record: dict[str, Any]) -> None:
        record["spans"][0].update(values)

    return change


def _exclusive_end(record: dict[str, Any]) -> None:
    record["spans"][0]["token_end"] += 1


PRODIGY_FAULTS: dict[str, tuple[Change, str]] = {
    "span text": (_span(text="nope"), "[spans[0]]: text 'nope' is not the text at"),
    "span label": (_span(label=""), "[spans[0]]: 'label' must be a non-empty string"),
    "token_end": (_exclusive_end, "are not the edges of tokens"),
    "token_start": (_span(token_start=-1), "are not token indices in order"),
    "id": (_token(2, id=7), "[tokens[2]]: a token must be an object whose 'id' is its index"),
    "ws": (_token(1, ws="yes"), "[tokens[1]]: 'ws' must be true or false"),
    "float": (_token(1, start=0.5), "[tokens[1]]: offsets must be integers"),
    "text": (_token(2, text="nope"), "[tokens[2]]: text 'nope' is not the text at"),
    "order": (_swap_tokens, "[tokens[2]]: tokens overlap or are out of order"),
    "missing ws": (_drop_ws, "[tokens[3]]: 'ws' must be true or false"),
    "not an object": (_not_an_object, "[tokens[0]]: a token must be an object"),
    "past the end": (_past_the_end, "are outside 0.."),
}


@pytest.mark.parametrize("fault", list(PRODIGY_FAULTS))
def test_prodigy_token_faults_are_named(corpus_db: Database, tmp_path: Path, fault: str) -> None:
    path = tmp_path / "out.jsonl"
    export(corpus_db, path, fmt="prodigy")
    assert prodigy.check(path) == []
    change, message = PRODIGY_FAULTS[fault]
    _rewrite(path, change)
    found = prodigy.check(path)
    assert any(message in line for line in found), found


def _entity(index: int, **values: Any) -> Change:
    def change(record: dict[str, Any]) -> None:
        record["entities"][index].update(values)

    return change


def _claim(**values: Any) -> Change:
    def change(record: dict[str, Any]) -> None:
        record["claims"][0].update(values)

    return change


NATIVE_FAULTS: dict[str, tuple[Change, str]] = {
    "start": (_entity(0, start=-1), "[entities[0]]: offsets -1.."),
    "float": (_entity(1, end=4.0), "[entities[1]]: offsets must be integers"),
    "text": (_entity(0, text="nope"), "[entities[0]]: text 'nope' is not the text at"),
    "label": (_entity(1, label=""), "[entities[1]]: 'label' must be a non-empty string"),
    "empty": (_entity(0, end=0, start=0), "[entities[0]]: offsets 0..0"),
    "claim text": (_claim(text="nope"), "[claims[0]]: text 'nope' is not the text at"),
    "claimant": (_claim(claimant="T-none"), "claimant 'T-none' is not an entity id"),
    "cue": (_claim(cue={"start": 5, "end": 2}), "[claims[0]].cue: offsets 5..2"),
}


@pytest.mark.parametrize("fault", list(NATIVE_FAULTS))
def test_native_faults_are_named(corpus_db: Database, tmp_path: Path, fault: str) -> None:
    path = tmp_path / "out.jsonl"
    export(corpus_db, path)
    assert native.check(path) == []
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    # The fault goes into a record with two entities and a claim.
    target = next(i for i, r in enumerate(records) if len(r["entities"]) > 1 and r["claims"])
    change, message = NATIVE_FAULTS[fault]
    change(records[target])
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    found = native.check(path)
    assert any(message in line for line in found), found
