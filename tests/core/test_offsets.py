"""Code points <-> UTF-16 code units (annotator/core/offsets.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.offsets import Utf16Table
from annotator.core.text import normalise

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
UKRAINE = "\U0001f1fa\U0001f1e6"
BRITAIN = "\U0001f1ec\U0001f1e7"
THUMBS_MEDIUM = "\U0001f44d\U0001f3fd"

HINDI = "\u0915\u094d\u0937\u0947\u0924\u094d\u0930"  # क्षेत्र: two conjuncts
BENGALI = "\u0995\u09cd\u09b7\u09ae\u09a4\u09be"  # ক্ষমতা
THAI = "\u0e40\u0e01\u0e21\u0e19\u0e49\u0e33"  # เกมน้ำ: a preposed vowel, tone mark, SARA AM
ARABIC = "\u0628\u0650\u0633\u0652\u0645\u0650"  # بِسْمِ: letters with harakat
ARABIC_NUMBER = "\u0600\u0661\u0662"  # ARABIC NUMBER SIGN over the first digit of 12
PHOENIX = "\U0001f426\u200d\U0001f525"  # 🐦‍🔥 (Emoji 15.1)
WALKING_RIGHT = "\U0001f6b6\U0001f3fd\u200d\u27a1\ufe0f"  # 🚶🏽‍➡️ (Emoji 15.1)

# The shared alphabet of the property tests (the same pieces in each test module).
PIECES = [
    "The", "word", "Russia", "difference", ".", ",", " ", "  ", "\n", "\u00a0", "\t", "\u2028",
    "\U0001f600", THUMBS_MEDIUM, UKRAINE, BRITAIN, FAMILY, "北京", "東京", "e\u0301", "a\u0308",
    HINDI, BENGALI, THAI, ARABIC, ARABIC_NUMBER, PHOENIX, WALKING_RIGHT,
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_no_astral_characters_is_the_identity() -> None:
    text = "Plain text, café, 北京, \u2028 and NBSP\u00a0."
    table = Utf16Table(text)
    assert not table.has_astral
    assert table.len_utf16 == table.len_codepoints == len(text)
    for i in range(len(text) + 1):
        assert table.to_utf16(i) == i
        assert table.to_codepoint(i) == i


def test_astral_characters_shift_offsets() -> None:
    text = "a\U0001f600b" + UKRAINE + "c"
    table = Utf16Table(text)
    assert table.has_astral
    assert table.len_codepoints == 6
    assert table.len_utf16 == 9
    assert [table.to_utf16(i) for i in range(7)] == [0, 1, 3, 4, 6, 8, 9]
    assert [table.to_codepoint(u) for u in range(10)] == [0, 1, 1, 2, 3, 3, 4, 4, 5, 6]


def test_offset_inside_a_surrogate_pair_rounds_down() -> None:
    table = Utf16Table("\U0001f600\U0001f600")
    assert table.to_codepoint(1) == 0
    assert table.to_codepoint(3) == 1
    assert table.to_codepoint(4) == 2


def test_ranges() -> None:
    text = "x\U0001f600y" + FAMILY
    table = Utf16Table(text)
    assert table.range_to_utf16(0, len(text)) == (0, table.len_utf16)
    assert table.range_to_utf16(1, 2) == (1, 3)
    assert table.range_to_codepoint(1, 3) == (1, 2)
    # Ends inside a pair round outwards, so the character is covered.
    assert table.range_to_codepoint(2, 2) == (1, 1)
    assert table.range_to_codepoint(1, 2) == (1, 2)
    assert table.range_to_codepoint(2, 4) == (1, 3)
    assert table.range_to_codepoint(4, 2) == (3, 1)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert table.range_to_codepoint(*table.range_to_utf16(start, end)) == (start, end)


def test_out_of_range_offsets_raise() -> None:
    table = Utf16Table("a\U0001f600")
    with pytest.raises(ValueError, match="outside"):
        table.to_utf16(3)
    with pytest.raises(ValueError, match="outside"):
        table.to_utf16(-1)
    with pytest.raises(ValueError, match="outside"):
        table.to_codepoint(4)
    with pytest.raises(ValueError, match="outside"):
        Utf16Table("").to_codepoint(1)
    assert table.to_codepoint(3) == 2


def test_empty_text() -> None:
    table = Utf16Table("")
    assert table.len_utf16 == 0
    assert table.to_utf16(0) == 0
    assert table.to_codepoint(0) == 0


def test_large_text_with_many_astral_characters() -> None:
    text = ("word \U0001f600 " + UKRAINE + " ") * 5_000
    table = Utf16Table(text)
    assert table.len_utf16 == utf16_len(text)
    for i in range(0, len(text) + 1, 997):
        assert table.to_utf16(i) == utf16_len(text[:i])
        assert table.to_codepoint(table.to_utf16(i)) == i


@settings(max_examples=200)
@given(texts, st.booleans())
def test_round_trip_every_offset(text: str, nfc: bool) -> None:
    if nfc:
        text = normalise(text)
    table = Utf16Table(text)
    assert table.len_utf16 == utf16_len(text)
    for i in range(len(text) + 1):
        u = table.to_utf16(i)
        assert u == utf16_len(text[:i])
        assert table.to_codepoint(u) == i


@settings(max_examples=200)
@given(texts)
def test_every_utf16_offset_maps_to_the_containing_character(text: str) -> None:
    table = Utf16Table(text)
    for u in range(table.len_utf16 + 1):
        i = table.to_codepoint(u)
        assert 0 <= i <= len(text)
        # The code point starts at or before u, and the next one starts after it.
        assert table.to_utf16(i) <= u
        if i < len(text):
            assert table.to_utf16(i + 1) > u
        assert table.range_to_codepoint(u, u) == (i, i)
        if u > 0:
            start, end = table.range_to_codepoint(u - 1, u)
            assert start < end
            assert table.to_utf16(start) <= u - 1
            assert table.to_utf16(end) >= u
