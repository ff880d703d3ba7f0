"""Grouping the same claim across articles: how the work grows with the number of claims.

For N claims (seeded, so every run measures the same data) spread over N / 3 articles, one
claim in ten is a story reported again by two to four other outlets in other words (the same
figure, person and place, the other words drawn anew); the rest are claims of their own (see
:func:`corpus` for how figures, names and words are drawn). Then, in the same run:

* floor: :func:`annotator.core.claim_groups.record` for every claim plus its bucket keys, a
  linear pass that any grouping pays;
* group: :func:`annotator.core.claim_groups.group_claims`;
* pairs tried against all pairs (N × (N - 1) / 2), and how many of the planted reports were
  found in one group.

Near-linear means pairs tried grow far slower than all pairs (sixteenfold per fourfold N).
The bound is N × buckets per claim × MAX_BUCKET / 2: a bucket grows with the corpus until it
is too full to compare by. Groups can outnumber planted stories: the generator draws small
figures, common people and places often, and two stories it drew alike are one claim.

    python benchmarks/bench_claim_groups.py [--sizes 2000 8000 32000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from annotator.core.claim_figures import claim_figures
from annotator.core.claim_groups import (
    ClaimRecord,
    bucket_keys,
    candidate_pairs,
    group_claims,
    record,
)

NOUNS = (
    "air strikes sorties shells drones missiles soldiers civilians refugees tonnes "
    "trucks homes schools hospitals bridges villages flights ships barrels"
).split()
#: Words of a news corpus follow Zipf's law: a few very common, most rare.
VOCABULARY = 20_000


def _word(rng: random.Random, rank: int) -> str:
    letters = "".join("aeioubcdfghklmnprstvz"[(rank >> (4 * i)) % 21] for i in range(4))
    return f"{letters}{rank % 7}"


def _zipf_rank(rng: random.Random, size: int) -> int:
    """A rank in ``0..size-1`` drawn with probability about proportional to 1 / (rank + 1)."""
    return min(size - 1, int(size ** rng.random()) - 1)


def _name(rng: random.Random, pool: int, prefix: str) -> str:
    return f"{prefix}{_word(rng, _zipf_rank(rng, pool)).capitalize()}"


def _claim_text(rng: random.Random, figure: int, noun: str, person: str, place: str) -> str:
    words = [_word(rng, _zipf_rank(rng, VOCABULARY)) for _ in range(10)]
    return f"{person} said {' '.join(words[:4])} {figure} {noun} in {place} {' '.join(words[4:])}"


def corpus(size: int, seed: int = 7) -> tuple[list[tuple[int, int, str, list[str]]], int]:
    """``(claim id, document id, text, entities)`` for ``size`` claims, and how many planted
    report groups there are. Figures are spread evenly over orders of magnitude (2 to a
    million), people and places are drawn Zipf-like from pools that grow with the corpus (a
    larger corpus covers more of the world), the words from a Zipf vocabulary."""
    rng = random.Random(seed)
    claims: list[tuple[int, int, str, list[str]]] = []
    documents = max(1, size // 3)
    planted = 0
    while len(claims) < size:
        figure = int(10 ** rng.uniform(0.3, 6))
        noun = rng.choice(NOUNS)
        person = _name(rng, max(1000, size // 4), "Gen")
        place = _name(rng, max(300, size // 20), "Port")
        reports = rng.randrange(3, 6) if rng.random() < 0.1 else 1
        planted += reports > 1
        for _ in range(reports):
            text = _claim_text(rng, figure, noun, person, place)
            claims.append((len(claims), rng.randrange(documents), text, [person, place]))
    return claims[:size], planted


def _records(claims: list[tuple[int, int, str, list[str]]]) -> list[ClaimRecord]:
    return [record(i, d, t, claim_figures(t, {}), e) for i, d, t, e in claims]


def _timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 32000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'claims':>8} {'floor s':>9} {'group s':>9} {'group/floor':>12} "
        f"{'pairs tried':>12} {'all pairs':>14} {'groups':>7} {'planted':>8}"
    )
    for size in args.sizes:
        claims, planted = corpus(size)

        def floor(claims=claims) -> list[ClaimRecord]:  # type: ignore[no-untyped-def]
            made = _records(claims)
            for made_record in made:
                bucket_keys(made_record)
            return made

        floor_s, made = _timed(floor, args.repeat)
        records: list[ClaimRecord] = made  # type: ignore[assignment]
        group_s, groups = _timed(lambda records=records: group_claims(records), args.repeat)
        tried = len(candidate_pairs(records))
        print(
            f"{size:>8,} {floor_s:>9.3f} {group_s:>9.3f} {group_s / floor_s:>12.2f} "
            f"{tried:>12,} {size * (size - 1) // 2:>14,} {len(groups):>7,} {planted:>8,}"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()
