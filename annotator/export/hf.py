"""Hugging Face token classification: one JSONL file per split plus ``labels.json``.

A row is one sentence (transformer inputs are limited in length, and CoNLL-style datasets are
per sentence): ``id`` (``<document id>:<sentence index>``), ``document_id``, ``sentence``,
``tokens``, and ``ner_tags`` / ``claim_tags`` as integers. ``labels.json`` holds the names,
``{"ner_tags": ["O", "B-PERSON", "I-PERSON", ...], "claim_tags": ["O", "B-CLAIM",
"I-CLAIM"]}``, in IOB2 order (``O`` first, then ``B-``/``I-`` per label, the schema's labels
first), the same for every split. ``datasets.load_dataset("json", data_files=...)`` and a
``ClassLabel(names=...)`` cast give a ClassLabel dataset (docs/formats.md). Tags are the CoNLL tags
(:mod:`annotator.export.tagging`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import orjson

from annotator.core.tokens import Tokenized
from annotator.export.alignment import valid_iob2
from annotator.export.document import ExportDocument
from annotator.export.read_back import WrittenPieces
from annotator.export.tagging import tagged_sentences
from annotator.export.validation import Findings, is_int, iter_json_lines
from annotator.export.writing import ExportContext, close_output, open_output

FORMAT = "hf"
LABELS = "labels.json"
SUFFIX = ".jsonl"
#: The file of an export without splits.
UNSPLIT = "data"
COLUMNS = ("ner_tags", "claim_tags")


class HfWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)
        self.context = context
        self.written = WrittenPieces(path)

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        assert tokens is not None
        key = doc.key
        entity_ids, claim_ids = self.context.entity_tags, self.context.claim_tags
        lines = [
            orjson.dumps(
                {
                    "id": f"{key}:{sentence.index}",
                    "document_id": key,
                    "sentence": sentence.index,
                    "tokens": sentence.tokens,
                    "ner_tags": entity_ids.ids_of(sentence.entity_tags),
                    "claim_tags": claim_ids.ids_of(sentence.claim_tags),
                },
                option=orjson.OPT_APPEND_NEWLINE,
            )
            for sentence in tagged_sentences(doc, tokens, self.context)
        ]
        # One piece per document, compared as a whole when the file is read back.
        self.handle.write(self.written.add(b"".join(lines)))

    def close(self) -> None:
        close_output(self.handle)

    def read_back(self) -> list[str]:
        return self.written.read_back()


def write_labels(root: Path, context: ExportContext) -> None:
    names = {"ner_tags": context.entity_tags.names, "claim_tags": context.claim_tags.names}
    (root / LABELS).write_bytes(orjson.dumps(names, option=orjson.OPT_INDENT_2) + b"\n")


def read_labels(root: Path, findings: Findings) -> dict[str, list[str]] | None:
    path = root / LABELS
    try:
        names = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        findings.add(str(path), f"cannot be read: {exc}")
        return None
    if not isinstance(names, dict):
        findings.add(str(path), "must be an object with 'ner_tags' and 'claim_tags'")
        return None
    result: dict[str, list[str]] = {}
    for column in COLUMNS:
        tags = names.get(column)
        if not isinstance(tags, list) or not tags or tags[0] != "O":
            findings.add(str(path), f"{column!r} must be a list of tag names starting with 'O'")
            return None
        for i in range(1, len(tags), 2):
            pair = tags[i : i + 2]
            if len(pair) != 2 or not (
                isinstance(pair[0], str)
                and pair[0].startswith("B-")
                and pair[1] == "I-" + pair[0][2:]
            ):
                findings.add(str(path), f"{column!r} is not in IOB2 order at {i}: {pair!r}")
                return None
        result[column] = tags
    return result


def check(path: Path) -> list[str]:
    """Check one split file against ``labels.json`` beside it: integer tags in range, one per
    token, valid IOB2 once decoded, unique row ids; then, if ``datasets`` is installed, load
    the file with it (the real consumer)."""
    findings = Findings()
    names = read_labels(path.parent, findings)
    if names is None:
        return findings.result()
    seen: set[str] = set()
    for where, row in iter_json_lines(path, findings):
        _check_row(row, names, where, findings, seen)
    if not findings.count:
        _load_with_datasets(path, names, findings)
    return findings.result()


def check_written(path: Path) -> list[str]:
    """What is left to check of a split file that reads back exactly as it was written from
    values found clean (:mod:`annotator.export.read_back`): ``labels.json`` beside it, and
    loading it with ``datasets`` when that is installed."""
    findings = Findings()
    names = read_labels(path.parent, findings)
    if names is not None:
        _load_with_datasets(path, names, findings)
    return findings.result()


def _check_row(
    row: dict[str, Any],
    names: dict[str, list[str]],
    where: str,
    findings: Findings,
    seen: set[str],
) -> None:
    row_id = row.get("id")
    if not isinstance(row_id, str) or row_id in seen:
        findings.add(where, f"'id' must be a unique string, got {row_id!r}")
    else:
        seen.add(row_id)
    tokens = row.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(t, str) and t for t in tokens):
        findings.add(where, "'tokens' must be a list of non-empty strings")
        return
    for column in COLUMNS:
        tags = row.get(column)
        if not isinstance(tags, list) or len(tags) != len(tokens):
            findings.add(where, f"{column!r} must have one tag per token")
            continue
        column_names = names[column]
        if not all(is_int(tag) and 0 <= tag < len(column_names) for tag in tags):
            findings.add(where, f"{column!r} holds a value that is not a tag id in {LABELS}")
            continue
        problem = valid_iob2([column_names[tag] for tag in tags])
        if problem is not None:
            findings.add(where, f"{column}: {problem}")


def _load_with_datasets(path: Path, names: dict[str, list[str]], findings: Findings) -> None:
    """Load through ``datasets`` when it is installed; it is never required.

    ``datasets`` caches what it loads under the user's home (``~/.cache/huggingface``) unless
    told otherwise: the check gives it a temporary cache folder, removed when the check ends,
    and keeps the loaded table in memory, so a check leaves nothing anywhere.
    """
    try:
        import datasets  # type: ignore[import-not-found]
    except ImportError:
        return
    if path.stat().st_size == 0:
        return
    # Its progress bars would interleave with the export's own progress.
    bars = getattr(datasets, "is_progress_bar_enabled", lambda: False)()
    if bars:
        datasets.disable_progress_bars()
    with tempfile.TemporaryDirectory(prefix="annotator-hf-check-") as cache:
        try:
            loaded = datasets.load_dataset(
                "json",
                data_files=str(path),
                split="train",
                cache_dir=cache,
                keep_in_memory=True,
            )
            features = loaded.features.copy()
            for column in COLUMNS:
                features[column] = datasets.Sequence(datasets.ClassLabel(names=names[column]))
            loaded.cast(features, keep_in_memory=True)
        except Exception as exc:  # whatever datasets raises
            findings.add(str(path), f"datasets cannot load it: {exc}")
        finally:
            if bars:
                datasets.enable_progress_bars()
