"""Grapheme cluster boundaries (annotator/core/graphemes.py)."""

from __future__ import annotations

import itertools

import pytest
import regex
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
HINDI = "\u0915\u094d\u0937\u0947\u0924\u094d\u0930"  # क्षेत्र: two conjuncts
BENGALI = "\u0995\u09cd\u09b7\u09ae\u09a4\u09be"  # ক্ষমতা
THAI = "\u0e40\u0e01\u0e21\u0e19\u0e49\u0e33"  # เกมน้ำ: a preposed vowel, tone mark, SARA AM
ARABIC = "\u0628\u0650\u0633\u0652\u0645\u0650"  # بِسْمِ: letters with harakat
ARABIC_NUMBER = "\u0600\u0661\u0662"  # ARABIC NUMBER SIGN over the first digit of 12
PHOENIX = "\U0001f426\u200d\U0001f525"  # 🐦‍🔥 (Emoji 15.1)
WALKING_RIGHT = "\U0001f6b6\U0001f3fd\u200d\u27a1\ufe0f"  # 🚶🏽‍➡️ (Emoji 15.1)

# The shared alphabet of the property tests (the same pieces in each test module), plus the
# raw building blocks only this module needs: lone marks, lone regional indicators, a lone ZWJ,
# CR, Hangul jamo, controls.
PIECES = [
    "The", "word", "Russia", "difference", ".", ",", " ", "  ", "\n", "\u00a0", "\t", "\u2028",
    "\U0001f600", THUMBS_MEDIUM, UKRAINE, BRITAIN, FAMILY, "北京", "東京", "e\u0301", "a\u0308",
    HINDI, BENGALI, THAI, ARABIC, ARABIC_NUMBER, PHOENIX, WALKING_RIGHT,
]  # fmt: skip
RAW_PIECES = [
    *PIECES,
    "\u0301", "\u0308", "\u200d", "\u200c", "\ufe0f", "\ufe0e", "\U0001f3fd", "\U0001f1fa",
    "\U0001f1e6", "\r", "\r\n", "\u1100", "\u1161", "\u11a8", "가", "각", "\x01", "\u00ad",
    "\u0915", "\u093f", "\u0e01", "\u0e33", "\U000e0067", "\U000e007f", "\U0001f3f4", "\u2764",
    "\u00a9", "\u094d", "\u0937", "\u09cd", "\u200d\u0937", "\u0600", "\u06dd", "\u0d4e",
    "\u0e40", "\u0e49", "\u0664", "\U0001f426", "\U0001f525", "\u27a1", "\U0001fae9",
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
        # GB9b: a prepended mark joins what follows it, but not a line break.
        ("\u0600\u0661", ["\u0600\u0661"]),
        (ARABIC_NUMBER, ["\u0600\u0661", "\u0662"]),
        ("\u06dd\u0661\u0662", ["\u06dd\u0661", "\u0662"]),
        ("x\u0600 y", ["x", "\u0600 ", "y"]),
        ("\u0600\u0600\u00a0\u0301", ["\u0600\u0600\u00a0\u0301"]),
        ("\u0600\n\u0661", ["\u0600", "\n", "\u0661"]),
        ("\u0d4e\u0d15", ["\u0d4e\u0d15"]),  # Malayalam dot reph
        # Arabic letters carry their harakat.
        (ARABIC, ["\u0628\u0650", "\u0633\u0652", "\u0645\u0650"]),
        ("\u0627\u0644\u0639", ["\u0627", "\u0644", "\u0639"]),
        # GB9c: a Devanagari or Bengali conjunct (consonant, virama, consonant) is one cluster,
        # also through a ZWJ (half form) and chained; the vowel sign stays with it.
        ("\u0915\u094d\u0937", ["\u0915\u094d\u0937"]),
        (HINDI, ["\u0915\u094d\u0937\u0947", "\u0924\u094d\u0930"]),
        ("\u0939\u093f\u0928\u094d\u0926\u0940", ["\u0939\u093f", "\u0928\u094d\u0926\u0940"]),
        ("\u0915\u094d\u200d\u0937", ["\u0915\u094d\u200d\u0937"]),
        ("\u0938\u094d\u0924\u094d\u0930", ["\u0938\u094d\u0924\u094d\u0930"]),
        ("\u0915\u093c\u0940", ["\u0915\u093c\u0940"]),  # nukta and vowel sign
        ("\u0915\u0937", ["\u0915", "\u0937"]),  # no virama, no conjunct
        ("\u0915\u094d ", ["\u0915\u094d", " "]),  # a virama before a space stays left
        (BENGALI, ["\u0995\u09cd\u09b7", "\u09ae", "\u09a4\u09be"]),
        ("\u09ac\u09be\u0982\u09b2\u09be", ["\u09ac\u09be\u0982", "\u09b2\u09be"]),
        # Thai: preposed vowels are letters of their own (not Prepend); marks and SARA AM join.
        (THAI, ["\u0e40", "\u0e01", "\u0e21", "\u0e19\u0e49\u0e33"]),
        ("\u0e20\u0e32\u0e29\u0e32", ["\u0e20", "\u0e32", "\u0e29", "\u0e32"]),
        # The newest emoji ZWJ sequences and characters (Emoji 15.1 to 17.0), and a pictograph
        # not yet assigned (Extended_Pictographic covers the reserved emoji blocks).
        (PHOENIX + "x", [PHOENIX, "x"]),
        ("\U0001f34b\u200d\U0001f7e9", ["\U0001f34b\u200d\U0001f7e9"]),  # lime
        (WALKING_RIGHT + WALKING_RIGHT, [WALKING_RIGHT, WALKING_RIGHT]),
        (
            "\U0001f9d1\u200d\U0001f9d1\u200d\U0001f9d2",
            ["\U0001f9d1\u200d\U0001f9d1\u200d\U0001f9d2"],
        ),
        ("\U0001fae9\U0001faea", ["\U0001fae9", "\U0001faea"]),
        ("\U0001f1e8\U0001f1f6", ["\U0001f1e8\U0001f1f6"]),  # Sark's flag (Emoji 16.0)
        ("\U0001f600\u200d\U0001fc00", ["\U0001f600\u200d\U0001fc00"]),
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


@settings(max_examples=300)
@given(raw_texts)
def test_local_check_agrees_with_full_scan(text: str) -> None:
    boundaries = grapheme_boundaries(text)
    assert boundaries[0] == 0
    assert boundaries[-1] == len(text)
    assert boundaries == sorted(set(boundaries))
    assert [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)] == boundaries
    assert "".join(grapheme_clusters(text)) == text


