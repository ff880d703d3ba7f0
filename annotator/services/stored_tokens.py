"""Tokens of many texts for the use cases that need them in bulk (exports with tokens,
agreement): read from the project's token cache where it has them, tokenized and kept for next
time otherwise (:mod:`annotator.export.token_cache`, docs/adr/0020-export-token-cache.md)."""

from __future__ import annotations

import contextlib

from annotator.core.errors import StorageError
from annotator.core.tokens import Tokenized
from annotator.export import token_cache
from annotator.storage.database import Database


def stored_tokens(db: Database, texts: list[str], *, batch: int) -> list[Tokenized]:
    """Each text's tokens, in order. Keeping new ones is best effort: a database that cannot
    be written to (read-only, full, locked) only means tokenizing again next time."""
    hashes = [token_cache.text_hash(text) for text in texts]
    with db.read() as store:
        cached = store.token_boundaries(hashes, token_cache.TOKENIZER)
    tokens, fresh = token_cache.tokens_for(texts, cached, hashes, batch=batch)
    if fresh:
        with contextlib.suppress(StorageError), db.write() as store:
            store.store_token_boundaries(fresh, token_cache.TOKENIZER)
    return tokens
