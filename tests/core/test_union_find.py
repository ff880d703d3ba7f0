"""Sets joined by shared members, named by their smallest member whatever the join order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.union_find import UnionFind


def _sets(joins: list[tuple[int, int]]) -> dict[int, int]:
    sets: UnionFind[int] = UnionFind()
    for a, b in joins:
        sets.join(a, b)
    return {x: sets.root(x) for x in sets}


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=40), st.randoms())
def test_the_sets_and_their_names_do_not_depend_on_the_join_order(joins, random) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(joins)
    random.shuffle(shuffled)
    named = _sets(joins)
    assert named == _sets(shuffled)
    for x, name in named.items():
        # The name is the smallest member of the set.
        assert name == min(y for y, other in named.items() if other == name) and name <= x


def test_a_member_never_joined_is_a_set_of_its_own() -> None:
    sets: UnionFind[str] = UnionFind()
    sets.join("b", "c")
    assert sets.root("a") == "a"
    assert sets.root("c") == "b"
    assert list(sets) == ["b", "c", "a"]