# Raw code points of the scripts where clusters are more than a base and its marks: Devanagari
# and Bengali (viramas, nuktas, vowel signs, ZWJ/ZWNJ), Arabic with its prepended marks, Thai,
# Malayalam's dot reph, and the pieces of emoji sequences.
SCRIPT_CHARS = [
    *map(chr, range(0x0900, 0x0980)),
    *map(chr, range(0x0980, 0x0A00)),
    *map(chr, range(0x0600, 0x0606)),
    "\u06dd", "\u08e2", "\u0627", "\u0644", "\u064e", "\u0661",
    *map(chr, range(0x0E01, 0x0E5C)),
    "\u0d4e", "\u0d15", "\u0d4d",
    "\u200c", "\u200d", "\ufe0f", "\U0001f3fd", "\U0001f1fa", "\U0001f1e6", "\U0001f426",
    "\U0001f525", "\u27a1", "\U0001fae9", " ", "\n", "\r", "a",
]  # fmt: skip
script_texts = st.text(alphabet=st.sampled_from(SCRIPT_CHARS), max_size=60)


@settings(max_examples=300)
@given(script_texts)
def test_local_check_agrees_with_full_scan_in_complex_scripts(text: str) -> None:
    boundaries = grapheme_boundaries(text)
    assert [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)] == boundaries
    assert grapheme_interior_offsets(text) == sorted(set(range(len(text) + 1)) - set(boundaries))


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_local_check_agrees_with_full_scan_on_any_text(text: str) -> None:
    boundaries = grapheme_boundaries(text)
    assert [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)] == boundaries
    assert "".join(grapheme_clusters(text)) == text


