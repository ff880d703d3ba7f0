"""Document ids that are unique in a project by construction.

Every document has an id (``external_id``): the one its file gave, or, for a record without
one, an id made from the SHA-256 of its text: ``sha256-`` and the first 16 hex digits. Texts
are unique in a project (a second copy is a duplicate), so made ids do not clash with each
other, never look like a database row number, and the same text gets the same id in every
project, so exports of two annotators' projects line up. Should a file have given that very
string to another document, the made id takes more digits (and, past all 64, a counter).
A given id that is already taken is refused per record, never merged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PREFIX = "sha256-"
SHORT_DIGITS = 16


def candidates(sha256_hex: str) -> list[str]:
    """The ids a text with this digest may get, in order of preference."""
    return [PREFIX + sha256_hex[:SHORT_DIGITS], PREFIX + sha256_hex]


def made_id(sha256_hex: str, taken: Callable[[str], bool]) -> str:
    """The first candidate id for the digest that ``taken`` says is free."""
    for candidate in candidates(sha256_hex):
        if not taken(candidate):
            return candidate
    counter = 2
    while taken(f"{PREFIX}{sha256_hex}-{counter}"):
        counter += 1
    return f"{PREFIX}{sha256_hex}-{counter}"


def fill_missing_ids(
    rows: Iterable[dict], existing: Callable[[Iterable[str]], Iterable[str]]
) -> list[dict]:
    """``rows`` (dicts with ``sha256`` and maybe ``external_id``) with every missing id made.

    ``existing(ids)`` returns those of ``ids`` already used in the project; the ids given in
    ``rows`` count as taken too.
    """
    rows = list(rows)
    missing = [row for row in rows if not row.get("external_id")]
    if not missing:
        return rows
    taken = {row["external_id"] for row in rows if row.get("external_id")}
    asked = {c for row in missing for c in candidates(row["sha256"])}
    taken.update(existing(asked))

    def is_taken(candidate: str) -> bool:
        # Only a counted id (both candidates taken: someone gave them) is asked on its own.
        if candidate in taken:
            return True
        return candidate not in asked and any(True for _ in existing([candidate]))

    filled = []
    for row in rows:
        if not row.get("external_id"):
            made = made_id(row["sha256"], is_taken)
            taken.add(made)
            row = {**row, "external_id": made}
        filled.append(row)
    return filled
