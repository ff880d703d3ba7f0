"""Selection snapping (annotator/core/snapping.py)."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.graphemes import grapheme_boundaries, snap_to_grapheme
from annotator.core.snapping import snap
from annotator.core.text import normalise
from annotator.core.tokens import Tokenized, tokenize

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


@lru_cache(maxsize=256)
def tok(text: str) -> Tokenized:
    return tokenize(text)


def snapped_text(text: str, start: int, end: int, *, char_precision: bool = False) -> str | None:
    result = snap(text, tok(text), start, end, char_precision=char_precision)
    return None if result is None else text[result[0] : result[1]]


TEXT = "  The minister  said: Kyiv's army won.\nNew line " + UKRAINE + FAMILY + " end  "


@pytest.mark.parametrize(
    ("selected", "token_mode", "char_mode"),
    [
        ("inis", "minister", "inis"),
        ("he minister  sa", "The minister  said", "he minister  sa"),
        ("  The", "The", "The"),
        ("said: ", "said:", "said:"),
        ("won.\nNew", "won.\nNew", "won.\nNew"),
        ("iv's ar", "Kyiv's army", "iv's ar"),
    ],
)
def test_examples(selected: str, token_mode: str, char_mode: str) -> None:
    start = TEXT.index(selected)
    end = start + len(selected)
    assert snapped_text(TEXT, start, end) == token_mode
    assert snapped_text(TEXT, start, end, char_precision=True) == char_mode


def test_empty_or_whitespace_only_selection_is_none() -> None:
    assert snap(TEXT, tok(TEXT), 5, 5) is None
    assert snap(TEXT, tok(TEXT), 0, 2) is None
    assert snap(TEXT, tok(TEXT), 0, 2, char_precision=True) is None
    gap = TEXT.index("  said")
    assert snap(TEXT, tok(TEXT), gap, gap + 2) is None
    assert snap("", tok(""), 0, 0) is None
    assert snap(" \n\u00a0\u2028\t ", tok(" \n\u00a0\u2028\t "), 0, 6) is None


def test_reversed_and_out_of_range_selections() -> None:
    start = TEXT.index("minister")
    assert snap(TEXT, tok(TEXT), start + 3, start) == (start, start + len("minister"))
    assert snap(TEXT, tok(TEXT), -10, 5) == (2, 5)
    tail = snap(TEXT, tok(TEXT), TEXT.index("end") + 1, 10_000)
    assert tail is not None
    assert TEXT[tail[0] : tail[1]] == "end"


def test_char_mode_never_splits_a_cluster() -> None:
    flag = TEXT.index(UKRAINE)
    family = TEXT.index(FAMILY)
    assert snapped_text(TEXT, flag + 1, flag + 1 + 1, char_precision=True) == UKRAINE
    assert snapped_text(TEXT, family + 2, family + 3, char_precision=True) == FAMILY
    assert snapped_text(TEXT, flag + 1, family + 1, char_precision=True) == UKRAINE + FAMILY


def test_token_mode_takes_whole_emoji_tokens() -> None:
    family = TEXT.index(FAMILY)
    assert snapped_text(TEXT, family + 2, family + 3) == FAMILY


def test_combining_mark_is_kept_with_its_letter() -> None:
    text = "cafe\u0301 au lait"
    assert snapped_text(text, 3, 4, char_precision=True) == "e\u0301"
    assert snapped_text(text, 0, 4, char_precision=True) == "cafe\u0301"
    assert snapped_text(text, 4, 5, char_precision=True) == "e\u0301"
    assert snapped_text(text, 2, 3) == "cafe\u0301"


def test_space_carrying_a_mark_is_not_whitespace() -> None:
    # A space with a combining accent is a visible character (a cluster), so it is kept.
    text = "a \u0301b c"
    assert snap(text, tok(text), 1, 3, char_precision=True) == (1, 3)
    assert snapped_text(text, 2, 3) == " \u0301b"


def test_crlf_is_trimmed_as_one_cluster() -> None:
    text = "word\r\n"
    assert snap(text, tok(text), 0, 5, char_precision=True) == (0, 4)


def clusters_at_edges(text: str, start: int, end: int) -> tuple[str, str]:
    first_end = snap_to_grapheme(text, start + 1, "forward")
    last_start = snap_to_grapheme(text, end - 1, "backward")
    return text[start:first_end], text[last_start:end]


@settings(max_examples=200, deadline=None)
@given(
    texts,
    st.booleans(),
    st.integers(min_value=-3, max_value=90),
    st.integers(min_value=-3, max_value=90),
    st.booleans(),
)
def test_snapping_properties(
    text: str, nfc: bool, start: int, end: int, char_precision: bool
) -> None:
    if nfc:
        text = normalise(text)
    tokenized = tok(text)
    result = snap(text, tokenized, start, end, char_precision=char_precision)
    lo, hi = sorted((min(max(start, 0), len(text)), min(max(end, 0), len(text))))
    core = text[lo:hi]
    if not core.strip():
        assert result is None
        return
    assert result is not None
    s, e = result
    assert 0 <= s < e <= len(text)
    boundaries = set(grapheme_boundaries(text))
    assert s in boundaries
    assert e in boundaries
    first, last = clusters_at_edges(text, s, e)
    assert not first.isspace()
    assert not last.isspace()
    # Idempotent.
    assert snap(text, tokenized, s, e, char_precision=char_precision) == (s, e)
    # The non-whitespace part of the selection is kept.
    stripped_lo = lo + (len(core) - len(core.lstrip()))
    stripped_hi = hi - (len(core) - len(core.rstrip()))
    assert s <= stripped_lo
    assert stripped_hi <= e
    if char_precision:
        # Only moved as far as the enclosing clusters.
        assert s == snap_to_grapheme(text, stripped_lo, "backward")
        assert e == snap_to_grapheme(text, stripped_hi, "forward")
    else:
        assert tokenized.is_token_aligned(s, e)
        # Every token it touches was touched by the selection (no extra tokens).
        touched = tokenized.token_range(stripped_lo, stripped_hi)
        assert tokenized.token_range(s, e) == touched
