"""Which keys (JSONL) or columns (CSV) hold a plain record's fields: configurable per import."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldNames:
    """Names of the fields a plain JSONL object or CSV row is read from.

    Only ``text`` is required in a record; everything else falls back (title: the first
    non-empty line of the text; id, source: none; meta: empty).
    """

    text: str = "text"
    title: str = "title"
    id: str = "id"
    source: str = "source"
    meta: str = "meta"

    def names(self) -> tuple[str, ...]:
        return (self.text, self.title, self.id, self.source, self.meta)


#: The field names used when an import does not choose its own.
DEFAULT_FIELDS = FieldNames()
