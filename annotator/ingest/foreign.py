"""What the readers of other tools' formats (Prodigy, doccano, Label Studio, brat) share.

Each reader turns its file's regions and relations into :class:`Region` and :class:`Link`
values; :func:`annotations` turns those into our entities and claims with one set of rules, so
that a file reads the same whatever tool wrote it:

* a region labelled ``CLAIM`` is a claim (``claim_type``/``hedged`` from the region, else
  ``other``/false), one labelled ``CUE`` is a cue, any other is an entity;
* a link ``Claimant`` joins a claim to its claimant entity, ``Cue`` a claim to its cue region
  (either direction; names compared without case); other links are reported and ignored, as
  is a cue that no claim points at;
* offsets are code points into the text after import normalisation: a record whose text
  normalisation changes (CRLF, non-NFC) while it carries regions is refused, as for native
  JSONL, because its offsets were counted in a text that will not be stored.

Annotations from another tool are finished work there, so a record with annotations gets the
status done (for the record's annotator, else the importing one); each reader says when else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from annotator.core.errors import InputError, OffsetError
from annotator.core.model import CLAIM_TYPES, MANUAL
from annotator.ingest.records import ImportedClaim, ImportedEntity
from annotator.ingest.values import shorten, type_name

CLAIM_LABEL = "CLAIM"
CUE_LABEL = "CUE"
CLAIMANT = "claimant"
CUE = "cue"
#: Keys our own exports put in a record's metadata; the rest is the document's ``meta``.
OWN_META = frozenset({"id", "title", "source", "annotator", "offsets", "document_id", "status"})


@dataclass(frozen=True, slots=True)
class Region:
    """A labelled range from the file; ``key`` is its id there (for links), ``field`` where it
    is, for messages."""

    key: str
    start: int
    end: int
    label: str
    field: str
    claim_type: str | None = None
    hedged: bool | None = None
    origin: str = MANUAL


@dataclass(frozen=True, slots=True)
class Link:
    kind: str
    head: str
    child: str
    field: str


def offsets(item: Mapping[str, Any], start_key: str, end_key: str, field: str) -> tuple[int, int]:
    """Two integer offsets (``bool`` is not one), or :class:`OffsetError` naming the field."""
    start, end = item.get(start_key), item.get(end_key)
    for key, value in ((start_key, start), (end_key, end)):
        if type(value) is not int:
            what = "is missing" if value is None else f"must be an integer, got {type_name(value)}"
            raise OffsetError(what, field=f"{field}.{key}")
    assert isinstance(start, int) and isinstance(end, int)
    return start, end


def check_text_unchanged(raw: str, text: str, has_regions: bool, field: str = "text") -> None:
    if raw != text and has_regions:
        raise OffsetError(
            "the text changes under import normalisation (CRLF or CR line breaks, or characters "
            "not in Unicode NFC), so offsets counted in it would point at the wrong characters; "
            "normalise the text (LF line breaks, NFC) and recount the offsets before importing",
            field=field,
        )


def claim_type(value: Any, field: str) -> str:
    if value is None:
        return "other"
    if value not in CLAIM_TYPES:
        raise InputError(
            f"claim type {shorten(str(value))!r} is not one of {', '.join(CLAIM_TYPES)}",
            field=field,
        )
    return str(value)


def flag(value: Any, field: str) -> bool:
    """``true``/``false``, or the strings Label Studio choices and brat values hold."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.lower() in ("true", "yes", "1")
    raise InputError(f"must be true or false, got {shorten(repr(value))}", field=field)


def annotations(
    text: str,
    regions: Iterable[Region],
    links: Iterable[Link],
    *,
    annotator: str | None,
) -> tuple[tuple[ImportedEntity, ...], tuple[ImportedClaim, ...], list[str]]:
    """Entities, claims and warnings (ignored links, unattached cues) from a record's regions."""
    by_key: dict[str, Region] = {}
    for region in regions:
        _check_range(text, region)
        if not region.label.strip():
            raise InputError("label must be a non-empty string", field=f"{region.field}.label")
        if region.key in by_key:
            raise InputError(f"id {region.key!r} is used twice", field=region.field)
        by_key[region.key] = region
    warnings: list[str] = []
    claimant_of: dict[str, str] = {}
    cue_of: dict[str, Region] = {}
    for link in links:
        kind = link.kind.casefold()
        head, child = by_key.get(link.head), by_key.get(link.child)
        if head is None or child is None:
            raise InputError(
                f"links {link.head!r} and {link.child!r}, which are not both regions of this "
                "record",
                field=link.field,
            )
        if child.label == CLAIM_LABEL and head.label != CLAIM_LABEL:
            head, child = child, head  # written from the entity's side
        if kind not in (CLAIMANT, CUE) or head.label != CLAIM_LABEL:
            warnings.append(
                f"{link.field}: link {link.kind!r} is not Claimant or Cue from a claim; ignored"
            )
            continue
        if kind == CLAIMANT:
            if child.label in (CLAIM_LABEL, CUE_LABEL):
                raise InputError("a claimant must be an entity", field=link.field)
            if head.key in claimant_of:
                raise InputError(f"claim {head.key!r} has two claimants", field=link.field)
            claimant_of[head.key] = child.key
        else:
            if head.key in cue_of:
                raise InputError(f"claim {head.key!r} has two cues", field=link.field)
            cue_of[head.key] = child
    cues_used = {region.key for region in cue_of.values()}
    entities = []
    claims = []
    for region in by_key.values():
        if region.label == CUE_LABEL:
            if region.key not in cues_used:
                warnings.append(f"{region.field}: a CUE that no claim links to; ignored")
            continue
        if region.label == CLAIM_LABEL:
            cue = cue_of.get(region.key)
            claims.append(
                ImportedClaim(
                    ref=region.key,
                    start=region.start,
                    end=region.end,
                    claimant=claimant_of.get(region.key),
                    cue=None if cue is None else (cue.start, cue.end),
                    claim_type=claim_type(region.claim_type, f"{region.field}.claim_type"),
                    hedged=bool(region.hedged),
                    annotator=annotator,
                    origin=region.origin,
                    label=CLAIM_LABEL,
                    where=region.field,
                )
            )
        else:
            entities.append(
                ImportedEntity(
                    ref=region.key,
                    start=region.start,
                    end=region.end,
                    label=region.label,
                    annotator=annotator,
                    origin=region.origin,
                    where=region.field,
                )
            )
    return tuple(entities), tuple(claims), warnings


def _check_range(text: str, region: Region) -> None:
    if region.start < 0:
        raise OffsetError(f"start {region.start} is negative", field=region.field)
    if region.end > len(text):
        raise OffsetError(
            f"end {region.end} is past the end of the text ({len(text)} characters)",
            field=region.field,
        )
    if region.start >= region.end:
        raise OffsetError(
            f"start {region.start} must be less than end {region.end}", field=region.field
        )


def document_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """A record's metadata without the keys our exports add (they become fields again)."""
    return {key: value for key, value in meta.items() if key not in OWN_META}
