"""Carrying offsets to a near-duplicate: a range maps only where its text is the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.text_alignment import Alignment, map_ranges


def test_ranges_follow_a_new_headline_and_a_changed_word_is_left_out() -> None:
    source = "Old headline\nThe mayor of Springfield met the council on Monday."
    target = "A brand new headline here\nThe mayor of Springfield met the board on Monday."
    mayor = (source.index("mayor"), source.index("mayor") + 5)
    council = (source.index("council"), source.index("council") + 7)
    monday = (source.index("Monday"), source.index("Monday") + 6)
    mapped = map_ranges(source, target, [mayor, council, monday])
    assert mapped[0] is not None and target[slice(*mapped[0])] == "mayor"
    assert mapped[1] is None
    assert mapped[2] is not None and target[slice(*mapped[2])] == "Monday"


def test_code_points_not_utf16() -> None:
    source = "😀 Zoë met Ana."
    target = "News: 😀😀 Zoë met Ana."
    (where,) = map_ranges(source, target, [(2, 5)])
    assert where is not None and target[where[0] : where[1]] == "Zoë"


words = st.sampled_from(["mayor", "council", "river", "Zoë", "met", "😀", "the", "a", "port"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(words, min_size=3, max_size=40),
    st.lists(st.tuples(st.integers(0, 39), words), max_size=4),
    st.lists(words, max_size=5),
    st.data(),
)
def test_a_mapped_range_always_reads_the_same(
    source_words: list[str],
    changes: list[tuple[int, str]],
    headline: list[str],
    data: st.DataObject,
) -> None:
    source = " ".join(source_words)
    changed = list(source_words)
    for index, word in changes:
        changed[index % len(changed)] = word
    target = " ".join(headline) + "\n" + " ".join(changed)
    start = data.draw(st.integers(0, len(source) - 1))
    end = data.draw(st.integers(start + 1, len(source)))
    where = Alignment(source, target).range(start, end)
    if where is not None:
        assert target[where[0] : where[1]] == source[start:end]
    if not changes and not headline:
        # The same text after a line break: every range maps, one place on.
        assert where == (start + 1, end + 1)
