"""The token formats read from plain rows (:mod:`annotator.export.token_rows`) write exactly
what they wrote from core values, byte for byte, and the light spans hold what the stored
``Span`` values hold, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.core.model import Layer
from annotator.export.document import RowSpan
from annotator.export.splitting import parse_split
from annotator.services import exporting
from annotator.services.exporting import export
from annotator.storage.database import Database

# The varied project of the native export's comparison, on both backends: the same fixtures.
from tests.export.test_native_rows import project as project
from tests.export.test_native_rows import project_ids as project_ids

OPTIONS: list[dict[str, Any]] = [
    {},
    {"only_done": True},
    {"annotator": "ben"},
    {"annotator": "ana", "only_done": True},
    {"gold": True},
    {"gold": True, "annotator": "ana"},
    {"gold_only": True},
    {"split": "train=0.5,test=0.5"},
]


def _files(out: Path) -> dict[str, bytes]:
    """Every file of an export by its name (the manifest aside: it holds the time)."""
    if out.is_file():
        return {"": out.read_bytes()}
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }


def _spacy_docs(out: Path) -> list[tuple[Any, ...]]:
    """A DocBin's documents as comparable values (its bytes hold a set's order)."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("xx").vocab
    found = []
    for path in sorted(out.rglob("*.spacy")):
        for doc in DocBin().from_disk(path).get_docs(vocab):
            groups = {
                name: [(s.start_char, s.end_char, s.label_) for s in group]
                for name, group in doc.spans.items()
            }
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            found.append((doc.text, ents, groups, doc.user_data))
    return found


@pytest.mark.parametrize("fmt", ["prodigy", "spacy", "conll", "hf"])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "default")
def test_rows_write_what_core_values_wrote(
    project: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    options: dict[str, Any],
) -> None:
    options = dict(options)
    if "split" in options:
        options["split"] = parse_split(options["split"], seed=3)
    suffix = exporting.FORMATS[fmt].suffix
    suffix = "" if suffix == "folder" else suffix
    new, old = tmp_path / f"rows{suffix}", tmp_path / f"values{suffix}"
    # batch=2: documents spread over batches, some batches with gaps in their ids.
    fresh = export(project, new, fmt=fmt, batch=2, **options)
    monkeypatch.setattr(exporting, "_token_rows", lambda spec, drop_ignored: False)
    before = export(project, old, fmt=fmt, batch=2, **options)
    if fmt == "spacy":
        assert _spacy_docs(new) == _spacy_docs(old)
    else:
        assert _files(new) == _files(old)
    assert fresh.documents == before.documents > 0
    assert (fresh.entities, fresh.claims) == (before.entities, before.claims)
    assert fresh.problem_counts == before.problem_counts
    assert fresh.checked and before.checked


def test_light_spans_hold_what_stored_spans_hold(project: Database) -> None:
    """Field by field, for every document and its owner: including a claim without its
    details row, a claim with quantities, attributes, an empty imported id and gold."""
    with project.read() as store:
        ids = sorted(store.document_ids())
        spans = store.spans_by_documents(ids)
    annotators = sorted({s.annotator for found in spans.values() for s in found})
    # With gold, everyone's spans are read and each document keeps its owner's.
    plan = exporting._Plan(gold=True, ids=ids)
    compared = 0
    for owner in [*annotators, None]:
        plan.annotators = [owner] * len(ids)
        with project.read() as store:
            light = exporting._load_rows(store, plan, ids, 0, None)
            stored = exporting._load(store, exporting.get("prodigy"), plan, ids, 0, None, False)
        assert len(light) == len(stored) == len(ids)
        for mine, theirs in zip(light, stored, strict=True):
            fields = ("id", "external_id", "title", "text", "source")
            assert [getattr(mine.document, f) for f in fields] == [
                getattr(theirs.document, f) for f in fields
            ]
            assert all(type(span) is RowSpan for span in mine.spans)
            assert [tuple(span) for span in mine.spans] == [
                tuple(getattr(span, name) for name in RowSpan._fields) for span in theirs.spans
            ]
            assert mine.annotator == theirs.annotator == owner
            compared += len(mine.spans)
    assert len(annotators) >= 3 and compared > 10
    every = [span for found in spans.values() for span in found]
    claims = [s for s in every if s.layer is Layer.CLAIM]
    assert any(s.claim is not None and s.claim.hedged for s in claims)
    assert any(s.claim is not None and s.claim.cue is not None for s in claims)
    assert any("quantities" in s.attributes for s in claims)
    assert any(s.ref == "" for s in every)
