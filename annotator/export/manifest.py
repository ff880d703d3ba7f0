"""``manifest.json``: what an export folder holds and how it was made.

Written into every export that is a folder (every split export, and the brat, spacy and hf
formats): the format, ``"offsets": "codepoint"``, the seed, ratios and grouping of the split,
each split's document ids in file order with its counts, what was left out and why, the counts
of reported problems (and the first of them), the label schema version and the time. A split
export can be checked (``annotator export --check``) and reproduced from it.

``"kind": "annotator-export"`` marks the folder as ours: a later export replaces a folder only
when its manifest has it (see :mod:`annotator.export.ownership`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from annotator.export.problems import ProblemLog
from annotator.export.splitting import SplitSpec
from annotator.export.validation import Findings
from annotator.export.writing import OFFSETS

NAME = "manifest.json"
#: The version of this manifest's own layout (2: ``"kind"`` added).
VERSION = 2
#: ``"kind"``: says that the folder is an Annotator export, which a later export may replace.
KIND = "annotator-export"
#: Keys every manifest of ours has had since the first version.
OWN_KEYS = ("manifest_version", "format", "offsets", "created_at", "label_schema_version", "splits")
#: Keys a version 1 manifest (written before ``"kind"``) has besides those.
_V1_KEYS = ("options", "left_out", "problems")
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
        "kind": KIND,
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


def is_ours(data: object, formats: Iterable[str]) -> bool:
    """Whether ``data`` (a parsed ``manifest.json``) was written by an Annotator export: the
    marker and our own keys, or a version 1 manifest's full set of keys (before the marker)."""
    if not isinstance(data, dict) or any(key not in data for key in OWN_KEYS):
        return False
    if (
        data["format"] not in formats
        or data["offsets"] != OFFSETS
        or not isinstance(data["splits"], dict)
    ):
        return False
    if data.get("kind") == KIND:
        return True
    return data["manifest_version"] == 1 and all(key in data for key in _V1_KEYS)


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
