"""The whole fixture corpus through every format: each export reads back cleanly, is loaded by
its real consumer where one is installed, and says what it changed or left out."""

from __future__ import annotations

import itertools
from pathlib import Path

import orjson
import pytest

from annotator.core.model import Layer
from annotator.export.checking import check_export
from annotator.services.exporting import FORMATS, ExportSummary, export
from annotator.storage.database import Database

TOKEN_FORMATS = ("prodigy", "spacy", "conll", "hf")


def _out(tmp_path: Path, fmt: str) -> Path:
    suffix = FORMATS[fmt].suffix
    return tmp_path / ("out" if suffix == "folder" else f"out{suffix}")


def _export(db: Database, tmp_path: Path, fmt: str, **options: object) -> ExportSummary:
    options.setdefault("only_done", True)
    return export(db, _out(tmp_path, fmt), fmt=fmt, **options)  # type: ignore[arg-type]


def _ana_spans(db: Database) -> dict[str, list]:
    with db.read() as store:
        return {
            store.document(i).external_id or "": store.spans(i, "ana") for i in store.document_ids()
        }


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_reads_back_and_counts_what_is_left_out(
    corpus_db: Database, tmp_path: Path, fmt: str
) -> None:
    summary = _export(corpus_db, tmp_path, fmt)
    assert summary.checked and check_export(summary.path, fmt) == []
    # flag, nested and boiler are done by ana alone; draft is not done; pair is done by two.
    assert (summary.documents, summary.skipped_not_done, summary.skipped_conflicts) == (
        (4, 1, 0) if fmt == "annotator" else (3, 1, 1)
    )
    counts = summary.problem_counts
    if fmt != "annotator":
        assert counts["annotator-conflict"] == 1
        assert any(p.document == "pair" for p in summary.problems)
    if fmt in TOKEN_FORMATS:
        (widened,) = [p for p in summary.problems if p.kind == "misaligned"]
        assert (widened.document, widened.text) == ("nested", "ship")
        assert "'ships'" in widened.message
    else:
        assert "misaligned" not in counts
    if fmt in ("spacy", "conll", "hf"):
        overlapped = {p.text for p in summary.problems if p.kind == "overlap"}
        assert overlapped == {"Valmora", "Authority of Valmora reported", "ships"}


def test_spacy_docbin_holds_every_span_and_spacy_training_reads_it(
    corpus_db: Database, tmp_path: Path
) -> None:
    import spacy
    from spacy.training import Corpus

    summary = _export(corpus_db, tmp_path, "spacy")
    nlp = spacy.blank("en")
    examples = list(Corpus(str(summary.path))(nlp))
    docs = {ex.reference.user_data["id"]: ex.reference for ex in examples}
    assert sorted(docs) == ["boiler", "flag", "nested"]
    for key, spans in _ana_spans(corpus_db).items():
        if key not in docs:
            continue
        doc = docs[key]
        groups = {
            Layer.ENTITY: {(s.start_char, s.end_char, s.label_) for s in doc.spans["entities"]},
            Layer.CLAIM: {(s.start_char, s.end_char, s.label_) for s in doc.spans["claims"]},
        }
        for span in spans:
            start, end = span.start, span.end
            if (key, doc.text[start:end]) == ("nested", "ship"):
                end += 1  # widened to the whole token, and reported
            found = doc.char_span(start, end, alignment_mode="strict")
            assert found is not None and found.text == doc.text[start:end]
            assert (start, end, span.label) in groups[span.layer]
        ents = [(e.start_char, e.end_char) for e in doc.ents]
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(ents))
        for claim in doc.user_data["claims"]:
            cue = claim["cue"]
            assert doc.char_span(cue["start"], cue["end"], alignment_mode="strict") is not None


def test_prodigy_spans_are_found_by_spacy_tokenizer_strictly(
    corpus_db: Database, tmp_path: Path
) -> None:
    import spacy

    nlp = spacy.blank("en")
    summary = _export(corpus_db, tmp_path, "prodigy")
    records = [orjson.loads(line) for line in summary.path.read_bytes().splitlines()]
    assert [r["meta"]["id"] for r in records] == ["flag", "nested", "boiler"]
    for record in records:
        doc = nlp.make_doc(record["text"])
        tokens = record["tokens"]
        refs = [*record["spans"]]
        for relation in record["relations"]:
            refs += [relation["head_span"], relation["child_span"]]
            assert relation["head"] == relation["head_span"]["token_end"]
        for span in refs:
            found = doc.char_span(span["start"], span["end"], alignment_mode="strict")
            assert found is not None, (record["meta"]["id"], span)
            # token_end is inclusive.
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]


