"""Near-duplicate documents: a wire story run by several outlets with a new headline, a footer
and a word changed (docs/adr/0021-near-duplicates-minhash.md).

How
---
1. **Content.** The text outside its ignored ranges (boilerplate: an outlet's footer is what
   most tells two copies apart), lowercased and UTF-8 encoded; every byte that is not an ASCII
   letter or digit (nor part of a non-ASCII character) becomes a space, so punctuation and line
   breaks do not matter.
2. **Shingles.** Every run of :data:`SHINGLE_BYTES` bytes, hashed to 64 bits. A changed word
   changes about that many shingles and no more.
3. **Signature.** One-permutation MinHash: the top bits of a shingle's hash pick one of
   :data:`SLOTS` slots and the slot keeps the smallest of the rest; an empty slot (a short
   text) takes its right-hand neighbour's value, re-hashed with the distance. The share of
   equal slots of two signatures estimates the Jaccard similarity of their shingle sets. One
   hash per shingle rather than one per shingle and slot: linear in the text, and computed for
   a batch of texts at once in numpy.
4. **Bands.** The first ``BANDS x ROWS`` slots, in bands of :data:`ROWS`, each hashed to a key:
   two texts whose similarity is 0.8 share a key with a probability of 0.997
   (1 - (1 - 0.8^5)^16), at :data:`THRESHOLD` (0.7) of 0.95, and two unrelated texts (0.1)
   almost never (0.00016). Five rows rather than four: with four, texts on the same topic in
   the same words (0.1 to 0.2) make a dozen candidates per document in a large project, each
   read and compared. Documents that
   share a key are candidates; a candidate is a copy when its estimated similarity is at least
   :data:`THRESHOLD`.

Everything here is deterministic across runs and machines (no salted hashes): signatures are
stored, and compared (with the band keys derived from them) at a later import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

#: Bytes per shingle (two to four words).
SHINGLE_BYTES = 16
#: Slots of a signature (each a 32-bit value).
SLOTS = 128
BANDS = 16
ROWS = 5
#: Estimated Jaccard similarity from which two documents are copies of each other.
THRESHOLD = 0.7
#: Texts with less content than this (bytes, outside ignored ranges) are not compared: two
#: short notices ("Photo: Reuters") are alike without being copies.
MIN_CONTENT_BYTES = 200
#: Bumped whenever the signature changes, so that stored signatures are recomputed.
VERSION = 2

_U64 = np.uint64
_M1 = _U64(0xBF58476D1CE4E5B9)
_M2 = _U64(0x94D049BB133111EB)
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_SLOT_BITS = 7  # 2**7 == SLOTS
_SLOT_SHIFT = _U64(64 - _SLOT_BITS)
_VALUE_SHIFT = _U64(64 - _SLOT_BITS - 32)
_EMPTY = np.uint32(0xFFFFFFFF)

# A lowercase letter, a digit and every byte of a non-ASCII character keep their value (an
# uppercase ASCII letter becomes lowercase); every other byte becomes a space.
_WORD_BYTES = bytes(
    b
    if (0x61 <= b <= 0x7A or 0x30 <= b <= 0x39 or b >= 0x80)
    else b + 32
    if 0x41 <= b <= 0x5A
    else 0x20
    for b in range(256)
)
_GAP = b" " * 16


@dataclass(frozen=True, slots=True)
class Signature:
    """A document's MinHash signature (:data:`SLOTS` little-endian 32-bit values) and its band
    keys (63-bit, so that they fit a signed 64-bit column)."""

    values: bytes
    bands: tuple[int, ...]


def content(text: str, ignored: Iterable[tuple[int, int]] = ()) -> str:
    """``text`` without its ignored ranges (code point offsets, any order, may overlap)."""
    pieces: list[str] = []
    position = 0
    for start, end in sorted(ignored):
        if start > position:
            pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return "\n".join(pieces)


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of the shingle sets two signatures were made from."""
    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(x == y)) / SLOTS


