"""Grapheme cluster boundaries (annotator/core/graphemes.py)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.graphemes import (
    grapheme_boundaries,
    grapheme_clusters,
    grapheme_interior_offsets,
    is_grapheme_boundary,
    snap_to_grapheme,
)
from annotator.core.text import normalise

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧
UKRAINE = "\U0001f1fa\U0001f1e6"  # 🇺🇦
BRITAIN = "\U0001f1ec\U0001f1e7"  # 🇬🇧
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
THUMBS_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽

# The shared alphabet of the property tests (the same pieces in each test module), plus the
# raw building blocks only this module needs: lone marks, lone regional indicators, a lone ZWJ,
# CR, Hangul jamo, controls.
PIECES = [
    "The", "word", "Russia", "difference", ".", ",", " ", "  ", "\n", "\u00a0", "\t", "\u2028",
    "\U0001f600", THUMBS_MEDIUM, UKRAINE, BRITAIN, FAMILY, "北京", "東京", "e\u0301", "a\u0308",
]  # fmt: skip
RAW_PIECES = [
    *PIECES,
    "\u0301", "\u0308", "\u200d", "\u200c", "\ufe0f", "\ufe0e", "\U0001f3fd", "\U0001f1fa",
    "\U0001f1e6", "\r", "\r\n", "\u1100", "\u1161", "\u11a8", "가", "각", "\x01", "\u00ad",
    "\u0915", "\u093f", "\u0e01", "\u0e33", "\U000e0067", "\U000e007f", "\U0001f3f4", "\u2764",
    "\u00a9",
]  # fmt: skip

texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
raw_texts = st.lists(st.sampled_from(RAW_PIECES), max_size=30).map("".join)


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("", []),
        ("abc", ["a", "b", "c"]),
        # GB3/GB4/GB5: CR LF is one cluster; nothing attaches across a line break.
        ("a\r\nb", ["a", "\r\n", "b"]),
        ("\r\r\n\n", ["\r", "\r\n", "\n"]),
        ("\n\u0301", ["\n", "\u0301"]),
        ("a\x01\u0301", ["a", "\x01", "\u0301"]),
        # GB9: combining marks, ZWNJ and ZWJ extend the previous character.
        ("e\u0301x", ["e\u0301", "x"]),
        ("a\u0308\u0301b", ["a\u0308\u0301", "b"]),
        ("\u0301a", ["\u0301", "a"]),
        (" \u0301", [" \u0301"]),
        ("a\u200cb", ["a\u200c", "b"]),
        ("a\u200d\U0001f600", ["a\u200d", "\U0001f600"]),
        # GB9a: spacing marks (Devanagari vowel sign I, Thai SARA AM).
        ("\u0915\u093f", ["\u0915\u093f"]),
        ("\u0e01\u0e33", ["\u0e01\u0e33"]),
        # Variation selectors and skin tones.
        ("\u2764\ufe0f!", ["\u2764\ufe0f", "!"]),
        ("\u2764\ufe0e", ["\u2764\ufe0e"]),
        (THUMBS_MEDIUM + "x", [THUMBS_MEDIUM, "x"]),
        # GB11: emoji ZWJ sequences, also after a modifier or VS16 before the ZWJ.
        (FAMILY, [FAMILY]),
        (FAMILY + FAMILY, [FAMILY, FAMILY]),
        ("\U0001f44d\U0001f3fd\u200d\U0001f600", ["\U0001f44d\U0001f3fd\u200d\U0001f600"]),
        ("\u2764\ufe0f\u200d\U0001f525", ["\u2764\ufe0f\u200d\U0001f525"]),
        ("\u200d\U0001f600", ["\u200d", "\U0001f600"]),
        # GB12/GB13: regional indicators pair left to right.
        (UKRAINE + BRITAIN, [UKRAINE, BRITAIN]),
        (UKRAINE + BRITAIN + UKRAINE, [UKRAINE, BRITAIN, UKRAINE]),
        (UKRAINE + "\U0001f1ec", [UKRAINE, "\U0001f1ec"]),
        ("x" + UKRAINE + "\U0001f1ec" + "y", ["x", UKRAINE, "\U0001f1ec", "y"]),
        ("\U0001f600" + UKRAINE, ["\U0001f600", UKRAINE]),
        # Tag sequences: the England flag is one cluster.
        (ENGLAND + " x", [ENGLAND, " ", "x"]),
        # GB6-GB8: Hangul jamo and syllables.
        ("\u1100\u1161\u11a8", ["\u1100\u1161\u11a8"]),
        ("\u1100가", ["\u1100가"]),
        ("가\u11a8", ["가\u11a8"]),
        ("각\u11a8", ["각\u11a8"]),
        ("각\u1161", ["각", "\u1161"]),
        ("\u11a8\u1100", ["\u11a8", "\u1100"]),
        ("한국어", ["한", "국", "어"]),
        # Ordinary scripts: one code point each.
        ("北京 東京", ["北", "京", " ", "東", "京"]),
        # Halfwidth katakana voiced sound mark extends (Other_Grapheme_Extend, category Lm).
        ("\uff76\uff9e", ["\uff76\uff9e"]),
        # Not implemented on purpose: Prepend (GB9b) characters stand alone.
        ("\u0600\u0661", ["\u0600", "\u0661"]),
    ],
)
def test_clusters(text: str, clusters: list[str]) -> None:
    assert grapheme_clusters(text) == clusters
    expected = [0]
    for cluster in clusters:
        expected.append(expected[-1] + len(cluster))
    assert grapheme_boundaries(text) == expected
    assert [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)] == expected


def test_interior_offsets_are_the_complement() -> None:
    text = "a" + FAMILY + "e\u0301"
    boundaries = grapheme_boundaries(text)
    assert grapheme_interior_offsets(text) == [2, 3, 4, 5, 7]
    assert sorted(boundaries + grapheme_interior_offsets(text)) == list(range(len(text) + 1))
    assert grapheme_interior_offsets("plain ascii") == []
    assert grapheme_interior_offsets("a\r\nb\r\n") == [2, 5]


def test_is_grapheme_boundary_range_check() -> None:
    assert is_grapheme_boundary("", 0)
    with pytest.raises(ValueError, match="outside"):
        is_grapheme_boundary("abc", 4)
    with pytest.raises(ValueError, match="outside"):
        is_grapheme_boundary("abc", -1)


def test_snap_to_grapheme() -> None:
    text = "x" + FAMILY + "y"  # family occupies 1..6
    assert snap_to_grapheme(text, 3, "backward") == 1
    assert snap_to_grapheme(text, 3, "forward") == 6
    assert snap_to_grapheme(text, 1, "backward") == 1
    assert snap_to_grapheme(text, 6, "forward") == 6
    assert snap_to_grapheme(text, -5, "forward") == 0
    assert snap_to_grapheme(text, 99, "backward") == len(text)
    with pytest.raises(ValueError, match="direction"):
        snap_to_grapheme(text, 1, "sideways")  # type: ignore[arg-type]


def test_long_regional_indicator_run_pairs_from_the_left() -> None:
    text = UKRAINE * 500 + "\U0001f1fa"
    clusters = grapheme_clusters(text)
    assert clusters == [UKRAINE] * 500 + ["\U0001f1fa"]
    assert is_grapheme_boundary(text, 1000)
    assert not is_grapheme_boundary(text, 999)


def test_fifty_thousand_characters_is_fast() -> None:
    unit = "The word Russia, 北京 " + UKRAINE + FAMILY + "e\u0301 " + THUMBS_MEDIUM + "\n"
    text = (unit * (50_000 // len(unit) + 1))[:50_000]
    started = time.perf_counter()
    boundaries = grapheme_boundaries(text)
    elapsed = time.perf_counter() - started
    assert boundaries[0] == 0
    assert boundaries[-1] == 50_000
    # Typically ~15 ms; the bound only catches an accidentally quadratic change.
    assert elapsed < 1.0


@settings(max_examples=300)
@given(raw_texts)
def test_local_check_agrees_with_full_scan(text: str) -> None:
    boundaries = grapheme_boundaries(text)
    assert boundaries[0] == 0
    assert boundaries[-1] == len(text)
    assert boundaries == sorted(set(boundaries))
    assert [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)] == boundaries
    assert "".join(grapheme_clusters(text)) == text


@settings(max_examples=200)
@given(raw_texts, st.integers(min_value=-2, max_value=70))
def test_snap_lands_on_the_nearest_boundary(text: str, offset: int) -> None:
    boundaries = grapheme_boundaries(text)
    clamped = min(max(offset, 0), len(text))
    back = snap_to_grapheme(text, offset, "backward")
    forward = snap_to_grapheme(text, offset, "forward")
    assert back in boundaries
    assert forward in boundaries
    assert back <= clamped <= forward
    assert not any(back < b < forward for b in boundaries)


@settings(max_examples=100)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_ascii_shortcut_matches_general_path(text: str) -> None:
    # Appending a non-ASCII letter forces the general path; "é" always starts a cluster.
    assert grapheme_boundaries(text + "é") == [*grapheme_boundaries(text), len(text) + 1]


@settings(max_examples=150)
@given(texts)
def test_nfc_never_merges_across_clusters(text: str) -> None:
    # Normalising composes inside clusters only, so the cluster count is unchanged.
    assert len(grapheme_clusters(normalise(text))) == len(grapheme_clusters(text))


@settings(max_examples=150)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_alphabet_pieces_join_at_boundaries(pieces: list[str]) -> None:
    # No piece of the shared alphabet starts with anything that attaches to what precedes it,
    # so every joint between pieces is a boundary (the other tests rely on this).
    text = "".join(pieces)
    offset = 0
    for piece in pieces:
        offset += len(piece)
        assert is_grapheme_boundary(text, offset)