def test_conll_columns_follow_the_outermost_rule(corpus_db: Database, tmp_path: Path) -> None:
    summary = _export(corpus_db, tmp_path, "conll")
    text = summary.path.read_text(encoding="utf-8")
    assert text.count("-DOCSTART- -X- -X- O\n\n") == 3
    rows = [line.split(" ") for line in text.splitlines() if line and "DOCSTART" not in line]
    tagged = {row[0]: (row[1], row[2]) for row in rows if row[0] in ("Port", "Valmora", "ships")}
    assert tagged == {
        "Port": ("B-ORG", "O"),  # the outer ORG wins over the nested GPE and the crossing EVENT
        "Valmora": ("I-ORG", "O"),
        "ships": ("I-QUANTITY", "O"),
    }


def test_hf_labels_are_shared_and_tags_decode(corpus_db: Database, tmp_path: Path) -> None:
    summary = _export(corpus_db, tmp_path, "hf")
    names = orjson.loads((summary.path / "labels.json").read_bytes())
    rows = [orjson.loads(line) for line in (summary.path / "data.jsonl").read_bytes().splitlines()]
    assert {row["document_id"] for row in rows} == {"flag", "nested", "boiler"}
    hedged = next(row for row in rows if "allegedly" in row["tokens"])
    claim = [names["claim_tags"][t] for t in hedged["claim_tags"]]
    assert claim[:2] == ["B-CLAIM", "I-CLAIM"]
    assert all(len(row["tokens"]) == len(row["ner_tags"]) == len(row["claim_tags"]) for row in rows)


def test_annotator_named_exports_their_version_of_a_contested_document(
    corpus_db: Database, tmp_path: Path
) -> None:
    summary = _export(corpus_db, tmp_path, "doccano", annotator="ben")
    (record,) = [orjson.loads(line) for line in summary.path.read_bytes().splitlines()]
    assert record["id"] == "pair" and summary.skipped_not_done == 4
    assert [(e["label"], record["text"][e["start_offset"] : e["end_offset"]]) for e in
            record["entities"]] == [("PERSON", "Mayor Petra Novak")]  # fmt: skip


def test_all_includes_documents_not_done(corpus_db: Database, tmp_path: Path) -> None:
    summary = _export(corpus_db, tmp_path, "claims-json", only_done=False)
    # draft (in progress, one annotator) now goes out; pair is still contested.
    assert (summary.documents, summary.skipped_not_done, summary.skipped_conflicts) == (4, 0, 1)


def test_hf_is_loaded_with_datasets_when_it_is_installed(
    corpus_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``datasets`` is not a dependency; when importable, the check loads each split with it.
    A stand-in module records the calls (the real one is not installed here)."""
    import sys
    import types

    calls: list[tuple] = []

    class Features(dict):
        def copy(self) -> Features:
            return Features(self)

    class Loaded:
        features = Features(tokens=None, ner_tags=None, claim_tags=None)

        def cast(self, features: Features, keep_in_memory: bool = False) -> Loaded:
            calls.append(("cast", features["ner_tags"], features["claim_tags"]))
            return self

    stub = types.ModuleType("datasets")

    def load_dataset(
        kind: str, data_files: str, split: str, cache_dir: str, keep_in_memory: bool
    ) -> Loaded:
        calls.append((kind, data_files, split, cache_dir, keep_in_memory))
        return Loaded()

    stub.load_dataset = load_dataset  # type: ignore[attr-defined]
    stub.Sequence = lambda feature: ("Sequence", feature)  # type: ignore[attr-defined]
    stub.ClassLabel = lambda names: ("ClassLabel", tuple(names))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "datasets", stub)
    summary = _export(corpus_db, tmp_path, "hf")
    names = orjson.loads((summary.path / "labels.json").read_bytes())
    # Loaded before the export took its final name, from the temporary folder.
    kind, data_files, split, cache_dir, in_memory = calls[0]
    assert (kind, Path(data_files).name, split, in_memory) == ("json", "data.jsonl", "train", True)
    # Its cache went into a temporary folder, gone afterwards (not ~/.cache/huggingface).
    assert not Path(cache_dir).exists()
    assert calls[1] == (
        "cast",
        ("Sequence", ("ClassLabel", tuple(names["ner_tags"]))),
        ("Sequence", ("ClassLabel", tuple(names["claim_tags"]))),
    )
