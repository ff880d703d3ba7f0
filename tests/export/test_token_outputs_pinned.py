"""The exact bytes of every token format's export of a varied project, pinned.

The token formats' writers and checks are tuned for speed (benchmarks/bench_export.py); what
they write must not move while they are. The project mixes what an export has to get right:
claims with claimant and cue, a hedged claim, text outside the Basic Multilingual Plane
(a flag, emoji, mathematical letters), a combining mark after a space (a token holding
whitespace), overlapping and nested spans, a span made inside a word (widened), a span across
a sentence break, rejected suggestions, ignored ranges (kept, and cut out with
``drop_ignored``), two annotators' versions, and generated articles of a few hundred tokens.

If an intended change of output makes this fail, compare the old and new exports
(``annotator export``) before changing a digest here.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator.services.exporting import FORMATS, export
from annotator.storage.database import Database
from tests.export.corpus import at, claim, corpus, entity, fill

ODD_TEXT = (
    "𝐁𝐫𝐞𝐚𝐤𝐢𝐧𝐠 🇺🇦 news\n"
    "Mayor Petra Novak said. The port of 𝒱almora closed 😀 today, officials reported.\n"
    "A note ́ here: Drava Power said 12 turbines failed.\n"
)
WORDS = (
    "council port ministry agency flood barrier strike union officials river district airport "
    "minister talks report figures residents engineers weekend power households ferry"
).split()
NAMES = ("Valmora", "Brenmouth", "Marta Ilves", "Petra Novak", "Skylane", "Drava")
LABELS = ("GPE", "GPE", "PERSON", "PERSON", "ORG", "LOC")


def odd_record() -> dict[str, Any]:
    t = ODD_TEXT
    return {
        "id": "odd",
        "title": "Breaking",
        "text": t,
        "source": "wire",
        "entities": [
            entity(t, "o1", "Petra Novak", "PERSON"),
            entity(t, "o2", "Mayor Petra Novak", "PERSON"),
            # Across the sentence break after "said."
            entity(t, "o3", "said. The port", "EVENT"),
            entity(t, "o4", "𝒱almora", "GPE"),
            entity(t, "o5", "😀 today", "DATE"),
            entity(t, "o6", "Drava Power", "ORG"),
            entity(t, "o7", "12 turbines", "QUANTITY"),
            # Inside a word: widened to the token.
            {**entity(t, "o8", "fficials", "ORG")},
            entity(t, "o9", "note ́", "MISC"),
        ],
        "claims": [
            claim(t, "oc1", "The port of 𝒱almora closed", cue="reported", claim_type="event"),
            {
                **claim(
                    t,
                    "oc2",
                    "12 turbines failed",
                    claimant="o6",
                    cue="said",
                    claim_type="quantity",
                    hedged=True,
                ),
                "attributes": {"quantities": [{"figure": "12", "unit": "", "counted": "turbines"}]},
            },
        ],
        "rejected": [
            {"start": at(t, "news")[0], "end": at(t, "news")[1], "label": "ORG"},
            {
                "start": at(t, "officials")[0],
                "end": at(t, "officials")[1],
                "label": "CLAIM",
                "layer": "claim",
            },
        ],
        "ignored": [{"start": at(t, "A note")[0], "end": at(t, "A note")[1] + 1, "reason": "x"}],
        "statuses": {"ana": "done"},
    }


def generated(i: int, rng: random.Random) -> dict[str, Any]:
    """An article of about twenty sentences with entities, claims, claimants and cues."""
    parts: list[str] = [f"Report {i}\n"]
    length = len(parts[0])
    entities: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []

    def add(piece: str) -> tuple[int, int]:
        nonlocal length
        parts.append(piece)
        length += len(piece)
        return length - len(piece), length

    for sentence in range(20):
        k = rng.randrange(len(NAMES))
        who = add(NAMES[k])
        ref = f"g{i}e{len(entities)}"
        entities.append({"id": ref, "start": who[0], "end": who[1], "label": LABELS[k]})
        add(" ")
        cue = add(rng.choice(("said", "claimed", "reported")))
        add(" that ")
        body_start = length
        add(" ".join(rng.choices(WORDS, k=rng.randint(3, 7))))
        add(" ")
        figure = add(f"{rng.randint(2, 900)} {rng.choice(WORDS)}")
        entities.append(
            {"id": f"g{i}q{sentence}", "start": figure[0], "end": figure[1], "label": "QUANTITY"}
        )
        if sentence % 3 == 0:
            claims.append(
                {
                    "id": f"g{i}c{sentence}",
                    "start": body_start,
                    "end": length,
                    "claimant": ref if sentence % 2 == 0 else None,
                    "cue": {"start": cue[0], "end": cue[1]} if sentence % 5 else None,
                    "type": "quantity",
                    "hedged": sentence % 4 == 0,
                }
            )
        add(". " if sentence % 7 else ".\n")
    text = "".join(parts)
    for item in entities + claims:
        item["text"] = text[item["start"] : item["end"]]
    return {
        "id": f"gen{i}",
        "title": f"Report {i}",
        "text": text,
        "source": f"outlet-{i % 3}",
        "entities": entities,
        "claims": claims,
        "statuses": {"ana": "done"},
    }


@pytest.fixture(scope="module")
def varied_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("varied")
    rng = random.Random(7)
    db = Database.open(folder / "project.sqlite")
    fill(db, folder, [*corpus(), odd_record(), *(generated(i, rng) for i in range(6))])
    yield db
    db.close()


def _spacy_content(path: Path) -> bytes:
    """What a DocBin holds, as canonical JSON (its compressed bytes are spaCy's business)."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    docs = []
    for doc in DocBin().from_disk(path).get_docs(Vocab()):
        docs.append(
            {
                "text": doc.text,
                "tokens": [
                    [t.text, t.whitespace_, t.is_sent_start, t.ent_iob_, t.ent_type_] for t in doc
                ],
                "spans": {
                    key: [[s.start, s.end, s.label_] for s in group]
                    for key, group in sorted(doc.spans.items())
                },
                "user_data": sorted(doc.user_data.items(), key=repr),
            }
        )
    return orjson.dumps(docs, option=orjson.OPT_SORT_KEYS)


def _digests(out: Path) -> dict[str, str]:
    """SHA-256 of each file of an export (its manifest aside: it holds the time)."""
    files = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else [out]
    result = {}
    for path in files:
        name = path.relative_to(out).as_posix() if out.is_dir() else path.name
        if name.endswith("manifest.json"):
            continue
        data = _spacy_content(path) if path.suffix == ".spacy" else path.read_bytes()
        result[name] = hashlib.sha256(data).hexdigest()[:16]
    return result


CASES: dict[str, dict[str, Any]] = {
    "done": {"only_done": True},
    "all": {"only_done": False},
    "ana-dropped": {"annotator": "ana", "drop_ignored": True},
}

# Made by the code before the token formats were tuned for speed.
PINNED: dict[tuple[str, str], dict[str, Any]] = {
    ("prodigy", "all"): {
        "files": {"out.jsonl": "74b961a185da890d"},
        "problems": {"annotator-conflict": 1, "misaligned": 2},
        "messages": "7e5e36173086254d",
        "documents": 11,
    },
    ("prodigy", "ana-dropped"): {
        "files": {"out.jsonl": "32a54d7dd5e03a8b"},
        "problems": {"dropped-ignored": 2, "misaligned": 2},
        "messages": "e28f7ad3ad2f550b",
        "documents": 12,
    },
    ("prodigy", "done"): {
        "files": {"out.jsonl": "f57817d81c670839"},
        "problems": {"annotator-conflict": 1, "misaligned": 2},
        "messages": "7e5e36173086254d",
        "documents": 10,
    },
    ("spacy", "all"): {
        "files": {"docs-00000.spacy": "556ab72021537252"},
        "problems": {"annotator-conflict": 1, "misaligned": 2, "overlap": 4},
        "messages": "656ac8292221973c",
        "documents": 11,
    },
    ("spacy", "ana-dropped"): {
        "files": {"docs-00000.spacy": "619da0ca6166c277"},
        "problems": {"dropped-ignored": 2, "misaligned": 2, "overlap": 4},
        "messages": "f0a339b82ae60634",
        "documents": 12,
    },
    ("spacy", "done"): {
        "files": {"docs-00000.spacy": "1f2bfe6196b4bf8a"},
        "problems": {"annotator-conflict": 1, "misaligned": 2, "overlap": 4},
        "messages": "656ac8292221973c",
        "documents": 10,
    },
    ("conll", "all"): {
        "files": {"out.conll": "bba537568797e152"},
        "problems": {
            "annotator-conflict": 1,
            "crosses-sentence": 1,
            "misaligned": 2,
            "overlap": 4,
            "unsafe-token": 1,
        },
        "messages": "f31256bcc01d0f2a",
        "documents": 11,
    },
    ("conll", "ana-dropped"): {
        "files": {"out.conll": "9e6686e7357fa00c"},
        "problems": {"crosses-sentence": 1, "dropped-ignored": 2, "misaligned": 2, "overlap": 4},
        "messages": "66ab1dd904b623f4",
        "documents": 12,
    },
    ("conll", "done"): {
        "files": {"out.conll": "ec094e00bb0c3a42"},
        "problems": {
            "annotator-conflict": 1,
            "crosses-sentence": 1,
            "misaligned": 2,
            "overlap": 4,
            "unsafe-token": 1,
        },
        "messages": "f31256bcc01d0f2a",
        "documents": 10,
    },
    ("hf", "all"): {
        "files": {"data.jsonl": "b9f991df0681187a", "labels.json": "5c37e08821058ea8"},
        "problems": {
            "annotator-conflict": 1,
            "crosses-sentence": 1,
            "misaligned": 2,
            "overlap": 4,
            "unsafe-token": 1,
        },
        "messages": "f31256bcc01d0f2a",
        "documents": 11,
    },
    ("hf", "ana-dropped"): {
        "files": {"data.jsonl": "80379f43d465868d", "labels.json": "d50edb2341498daa"},
        "problems": {"crosses-sentence": 1, "dropped-ignored": 2, "misaligned": 2, "overlap": 4},
        "messages": "66ab1dd904b623f4",
        "documents": 12,
    },
    ("hf", "done"): {
        "files": {"data.jsonl": "cee152b83546ef82", "labels.json": "5c37e08821058ea8"},
        "problems": {
            "annotator-conflict": 1,
            "crosses-sentence": 1,
            "misaligned": 2,
            "overlap": 4,
            "unsafe-token": 1,
        },
        "messages": "f31256bcc01d0f2a",
        "documents": 10,
    },
    ("claims-tsv", "all"): {
        "files": {"out.tsv": "c747cf2064d19331"},
        "problems": {"annotator-conflict": 1},
        "messages": "9ed77c9c08c24cc8",
        "documents": 11,
    },
    ("claims-tsv", "ana-dropped"): {
        "files": {"out.tsv": "858990455937f319"},
        "problems": {"dropped-ignored": 2},
        "messages": "cc6206d79a9b3785",
        "documents": 12,
    },
    ("claims-tsv", "done"): {
        "files": {"out.tsv": "09b7799e3a973087"},
        "problems": {"annotator-conflict": 1},
        "messages": "9ed77c9c08c24cc8",
        "documents": 10,
    },
    ("claims-json", "all"): {
        "files": {"out.jsonl": "2de32e4dcba9e5c0"},
        "problems": {"annotator-conflict": 1},
        "messages": "9ed77c9c08c24cc8",
        "documents": 11,
    },
    ("claims-json", "ana-dropped"): {
        "files": {"out.jsonl": "dadb7c669958bae5"},
        "problems": {"dropped-ignored": 2},
        "messages": "cc6206d79a9b3785",
        "documents": 12,
    },
    ("claims-json", "done"): {
        "files": {"out.jsonl": "2de32e4dcba9e5c0"},
        "problems": {"annotator-conflict": 1},
        "messages": "9ed77c9c08c24cc8",
        "documents": 10,
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("fmt", ["prodigy", "spacy", "conll", "hf", "claims-tsv", "claims-json"])
def test_export_is_byte_identical(varied_db: Database, tmp_path: Path, fmt: str, case: str) -> None:
    suffix = FORMATS[fmt].suffix
    out = tmp_path / ("out" if suffix == "folder" else f"out{suffix}")
    summary = export(varied_db, out, fmt=fmt, **CASES[case])
    assert summary.checked and summary.documents >= 8
    found = {
        "files": _digests(out),
        "problems": dict(sorted(summary.problem_counts.items())),
        # What each problem says, where: the messages are part of the output too.
        "messages": hashlib.sha256(repr(summary.problems).encode()).hexdigest()[:16],
        "documents": summary.documents,
    }
    assert found == PINNED[(fmt, case)]
