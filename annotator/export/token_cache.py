"""Tokens for the token formats, computed once per text and kept in the project.

Tokenizing is most of the time of an export to a token format (spaCy's tokenizer handles
about a hundred articles a second on one core). The boundaries it finds depend on the text
alone, so they are stored by the text's SHA-256 the first time an export needs them and read
back by every later export: tokens and sentences as ``array('I')`` offsets, a few bytes per
token. An entry is tagged with the tokenizer's identity (:data:`TOKENIZER`: this scheme's
version, the project's tokenizer rules' and spaCy's); after a change of rules or a spaCy upgrade
the texts are tokenized again.

Decoding rebuilds exactly the :class:`~annotator.core.tokens.Tokenized` that tokenizing gives
(the test suite compares them on texts with whitespace runs, emoji and line breaks).
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Sequence
from importlib.metadata import version

from annotator.core.tokens import VERSION as TOKENIZER_VERSION
from annotator.core.tokens import Tokenized, tokenize_many

#: Bump when the encoding changes (the tokenizer's own rules carry ``tokens.VERSION``).
SCHEME = 1
TOKENIZER = f"v{SCHEME} rules {TOKENIZER_VERSION} spacy {version('spacy')}"
_TYPECODE = "I"  # unsigned 32 bits: offsets up to 4 G code points


def text_hash(text: str) -> str:
    """The same hash as ``documents.sha256``: SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def encode(tokenized: Tokenized) -> bytes:
    """Token count, then token starts and ends, then sentence starts and ends."""
    tokens, sentences = tokenized.tokens, tokenized.sentences
    values = array(_TYPECODE, [len(tokens)])
    values.extend(tokenized.starts)
    values.extend(tokenized.ends)
    values.extend(s.start for s in sentences)
    values.extend(s.end for s in sentences)
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


def decode(text: str, data: bytes) -> Tokenized:
    values = array(_TYPECODE)
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    count = values[0]
    starts, ends = values[1 : 1 + count], values[1 + count : 1 + 2 * count]
    rest = values[1 + 2 * count :]
    half = len(rest) // 2
    if len(starts) != count or len(ends) != count or len(rest) != 2 * half:
        raise ValueError("a stored token entry is cut short")
    # The arrays are kept as they are: no object per token until a writer asks for one.
    return Tokenized.from_offsets(text, starts, ends, rest[:half], rest[half:])


def tokens_for(
    texts: Sequence[str], cached: dict[str, bytes], hashes: Sequence[str], *, batch: int
) -> tuple[list[Tokenized], dict[str, bytes]]:
    """The tokens of each text: decoded from ``cached`` (by hash) where there, tokenized
    otherwise; and the new entries to store."""
    missing = [i for i, sha in enumerate(hashes) if sha not in cached]
    fresh: dict[str, bytes] = {}
    done: dict[int, Tokenized] = {}
    if missing:
        for i, tokenized in zip(
            missing, tokenize_many([texts[i] for i in missing], batch_size=batch), strict=True
        ):
            done[i] = tokenized
            fresh[hashes[i]] = encode(tokenized)
    result = [
        done[i] if i in done else decode(text, cached[hashes[i]]) for i, text in enumerate(texts)
    ]
    return result, fresh
