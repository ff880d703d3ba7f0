"""The one-pass reading of clean span lists (annotator/ingest/native_clean.py) accepts only
what the field-by-field checks accept, and reads it into the same values; anything else is
left to those checks, whose messages name the field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.ingest.native import _SpanReader, parse_native
from annotator.ingest.native_clean import clean_claims, clean_entities

TEXT = "Mayor 𝔑𝔬𝔳𝔞𝔨 said 300 homes lost power.\n"

#: Per field: values the checks accept (empty ids and names included), then values a file
#: may hold anyway. A span is drawn from good values, with now and then one field bad.
GOOD: dict[str, list[Any]] = {
    "id": [None, "", "e1", "e2", "c1", 1, 2],
    "label": ["ORG", "CLAIM", "\tX"],
    "annotator": [None, "", "ana", "bo"],
    "origin": [None, "", "manual", "suggested:rules", "suggested:x"],
    "attributes": [None, {}, {"value": 300}],
    "claimant": [None, "", "e1", 1],
    "type": [None, "other", "quantity"],
    "hedged": [None, True, False],
}
BAD: dict[str, list[Any]] = {
    "id": [2.5, True, ["e1"]],
    "label": [None, "", " ", 5, False, ["ORG"]],
    "annotator": [7, True, ["x"], {"a": 1}],
    "origin": ["suggested:", "suggested", "robot", 3, True],
    "attributes": [[], "x", 0],
    "claimant": ["e9", 2, 2.5, True],
    "type": ["rumour", "", 1, ["other"]],
    "hedged": [0, 1, "yes"],
    "start": [None, True, 1.0, "3", -1, 99],
    "end": [None, False, 5.0, 99, 0],
    "text": ["Mayo", "", 3],
    "cue": [[1, 2], "x", {}, {"start": 3, "end": 2}, {"start": 3, "end": 99}, {"start": 1}],
}
ENTITY_KEYS = ["id", "label", "annotator", "origin", "attributes"]
CLAIM_KEYS = ["id", "annotator", "origin", "attributes", "claimant", "type", "hedged"]


@st.composite
def span_items(draw: st.DrawFn, claim: bool) -> Any:
    keys = CLAIM_KEYS if claim else ENTITY_KEYS
    start = draw(st.integers(0, len(TEXT) - 1))
    end = draw(st.integers(start + 1, len(TEXT)))
    item: dict[str, Any] = {"start": start, "end": end}
    for key in keys:
        if draw(st.booleans()):
            item[key] = draw(st.sampled_from(GOOD[key]))
    if not claim and "label" not in item:
        item["label"] = "ORG"
    if draw(st.booleans()):
        item["text"] = TEXT[start:end]
    if claim and draw(st.booleans()):
        cue_start = draw(st.integers(0, len(TEXT) - 1))
        item["cue"] = {"start": cue_start, "end": draw(st.integers(cue_start + 1, len(TEXT)))}
    # Half the time one field is spoilt (or dropped), now and then the item is no object.
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(set(BAD) & {*keys, "start", "end", "text", "cue"})))
        if key == "cue" and not claim:
            key = "text"
        if draw(st.integers(0, 5)) == 0:
            item.pop(key, None)
        else:
            item[key] = draw(st.sampled_from(BAD[key]))
            if key == "end" and draw(st.booleans()):
                item["end"] = start  # empty
    return draw(st.sampled_from(["ORG", 3, None])) if draw(st.integers(0, 30)) == 0 else item


span_lists = st.one_of(
    st.lists(span_items(claim=False), max_size=4), st.sampled_from([None, {}, "x", 3])
)
claim_lists = st.one_of(
    st.lists(span_items(claim=True), max_size=3), st.sampled_from([None, {}, "x"])
)


def _detailed(read: Any) -> Any:
    try:
        return read()
    except InputError as exc:
        return exc


@settings(max_examples=600, deadline=None)
@given(items=span_lists, annotator=st.sampled_from([None, "lead"]))
def test_entities_read_clean_are_read_the_same_as_field_by_field(
    items: Any, annotator: str | None
) -> None:
    expected = _detailed(lambda: _SpanReader(TEXT, annotator).entities(items))
    got = clean_entities(items, TEXT, annotator)
    if isinstance(expected, InputError):
        assert got is None, expected
    else:
        # Every list the checks accept is clean: the one-pass reading takes it.
        assert got == expected


@settings(max_examples=600, deadline=None)
@given(
    items=claim_lists,
    annotator=st.sampled_from([None, "lead"]),
    refs=st.sampled_from([set(), {"e1"}, {"e1", "1"}]),
)
def test_claims_read_clean_are_read_the_same_as_field_by_field(
    items: Any, annotator: str | None, refs: set[str]
) -> None:
    expected = _detailed(lambda: _SpanReader(TEXT, annotator).claims(items, refs))
    got = clean_claims(items, TEXT, annotator, refs)
    if isinstance(expected, InputError):
        assert got is None, expected
    else:
        # Every list the checks accept is clean: the one-pass reading takes it.
        assert got == expected


def test_a_clean_record_is_read_in_one_pass() -> None:
    """The fast path is taken for what files nearly always hold (else it would be dead code
    that the equivalence tests above could not tell from a working one)."""
    entities = [
        {"id": "e1", "start": 0, "end": 5, "label": "ORG", "text": "Mayor"},
        {"id": 2, "start": 6, "end": 11, "label": "PERSON", "annotator": "bo", "origin": ""},
    ]
    claims = [
        {
            "start": 17,
            "end": 38,
            "claimant": "e1",
            "cue": {"start": 12, "end": 16},
            "type": "quantity",
            "hedged": True,
            "origin": "suggested:rules",
            "attributes": {"value": 300},
        }
    ]
    read = clean_entities(entities, TEXT, "ana")
    assert read is not None
    assert [(e.ref, e.annotator, e.origin, e.where) for e in read] == [
        ("e1", "ana", "manual", "entities[0]"),
        ("2", "bo", "manual", "entities[1]"),
    ]
    (claim,) = clean_claims(claims, TEXT, "ana", {"e1", "2"}) or ()
    assert (claim.claimant, claim.cue, claim.claim_type, claim.hedged, claim.label) == (
        "e1",
        (12, 16),
        "quantity",
        True,
        "CLAIM",
    )


@pytest.mark.parametrize(
    ("entity", "field", "reason"),
    [
        ({"start": 0, "end": 5, "label": "ORG", "text": "Mayo"}, "entities[1].text", "span text"),
        ({"start": 0, "end": 5, "label": ""}, "entities[1].label", "label must be"),
        ({"start": 0, "end": 99, "label": "ORG"}, "entities[1].end", "past the end"),
        ({"id": "e1", "start": 0, "end": 5, "label": "ORG"}, "entities[1].id", "duplicate id"),
    ],
)
def test_a_record_that_is_not_clean_still_names_its_field(
    entity: dict[str, Any], field: str, reason: str
) -> None:
    good = {"id": "e1", "start": 0, "end": 5, "label": "ORG"}
    record = {"text": TEXT, "entities": [good, entity]}
    with pytest.raises(InputError) as caught:
        parse_native(record, path="in.jsonl", line=3)
    assert caught.value.field == field
    assert reason in caught.value.reason
