"""Version strings: short, stable across processes, and different whenever the output could be.

Cached suggestions are kept per (document, suggester, version) and recomputed when the version
differs, so a version must be derived from content (never from a counter or ``id()``, which
restart with the process) and must include the label schema the suggester filtered by.
"""

from __future__ import annotations

import hashlib

from annotator.core.schema import LabelSchema


def short_hash(*parts: str | bytes, size: int = 6) -> str:
    """``size`` bytes of BLAKE2b over the parts, as hex (parts are length-prefixed, so
    ``("ab", "c")`` and ``("a", "bc")`` differ)."""
    digest = hashlib.blake2b(digest_size=size)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def schema_tag(schema: LabelSchema) -> str:
    """Identifies the schema's content (labels, claim types), not just its number: a project's
    schema and the shipped default can both be "version 1"."""
    return short_hash(schema.to_json(), size=4)
