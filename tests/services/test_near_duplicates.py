"""Near-duplicates found at import: a syndicated copy (new headline, another outlet's footer,
a few words changed) joins its original's group, in the same import or a later one, with its
boilerplate left out of the comparison."""

from __future__ import annotations

import random
from pathlib import Path

from annotator.core import near_duplicates as nd
from annotator.services import near_duplicates
from annotator.services.importing import import_paths
from annotator.storage import near_duplicates as stored
from annotator.storage.database import Database
from tests.syndication import corpus, story, syndicated, write_jsonl


def _groups(db: Database) -> dict[str, tuple[str, float]]:
    """external id -> (its group's original's external id, similarity), for grouped ones."""
    with db.read() as store:
        ids = store.document_ids()
        names = {doc_id: store.document(doc_id).external_id for doc_id in ids}
    found = {}
    for doc_id in ids:
        for member in near_duplicates.group_of(db, doc_id):
            if member.document_id == doc_id:
                found[names[doc_id]] = (names[member.group_id], member.similarity)
    return found


def _assert_grouped_as(db: Database, original_of: dict[str, str]) -> None:
    groups = _groups(db)
    for copy, original in original_of.items():
        assert groups[copy][0] == original, copy
        assert near_duplicates.THRESHOLD <= groups[copy][1] < 1.0
        assert groups[original] == (original, 1.0)
    grouped_originals = set(original_of.values())
    assert set(groups) == set(original_of) | grouped_originals


def test_copies_in_one_import_join_their_original(db: Database, tmp_path: Path) -> None:
    records, original_of = corpus(seed=1, originals=30, copies=20)
    summary = import_paths(db, [write_jsonl(tmp_path / "all.jsonl", records)])
    assert summary.imported == 50
    assert summary.near_duplicates == 20
    _assert_grouped_as(db, original_of)
    found = near_duplicates.counts(db)
    assert found.groups == len(set(original_of.values()))
    assert found.copies == 20


def test_a_later_import_finds_the_originals_already_in_the_project(
    db: Database, tmp_path: Path
) -> None:
    records, original_of = corpus(seed=2, originals=20, copies=12)
    wire = [r for r in records if r["source"] == "wire"]
    others = [r for r in records if r["source"] != "wire"]
    import_paths(db, [write_jsonl(tmp_path / "wire.jsonl", wire)])
    assert near_duplicates.counts(db).groups == 0
    summary = import_paths(db, [write_jsonl(tmp_path / "outlets.jsonl", others)])
    assert summary.near_duplicates == 12
    _assert_grouped_as(db, original_of)


def test_a_copy_is_found_with_its_boilerplate_left_out(db: Database, tmp_path: Path) -> None:
    # The Herald's footer is longer than most of a story: compared with it, a copy is less
    # like its original than like the Herald's copies of other stories. Once boilerplate
    # detection has marked it, each copy is grouped with its own original.
    records, original_of = corpus(seed=3, originals=10, copies=6, outlets=("herald",))
    path = write_jsonl(tmp_path / "all.jsonl", records)
    plain = Database.open(tmp_path / "plain.sqlite")
    try:
        import_paths(plain, [path], detect_boilerplate=False)
        footer_groups = _groups(plain)
    finally:
        plain.close()
    assert any(footer_groups.get(copy, (None,))[0] != o for copy, o in original_of.items())
    summary = import_paths(db, [path])
    assert summary.boilerplate_documents >= 6
    assert summary.near_duplicates == 6
    _assert_grouped_as(db, original_of)


def test_exact_duplicates_are_still_skipped(db: Database, tmp_path: Path) -> None:
    records, original_of = corpus(seed=4, originals=8, copies=8)
    path = write_jsonl(tmp_path / "all.jsonl", records)
    import_paths(db, [path])
    again = import_paths(db, [path])
    assert (again.imported, again.duplicates, again.near_duplicates) == (0, 16, 0)
    _assert_grouped_as(db, original_of)


def test_switched_off_then_found_by_recompute_or_the_next_import(
    db: Database, tmp_path: Path
) -> None:
    records, original_of = corpus(seed=5, originals=10, copies=5)
    summary = import_paths(
        db, [write_jsonl(tmp_path / "all.jsonl", records)], detect_near_duplicates=False
    )
    assert summary.near_duplicates == 0
    assert near_duplicates.counts(db).groups == 0
    found = near_duplicates.recompute(db)
    assert found.copies == 5
    _assert_grouped_as(db, original_of)
    # Computed again from scratch: the same groups, not twice as many.
    assert near_duplicates.recompute(db) == found
    _assert_grouped_as(db, original_of)


def test_documents_left_unsigned_are_signed_by_the_next_import(
    db: Database, tmp_path: Path
) -> None:
    rng = random.Random(6)
    original = story(rng)
    copy = syndicated(original, "wire", rng)
    # Two outlets: two documents of one source that share their text would have it marked
    # as that source's boilerplate.
    first = [{"id": "o", "text": original, "source": "wire"}]
    second = [{"id": "c", "text": copy, "source": "daily"}]
    import_paths(db, [write_jsonl(tmp_path / "a.jsonl", first)], detect_near_duplicates=False)
    import_paths(db, [write_jsonl(tmp_path / "b.jsonl", second)])
    groups = _groups(db)
    assert groups["o"] == ("o", 1.0)
    assert groups["c"][0] == "o"


