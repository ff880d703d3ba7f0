"""Train/dev/test splits by document: seeded, deterministic, and never leaking.

A document is in exactly one split. The order documents (or groups of them) are dealt out in
is a keyed hash of the seed and the document's export id (or the group's name), so the same
seed gives the same splits whatever order the documents were imported in, and nothing but the
ids needs to be in memory. With ``--group-by source`` whole sources are dealt out, each to the
split furthest below its share, so that no outlet's boilerplate or style straddles train and
test; the documents without a source form one group.

Near-duplicates (a story and the copies other outlets ran) are always kept in one split, with
or without ``--group-by``: ``together`` names each document's group of near-duplicates, and a
group is dealt out whole (joined with the sources of its members when grouping by source).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.core.union_find import UnionFind

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


def assign(
    keys: Sequence[str],
    groups: Sequence[str | None] | None,
    spec: SplitSpec,
    together: Sequence[str | None] | None = None,
) -> list[int]:
    """The split index of each document (``keys[i]``, in group ``groups[i]``, a near-duplicate
    of the documents whose ``together[i]`` is the same name; None: of none)."""
    if together is not None and any(name is not None for name in together):
        return _deal(keys, _units(keys, groups, together), spec)
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
    return _deal(keys, [group or "" for group in groups], spec)


def _deal(keys: Sequence[str], units: Sequence[str], spec: SplitSpec) -> list[int]:
    """Deal out whole units (``units[i]``: the name of document i's), each to the split
    furthest below its share, in the seeded order of their names."""
    count = len(keys)
    ratios = [ratio for _, ratio in spec.ratios]
    sizes: dict[str, int] = {}
    for name in units:
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
    return [where[name] for name in units]


def _units(
    keys: Sequence[str], groups: Sequence[str | None] | None, together: Sequence[str | None]
) -> list[str]:
    """The unit each document is dealt out in: its group of near-duplicates, or itself;
    grouping by source, its source joined with the sources its near-duplicates are in. A
    unit is named by the smallest name among what it joined (a source, a document's key or a
    group's name), none of which depends on the import order."""
    sets: UnionFind[str] = UnionFind()

    # Prefixes keep a source, a key and a group's name apart (a source may be named like a
    # document); the names only order the units for a seed.
    names = []
    for i, key in enumerate(keys):
        own = "s:" + (groups[i] or "") if groups is not None else "k:" + key
        sets.root(own)
        if together[i] is not None:
            sets.join(own, "g:" + str(together[i]))
        names.append(own)
    return [sets.root(name) for name in names]
