from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.core.model import IgnoredRange, Status
from annotator.ingest.discover import detect_format
from annotator.ingest.readers import read
from annotator.ingest.records import ImportedDocument, ImportProblem
from tests.ingest.fixtures import STORIES, native_record, span, write_jsonl

Record = dict[str, Any]


def _read(path: Path, **options: Any) -> tuple[list[ImportedDocument], list[ImportProblem]]:
    items = list(read(path, **options))
    documents = [item for item in items if isinstance(item, ImportedDocument)]
    problems = [item for item in items if isinstance(item, ImportProblem)]
    return documents, problems


def test_a_native_record_round_trips_into_imported_values(tmp_path: Path) -> None:
    record = native_record()
    path = write_jsonl(tmp_path / "export.jsonl", [record])
    assert detect_format(path) == "annotator"

    (document,), problems = _read(path, default_annotator="bo")

    assert problems == []
    text = record["text"]
    assert document.text == text
    assert (document.external_id, document.title, document.source) == (
        "doc-1",
        STORIES[0].headline,
        "Lantern Post",
    )
    assert document.meta == {"url": "https://example.org/port-strike"}
    union, brandt = document.entities
    assert (text[union.start : union.end], union.label, union.ref) == (
        "Haverly Dockworkers' Union",
        "ORG",
        "e1",
    )
    assert (union.annotator, union.origin) == ("ana", "manual")
    # No annotator on the span or the record: the import's default annotator owns it.
    assert (brandt.annotator, brandt.origin) == ("bo", "suggested:gazetteer")
    (claim,) = document.claims
    assert claim.claimant == "e1"
    assert claim.cue == span(text, "said")
    assert (claim.claim_type, claim.hedged, claim.label) == ("quantity", False, "CLAIM")
    (rejected,) = document.rejected
    assert rejected == {
        "annotator": "bo",
        "start": brandt.start,
        "end": brandt.end,
        "label": "ORG",
        "layer": "entity",
        "suggester": "rules",
    }
    assert document.ignored == (IgnoredRange(0, 10, "boilerplate"),)
    assert document.statuses == {"bo": Status.DONE}
    assert document.origin == f"{path}:1"


def test_without_any_annotator_the_service_decides(tmp_path: Path) -> None:
    record = native_record()
    del record["entities"][0]["annotator"]
    path = write_jsonl(tmp_path / "export.jsonl", [record])
    (document,), _ = _read(path)
    assert [e.annotator for e in document.entities] == [None, None]
    assert document.statuses == {None: Status.DONE}


def test_record_annotator_and_statuses(tmp_path: Path) -> None:
    record = native_record()
    record["annotator"] = "cy"
    record["statuses"] = {"cy": "in_progress", "dee": "skipped"}
    path = write_jsonl(tmp_path / "export.jsonl", [record])

    (document,), _ = _read(path, default_annotator="bo")

    assert [e.annotator for e in document.entities] == ["ana", "cy"]
    assert document.statuses == {"cy": Status.IN_PROGRESS, "dee": Status.SKIPPED}


def _set(path: str, value: Any) -> Callable[[Record], None]:
    """A mutation that sets ``a.b[0].c``-style ``path`` in a record to ``value``."""

    def mutate(record: Record) -> None:
        target: Any = record
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _past_end(record: Record) -> None:
    record["entities"][1]["end"] = len(record["text"]) + 5
    del record["entities"][1]["text"]


def _mismatch(record: Record) -> None:
    record["entities"][1]["text"] = "Alina Brandy"


def _duplicate_entity(record: Record) -> None:
    record["entities"][1]["id"] = "e1"


def _crlf_with_spans(record: Record) -> None:
    record["text"] = record["text"].replace("\n", "\r\n")


