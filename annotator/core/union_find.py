"""Sets joined by a shared member (union-find), each named by its smallest member.

Near-duplicate groups and the units a split deals out are both built this way; naming a set
by its smallest member keeps the result independent of the order the joins came in.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Generic, Protocol, TypeVar


class _Ordered(Hashable, Protocol):
    def __lt__(self, other: object, /) -> bool: ...


T = TypeVar("T", bound=_Ordered)


class UnionFind(Generic[T]):
    def __init__(self) -> None:
        self._parent: dict[T, T] = {}

    def root(self, x: T) -> T:
        """The name of ``x``'s set (``x`` is added as a set of its own if it is new)."""
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # halve the path: later lookups are shorter
            x = parent[x]
        return x

    def join(self, a: T, b: T) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)
            self._parent[high] = low

    def __iter__(self) -> Iterator[T]:
        """Every member seen, in the order first seen."""
        return iter(self._parent)
