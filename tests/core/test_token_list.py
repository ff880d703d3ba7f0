"""Tokens kept as offset arrays (annotator/core/tokens.py ``TokenList``): every way of reading
them gives what per-token objects gave."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.tokens import Sentence, Token, Tokenized, tokenize

PIECES = ["The", "word", ".", " ", "  ", "\n", "\u00a0", "\U0001f1fa\U0001f1e6", "e\u0301", "北京"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _objects(text: str) -> Tokenized:
    """The same tokens as separate objects (the representation before offset arrays)."""
    made = tokenize(text)
    return Tokenized(
        tokens=tuple(Token(s, e, text[s:e]) for s, e in zip(made.starts, made.ends, strict=True)),
        sentences=made.sentences,
    )


@settings(max_examples=60, deadline=None)
@given(texts)
def test_offset_arrays_read_like_token_objects(text: str) -> None:
    lazy, objects = tokenize(text), _objects(text)
    assert lazy == objects and objects == lazy
    assert list(lazy.tokens) == list(objects.tokens)
    assert len(lazy.tokens) == len(objects.tokens)
    assert lazy.words(text) == [token.text for token in objects.tokens]
    for index in range(-len(objects.tokens), len(objects.tokens)):
        assert lazy.tokens[index] == objects.tokens[index]
    assert lazy.tokens[1:-1] == objects.tokens[1:-1]
    assert lazy.tokens[::2] == objects.tokens[::2]
    for offset in range(len(text) + 1):
        assert lazy.token_at(offset) == objects.token_at(offset)
        assert lazy.sentence_at(offset) == objects.sentence_at(offset)
        assert lazy.tokens_in(0, offset) == objects.tokens_in(0, offset)
        assert lazy.token_indices(0, offset) == objects.token_indices(0, offset)


def test_built_from_arrays_without_copying() -> None:
    text = "Ships wait. Port shut"
    starts, ends = array("I", [0, 6, 10, 12, 17]), array("I", [5, 10, 11, 16, 21])
    made = Tokenized.from_offsets(text, starts, ends, array("I", [0, 12]), array("I", [11, 21]))
    assert made.starts is starts and made.ends is ends
    assert [t.text for t in made.tokens] == ["Ships", "wait", ".", "Port", "shut"]
    assert made.sentences == (Sentence(0, 11), Sentence(12, 21))
    assert made.token_indices(12, 21) == (3, 5)
    assert made.tokens[-1] == Token(17, 21, "shut")
    with pytest.raises(IndexError):
        made.tokens[5]
    assert made != Tokenized.from_offsets(
        text, starts, array("I", [5, 10, 11, 16, 20]), array("I", [0, 12]), array("I", [11, 21])
    )
