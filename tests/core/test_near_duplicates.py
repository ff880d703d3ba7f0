"""Signatures of near-duplicate detection: copies are alike, unrelated texts are not, and a
signature depends on nothing but its text (not the batch, not the process)."""

from __future__ import annotations

import random
import subprocess
import sys

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
