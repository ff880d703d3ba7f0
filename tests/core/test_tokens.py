"""The one tokenizer (annotator/core/tokens.py): spaCy blank English + sentencizer, adjusted."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.graphemes import grapheme_boundaries
from annotator.core.text import normalise
from annotator.core.tokens import (
    Sentence,
    Token,
    Tokenized,
    get_nlp,
    tokenize,
    tokenize_many,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
UKRAINE = "\U0001f1fa\U0001f1e6"
BRITAIN = "\U0001f1ec\U0001f1e7"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
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


def token_texts(text: str) -> list[str]:
    return [token.text for token in tokenize(text).tokens]


def sentence_texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in tokenize(text).sentences]


def test_missing_space_after_full_stop_splits_sentences() -> None:
    text = "Your support makes all the difference.Russia has released video"
    assert sentence_texts(text) == [
        "Your support makes all the difference.",
        "Russia has released video",
    ]
    assert token_texts(text)[5:8] == ["difference", ".", "Russia"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("It rose to 47C. Then it fell.", ["47C", ".", "Then"]),
        ("Shares in Acme PLC. fell", ["PLC", "."]),
        ("She holds a PhD. Her brother", ["PhD", ".", "Her"]),
        ("the mark of 47C.", ["47C", "."]),
        ('"It hit 47C." she said', ["47C", ".", '"']),
    ],
)
def test_full_stop_after_an_uppercase_letter_or_digit_is_a_token(
    text: str, words: list[str]
) -> None:
    tokens = token_texts(text)
    first = tokens.index(words[0])
    assert tokens[first : first + len(words)] == words


def test_the_split_full_stop_ends_the_sentence() -> None:
    assert sentence_texts("It rose to 47C. Then it fell.") == ["It rose to 47C.", "Then it fell."]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The U.S. economy grew", "U.S."),  # inner periods: an abbreviation
        ("Life in N.Y.C. is dear", "N.Y.C."),  # not in spaCy's exceptions: inner periods
        ("Acme Inc. said", "Inc."),
        ("On Jan. 5 it rained", "Jan."),
        ("John F. Kennedy spoke", "F."),  # a single letter: an initial
        ("Washington D.C. is", "D.C."),
    ],
)
def test_known_abbreviations_keep_their_full_stop(text: str, kept: str) -> None:
    assert kept in token_texts(text)


def test_headline_without_full_stop_is_its_own_sentence() -> None:
    text = "Russia releases video of prisoner exchange\nRussia has released video. It shows a bus."
    assert sentence_texts(text) == [
        "Russia releases video of prisoner exchange",
        "Russia has released video.",
        "It shows a bus.",
    ]


def test_every_line_break_ends_a_sentence_and_blank_lines_make_none() -> None:
    text = "Headline\n\n  Para one\nPara two\u2028after a line separator\u2029end"
    assert sentence_texts(text) == [
        "Headline",
        "Para one",
        "Para two",
        "after a line separator",
        "end",
    ]


def test_sentences_are_trimmed() -> None:
    text = "  First one.   Second one.  \n\n"
    tokenized = tokenize(text)
    assert sentence_texts(text) == ["First one.", "Second one."]
    assert tokenized.sentences[0] == Sentence(2, 12)


def test_token_offsets_equal_text_slices() -> None:
    text = "Zelensky said: «We will win» — 5,000 troops (approx.) in Kyiv's east."
    for token in tokenize(text).tokens:
        assert text[token.start : token.end] == token.text


def test_no_whitespace_tokens() -> None:
    text = "Two  spaces,\ttab,\u00a0nbsp,\u2028line sep,\u3000ideographic\n\n\nnewlines  "
    tokens = token_texts(text)
    assert tokens == [
        "Two", "spaces", ",", "tab", ",", "nbsp", ",", "line", "sep", ",", "ideographic",
        "newlines",
    ]  # fmt: skip
    assert all(t.strip() == t and t for t in tokens)


def test_empty_and_blank_texts() -> None:
    assert tokenize("") == Tokenized(tokens=(), sentences=())
    assert tokenize(" \n\t\u00a0 ") == Tokenized(tokens=(), sentences=())


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # spaCy splits a flag into two regional indicators; they are merged back.
        ("Flags " + UKRAINE + BRITAIN + " here", ["Flags", UKRAINE, BRITAIN, "here"]),
        # spaCy emits each person and each ZWJ of a family as its own token.
        ("family " + FAMILY + "!", ["family", FAMILY, "!"]),
        (FAMILY + FAMILY, [FAMILY, FAMILY]),
        # A skin tone and a variation selector are split off by spaCy.
        ("ok " + THUMBS_MEDIUM + " \u2764\ufe0f end", ["ok", THUMBS_MEDIUM, "\u2764\ufe0f", "end"]),
        # Tag characters of a subdivision flag.
        ("England " + ENGLAND + " flag", ["England", ENGLAND, "flag"]),
        # A combining mark after a space: spaCy starts a token inside the cluster " \u0301".
        ("a \u0301b", ["a", " \u0301b"]),
        # Combining marks (not normalised) stay with their letter.
        ("cafe\u0301 nai\u0308ve", ["cafe\u0301", "nai\u0308ve"]),
        # Emoji glued to words are separate tokens, still whole clusters.
        ("hi\U0001f600\U0001f600there", ["hi", "\U0001f600", "\U0001f600", "there"]),
        (PHOENIX + "!", [PHOENIX, "!"]),
        # Conjuncts, vowel signs and tone marks stay inside their words.
        (
            "\u0938\u0930\u0915\u093e\u0930 \u0928\u0947 " + HINDI,
            ["\u0938\u0930\u0915\u093e\u0930", "\u0928\u0947", HINDI],
        ),
        (BENGALI + ", x\u0964", [BENGALI, ",", "x", "\u0964"]),
        (THAI + " " + THAI, [THAI, THAI]),
        # A prepended mark stays with the character after it, even where spaCy splits them.
        ("\u0631\u0642\u0645 " + ARABIC_NUMBER + " x", ["\u0631\u0642\u0645", ARABIC_NUMBER, "x"]),
        ("(\u0600)", ["(", "\u0600)"]),
    ],
)
def test_tokens_never_split_grapheme_clusters(text: str, tokens: list[str]) -> None:
    assert token_texts(text) == tokens


def test_lookups() -> None:
    text = "The cat sat.\nA dog ran."
    t = tokenize(text)
    assert [tok.text for tok in t.tokens] == ["The", "cat", "sat", ".", "A", "dog", "ran", "."]
    assert t.token_index_at(0) == 0
    assert t.token_index_at(2) == 0
    assert t.token_index_at(3) is None  # the space
    assert t.token_index_at(4) == 1
    assert t.token_index_at(len(text)) is None
    assert t.token_index_at(-1) is None
    assert t.token_at(5) == Token(4, 7, "cat")
    assert t.token_at(12) is None  # the newline
    assert [tok.text for tok in t.tokens_in(5, 9)] == ["cat", "sat"]
    assert [tok.text for tok in t.tokens_in(3, 4)] == []
    assert [tok.text for tok in t.tokens_in(0, len(text))] == [tok.text for tok in t.tokens]
    assert t.token_range(5, 9) == range(1, 3)
    assert t.is_token_aligned(4, 11)
    assert not t.is_token_aligned(4, 10)
    assert not t.is_token_aligned(5, 11)
    assert not t.is_token_aligned(4, 4)
    assert t.token_indices(4, 12) == (1, 4)
    assert t.token_indices(4, 13) is None
    assert t.sentences == (Sentence(0, 12), Sentence(13, 23))
    assert t.sentence_index_at(0) == 0
    assert t.sentence_at(14) == Sentence(13, 23)
    assert t.sentence_at(12) is None
    assert [tok.text for tok in t.sentence_tokens(1)] == ["A", "dog", "ran", "."]


def test_pipeline_is_blank_built_once_and_shared_between_threads() -> None:
    nlp = get_nlp()
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["sentencizer"]
    assert nlp.max_length > 1_000_000
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(other is nlp for other in pool.map(lambda _: get_nlp(), range(16)))


def test_concurrent_tokenize_matches_serial() -> None:
    docs = [f"Article {i}. Headline {UKRAINE}\nBody text {i} here.Next one." for i in range(40)]
    expected = [tokenize(text) for text in docs]
    barrier = threading.Barrier(4)

    def run(texts: list[str]) -> list[Tokenized]:
        barrier.wait()
        return [tokenize(text) for text in texts]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, [docs] * 4))
    assert all(result == expected for result in results)


def test_tokenize_many_matches_tokenize() -> None:
    docs = ["One. Two.", "", FAMILY + " x", "Head\nBody.", "a \u0301b"]
    expected = [tokenize(text) for text in docs]
    assert list(tokenize_many(docs)) == expected
    assert list(tokenize_many(iter(docs), batch_size=2)) == expected
    assert list(tokenize_many([])) == []
    with pytest.raises(ValueError, match="batch_size"):
        list(tokenize_many(docs, batch_size=0))


def test_long_document() -> None:
    paragraph = "The minister said the economy grew by 5% in 2024.It was \u201cstrong\u201d. "
    text = "Headline of the day\n" + "\n".join([paragraph * 5] * 160)
    tokenized = tokenize(text)
    assert len(text) > 50_000
    assert tokenized.sentences[0] == Sentence(0, len("Headline of the day"))
    assert all(text[t.start : t.end] == t.text for t in tokenized.tokens)


def check_invariants(text: str, tokenized: Tokenized) -> None:
    tokens = tokenized.tokens
    boundaries = set(grapheme_boundaries(text))
    previous_end = 0
    covered = [False] * len(text)
    for token in tokens:
        assert previous_end <= token.start < token.end <= len(text)
        assert token.text == text[token.start : token.end]
        assert not token.text.isspace()
        assert token.start in boundaries
        assert token.end in boundaries
        for i in range(token.start, token.end):
            covered[i] = True
        previous_end = token.end
    # Every character outside the tokens is whitespace.
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))
    # Sentences: ordered, trimmed to tokens, and every token in exactly one of them.
    counts = [0] * len(tokens)
    previous_end = 0
    for index, sentence in enumerate(tokenized.sentences):
        assert previous_end <= sentence.start < sentence.end
        inside = tokenized.sentence_tokens(index)
        assert inside
        assert inside[0].start == sentence.start
        assert inside[-1].end == sentence.end
        for token in inside:
            counts[tokens.index(token)] += 1
        previous_end = sentence.end
    assert all(count == 1 for count in counts)
    # No sentence spans a line break.
    for sentence in tokenized.sentences:
        assert "\n" not in text[sentence.start : sentence.end]
        assert "\u2028" not in text[sentence.start : sentence.end]
    # Lookups agree with the token list.
    for i in range(len(text) + 1):
        index = tokenized.token_index_at(i)
        if index is None:
            assert not any(t.start <= i < t.end for t in tokens)
        else:
            assert tokens[index].start <= i < tokens[index].end


@settings(max_examples=150, deadline=None)
@given(texts, st.booleans())
def test_tokenization_invariants(text: str, nfc: bool) -> None:
    if nfc:
        text = normalise(text)
    check_invariants(text, tokenize(text))


@settings(max_examples=40, deadline=None)
@given(st.lists(texts, max_size=6), st.integers(min_value=1, max_value=4))
def test_tokenize_many_property(docs: list[str], batch_size: int) -> None:
    assert list(tokenize_many(docs, batch_size=batch_size)) == [tokenize(t) for t in docs]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Talks failed. “We will strike,” she said. “Not today.”",
            ["Talks failed.", "“We will strike,” she said.", "“Not today.”"],
        ),
        ('He left. "Never," she said.', ["He left.", '"Never," she said.']),
        ("Vote held. « Non », dit-il.", ["Vote held.", "« Non », dit-il."]),
        # A closing mark glued to the sentence's last word stays with it.
        ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
    ],
)
def test_an_opening_quotation_mark_starts_the_next_sentence(
    text: str, sentences: list[str]
) -> None:
    tokenized = tokenize(text)
    assert [text[s.start : s.end] for s in tokenized.sentences] == sentences