def test_groups_merge_when_a_copy_links_two_of_them(db: Database, tmp_path: Path) -> None:
    # Two stories that are near-duplicates of a third but not of each other end in one group
    # once the third arrives: the group is named by the earliest document.
    rng = random.Random(7)
    base = story(rng, paragraphs=19)
    lines = base.split("\n")
    left = "\n".join(lines[:16])
    right = "\n".join([lines[0], *lines[5:]])
    signed = dict(zip(("left", "right", "base"), nd.signatures([left, right, base]), strict=True))
    values = {name: sig.values for name, sig in signed.items() if sig is not None}
    assert nd.similarity(values["left"], values["right"]) < nd.THRESHOLD
    assert nd.similarity(values["left"], values["base"]) >= nd.THRESHOLD
    assert nd.similarity(values["right"], values["base"]) >= nd.THRESHOLD
    for name, text in (("left", left), ("right", right), ("base", base)):
        record = {"id": name, "text": text, "source": name}
        import_paths(db, [write_jsonl(tmp_path / f"{name}.jsonl", [record])])
    groups = _groups(db)
    assert {name: group for name, (group, _) in groups.items()} == {
        "left": "left",
        "right": "left",
        "base": "left",
    }


def test_both_backends_group_copies_across_imports(backend_db: Database, tmp_path: Path) -> None:
    records, original_of = corpus(seed=8, originals=12, copies=8)
    wire = [r for r in records if r["source"] == "wire"]
    others = [r for r in records if r["source"] != "wire"]
    import_paths(backend_db, [write_jsonl(tmp_path / "wire.jsonl", wire)])
    summary = import_paths(backend_db, [write_jsonl(tmp_path / "others.jsonl", others)])
    assert summary.near_duplicates == 8
    _assert_grouped_as(backend_db, original_of)
    assert near_duplicates.recompute(backend_db).copies == 8
    _assert_grouped_as(backend_db, original_of)


def _signatures(db: Database) -> dict[int, bytes]:
    with db.read() as store:
        return stored.signatures_of(store, store.document_ids())


def test_the_import_signs_its_texts_as_its_boilerplate_pass_marks_them(
    db: Database, tmp_path: Path
) -> None:
    # The boilerplate pass hands each new text and its ranges to the signer, instead of
    # near-duplicate detection reading them back: the signatures (boilerplate left out) and
    # groups must be exactly those of signing the stored texts afresh.
    records, original_of = corpus(seed=5, originals=24, copies=14, outlets=("herald", "daily"))
    summary = import_paths(db, [write_jsonl(tmp_path / "all.jsonl", records)])
    assert summary.boilerplate_documents > 0
    assert summary.near_duplicates == 14
    signed_at_import, groups_at_import = _signatures(db), _groups(db)
    assert len(signed_at_import) == summary.imported
    found = near_duplicates.recompute(db)
    assert found.copies == 14
    assert _signatures(db) == signed_at_import
    assert _groups(db) == groups_at_import
    _assert_grouped_as(db, original_of)


def test_a_signature_of_another_version_is_computed_again_by_the_next_import(
    db: Database, tmp_path: Path
) -> None:
    # A signature stored by an older way of signing is not compared with new ones (its band
    # keys would not match): the next import signs its document again, and finds the copy.
    rng = random.Random(9)
    original = story(rng)
    first = [{"id": "o", "text": original, "source": "wire"}]
    import_paths(db, [write_jsonl(tmp_path / "a.jsonl", first)])
    with db.write() as store:
        (doc_id,) = store.document_ids()
        stored.store_signatures(store, [(doc_id, b"\x00" * nd.SLOTS * 4)], nd.VERSION - 1)
    second = [{"id": "c", "text": syndicated(original, "wire", rng), "source": "daily"}]
    summary = import_paths(db, [write_jsonl(tmp_path / "b.jsonl", second)])
    assert summary.near_duplicates == 1
    assert _groups(db)["c"][0] == "o"
    assert _signatures(db)[doc_id] == nd.signatures([original])[0].values


def test_copies_signed_by_another_client_during_an_import_are_compared_with_it(
    db: Database, tmp_path: Path
) -> None:
    # Two imports at the same time: each loads the project's band keys when it starts, so
    # neither sees the other's documents there; the one that finishes later compares the
    # documents the other signed meanwhile with its own.
    rng = random.Random(10)
    originals = [story(rng) for _ in range(3)]
    records = [{"id": f"o{i}", "text": text, "source": "wire"} for i, text in enumerate(originals)]
    records += [
        {"id": f"c{i}", "text": syndicated(text, "wire", rng), "source": "daily"}
        for i, text in enumerate(originals)
    ]
    import_paths(db, [write_jsonl(tmp_path / "all.jsonl", records)], detect_near_duplicates=False)
    with db.read() as store:
        ids = {store.document(d).external_id: d for d in store.document_ids()}
    texts = dict(zip([r["id"] for r in records], [r["text"] for r in records], strict=True))
    later = near_duplicates.Signer(db)
    later.add([(ids["o0"], texts["o0"], [])])  # loads the (empty) project, then signs o0
    other = near_duplicates.Signer(db)
    other.add([(ids[name], texts[name], []) for name in ("o1", "c1", "o2")])
    assert other.flush() == 1
    later.add([(ids[name], texts[name], []) for name in ("c0", "c2")])
    later.flush()
    assert near_duplicates.counts(db).copies == 2  # c0 of o0, c1 of o1; c2 not yet
    later.catch_up()
    later.flush()
    _assert_grouped_as(db, {"c0": "o0", "c1": "o1", "c2": "o2"})
