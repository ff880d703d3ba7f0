"""``manifest.json``: what an export folder holds and how it was made.

Written into every export that is a folder (every split export, and the brat, spacy and hf
formats): the format, ``"offsets": "codepoint"``, the seed, ratios and grouping of the split,
each split's document ids in file order with its counts, what was left out and why, the counts
of reported problems (and the first of them), the label schema version and the time. A split
export can be checked (``annotator export --check``) and reproduced from it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from annotator.export.problems import ProblemLog
from annotator.export.splitting import SplitSpec
from annotator.export.validation import Findings
from annotator.export.writing import OFFSETS

NAME = "manifest.json"
#: The version of this manifest's own layout.
VERSION = 1
#: Problems written out in full.
EXAMPLES = 100


def build(
    *,
    fmt: str,
    spec: SplitSpec | None,
    splits: dict[str, dict[str, Any]],
    options: dict[str, Any],
    left_out: dict[str, int],
    problems: ProblemLog,
    schema_version: int,
    notes: dict[str, Any],
    gold: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "manifest_version": VERSION,
        "format": fmt,
        "offsets": OFFSETS,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "label_schema_version": schema_version,
        "seed": None if spec is None else spec.seed,
        "ratios": None if spec is None else dict(spec.ratios),
        "group_by": None if spec is None else spec.group_by,
        "options": options,
        "splits": splits,
        "left_out": left_out,
        # With --gold: that the adjudicated gold layer was used, and for how many documents.
        **({"gold": gold} if gold is not None else {}),
        "problems": dict(sorted(problems.counts.items())),
        "problem_examples": [
            {
                "document": p.document,
                "kind": p.kind,
                "message": p.message,
                "text": p.text,
                "start": p.start,
                "end": p.end,
            }
            for p in problems.kept[:EXAMPLES]
        ],
        **notes,
    }


def write(root: Path, manifest: dict[str, Any]) -> None:
    (root / NAME).write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")


def read(root: Path, fmt: str, findings: Findings) -> dict[str, Any] | None:
    """The manifest of the export at ``root``, checked: format, offsets, disjoint splits."""
    path = root / NAME
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        findings.add(str(path), f"cannot be read: {exc}")
        return None
    if not isinstance(data, dict) or not isinstance(data.get("splits"), dict):
        findings.add(str(path), "must be an object with 'splits'")
        return None
    if data.get("format") != fmt:
        findings.add(str(path), f"is for format {data.get('format')!r}, not {fmt!r}")
        return None
    if data.get("offsets") != OFFSETS:
        findings.add(str(path), f"'offsets' must be {OFFSETS!r}")
    owner: dict[str, str] = {}
    for name, split in data["splits"].items():
        ids = split.get("ids") if isinstance(split, dict) else None
        if not isinstance(ids, list):
            findings.add(str(path), f"split {name!r} has no 'ids' list")
            continue
        if split.get("documents") != len(ids):
            findings.add(str(path), f"split {name!r}: 'documents' is not the number of ids")
        for doc_id in ids:
            if doc_id in owner:
                findings.add(
                    str(path), f"document {doc_id!r} is in split {owner[doc_id]!r} and {name!r}"
                )
            owner[doc_id] = name
    return data