def _mix(h: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64's): every input bit moves every output bit."""
    h = (h ^ (h >> _U64(30))) * _M1
    h = (h ^ (h >> _U64(27))) * _M2
    return h ^ (h >> _U64(31))


def signatures(texts: Sequence[str]) -> list[Signature | None]:
    """The signature of each content (see :func:`content`); None for one too short to be
    compared."""
    signed = sign(texts)
    result: list[Signature | None] = [None] * len(texts)
    raw = signed.table.astype("<u4").tobytes()
    keys = signed.keys.tolist()
    width = SLOTS * 4
    for row, i in enumerate(signed.index.tolist()):
        result[i] = Signature(raw[row * width : (row + 1) * width], tuple(keys[row]))
    return result


@dataclass(frozen=True, slots=True)
class Signed:
    """The signatures of a batch of texts as arrays: row ``r`` is the text at position
    ``index[r]`` of the batch (texts too short to be compared have no row)."""

    index: np.ndarray
    #: ``(rows, SLOTS)`` uint32 signature values.
    table: np.ndarray
    #: ``(rows, BANDS)`` int64 band keys.
    keys: np.ndarray

    def values(self, row: int) -> bytes:
        """Row ``row``'s signature as stored (little-endian 32-bit values)."""
        return self.table[row].astype("<u4").tobytes()


#: Texts hashed in one set of array operations: the arrays of a hundred 3 KB texts stay in
#: the processor's cache, where larger batches' do not (measured: about 15 us a text in
#: chunks of 128, 25 in chunks of 256).
_SIGN_CHUNK = 128


def sign(texts: Sequence[str]) -> Signed:
    """The signature and band keys of each content (see :func:`content`) long enough to be
    compared. All texts are hashed together, a few hundred at a time: numpy's work is per
    chunk, not per text."""
    encoded = [text.encode("utf-8") for text in texts]
    kept = [i for i, data in enumerate(encoded) if len(data) >= MIN_CONTENT_BYTES]
    if not kept:
        return Signed(
            np.zeros(0, dtype=np.int64),
            np.zeros((0, SLOTS), dtype=np.uint32),
            np.zeros((0, BANDS), dtype=np.int64),
        )
    tables = [
        _sign_chunk([encoded[i] for i in kept[at : at + _SIGN_CHUNK]])
        for at in range(0, len(kept), _SIGN_CHUNK)
    ]
    table = tables[0] if len(tables) == 1 else np.concatenate(tables)
    return Signed(np.array(kept, dtype=np.int64), table, band_keys(table))


def _sign_chunk(encoded: list[bytes]) -> np.ndarray:
    """``(len(encoded), SLOTS)`` signatures of UTF-8 texts, each at least MIN_CONTENT_BYTES."""
    # The texts one after the other, each after SHINGLE_BYTES spaces: a shingle starts at a
    # word and never reaches the next text (the last ones read spaces, as in any copy). Padded
    # to whole 8-byte words, with two more to read past the end.
    size = sum(len(data) for data in encoded) + len(_GAP) * (len(encoded) + 1)
    joined = _GAP.join([b"", *encoded, b" " * ((-size) % 8 + 16)]).translate(_WORD_BYTES)
    words = np.frombuffer(joined, dtype=np.uint8)
    # Shingles start where a word does (a space, then not): about one position in six, the
    # same ones in two copies of a text.
    spaces = words == ord(" ")
    starts = np.flatnonzero(spaces[:-1] > spaces[1:])
    starts += 1
    lengths = np.fromiter((len(data) + len(_GAP) for data in encoded), np.int64, len(encoded))
    per_text = np.diff(np.searchsorted(starts, np.cumsum(lengths)), prepend=0)
    # A shingle is the 8 bytes at its start and the 8 after them, as little-endian uint64s,
    # put together from the aligned words they straddle (an aligned gather is twice as fast
    # as one from an unaligned view): run(s) = word[j] >> 8k | word[j + 1] << (64 - 8k) for
    # s = 8j + k (numpy shifts a uint64 by 64 to 0).
    aligned = np.frombuffer(joined, dtype="<u8")
    at = starts >> 3
    shift = (starts & 7).astype(_U64) << _U64(3)
    back = _U64(64) - shift
    second = aligned[at + 1]
    first = aligned[at]
    first >>= shift
    first |= second << back
    second >>= shift
    third = aligned[at + 2]
    third <<= back
    second |= third
    first *= _GOLDEN
    first ^= second
    hashes = _mix_in_place(first, third)
    # The value is the hash's 32 bits below its top 7, which pick the slot; the slots of
    # text i are i * SLOTS onwards. The smallest value of each slot of each text stays.
    values = (hashes >> _VALUE_SHIFT).astype(np.uint32)
    hashes >>= _SLOT_SHIFT
    slots = hashes.view(np.int64)
    slots += np.repeat(np.arange(0, len(encoded) * SLOTS, SLOTS, dtype=np.int64), per_text)
    table = np.full(len(encoded) * SLOTS, _EMPTY, dtype=np.uint32)
    np.minimum.at(table, slots, values)
    return _densify(table.reshape(len(encoded), SLOTS))


def _mix_in_place(h: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """:func:`_mix` of ``h``, overwriting it and ``scratch`` (of the same shape): the arrays
    of a batch are large, and fresh ones for each step cost a tenth of the signing."""
    np.right_shift(h, _U64(30), out=scratch)
    h ^= scratch
    h *= _M1
    np.right_shift(h, _U64(27), out=scratch)
    h ^= scratch
    h *= _M2
    np.right_shift(h, _U64(31), out=scratch)
    h ^= scratch
    return h


def _densify(table: np.ndarray) -> np.ndarray:
    """Each empty slot takes the value of the nearest filled slot to its right (wrapping),
    mixed with the distance, so that two similar short texts still agree slot by slot. Every
    row has a filled slot (a signed text has shingles)."""
    rows, slots = np.nonzero(table == _EMPTY)
    if not len(rows):
        return table
    # A few empty slots per text (a 3 KB article leaves about three of 128 empty): look
    # right from each of them alone, one step at a time, rather than over every slot.
    distance = np.zeros(len(rows), dtype=np.int64)
    pending = np.arange(len(rows))
    while len(pending):
        distance[pending] += 1
        source = (slots[pending] + distance[pending]) % SLOTS
        pending = pending[table[rows[pending], source] == _EMPTY]
    values = table[rows, (slots + distance) % SLOTS].astype(_U64)
    mixed = _mix(values * _U64(SLOTS) + distance.astype(_U64)) & _U64(0xFFFFFFFE)
    out = table.copy()
    out[rows, slots] = mixed.astype(np.uint32)
    return out


def band_keys(table: np.ndarray) -> np.ndarray:
    """``(n, BANDS)`` band keys of ``(n, SLOTS)`` signatures: each band's ROWS values and its
    index hashed to 63 bits."""
    rows = table[:, : BANDS * ROWS].astype(_U64).reshape(len(table), BANDS, ROWS)
    h = np.arange(1, BANDS + 1, dtype=_U64)[None, :] * _GOLDEN
    for r in range(ROWS):
        h = _mix(h ^ rows[:, :, r])
    return (h >> _U64(1)).astype(np.int64)


def values_of(signature: bytes) -> np.ndarray:
    return np.frombuffer(signature, dtype="<u4")


class BandIndex:
    """Which documents have a band key, in memory: what an import looks its documents' keys
    up in (the project's documents, loaded once, and its own as it signs them).

    A key is kept as its top 32 bits beside the document's row number (8 bytes a key, 16 keys
    a document, and 8 bytes for the document's id: 136 bytes a document, 13.6 MB for 100,000).
    Two unrelated keys share their top 32 bits by chance once in 2**32 look-ups per key held:
    a false candidate, which its signature then tells apart like any other.

    Keys are held in sorted runs that are merged when the newer is at least half the size of
    the one before it (each key is re-sorted about log2(documents / batch) times, in merges
    of sorted runs, which numpy's stable sort does in linear time), so that a batch looks its
    keys up in a handful of arrays."""

    def __init__(self) -> None:
        self._ids = np.zeros(1024, dtype=np.int64)
        self._count = 0
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return self._count

    def ids(self) -> np.ndarray:
        """The ids of the documents held, in the order they were added."""
        return self._ids[: self._count]

    def add(self, ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Hold documents ``ids`` with their ``(len(ids), BANDS)`` band keys; returns the
        ``(m, 2)`` pairs of documents that share a key (or the top 32 bits of one), one of
        them among ``ids`` and the other held before or among ``ids`` too: each pair once,
        the larger id first."""
        if not len(ids):
            return np.zeros((0, 2), dtype=np.int64)
        batch = self._batch(ids, keys)
        # Looked up in key order, before the batch joins the runs: numpy's binary search
        # starts from its previous answer, and the batch's own keys, which would all find
        # themselves, are compared apart (neighbours in the sorted batch).
        found = [self._within(batch), *(self._across(batch, run) for run in self._runs)]
        self._push(batch)
        pairs = np.concatenate(found)
        if not len(pairs):
            return np.zeros((0, 2), dtype=np.int64)
        docs, others = self._ids[pairs[:, 0]], self._ids[pairs[:, 1]]
        keep = docs != others
        docs, others = docs[keep], others[keep]
        return np.unique(
            np.stack((np.maximum(docs, others), np.minimum(docs, others)), axis=1), axis=0
        )

    def hold(self, ids: np.ndarray, keys: np.ndarray) -> None:
        """Hold documents ``ids`` with their band keys without comparing them (documents
        compared with each other before: a project's, when an import starts)."""
        if len(ids):
            self._push(self._batch(ids, keys))

    def _batch(self, ids: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The batch's keys, sorted, with their row numbers (the batch's ids now held)."""
        first = self._count
        self._hold_ids(np.asarray(ids, dtype=np.int64))
        rows = np.repeat(np.arange(first, self._count, dtype=np.uint32), keys.shape[1])
        return _sorted_run(_fingerprints(keys).ravel(), rows)

    def _push(self, batch: tuple[np.ndarray, np.ndarray]) -> None:
        self._runs.append(batch)
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            newer, older = self._runs.pop(), self._runs.pop()
            self._runs.append(_merged(older, newer))

    def _hold_ids(self, ids: np.ndarray) -> None:
        first = self._count
        self._count += len(ids)
        if self._count > len(self._ids):
            grown = np.zeros(max(self._count, 2 * len(self._ids)), dtype=np.int64)
            grown[:first] = self._ids[:first]
            self._ids = grown
        self._ids[first : self._count] = ids

    @staticmethod
    def _across(
        batch: tuple[np.ndarray, np.ndarray], run: tuple[np.ndarray, np.ndarray]
    ) -> np.ndarray:
        """``(m, 2)`` row numbers of the batch's keys and the run's entries that share them."""
        wanted, mine = batch
        held, rows = run
        start = np.searchsorted(held, wanted, side="left")
        hit = held[np.minimum(start, len(held) - 1)] == wanted
        if not hit.any():
            return np.zeros((0, 2), dtype=np.int64)
        start = start[hit]
        count = np.searchsorted(held, wanted[hit], side="right") - start
        # Every held entry of every key found: start + 0, 1, ..., count - 1.
        offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        return np.stack(
            (np.repeat(mine[hit], count), rows[np.repeat(start, count) + offsets]), axis=1
        ).astype(np.int64)

    @staticmethod
    def _within(batch: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """``(m, 2)`` row numbers of the batch's documents that share a key with each other
        (a key is in a batch's sorted keys once per document that has it, side by side)."""
        keys, rows = batch
        repeated = np.flatnonzero(keys[1:] == keys[:-1]) + 1
        if not len(repeated):
            return np.zeros((0, 2), dtype=np.int64)
        # Each repeated entry pairs with every entry of its key before it: those from the
        # first of its key (where the sorted keys last changed) up to itself.
        changes = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        first = np.concatenate(([0], changes))[np.searchsorted(changes, repeated, side="right")]
        count = repeated - first
        offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        return np.stack(
            (rows[np.repeat(repeated, count)], rows[np.repeat(first, count) + offsets]), axis=1
        ).astype(np.int64)


def _fingerprints(keys: np.ndarray) -> np.ndarray:
    """The top 32 bits of 63-bit band keys."""
    return (keys.astype(np.int64) >> np.int64(31)).astype(np.uint32)


def _sorted_run(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` sorted, with their ``rows``."""
    order = np.argsort(keys)
    return keys[order], rows[order]


def _merged(
    older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted runs as one: each of the newer (smaller) run's entries goes after the older
    ones with a key not above its own. Beside the result, memory is 8 bytes per newer entry
    and 1 per entry (a sort of both would take 8 per entry for its order)."""
    places = np.searchsorted(older[0], newer[0], side="right")
    places += np.arange(len(newer[0]))
    from_older = np.ones(len(older[0]) + len(newer[0]), dtype=bool)
    from_older[places] = False
    merged = []
    for old_part, new_part in zip(older, newer, strict=True):
        out = np.empty(len(from_older), dtype=old_part.dtype)
        out[places] = new_part
        out[from_older] = old_part
        merged.append(out)
    return merged[0], merged[1]
