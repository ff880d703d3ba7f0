"""The last check of an imported document before it may be stored: every value against the
limits of :mod:`annotator.core.limits`, and no NUL character or lone surrogate anywhere.

Each reader runs it on each record it builds, so a record that one backend would refuse (a
600-character id, a 150-character label, a NUL in a source) is refused on every backend, alone,
with its file, line and field named, and the records around it are imported. A NUL is never
text: wherever it is (the text, an id, a label, metadata), the record is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from annotator.core import limits
from annotator.core.errors import InputError
from annotator.ingest.field_names import DEFAULT_FIELDS, FieldNames
from annotator.ingest.problems import too_large
from annotator.ingest.records import ImportedDocument


def checked(document: ImportedDocument, names: FieldNames = DEFAULT_FIELDS) -> ImportedDocument:
    """``document`` if every value fits; else :class:`InputError` naming the first bad field.

    ``names`` are the document fields as the file calls them (``meta.id`` in Prodigy, the CSV
    column chosen for ids...), so that the message points at what the user can find.
    """
    check_text_size(document.text, names.text)
    check_string(document.title, names.title, None)  # cut to MAX_TITLE_CHARS when read
    if document.external_id is not None:
        check_string(document.external_id, names.id, limits.MAX_ID_CHARS)
    if document.source is not None:
        check_string(document.source, names.source, limits.MAX_SOURCE_CHARS)
    check_json(document.meta, names.meta)
    if _spans_fit(document):
        # Nearly every record: its span strings all fit, so none needs a check of its own.
        return _check_rest(document)
    for index, entity in enumerate(document.entities):
        where = entity.where or f"entities[{index}]"
        _span(where, entity.label, entity.annotator, entity.origin, entity.ref)
        check_json(entity.attributes, f"{where}.attributes")
    for index, claim in enumerate(document.claims):
        where = claim.where or f"claims[{index}]"
        _span(where, claim.label, claim.annotator, claim.origin, claim.ref)
        check_string(claim.claim_type, f"{where}.type", limits.MAX_CLAIM_TYPE_CHARS)
        check_json(claim.attributes, f"{where}.attributes")
    return _check_rest(document)


def _check_rest(document: ImportedDocument) -> ImportedDocument:
    for index, item in enumerate(document.rejected):
        where = item.get("where") or f"rejected[{index}]"
        _optional(item.get("annotator"), f"{where}.annotator", limits.MAX_ANNOTATOR_CHARS)
        _optional(item.get("label"), f"{where}.label", limits.MAX_LABEL_CHARS)
        _optional(item.get("suggester"), f"{where}.suggester", limits.MAX_SUGGESTER_CHARS)
    for index, ignored in enumerate(document.ignored):
        check_string(ignored.reason, f"ignored[{index}].reason", limits.MAX_IGNORED_REASON_CHARS)
    for name in document.statuses:
        if name is not None:
            check_string(name, "statuses", limits.MAX_ANNOTATOR_CHARS)
    return document


def _spans_fit(document: ImportedDocument) -> bool:
    """Whether every string of the document's entities and claims may be stored, checked all
    at once: none longer than the shortest span limit, no attributes, no NUL and no lone
    surrogate in them joined. False means "check each", which then names the field."""
    parts: list[str] = []
    add = parts.extend
    for entity in document.entities:
        if entity.attributes:
            return False
        add((entity.label, entity.annotator or "", entity.origin, entity.ref or ""))
    for claim in document.claims:
        if claim.attributes:
            return False
        add((claim.label, claim.annotator or "", claim.origin, claim.ref or "", claim.claim_type))
    if not parts:
        return True
    try:
        joined = "".join(parts)
    except TypeError:  # something that is not a string: the checks one by one say what
        return False
    # Looked up at each call, as every limit here: a caller (a test) may lower one.
    shortest = min(
        limits.MAX_LABEL_CHARS,
        limits.MAX_ANNOTATOR_CHARS,
        limits.MAX_ORIGIN_CHARS,
        limits.MAX_SPAN_REF_CHARS,
        limits.MAX_CLAIM_TYPE_CHARS,
    )
    if max(map(len, parts)) > shortest or "\x00" in joined:
        return False
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_annotator_name(name: str, field: str = "annotator") -> None:
    """An annotator name given for a whole import: the same limits as one in a file."""
    check_string(name, field, limits.MAX_ANNOTATOR_CHARS)


def check_text_size(text: str, field: str) -> None:
    limit = limits.MAX_FILE_BYTES
    # A code point is at most 4 bytes of UTF-8: only a long text pays for encoding.
    if len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit:
        size = len(text.encode("utf-8", "surrogatepass"))
        raise InputError(too_large("text", size, limit), field=field)
    check_string(text, field, None)


def check_string(value: str, field: str, max_chars: int | None) -> None:
    """No NUL, no lone surrogate (neither can be stored), and at most ``max_chars``."""
    at = value.find("\x00")
    if at >= 0:
        raise InputError(
            f"contains a NUL character (at character {at}); a NUL is never text, so the "
            "record is not imported",
            field=field,
        )
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                f"contains a lone surrogate U+{ord(value[exc.start]):04X} at character {exc.start}",
                field=field,
            ) from None
    if max_chars is not None:
        reason = limits.over_limit(value, max_chars)
        if reason is not None:
            raise InputError(reason, field=field)


def check_json(value: Any, field: str) -> None:
    """Every key and string inside a JSON value (metadata, attributes) may be stored."""
    if not value:
        return
    if isinstance(value, dict):
        # Nearly every record: its metadata is written as JSON in one call, in C, which
        # refuses a lone surrogate and escapes a NUL. Only what fails (or looks like a NUL:
        # a written backslash followed by "u0000" does too) is walked to name the field.
        try:
            if b"\\u0000" not in orjson.dumps(value):
                return
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    for where, text in _strings(value, field):
        check_string(text, where, None)


def _span(where: str, label: str, annotator: str | None, origin: str, ref: str | None) -> None:
    check_string(label, f"{where}.label", limits.MAX_LABEL_CHARS)
    _optional(annotator, f"{where}.annotator", limits.MAX_ANNOTATOR_CHARS)
    check_string(origin, f"{where}.origin", limits.MAX_ORIGIN_CHARS)
    _optional(ref, f"{where}.id", limits.MAX_SPAN_REF_CHARS)


def _optional(value: Any, field: str, max_chars: int) -> None:
    if isinstance(value, str):
        check_string(value, field, max_chars)


def _strings(value: Any, field: str) -> Iterator[tuple[str, str]]:
    """``(field path, string)`` of every key and string value, without recursion (a file may
    nest as deep as the JSON parser allows)."""
    stack: list[tuple[str, Any]] = [(field, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, Mapping):
            for key, child in item.items():
                path = f"{where}.{key}"
                if isinstance(key, str):
                    yield path, key
                stack.append((path, child))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{index}]", child) for index, child in enumerate(item))
