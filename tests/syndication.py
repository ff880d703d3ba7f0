"""Syndicated news for near-duplicate tests: an outlet's own stories, and copies of them run by
other outlets with a new headline, the outlet's footer and a few words changed."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import orjson

SYLLABLES = "ka ro mi te su na lo vi de pa shi gu re to ba ne ki mo ra li zu fe ha do ya".split()
FOOTERS = {
    "wire": "",
    "daily": "\nThis story first ran on the wire. Daily Courier editors added local reporting. "
    "Follow us for more, and sign up for the morning newsletter that lands before breakfast.",
    # A footer longer than most of a story: only leaving it out (it is boilerplate) shows
    # the copy for what it is.
    "herald": "\n"
    + "\n".join(
        f"The Herald appeal, part {n}: independent local journalism is paid for by readers "
        "like you, and every monthly gift keeps a reporter at the council and the courts."
        for n in range(1, 13)
    ),
    "gazette": "\nCopyright the Gazette. Reproduced under licence from the agency. Readers "
    "can write to the letters desk with corrections, comments and tips about local news.",
}


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def sentence(rng: random.Random) -> str:
    return " ".join(word(rng) for _ in range(rng.randint(8, 16))).capitalize() + "."


def story(rng: random.Random, paragraphs: int = 8) -> str:
    """A headline line, then paragraphs of a few sentences (about 2.5 KB)."""
    lines = [sentence(rng)[:-1]]
    lines += [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs)]
    return "\n".join(lines)


def syndicated(text: str, outlet: str, rng: random.Random, changes: int = 3) -> str:
    """The outlet's copy: a new headline, ``changes`` words replaced, its footer appended."""
    _, body = text.split("\n", 1)
    words = body.split(" ")
    for _ in range(changes):
        i = rng.randrange(len(words))
        words[i] = word(rng) + words[i][-1:] if words[i].endswith(".") else word(rng)
    return sentence(rng)[:-1] + "\n" + " ".join(words) + FOOTERS[outlet]


def corpus(
    seed: int, originals: int, copies: int, outlets: tuple[str, ...] = ("daily", "gazette")
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Records of ``originals`` wire stories and ``copies`` copies of some of them (spread
    over ``outlets``, at most one per story and outlet); and each copy's id -> its original's
    id."""
    rng = random.Random(seed)
    records = [
        {"id": f"wire-{i}", "source": "wire", "title": f"wire {i}", "text": story(rng)}
        for i in range(originals)
    ]
    original_of: dict[str, str] = {}
    # An outlet runs a story once (several runs of one story in one outlet would make it
    # that outlet's boilerplate).
    ran: set[tuple[str, int]] = set()
    for j in range(copies):
        outlet = outlets[j % len(outlets)]
        choices = [i for i in range(originals) if (outlet, i) not in ran]
        pick = rng.choice(choices)
        ran.add((outlet, pick))
        base = records[pick]
        copy_id = f"{outlet}-{j}"
        text = syndicated(base["text"], outlet, rng)
        records.append({"id": copy_id, "source": outlet, "title": copy_id, "text": text})
        original_of[copy_id] = base["id"]
    return records, original_of


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path
