"""Train/dev/test splits by document: seeded, deterministic, and never leaking.

A document is in exactly one split. The order documents (or groups of them) are dealt out in
is a keyed hash of the seed and the document's export id (or the group's name), so the same
seed gives the same splits whatever order the documents were imported in, and nothing but the
ids needs to be in memory. With ``--group-by source`` whole sources are dealt out, each to the
split furthest below its share, so that no outlet's boilerplate or style straddles train and
test; the documents without a source form one group.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
#: The split every document is in when no split is asked for.
ALL = "all"


@dataclass(frozen=True, slots=True)
class SplitSpec:
    """Split names and ratios (summing to 1), in the order given; the seed; the grouping."""

    ratios: tuple[tuple[str, float], ...]
    seed: int = 0
    group_by: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.ratios)


def parse_split(text: str, *, seed: int = 0, group_by: str | None = None) -> SplitSpec:
    """``"train=0.8,dev=0.1,test=0.1"``; raises ``ValueError`` saying what is wrong."""
    ratios: list[tuple[str, float]] = []
    for part in text.split(","):
        name, sep, value = part.strip().partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise ValueError(f"{part.strip()!r} is not NAME=RATIO (e.g. train=0.8)")
        try:
            ratio = float(value)
        except ValueError:
            raise ValueError(f"the ratio of {name!r} is not a number: {value.strip()!r}") from None
        if not 0 < ratio <= 1:
            raise ValueError(f"the ratio of {name!r} must be above 0 and at most 1, got {ratio}")
        if any(name == seen for seen, _ in ratios):
            raise ValueError(f"split {name!r} is named twice")
        ratios.append((name, ratio))
    return make_spec(dict(ratios), seed=seed, group_by=group_by)


def make_spec(
    ratios: Mapping[str, float], *, seed: int = 0, group_by: str | None = None
) -> SplitSpec:
    if not ratios:
        raise ValueError("a split needs at least one NAME=RATIO")
    total = sum(ratios.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"split ratios must add up to 1, got {total:g}")
    if group_by not in (None, "source"):
        raise ValueError(f"documents can be grouped by 'source' only, not {group_by!r}")
    for name in ratios:
        if not _NAME.match(name) or name in ("manifest", ALL):
            raise ValueError(f"{name!r} cannot be a split name (letters, digits, _ and -)")
    return SplitSpec(tuple(ratios.items()), seed, group_by)


def rank(seed: int, key: str) -> bytes:
    """The position of ``key`` in the seeded order (a keyed hash: stable across runs)."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8, key=str(seed).encode()).digest()


def quotas(total: int, ratios: Sequence[float]) -> list[int]:
    """Whole counts for ``ratios`` of ``total`` that add up to it (largest remainders)."""
    exact = [total * ratio for ratio in ratios]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(ratios)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def assign(keys: Sequence[str], groups: Sequence[str | None] | None, spec: SplitSpec) -> list[int]:
    """The split index of each document (``keys[i]``, in group ``groups[i]``)."""
    count = len(keys)
    ratios = [ratio for _, ratio in spec.ratios]
    result = [0] * count
    if groups is None:
        order = sorted(range(count), key=lambda i: (rank(spec.seed, keys[i]), keys[i]))
        position = 0
        for split, quota in enumerate(quotas(count, ratios)):
            for i in order[position : position + quota]:
                result[i] = split
            position += quota
        return result
    sizes: dict[str, int] = {}
    for group in groups:
        name = group or ""
        sizes[name] = sizes.get(name, 0) + 1
    targets = [count * ratio for ratio in ratios]
    filled = [0] * len(ratios)
    where: dict[str, int] = {}
    # Groups in seeded order (so the seed matters), each to the split furthest below its
    # target; with few, uneven groups the shares can only be approximate.
    for name in sorted(sizes, key=lambda g: (rank(spec.seed, g), g)):
        split = max(range(len(ratios)), key=lambda s: (targets[s] - filled[s], -s))
        where[name] = split
        filled[split] += sizes[name]
    for i, group in enumerate(groups):
        result[i] = where[group or ""]
    return result
