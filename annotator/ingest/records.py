"""What every importer yields: documents ready to store, or problems that name their place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from annotator.core.model import IgnoredRange, Status

#: The attributes of a span that has none: read-only, so that every such span may share it.
NO_ATTRIBUTES: Mapping[str, Any] = MappingProxyType({})


class ImportedEntity(NamedTuple):
    """An entity of an imported record. Immutable like a frozen dataclass, but a tuple: an
    import builds ten of these per document, and a tuple is several times cheaper to build
    (docs/adr/0030-native-import-rows.md)."""

    ref: str | None
    start: int
    end: int
    label: str
    annotator: str | None = None
    origin: str = "manual"
    attributes: Mapping[str, Any] = NO_ATTRIBUTES
    #: Where it is in its record (``entities[2]``, ``spans[0]``...), for messages.
    where: str = ""
    #: What claims cite it by, when that is not ``ref`` (a merged project's span: ``ref`` is
    #: its id from an earlier file, kept for round trips, which need not be unique).
    link: str | None = None

    @property
    def cited_as(self) -> str | None:
        return self.link if self.link is not None else self.ref


class ImportedClaim(NamedTuple):
    """A claim of an imported record (a tuple, as :class:`ImportedEntity`)."""

    ref: str | None
    start: int
    end: int
    #: ``ref`` of an entity of the same record, or ``None`` (unattributed).
    claimant: str | None = None
    cue: tuple[int, int] | None = None
    claim_type: str = "other"
    hedged: bool = False
    annotator: str | None = None
    origin: str = "manual"
    label: str = "CLAIM"
    attributes: Mapping[str, Any] = NO_ATTRIBUTES
    #: Where it is in its record, for messages.
    where: str = ""


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """One document, its text already normalised (docs/adr/0004-text-normalised-once.md)."""

    text: str
    title: str
    external_id: str | None = None
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    entities: tuple[ImportedEntity, ...] = ()
    claims: tuple[ImportedClaim, ...] = ()
    #: ``(annotator or None, start, end, label, layer)`` decisions to keep as rejections.
    rejected: tuple[dict[str, Any], ...] = ()
    ignored: tuple[IgnoredRange, ...] = ()
    #: Per-annotator status; the key ``None`` means "the importing annotator".
    statuses: dict[str | None, Status] = field(default_factory=dict)
    #: Per-annotator time spent on the document, in seconds (same keys as ``statuses``).
    seconds: dict[str | None, float] = field(default_factory=dict)
    #: Where it came from, for messages: ``path`` or ``path:line``.
    origin: str = ""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A file or record that was not imported, and why. ``severity`` is error or warning."""

    path: str
    reason: str
    line: int | None = None
    field: str | None = None
    severity: str = "error"

    def describe(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.reason}"
