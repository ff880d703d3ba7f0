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
from annotator.ingest.records import NO_ATTRIBUTES, ImportedClaim, ImportedEntity

_SUGGESTED = "suggested:"
#: Where each of the first spans of a list is, made once: the records of a file share them.
_PLACES = 256
_ENTITY_PLACES = tuple(f"entities[{index}]" for index in range(_PLACES))
_CLAIM_PLACES = tuple(f"claims[{index}]" for index in range(_PLACES))
#: Builds a span's tuple without the Python-level ``__new__`` of a NamedTuple (all fields
#: given, in order).
_new = tuple.__new__

# The checks are written out in each loop rather than called: a call per field of each span
# was a third of the cost of reading a clean record. Each reads a value as the detailed
# check of the same field does (named in the comment); anything else returns ``None``.


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
    append = result.append
    for index, item in enumerate(items):
        if type(item) is not dict:
            return None
        get = item.get
        ref = get("id")  # record_id, and unique in the list
        if ref is not None:
            if type(ref) is str:
                ref = ref or None
            elif type(ref) is int:
                ref = str(ref)
            else:
                return None
            if ref is not None:
                if ref in seen:
                    return None
                seen.add(ref)
        start, end = get("start"), get("end")  # integers, inside the text, in order
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
            return None
        given = get("text")  # the span's own text, when given, is the text's
        if given is not None and given != text[start:end]:
            return None
        label = get("label")  # a string with more than blanks
        if type(label) is not str or not label.strip():
            return None
        name = get("annotator")  # optional_str, else the record's
        if name is None:
            name = annotator
        elif type(name) is not str:
            return None
        elif not name:
            name = annotator
        origin = get("origin")  # manual, or suggested: and a name
        if origin is None or origin == "":
            origin = MANUAL
        elif type(origin) is not str or not (
            origin == MANUAL or (origin.startswith(_SUGGESTED) and len(origin) > len(_SUGGESTED))
        ):
            return None
        attributes = get("attributes")  # meta_object (none: the shared empty mapping)
        if attributes is None:
            attributes = NO_ATTRIBUTES
        elif type(attributes) is not dict:
            return None
        append(
            _new(
                ImportedEntity,
                (
                    ref,
                    start,
                    end,
                    label,
                    name,
                    origin,
                    attributes,
                    _ENTITY_PLACES[index] if index < _PLACES else f"entities[{index}]",
                    None,
                ),
            )
        )
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
    append = result.append
    for index, item in enumerate(items):
        if type(item) is not dict:
            return None
        get = item.get
        ref = get("id")  # as for entities
        if ref is not None:
            if type(ref) is str:
                ref = ref or None
            elif type(ref) is int:
                ref = str(ref)
            else:
                return None
            if ref is not None:
                if ref in seen:
                    return None
                seen.add(ref)
        start, end = get("start"), get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
            return None
        given = get("text")
        if given is not None and given != text[start:end]:
            return None
        claimant = get("claimant")  # record_id of an entity of the record
        if claimant is not None:
            if type(claimant) is str:
                claimant = claimant or None
            elif type(claimant) is int:
                claimant = str(claimant)
            else:
                return None
            if claimant is not None and claimant not in entity_refs:
                return None
        cue = get("cue")  # an object with offsets as a span's
        if cue is not None:
            if type(cue) is not dict:
                return None
            cue_start, cue_end = cue.get("start"), cue.get("end")
            if (
                type(cue_start) is not int
                or type(cue_end) is not int
                or not 0 <= cue_start < cue_end <= length
            ):
                return None
            cue = (cue_start, cue_end)
        claim_type = get("type")  # one of CLAIM_TYPES, ``other`` when missing
        if claim_type is None:
            claim_type = "other"
        elif type(claim_type) is not str or claim_type not in CLAIM_TYPES:
            return None
        hedged = get("hedged")  # true or false, false when missing
        if hedged is None:
            hedged = False
        elif type(hedged) is not bool:
            return None
        name = get("annotator")
        if name is None:
            name = annotator
        elif type(name) is not str:
            return None
        elif not name:
            name = annotator
        origin = get("origin")
        if origin is None or origin == "":
            origin = MANUAL
        elif type(origin) is not str or not (
            origin == MANUAL or (origin.startswith(_SUGGESTED) and len(origin) > len(_SUGGESTED))
        ):
            return None
        label = get("label")  # ``CLAIM`` when missing, else as an entity's
        if label is None:
            label = "CLAIM"
        elif type(label) is not str or not label.strip():
            return None
        attributes = get("attributes")
        if attributes is None:
            attributes = NO_ATTRIBUTES
        elif type(attributes) is not dict:
            return None
        append(
            _new(
                ImportedClaim,
                (
                    ref,
                    start,
                    end,
                    claimant,
                    cue,
                    claim_type,
                    hedged,
                    name,
                    origin,
                    label,
                    attributes,
                    _CLAIM_PLACES[index] if index < _PLACES else f"claims[{index}]",
                ),
            )
        )
    return tuple(result)
