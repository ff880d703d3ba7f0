"""``checked`` over records with many spans: the spans are checked all at once, and a bad one
among good ones is still refused with its own field named."""

from __future__ import annotations

import pytest

from annotator.core import limits
from annotator.core.errors import InputError
from annotator.ingest.record_checks import checked
from annotator.ingest.records import ImportedClaim, ImportedDocument, ImportedEntity

TEXT = "Mayor Petra Novak said 300 homes in Valmora lost power on Sunday."


def _document(**bad: str) -> ImportedDocument:
    """Five entities and two claims; ``bad`` replaces fields of the third entity."""
    entities = [
        ImportedEntity(f"T{i}", i, i + 3, "GPE", "ana", where=f"entities[{i}]") for i in range(5)
    ]
    entities[2] = entities[2]._replace(**bad)
    claims = [ImportedClaim(f"C{i}", 20, 40, claimant="T0", where=f"claims[{i}]") for i in range(2)]
    return ImportedDocument(
        text=TEXT, title="Mayor", entities=tuple(entities), claims=tuple(claims)
    )


def test_good_spans_pass() -> None:
    document = _document()
    assert checked(document) is document
    assert checked(_document(label="ÖRG", annotator="zoë")).entities[2].label == "ÖRG"


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"label": "G\x00PE"}, "entities[2].label", "NUL"),
        ({"annotator": "an\ud800a"}, "entities[2].annotator", r"lone surrogate U\+D800"),
        ({"ref": "x" * 201}, "entities[2].id", "201 characters"),
        ({"label": "L" * 101}, "entities[2].label", "101 characters"),
    ],
    ids=["nul", "surrogate", "long-id", "long-label"],
)
def test_a_bad_span_among_good_ones_is_named(bad: dict[str, str], field: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as caught:
        checked(_document(**bad))
    assert caught.value.field == field


def test_a_lowered_limit_applies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits are read at each call: a label within the usual limit but over a lowered one."""
    monkeypatch.setattr(limits, "MAX_LABEL_CHARS", 3)
    with pytest.raises(InputError, match="4 characters") as caught:
        checked(_document(label="LONG"))
    assert caught.value.field == "entities[2].label"


@pytest.mark.parametrize(
    ("meta", "field", "words"),
    [
        ({"a": [1, {"deep": "x\x00y"}]}, "meta.a[1].deep", "NUL"),
        ({"a": {"b\x00": 1}}, "meta.a.b\x00", "NUL"),
        ({"a": ["ok", "lone \ud800"]}, "meta.a[1]", "surrogate"),
        ({"\udc80": "key"}, "meta.\udc80", "surrogate"),
        # Keys orjson does not write (an int) or numbers it cannot: the walk still checks.
        ({1: "x\x00", "n": 2**70}, "meta.1", "NUL"),
    ],
)
def test_bad_metadata_is_named_at_any_depth(meta: dict, field: str, words: str) -> None:
    document = ImportedDocument(text=TEXT, title="Mayor", meta=meta)
    with pytest.raises(InputError, match=words) as caught:
        checked(document)
    assert caught.value.field == field


def test_metadata_that_only_looks_like_a_nul_passes() -> None:
    # A backslash and "u0000" written out: text, not a NUL character.
    meta = {"note": "\\u0000 is how JSON writes a NUL", "n": 2**70, "deep": [[{"a": "ü 😀"}]]}
    assert checked(ImportedDocument(text=TEXT, title="Mayor", meta=meta)).meta == meta
