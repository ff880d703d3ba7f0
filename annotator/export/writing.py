"""What every format's writer shares: the export context, label ids, the writer protocol."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from annotator.core.claim_groups import EntityFinder
from annotator.core.schema import LabelSchema, default_schema
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument
from annotator.export.problems import ProblemLog
from annotator.export.read_back import BuiltCheck

#: Written into every export that has a place for it (docs/ARCHITECTURE.md, "The offset contract").
OFFSETS = "codepoint"
#: Label of cue spans in formats where a cue has to be a span of its own.
CUE_LABEL = "CUE"
#: Relation labels, claim -> entity and claim -> cue.
CLAIMANT_RELATION = "Claimant"
CUE_RELATION = "Cue"

_BUFFER = 1 << 20


@dataclass
class LabelIds:
    """IOB2 tag names and their ids, shared by every split of an export so that ids agree.

    Starts from the schema's labels in schema order; a label met in the data but not in the
    schema is appended (ids already given never change).
    """

    names: list[str] = field(default_factory=lambda: ["O"])
    ids: dict[str, int] = field(default_factory=lambda: {"O": 0})

    def add(self, label: str) -> None:
        if f"B-{label}" not in self.ids:
            for tag in (f"B-{label}", f"I-{label}"):
                self.ids[tag] = len(self.names)
                self.names.append(tag)

    def id(self, tag: str) -> int:
        found = self.ids.get(tag)
        if found is None:
            self.add(tag[2:])
            found = self.ids[tag]
        return found

    def ids_of(self, tags: Sequence[str]) -> list[int]:
        """:meth:`id` of each tag; looked up in C once every tag is known. New labels get
        their ids in the order they first appear, as with :meth:`id`."""
        try:
            return list(map(self.ids.__getitem__, tags))
        except KeyError:
            pass  # a tag met for the first time: below, in order
        for tag in dict.fromkeys(tags):
            if tag not in self.ids:
                self.id(tag)
        return list(map(self.ids.__getitem__, tags))


@dataclass
class ExportContext:
    """Shared by the writers of one export."""

    problems: ProblemLog = field(default_factory=ProblemLog)
    schema: LabelSchema = field(default_factory=default_schema)
    include_suggestions: bool = False
    entity_tags: LabelIds = field(default_factory=LabelIds)
    claim_tags: LabelIds = field(default_factory=LabelIds)
    #: Labels met in the data, for formats that declare them at the end (brat's conf).
    entity_labels: set[str] = field(default_factory=set)
    claim_labels: set[str] = field(default_factory=set)
    #: Anything a format wants recorded in the manifest (brat's renamed files).
    notes: dict[str, object] = field(default_factory=dict)
    #: File names given to documents (lower case), across all splits: brat's ``"renamed"``
    #: note maps a name to one id, so a name is never used twice in one export.
    file_stems: set[str] = field(default_factory=set)
    #: Finds the project's known entities in a claim's text (claim groups: the claimreview
    #: format); set by the export service, ``None`` where only entity spans count.
    find_entities: EntityFinder | None = None
    #: What the token formats' writers built, tested as they build it (their cheap
    #: read-back, :mod:`annotator.export.read_back`).
    built: BuiltCheck = field(default_factory=BuiltCheck)

    def __post_init__(self) -> None:
        for name in self.schema.entity_names:
            self.entity_tags.add(name)
        self.claim_tags.add(self.schema.claim_label)


class Writer(Protocol):
    """Writes one split of one export; ``tokens`` is given when the format needs tokens."""

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None: ...

    def close(self) -> None: ...


def open_output(path: Path) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("wb", buffering=_BUFFER)


def close_output(handle: BinaryIO) -> None:
    """Flush and fsync before the export is renamed into place: a crash right after the
    rename must not leave an empty file under the final name."""
    try:
        handle.flush()
        os.fsync(handle.fileno())
    finally:
        # Closed even when the flush fails (a full disk): an open handle would keep the
        # removed partial file's space, and its disk busy, until the garbage collector ran.
        handle.close()
