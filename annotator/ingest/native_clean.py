"""The span lists of a clean native record, read in one pass without per-field checks.

Nearly every record of a native file is clean: its offsets are integers inside the text, its
span texts match, its labels, ids, annotators and origins are what they should be. Checking
each field through its own function (which builds the field's name for a message that is never
shown) was most of the cost of reading such a record. Here each span list is read in one loop
of plain comparisons; the first value that is anything but clean makes the reader return
``None``, and :mod:`annotator.ingest.native` then reads the list again with the detailed
checks, which raise the message naming file, line and field (``entities[2].label``). So a value
is accepted here only where the detailed checks accept it, and read into the same value:
``tests/ingest/test_native_clean.py`` holds the two readers to that.
"""

from __future__ import annotations

from typing import Any

from annotator.core.model import CLAIM_TYPES, MANUAL
from annotator.ingest.records import ImportedClaim, ImportedEntity

_SUGGESTED = "suggested:"


def clean_entities(
    items: Any, text: str, annotator: str | None
) -> tuple[ImportedEntity, ...] | None:
    """The entities of ``items`` (a record's ``entities``), or ``None``: read them field by
    field."""
    if items is None:
        return ()
    if type(items) is not list:
        return None
    length = len(text)
    seen: set[str] = set()
    result: list[ImportedEntity] = []
    try:
        for index, item in enumerate(items):
            if type(item) is not dict:
                return None
            get = item.get
            ref = _ref(get("id"), seen)
            start, end = _offsets(item, length)
            given = get("text")
            if given is not None and given != text[start:end]:
                return None
            result.append(
                ImportedEntity(
                    ref,
                    start,
                    end,
                    _label(get("label")),
                    _name(get("annotator"), annotator),
                    _origin(get("origin")),
                    _attributes(get("attributes")),
                    f"entities[{index}]",
                )
            )
    except _NotClean:
        return None
    return tuple(result)


def clean_claims(
    items: Any, text: str, annotator: str | None, entity_refs: set[str]
) -> tuple[ImportedClaim, ...] | None:
    """The claims of ``items`` (a record's ``claims``), or ``None``: read them field by
    field."""
    if items is None:
        return ()
    if type(items) is not list:
        return None
    length = len(text)
    seen: set[str] = set()
    result: list[ImportedClaim] = []
    try:
        for index, item in enumerate(items):
            if type(item) is not dict:
                return None
            get = item.get
            ref = _ref(get("id"), seen)
            start, end = _offsets(item, length)
            given = get("text")
            if given is not None and given != text[start:end]:
                return None
            claimant = _id(get("claimant"))
            if claimant is not None and claimant not in entity_refs:
                return None
            cue = get("cue")
            if cue is not None:
                if type(cue) is not dict:
                    return None
                cue = _offsets(cue, length)
            claim_type = get("type")
            if claim_type is None:
                claim_type = "other"
            elif type(claim_type) is not str or claim_type not in CLAIM_TYPES:
                return None
            hedged = get("hedged")
            if hedged is None:
                hedged = False
            elif type(hedged) is not bool:
                return None
            label = get("label")
            result.append(
                ImportedClaim(
                    ref,
                    start,
                    end,
                    claimant,
                    cue,
                    claim_type,
                    hedged,
                    _name(get("annotator"), annotator),
                    _origin(get("origin")),
                    "CLAIM" if label is None else _label(label),
                    _attributes(get("attributes")),
                    f"claims[{index}]",
                )
            )
    except _NotClean:
        return None
    return tuple(result)


class _NotClean(Exception):
    """A value the detailed checks must look at (raised and caught here only)."""


def _offsets(item: dict[str, Any], length: int) -> tuple[int, int]:
    start, end = item.get("start"), item.get("end")
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
        raise _NotClean
    return start, end


def _label(value: Any) -> str:
    if type(value) is not str or not value.strip():
        raise _NotClean
    return value


def _ref(value: Any, seen: set[str]) -> str | None:
    """An id as ``record_id`` reads it, not already in ``seen`` (and added to it)."""
    ref = _id(value)
    if ref is not None:
        if ref in seen:
            raise _NotClean
        seen.add(ref)
    return ref


def _id(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is str:
        return value or None
    if type(value) is int:
        return str(value)
    raise _NotClean


def _name(value: Any, default: str | None) -> str | None:
    """A span's own annotator as ``optional_str`` reads it, else the record's."""
    if value is None:
        return default
    if type(value) is not str:
        raise _NotClean
    return value or default


def _origin(value: Any) -> str:
    """A span's origin, ``manual`` when missing."""
    if value is None or value == "":
        return MANUAL
    if type(value) is str and (
        value == MANUAL or (value.startswith(_SUGGESTED) and len(value) > len(_SUGGESTED))
    ):
        return value
    raise _NotClean


def _attributes(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if type(value) is not dict:
        raise _NotClean
    return value