BAD_RECORDS: dict[str, tuple[Callable[[Record], None], str, str]] = {
    "offset-past-end": (_past_end, "entities[1].end", "is past the end of the text"),
    "span-text-mismatch": (
        _mismatch,
        "entities[1].text",
        "span text 'Alina Brandy' does not match text[",
    ),
    "duplicate-entity-id": (_duplicate_entity, "entities[1].id", "duplicate id 'e1'"),
    "unknown-claimant": (
        _set("claims[0].claimant", "e9"),
        "claims[0].claimant",
        "claimant 'e9' is not the id of an entity",
    ),
    "bad-claim-type": (
        _set("claims[0].type", "rumour"),
        "claims[0].type",
        "type 'rumour' is not one of quantity, event, quote, causal, prediction, other",
    ),
    "negative-start": (_set("entities[0].start", -1), "entities[0].start", "negative"),
    "bool-offset": (_set("entities[0].start", True), "entities[0].start", "integer"),
    "float-offset": (_set("entities[0].end", 12.0), "entities[0].end", "integer"),
    "missing-end": (_set("ignored[0].end", None), "ignored[0].end", "is missing"),
    "empty-span": (_set("entities[0].end", 0), "entities[0].start", "less than end"),
    "cue-past-end": (_set("claims[0].cue.end", 10**6), "claims[0].cue.end", "past the end"),
    "cue-type": (_set("claims[0].cue", [1, 2]), "claims[0].cue", "must be an object"),
    "hedged-type": (_set("claims[0].hedged", "yes"), "claims[0].hedged", "true or false"),
    "label-missing": (_set("entities[0].label", ""), "entities[0].label", "non-empty"),
    "origin": (_set("entities[0].origin", "magic"), "entities[0].origin", "'manual'"),
    "entities-type": (_set("entities", {"a": 1}), "entities", "must be an array"),
    "entity-type": (_set("entities[0]", "ORG"), "entities[0]", "must be an object"),
    "rejected-layer": (_set("rejected[0].layer", "token"), "rejected[0].layer", "'entity'"),
    "offsets-utf16": (_set("offsets", "utf16"), "offsets", "only 'codepoint'"),
    "unknown-status": (_set("status", "finished"), "status", "status 'finished' is not one"),
    "statuses-value": (
        _set("statuses", {"ana": "done", "bo": "later"}),
        "statuses.bo",
        "'later'",
    ),
    "crlf-with-spans": (_crlf_with_spans, "text", "changes under import normalisation"),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_a_bad_record_names_its_field_and_the_others_still_come(tmp_path: Path, case: str) -> None:
    mutate, field, words = BAD_RECORDS[case]
    bad = copy.deepcopy(native_record("bad"))
    mutate(bad)
    path = write_jsonl(tmp_path / "export.jsonl", [native_record("a"), bad, native_record("b")])

    documents, problems = _read(path)

    assert [d.external_id for d in documents] == ["a", "b"]
    (problem,) = problems
    assert (problem.path, problem.line, problem.field) == (str(path), 2, field)
    assert words in problem.reason
    assert f"{path}:2 [{field}]" in problem.describe()


def test_span_text_mismatch_message_shows_both_texts(tmp_path: Path) -> None:
    bad = native_record("bad")
    _mismatch(bad)
    path = write_jsonl(tmp_path / "export.jsonl", [bad])
    start, end = span(bad["text"], "Alina Brandt")
    (problem,) = _read(path)[1]
    assert problem.reason == (
        f"span text 'Alina Brandy' does not match text[{start}:{end}] 'Alina Brandt'"
    )


def test_crlf_text_without_spans_is_normalised(tmp_path: Path) -> None:
    record = {
        "id": "plain",
        "text": "Headline\r\nBody\r\n",
        "offsets": "codepoint",
        "status": "new",
    }
    path = write_jsonl(tmp_path / "export.jsonl", [record])
    (document,), problems = _read(path)
    assert problems == []
    assert document.text == "Headline\nBody\n"
    assert document.statuses == {None: Status.NEW}


def test_duplicate_record_ids_in_a_native_file(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "export.jsonl", [native_record("a"), native_record("b"), native_record("a")]
    )
    documents, problems = _read(path)
    assert [d.external_id for d in documents] == ["a", "b"]
    (problem,) = problems
    assert (problem.line, problem.reason) == (3, "duplicate id 'a' (first seen on line 1)")


def test_unknown_record_keys_are_kept_in_meta(tmp_path: Path) -> None:
    record = native_record()
    record["tool"] = {"name": "other-annotator", "version": 3}
    path = write_jsonl(tmp_path / "export.jsonl", [record])
    (document,), _ = _read(path)
    assert document.meta == {
        "tool": {"name": "other-annotator", "version": 3},
        "url": "https://example.org/port-strike",
    }
