"""Signatures of near-duplicate detection: copies are alike, unrelated texts are not, and a
signature depends on nothing but its text (not the batch, not the process)."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import near_duplicates as nd
from tests.syndication import story, syndicated


def test_a_syndicated_copy_is_alike_and_shares_a_band() -> None:
    rng = random.Random(1)
    original = story(rng)
    copy = syndicated(original, "wire", rng, changes=3)
    other = story(rng)
    a, b, c = nd.signatures([original, copy, other])
    assert a is not None and b is not None and c is not None
    assert nd.similarity(a.values, b.values) >= nd.THRESHOLD
    assert set(a.bands) & set(b.bands)
    assert nd.similarity(a.values, c.values) < 0.3
    assert not set(a.bands) & set(c.bands)


def test_case_punctuation_and_line_breaks_do_not_matter() -> None:
    text = story(random.Random(2))
    changed = text.upper().replace(" ", "\n").replace(".", ",")
    a, b = nd.signatures([text, changed])
    assert a is not None and b is not None
    assert a.values == b.values


def test_a_short_text_has_no_signature() -> None:
    long = story(random.Random(3))
    short = "Photo: Reuters"
    assert nd.signatures([short, long, ""])[0] is None
    assert nd.signatures([short, long, ""])[1] is not None
    assert nd.signatures([short, long, ""])[2] is None


def test_content_leaves_out_ignored_ranges() -> None:
    text = "Body one. FOOTER Body two. TAIL"
    assert nd.content(text, [(26, 31), (10, 17)]) == "Body one. \nBody two.\n"
    assert nd.content(text, [(10, 17), (12, 20)]) == "Body one. \ny two. TAIL"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=6), st.integers(0, 5))
def test_a_signature_does_not_depend_on_its_batch(seeds: list[int], pick: int) -> None:
    texts = [story(random.Random(seed), paragraphs=1 + seed % 4) for seed in seeds]
    pick %= len(texts)
    alone = nd.signatures([texts[pick]])[0]
    assert nd.signatures(texts)[pick] == alone


def test_signatures_are_the_same_in_another_process() -> None:
    # Stored signatures are compared with those of a later run: no salted hash may enter.
    text = story(random.Random(4))
    here = nd.signatures([text])[0]
    assert here is not None
    code = (
        "import sys, random; from annotator.core import near_duplicates as nd;"
        "from tests.syndication import story;"
        "s = nd.signatures([story(random.Random(4))])[0];"
        "sys.stdout.write(s.values.hex() + ' ' + ','.join(map(str, s.bands)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    ).stdout
    values, bands = out.split(" ")
    assert values == here.values.hex()
    assert tuple(int(b) for b in bands.split(",")) == here.bands


def test_signatures_are_pinned_to_their_version() -> None:
    # Stored signatures of version VERSION are compared with new ones without being computed
    # again: a change to what a text's signature or band keys are must bump VERSION (and
    # this digest) so that the next import signs the project again.
    texts = [story(random.Random(seed), paragraphs=1 + seed % 5) for seed in range(40)]
    digest = hashlib.sha256()
    for signature in nd.signatures(texts):
        assert signature is not None
        digest.update(signature.values)
        digest.update(repr(signature.bands).encode())
    assert nd.VERSION == 2
    assert digest.hexdigest() == "3de6bb723aa810b48455da0f487c977fe98ef06fc0747069cb4006041dc3c0e6"


def test_a_batch_larger_than_a_chunk_signs_each_text_as_alone() -> None:
    texts = [story(random.Random(seed), paragraphs=3 + seed % 3) for seed in range(600)]
    texts[300] = "too short"
    signed = nd.sign(texts)
    assert 300 not in signed.index.tolist()
    assert len(signed.index) == 599
    for row in (0, 255, 256, 299, 300, 598):
        alone = nd.signatures([texts[int(signed.index[row])]])[0]
        assert alone is not None
        assert signed.values(row) == alone.values
        assert tuple(signed.keys[row].tolist()) == alone.bands


def _brute_force_pairs(held: dict[int, set[int]], ids: list[int]) -> set[tuple[int, int]]:
    found = set()
    for doc_id in ids:
        for other, keys in held.items():
            if other != doc_id and keys & held[doc_id]:
                found.add((max(doc_id, other), min(doc_id, other)))
    return found


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=12), st.integers(0, 2**16))
def test_the_band_index_finds_every_document_sharing_a_key(sizes: list[int], seed: int) -> None:
    # Batches of documents are added one after the other (runs merge as they grow); each
    # batch's pairs are exactly those a comparison of every key set gives, with the
    # documents held before it and within it.
    rng = np.random.default_rng(seed)
    index = nd.BandIndex()
    held: dict[int, set[int]] = {}
    next_id = 1
    for size in sizes:
        ids = np.arange(next_id, next_id + size, dtype=np.int64)
        next_id += size
        # Keys from a small pool, so that documents share some; spread over 63 bits.
        keys = rng.integers(0, 60, size=(size, nd.BANDS), dtype=np.int64) * 0x0123456789ABCDE
        for doc_id, row in zip(ids.tolist(), keys.tolist(), strict=True):
            held[doc_id] = set(row)
        pairs = {(int(a), int(b)) for a, b in index.add(ids, keys)}
        assert pairs == _brute_force_pairs(held, ids.tolist())
    assert index.ids().tolist() == list(range(1, next_id))


def test_the_band_index_tells_keys_apart_by_their_top_bits() -> None:
    index = nd.BandIndex()
    keys = np.array([[k << 31 for k in range(1, nd.BANDS + 1)]], dtype=np.int64)
    assert len(index.add(np.array([1]), keys)) == 0
    assert index.add(np.array([2]), keys + 5).tolist() == [[2, 1]]
    assert len(index.add(np.array([3]), keys + (1 << 40))) == 0
