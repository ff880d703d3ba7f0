"""Token boundaries kept per text for exports (the ``token_boundaries`` table).

The values are opaque bytes here; :mod:`annotator.export.token_cache` encodes and decodes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select

from annotator.storage.bulk import chunks
from annotator.storage.orm import TokenBoundariesRow
from annotator.storage.unit import Unit


class TokenCache(Unit):
    """Stored token boundaries by text hash, each tagged with the tokenizer that made it."""

    def token_boundaries(self, hashes: Sequence[str], tokenizer: str) -> dict[str, bytes]:
        """``sha256 -> data`` for the texts among ``hashes`` that ``tokenizer`` has done."""
        found: dict[str, bytes] = {}
        table = TokenBoundariesRow.__table__
        conn = self.session.connection()
        for chunk in chunks(list(set(hashes))):
            rows = conn.execute(
                select(table.c.sha256, table.c.data).where(
                    table.c.sha256.in_(chunk), table.c.tokenizer == tokenizer
                )
            ).fetchall()
            found.update({sha: bytes(data) for sha, data in rows})
        return found

    def store_token_boundaries(self, entries: Mapping[str, bytes], tokenizer: str) -> None:
        """Keep ``sha256 -> data`` made by ``tokenizer``, replacing what was there."""
        table = TokenBoundariesRow.__table__
        conn = self.session.connection()
        for chunk in chunks(list(entries)):
            conn.execute(delete(table).where(table.c.sha256.in_(chunk)))
            conn.execute(
                table.insert(),
                [{"sha256": sha, "tokenizer": tokenizer, "data": entries[sha]} for sha in chunk],
            )
