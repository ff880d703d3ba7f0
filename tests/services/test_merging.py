"""Merging laptop projects into one: two annotators' project files, on the same and on
different documents, merged into a lead's project give the agreement figures an independent
computation gives, and the figures a single shared database gives; merging twice changes
nothing; schemas are reconciled or refused with the differences named."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core.guidelines import GUIDELINES_KEY, Guidelines
from annotator.core.schema import EntityLabel, default_schema
from annotator.core.tokens import tokenize_many
from annotator.services.agreement import compute_agreement
from annotator.services.exporting import check, export
from annotator.services.importing import import_paths
from annotator.services.merging import MergeError, merge_project, open_other
from annotator.storage.database import Database
from tests.services.merge_corpus import TEXTS, ana_version, bob_version, record, write_jsonl
from tests.services.test_import_onto import _snapshot

#: Ana finished a1, a2, a3; Bob finished a1, a2, a4: two documents in common.
ANA_DOCS = ("a1", "a2", "a3")
BOB_DOCS = ("a1", "a2", "a4")


def _laptop(folder: Path, name: str) -> Path:
    """A project file as an annotator brings it back: every handed-out document, their work
    on some, a gazetteer term and the guidelines."""
    folder.mkdir()
    version = ana_version if name == "ana" else bob_version
    done = ANA_DOCS if name == "ana" else BOB_DOCS
    records = [version(d) if d in done else record(d) for d in sorted(TEXTS)]
    path = folder / "project.sqlite"
    db = Database.open(path)
    try:
        import_paths(db, [write_jsonl(folder / "work.jsonl", records)], detect_boilerplate=False)
        with db.write() as store:
            store.save_schema(default_schema())
            store.add_terms([(f"{name} term", "ORG", False)], source="list")
            store.set_setting(GUIDELINES_KEY, Guidelines("Mark every ORG.", "lead").to_value())
    finally:
        db.close()
    return path


@pytest.fixture
def laptops(tmp_path: Path) -> tuple[Path, Path]:
    return _laptop(tmp_path / "ana", "ana"), _laptop(tmp_path / "bob", "bob")


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(tmp_path / "lead" / "project.sqlite")
    yield db
    db.close()


def _merge(lead: Database, path: Path, **options: object):  # type: ignore[no-untyped-def]
    other = open_other(path)
    try:
        return merge_project(lead, other, **options)  # type: ignore[arg-type]
    finally:
        other.close()


def _independent_figures() -> dict[str, float]:
    """Exact entity and claim F1 pooled over the shared done documents, and token κ from
    scikit-learn on IOB2 tags built here, straight from the two annotators' records."""
    shared = sorted(set(ANA_DOCS) & set(BOB_DOCS))
    matched = {"entities": 0, "claims": 0}
    sizes = {"entities": 0, "claims": 0}
    left_tags: list[str] = []
    right_tags: list[str] = []
    tokenized = dict(zip(shared, tokenize_many([TEXTS[d] for d in shared]), strict=True))
    for doc in shared:
        a, b = ana_version(doc), bob_version(doc)
        for layer in ("entities", "claims"):
            marks_a = {(m["start"], m["end"], m.get("label", "CLAIM")) for m in a[layer]}
            marks_b = {(m["start"], m["end"], m.get("label", "CLAIM")) for m in b[layer]}
            matched[layer] += len(marks_a & marks_b)
            sizes[layer] += len(marks_a) + len(marks_b)
        for entities, tags in ((a["entities"], left_tags), (b["entities"], right_tags)):
            for token in tokenized[doc].tokens:
                tag = "O"
                for e in entities:
                    if e["start"] <= token.start and token.end <= e["end"]:
                        tag = ("B-" if token.start == e["start"] else "I-") + e["label"]
                tags.append(tag)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = float(cohen_kappa_score(left_tags, right_tags))
    return {
        "entities": 2 * matched["entities"] / sizes["entities"],
        "claims": 2 * matched["claims"] / sizes["claims"],
        "kappa": kappa,
    }


def test_merged_laptops_give_the_independent_agreement(
    lead: Database, laptops: tuple[Path, Path], tmp_path: Path
) -> None:
    ana, bob = laptops
    first = _merge(lead, ana)
    second = _merge(lead, bob)
    assert (first.documents.imported, second.documents.imported) == (4, 0)
    assert first.documents.annotators["ana"].new == 3
    assert second.documents.duplicates == 4
    assert second.documents.annotators["bob"].new == 3
    assert second.documents.conflicts == []

    report = compute_agreement(lead).overall
    expected = _independent_figures()
    assert report.documents == 2 and report.annotators == ("ana", "bob")
    assert report.entities.exact == pytest.approx(expected["entities"])
    assert report.claims.exact == pytest.approx(expected["claims"])
    assert report.kappa == pytest.approx(expected["kappa"])
    # Sanity of the fixture itself: one of two entities agrees, the one claim agrees.
    assert (expected["entities"], expected["claims"]) == (0.5, 1.0)

    # The same work typed into one shared database gives the same report, figure for figure.
    shared = Database.open(tmp_path / "shared.sqlite")
    try:
        import_paths(
            shared,
            [
                write_jsonl(tmp_path / "a.jsonl", [ana_version(d) for d in ANA_DOCS]),
                write_jsonl(tmp_path / "b.jsonl", [bob_version(d) for d in BOB_DOCS]),
            ],
        )
        assert compute_agreement(shared).overall == report
    finally:
        shared.close()

    # Every annotator's work goes out again in the native export, and reads back cleanly.
    out = tmp_path / "merged.jsonl"
    assert export(lead, out).documents == 4
    assert check(out, "annotator") == []


