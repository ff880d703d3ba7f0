"""Build ``resources/eval/gold.jsonl`` (native JSONL) from the marked-up ``articles/*.txt`` there.

    .venv/bin/python tools/build_gold.py          # rewrite gold.jsonl
    .venv/bin/python tools/build_gold.py --check  # exit 1 if gold.jsonl is stale

Offsets are counted by this script, never by hand. The output is deterministic (files in name
order, spans in text order, fixed key order), so rebuilding gives the same bytes and a test
can check that ``gold.jsonl`` is what the articles say.

An article file is a few ``key: value`` header lines (``id``, ``source``, any other key goes
into ``meta``), a line ``---``, then the article text with inline markup:

* ``[Teodor Haskel](PERSON)`` an entity; ``[Teodor Haskel](PERSON:haskel)`` also names it
  ``haskel`` so a claim can cite it as its claimant;
* ``<reported>(c1)`` a claim cue named ``c1``;
* ``{33 strikes hit 49 targets}(quantity,hedged,by=haskel,cue=c1)`` a claim of that type,
  hedged or not, with its claimant and cue (both optional); entities nest inside claims;
* ``⟦...⟧`` boilerplate: an ignored range (the outlet's appeal, the comment footer).

The characters ``[ ] { } < > ⟦ ⟧`` are markup only; the article text never contains them.
Every span must be token-aligned with the project tokenizer (checked here).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "resources" / "eval"
ARTICLES = EVAL / "articles"
GOLD = EVAL / "gold.jsonl"
ANNOTATOR = "eval"
CLAIM_TYPES = ("quantity", "event", "quote", "causal", "prediction", "other")
_OPEN = {"[": "entity", "{": "claim", "<": "cue", "⟦": "ignored"}
_CLOSE = {"]": "entity", "}": "claim", ">": "cue", "⟧": "ignored"}


class MarkupError(ValueError):
    pass


@dataclass
class Marked:
    kind: str
    start: int
    end: int
    spec: str = ""


@dataclass
class Article:
    name: str
    header: dict[str, str]
    text: str
    marks: list[Marked] = field(default_factory=list)


def parse(name: str, source: str) -> Article:
    head, sep, body = source.partition("\n---\n")
    if not sep:
        raise MarkupError(f"{name}: no '---' line after the header")
    header: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            raise MarkupError(f"{name}: header line {line!r} is not 'key: value'")
        header[key.strip()] = value.strip()
    out: list[str] = []
    length = 0
    stack: list[tuple[str, int, int]] = []
    marks: list[Marked] = []
    i = 0
    body = body.rstrip("\n")
    while i < len(body):
        char = body[i]
        if char in _OPEN:
            stack.append((_OPEN[char], length, i))
            i += 1
            continue
        if char in _CLOSE:
            if not stack or stack[-1][0] != _CLOSE[char]:
                raise MarkupError(f"{name}: unbalanced {char!r} at {_where(body, i)}")
            kind, start, _ = stack.pop()
            i += 1
            spec = ""
            if kind != "ignored":
                if i >= len(body) or body[i] != "(":
                    raise MarkupError(f"{name}: {char!r} without '(...)' at {_where(body, i)}")
                close = body.index(")", i)
                spec = body[i + 1 : close]
                i = close + 1
            marks.append(Marked(kind, start, length, spec))
            continue
        out.append(char)
        length += 1
        i += 1
    if stack:
        raise MarkupError(f"{name}: unclosed markup opened at {_where(body, stack[-1][2])}")
    return Article(name, header, "".join(out), marks)


def _where(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line + 4} (approx.), near {text[max(0, index - 30) : index + 10]!r}"


def record(article: Article) -> dict:
    text = article.text
    entities: list[dict] = []
    keys: dict[str, str] = {}
    cues: dict[str, tuple[int, int]] = {}
    claims: list[tuple[Marked, dict]] = []
    ignored: list[dict] = []
    for mark in sorted(article.marks, key=lambda m: (m.start, -m.end)):
        piece = text[mark.start : mark.end]
        if piece != piece.strip() or not piece:
            raise MarkupError(f"{article.name}: span {piece!r} is empty or padded with spaces")
        if mark.kind == "entity":
            label, _, key = mark.spec.partition(":")
            ref = f"T{len(entities) + 1}"
            if key:
                if key in keys:
                    raise MarkupError(f"{article.name}: entity key {key!r} used twice")
                keys[key] = ref
            entities.append(
                {
                    "id": ref,
                    "start": mark.start,
                    "end": mark.end,
                    "label": label,
                    "text": piece,
                    "annotator": ANNOTATOR,
                    "origin": "manual",
                }
            )
        elif mark.kind == "cue":
            if mark.spec in cues:
                raise MarkupError(f"{article.name}: cue key {mark.spec!r} used twice")
            cues[mark.spec] = (mark.start, mark.end)
        elif mark.kind == "claim":
            claims.append((mark, {}))
        else:
            ignored.append({"start": mark.start, "end": mark.end, "reason": "boilerplate"})
    claim_records: list[dict] = []
    for number, (mark, _) in enumerate(claims, start=1):
        parts = [p.strip() for p in mark.spec.split(",") if p.strip()]
        claim_type, *flags = parts
        if claim_type not in CLAIM_TYPES:
            raise MarkupError(f"{article.name}: claim type {claim_type!r}")
        claimant = None
        cue = None
        hedged = False
        for flag in flags:
            if flag == "hedged":
                hedged = True
            elif flag.startswith("by="):
                claimant = keys.get(flag[3:])
                if claimant is None:
                    raise MarkupError(f"{article.name}: no entity named {flag[3:]!r}")
            elif flag.startswith("cue="):
                if flag[4:] not in cues:
                    raise MarkupError(f"{article.name}: no cue named {flag[4:]!r}")
                cue = cues[flag[4:]]
            else:
                raise MarkupError(f"{article.name}: unknown claim flag {flag!r}")
        claim_records.append(
            {
                "id": f"C{number}",
                "start": mark.start,
                "end": mark.end,
                "text": text[mark.start : mark.end],
                "claimant": claimant,
                "cue": None if cue is None else {"start": cue[0], "end": cue[1]},
                "type": claim_type,
                "hedged": hedged,
                "annotator": ANNOTATOR,
                "origin": "manual",
            }
        )
    header = dict(article.header)
    doc_id = header.pop("id")
    source = header.pop("source")
    return {
        "id": doc_id,
        "title": text.split("\n", 1)[0],
        "text": text,
        "source": source,
        "meta": header,
        "annotator": ANNOTATOR,
        "offsets": "codepoint",
        "entities": entities,
        "claims": claim_records,
        "ignored": ignored,
        "status": "done",
    }


def check_alignment(rec: dict) -> list[str]:
    """Problems: spans that are not token-aligned or overlap where they must not."""
    sys.path.insert(0, str(ROOT))
    from annotator.core.tokens import tokenize

    tokens = tokenize(rec["text"])
    problems = []
    spans = [(e["start"], e["end"], e["text"]) for e in rec["entities"]]
    spans += [(c["start"], c["end"], c["text"]) for c in rec["claims"]]
    spans += [(c["cue"]["start"], c["cue"]["end"], "cue") for c in rec["claims"] if c["cue"]]
    for start, end, piece in spans:
        if not tokens.is_token_aligned(start, end):
            problems.append(f"{rec['id']}: {piece!r} ({start}..{end}) is not token-aligned")
    ordered = sorted(rec["entities"], key=lambda e: e["start"])
    for before, after in pairwise(ordered):
        if after["start"] < before["end"]:
            problems.append(f"{rec['id']}: entities {before['text']!r} and {after['text']!r}")
    for entity in rec["entities"] + rec["claims"]:
        for rng in rec["ignored"]:
            if entity["start"] < rng["end"] and rng["start"] < entity["end"]:
                problems.append(f"{rec['id']}: {entity['text']!r} is inside boilerplate")
    return problems


def build() -> str:
    lines = []
    problems: list[str] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        rec = record(parse(path.name, path.read_text(encoding="utf-8")))
        problems += check_alignment(rec)
        lines.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    if problems:
        raise MarkupError("\n".join(problems))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check gold.jsonl is current")
    args = parser.parse_args()
    try:
        built = build()
    except MarkupError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.check:
        current = GOLD.read_text(encoding="utf-8") if GOLD.exists() else ""
        if current != built:
            print("gold.jsonl is stale: run tools/build_gold.py", file=sys.stderr)
            return 1
        return 0
    GOLD.write_text(built, encoding="utf-8", newline="\n")
    count = built.count("\n")
    print(f"wrote {GOLD} ({count} articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