# Long texts that are mostly Latin with a joining character here and there, and sometimes turn
# dense (a Hindi passage) part way: the module segments only around the joining characters
# until they become frequent, then scans the rest whole.
LATIN_PIECES = [
    "The ",
    "word ",
    "Zürich ",
    "\u201cquote\u201d ",
    "\r\n",
    "\r",
    "\n",
    "12\u00a0\u20ac ",
]
mixed_texts = st.lists(
    st.one_of(st.sampled_from(LATIN_PIECES), st.sampled_from(RAW_PIECES), script_texts),
    max_size=300,
).map("".join)


@settings(max_examples=100)
@given(mixed_texts)
def test_sparse_and_dense_scans_agree_with_the_library(text: str) -> None:
    reference = reference_boundaries(text)
    assert grapheme_boundaries(text) == reference
    assert grapheme_interior_offsets(text) == sorted(set(range(len(text) + 1)) - set(reference))


def test_snapping_inside_a_long_cluster() -> None:
    # A base with thousands of marks is one cluster; snapping anywhere inside reaches its ends.
    text = "x a" + "\u0301" * 5000 + " y"
    assert snap_to_grapheme(text, 2500, "backward") == 2
    assert snap_to_grapheme(text, 2500, "forward") == 5003
    assert not is_grapheme_boundary(text, 5002)
    assert is_grapheme_boundary(text, 5003)


@settings(max_examples=200)
@given(st.one_of(raw_texts, script_texts), st.integers(min_value=-2, max_value=70))
def test_snap_lands_on_the_nearest_boundary(text: str, offset: int) -> None:
    boundaries = grapheme_boundaries(text)
    clamped = min(max(offset, 0), len(text))
    back = snap_to_grapheme(text, offset, "backward")
    forward = snap_to_grapheme(text, offset, "forward")
    assert back in boundaries
    assert forward in boundaries
    assert back <= clamped <= forward
    assert not any(back < b < forward for b in boundaries)


# Characters that cannot join anything but CR LF (Grapheme_Cluster_Break Other, Control, CR,
# LF): text made only of them takes the module's shortcut.
NON_JOINING = regex.compile(r"[\p{GCB=Other}\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}]")


def reference_boundaries(text: str) -> list[int]:
    return list(itertools.accumulate(map(len, regex.findall(r"\X", text)), initial=0))


@settings(max_examples=100)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_ascii_shortcut_agrees_with_the_library(text: str) -> None:
    reference = reference_boundaries(text)
    assert grapheme_boundaries(text) == reference
    assert grapheme_interior_offsets(text) == sorted(set(range(len(text) + 1)) - set(reference))


@settings(max_examples=200)
@given(st.text(alphabet=st.characters().filter(lambda c: NON_JOINING.match(c)), max_size=40))
def test_shortcut_agrees_with_the_library(text: str) -> None:
    reference = reference_boundaries(text)
    assert grapheme_boundaries(text) == reference
    assert grapheme_interior_offsets(text) == sorted(set(range(len(text) + 1)) - set(reference))


def test_nothing_in_latin_or_punctuation_joins_but_cr_lf() -> None:
    # Every ordered pair of characters below U+0300 and of General Punctuation and currency
    # signs that the shortcut accepts stands side by side somewhere in this text; the
    # library's own segmentation of it must agree with the shortcut's.
    code_points = [*range(0x300), *range(0x2000, 0x20D0)]
    chars = [chr(cp) for cp in code_points if NON_JOINING.match(chr(cp))]
    assert "\u2019" in chars and "\u20ac" in chars and "\u200d" not in chars
    text = "".join(a + b for a in chars for b in chars)
    reference = reference_boundaries(text)
    assert grapheme_boundaries(text) == reference
    assert len(reference) == len(text) + 1 - text.count("\r\n")


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