def test_merging_twice_changes_nothing(lead: Database, laptops: tuple[Path, Path]) -> None:
    for path in laptops:
        _merge(lead, path)
    before = _snapshot(lead)
    with lead.read() as store:
        terms, schema_before = store.terms(), store.schema()
    again = [_merge(lead, path) for path in laptops]
    assert _snapshot(lead) == before
    with lead.read() as store:
        assert store.terms() == terms
        assert store.schema() == schema_before
    for summary in again:
        assert summary.documents.imported == 0
        assert all(t.new == t.conflicts == 0 for t in summary.documents.annotators.values())
        assert summary.terms_added == 0 and not summary.labels_added
    assert again[1].documents.annotators["bob"].unchanged == 3


def test_carries_terms_guidelines_schema_times_and_backs_up(
    lead: Database, laptops: tuple[Path, Path]
) -> None:
    with lead.write() as store:
        store.add_terms([("x", "ORG", False)])  # the lead's project is not empty: backed up
    summary = _merge(lead, laptops[0])
    assert summary.backup is not None and summary.backup.is_file()
    assert summary.schema_taken and summary.terms_added == 1
    assert summary.guidelines.startswith("taken")
    with lead.read() as store:
        assert {t.term for t in store.terms()} == {"x", "ana term"}
        assert Guidelines.from_value(store.get_setting(GUIDELINES_KEY)).markdown == (
            "Mark every ORG."
        )
        (a1,) = [i for i in store.document_ids() if store.document(i).external_id == "a1"]
        assert store.get_state(a1, "ana").seconds_spent == 41.5
    assert "  ana: 3 documents with new work, 0 unchanged, 0 conflicting" in summary.lines()


def test_different_schemas_are_refused_with_the_differences(
    lead: Database, laptops: tuple[Path, Path]
) -> None:
    schema = default_schema()
    other = Database.open(laptops[1], auto_backup=False)
    try:
        with other.write() as store:
            store.save_schema(
                schema.__class__(
                    name=schema.name,
                    version=schema.version,
                    entities=(*schema.entities, EntityLabel("VESSEL", "#336699", None)),
                    claim_types=(*schema.claim_types, "rumour"),
                )
            )
    finally:
        other.close()
    _merge(lead, laptops[0])
    before = _snapshot(lead)
    with pytest.raises(MergeError) as refused:
        _merge(lead, laptops[1])
    message = str(refused.value)
    assert "'VESSEL' is not in this project" in message
    assert "'rumour' is not in this project" in message
    assert _snapshot(lead) == before  # nothing merged

    summary = _merge(lead, laptops[1], add_labels=True)
    assert summary.labels_added == ["VESSEL"] and summary.claim_types_added == ["rumour"]
    with lead.read() as store:
        assert store.schema().has_entity("VESSEL")
        assert [e.name for e in store.schema().entities][: len(schema.entities)] == list(
            schema.entity_names
        )


def test_refuses_itself_and_a_missing_file(lead: Database, tmp_path: Path) -> None:
    assert lead.path is not None
    with pytest.raises(MergeError, match="is this project"):
        _merge(lead, lead.path)
    with pytest.raises(MergeError, match="no such project file"):
        open_other(tmp_path / "nowhere.sqlite")
    assert not (tmp_path / "nowhere.sqlite").exists()


def test_a_share_holds_the_annotator_own_work_only(
    lead: Database, laptops: tuple[Path, Path], tmp_path: Path
) -> None:
    from annotator.services.handout import write_share

    for path in laptops:
        _merge(lead, path)
    # Ana finished a1, a2 and a3: what is left for her is a4, where Bob's work is.
    summary = write_share(lead, "ana", tmp_path / "ana-share.sqlite", take=3)
    assert (summary.documents, summary.taken, summary.project) == (1, 1, True)
    share = Database.open(summary.path)
    try:
        with share.read() as store:
            (doc_id,) = store.document_ids()
            assert store.document(doc_id).external_id == "a4"
            assert store.spans(doc_id) == [] and store.states(doc_id) == []
            assert {t.term for t in store.terms()} == {"ana term", "bob term"}
            assert store.schema().entity_names == default_schema().entity_names
    finally:
        share.close()
    # Ana does a4 on her laptop; merging her share back adds just that.
    work = write_jsonl(tmp_path / "a4.jsonl", [ana_version("a4")])
    share = Database.open(summary.path)
    try:
        import_paths(share, [work])
    finally:
        share.close()
    before = _snapshot(lead)
    back = _merge(lead, summary.path)
    assert back.documents.annotators == {"ana": back.documents.annotators["ana"]}
    assert back.documents.annotators["ana"].new == 1
    after = _snapshot(lead)
    assert len(after) > len(before) and set(before) <= set(after)


def test_merge_onto_either_backend_twice(
    backend_db: Database, laptops: tuple[Path, Path], tmp_path: Path
) -> None:
    """The lead's project on SQLite or on a PostgreSQL server: the same figures, and the
    second merge changes nothing there either."""
    for path in laptops:
        _merge(backend_db, path)
    before = _snapshot(backend_db)
    for path in laptops:
        again = _merge(backend_db, path)
        assert again.documents.imported == 0 and again.documents.conflicts == []
    assert _snapshot(backend_db) == before
    report = compute_agreement(backend_db).overall
    expected = _independent_figures()
    assert report.entities.exact == pytest.approx(expected["entities"])
    assert report.kappa == pytest.approx(expected["kappa"])
