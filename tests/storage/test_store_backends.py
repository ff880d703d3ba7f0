"""Every public :class:`Store` method on SQLite and on a real PostgreSQL server.

The ``backend_db`` fixture runs each test twice; the PostgreSQL case skips (saying why) when no
server is configured (``eval "$(bash .ci/postgres)"`` starts one). The expectations are the
same on both backends: that is the point.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from annotator.core.errors import NotFoundError
from annotator.core.model import (
    ClaimDetails,
    Decision,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Status,
    Suggestion,
    SuggestionDecision,
)
from annotator.core.schema import default_schema
from annotator.storage import overview_queries
from annotator.storage.database import Database
from annotator.storage.store import PageScan, Store
from tests.builders import sha256_hex

TEXTS = [
    "Harbour cranes idle\nThe Port Authority of Valmora reported 41 ships waiting.",
    "Flood barriers raised\nMayor Petra Novak said 300 homes lost power.",
    "Ünïcode Straße title\nDie Behörde meldete 12 Schiffe; 50% more_than before.",
    "Airline grounds fleet\nSkylane Regional grounded 14 turboprops on Sunday.",
]


def _rows(texts: list[str], *, source: str | None = "wire") -> list[dict[str, object]]:
    return [
        {
            "external_id": f"ext-{i}",
            "source": source,
            "title": text.split("\n", 1)[0],
            "text": text,
            "sha256": sha256_hex(text),
            "meta": {"n": i, "tags": ["a", "ü"]},
        }
        for i, text in enumerate(texts)
    ]


@pytest.fixture
def ids(backend_db: Database) -> list[int]:
    with backend_db.write() as store:
        by_sha = store.insert_documents(_rows(TEXTS))
    return [by_sha[row["sha256"]] for row in _rows(TEXTS)]  # type: ignore[index]


def _entity(doc: int, start: int, end: int, label: str = "ORG", who: str = "ana") -> Span:
    return Span(None, doc, Layer.ENTITY, start, end, label, who)


def test_annotators_and_settings(backend_db: Database) -> None:
    with backend_db.write() as store:
        bob = store.annotator_id("bob")
        ana = store.annotator_id("ana")
        assert store.annotator_id("bob") == bob
        store.set_setting("suggesters", {"rules": {"enabled": True}, "n": [1, 2]})
        store.set_setting("flag", True)
        store.set_setting("flag", False)
        # Names in code point order on every backend, whatever the server's collation.
        store.annotator_id("Zed")
    with backend_db.read() as store:
        assert store.annotator_name(ana) == "ana"
        assert store.annotators() == ["Zed", "ana", "bob"]
        assert store.get_setting("suggesters") == {"rules": {"enabled": True}, "n": [1, 2]}
        assert store.get_setting("flag") is False
        assert store.get_setting("missing", 7) == 7
        with pytest.raises(NotFoundError):
            store.annotator_id("nobody", create=False)
        with pytest.raises(NotFoundError):
            store.annotator_name(10_000)


def test_schema_versions(backend_db: Database) -> None:
    with backend_db.read() as store:
        assert store.schema().to_dict() == default_schema().to_dict()
    with backend_db.write() as store:
        first = store.save_schema(default_schema())
        second = store.save_schema(default_schema())
    assert second.to_dict()["version"] == first.to_dict()["version"] + 1
    with backend_db.read() as store:
        assert store.schema().to_dict()["version"] == second.to_dict()["version"]


def test_documents(backend_db: Database, ids: list[int]) -> None:
    with backend_db.write() as store:
        # A second insert of the same batch keeps the ids apart from the first.
        extra = {**_rows(["Another one\nbody"], source=None)[0], "external_id": "other"}
        again = store.insert_documents([extra])
        assert len(again) == 1 and min(again.values()) > max(ids)
        assert store.insert_documents([]) == {}
    with backend_db.read() as store:
        doc = store.document(ids[2])
        assert doc.text == TEXTS[2] and doc.title == "Ünïcode Straße title"
        assert doc.meta == {"n": 2, "tags": ["a", "ü"]} and doc.source == "wire"
        assert store.document_count() == 5
        assert store.document_ids() == sorted([*ids, *again.values()])
        with pytest.raises(NotFoundError):
            store.document(10_000)
        assert [i for i, _ in store.iter_texts("wire", batch=2)] == ids
        assert [i for i, _ in store.iter_texts(None)] == list(again.values())
        shas = [sha256_hex(t) for t in TEXTS]
        assert store.existing_hashes([*shas, "0" * 64]) == dict(zip(shas, ids, strict=True))
        assert store.existing_external_ids(["ext-1", "nope"]) == {"ext-1": shas[1]}
        count, first, last = store.document_id_extent()
        assert (count, first, last) == (5, ids[0], max(again.values()))
        assert store.neighbour(ids[1], 1) == ids[2]
        assert store.neighbour(ids[1], -1) == ids[0]
        assert store.neighbour(ids[0], -1) is None
        assert store.document_index(after_id=ids[0], limit=2) == [
            (ids[1], "ext-1", "wire"),
            (ids[2], "ext-2", "wire"),
        ]
        docs = store.documents_by_ids([ids[3], ids[0], 10_000])
        assert [d.id for d in docs] == [ids[0], ids[3]]
        assert docs[0].meta == {"n": 0, "tags": ["a", "ü"]}


def test_a_duplicate_hash_is_refused_cleanly(backend_db: Database, ids: list[int]) -> None:
    from annotator.core.errors import StorageError

    with pytest.raises(StorageError, match="refused"), backend_db.write() as store:
        store.insert_documents(_rows(TEXTS[:1]))
    with backend_db.read() as store:
        assert store.document_count() == len(ids)


def test_search_and_list_filters(backend_db: Database, ids: list[int]) -> None:
    with backend_db.write() as store:
        store.set_state(DocumentState(ids[1], "ana", Status.DONE, 12.5))
        store.set_state(DocumentState(ids[3], "ana", Status.SKIPPED, 1.0, "off topic"))
        store.add_span(_entity(ids[1], 22, 33, "PERSON"))
    with backend_db.read() as store:
        # Case-insensitive for ASCII on both backends; % and _ are literal characters.
        assert [r[0] for r in store.search("port authority")] == [ids[0]]
        assert [r[0] for r in store.search("50%")] == [ids[2]]
        assert [r[0] for r in store.search("more_than")] == [ids[2]]
        assert store.search("more_xthan") == []
        assert [r[0] for r in store.search("STRASSE")] == []
        assert [r[0] for r in store.search("Straße")] == [ids[2]]
        assert [r[0] for r in store.search("a", limit=2)] == ids[:2]

        page = store.summaries("ana", limit=10)
        assert [(s.id, s.status, s.span_count) for s in page] == [
            (ids[0], Status.NEW, 0),
            (ids[1], Status.DONE, 1),
            (ids[2], Status.NEW, 0),
            (ids[3], Status.SKIPPED, 0),
        ]
        assert [s.id for s in store.summaries("ana", after_id=ids[1])] == ids[2:]
        assert [s.id for s in store.summaries("ana", status=Status.NEW)] == [ids[0], ids[2]]
        assert [s.id for s in store.summaries("ana", text="MAYOR")] == [ids[1]]
        assert [s.id for s in store.summaries("nobody", status=Status.NEW)] == ids

        between = store.summaries_between("ana", ids[1], ids[3])
        assert [s.id for s in between] == ids[1:3]
        assert [s.id for s in store.summaries_between("ana", ids[0], None, text="skylane")] == [
            ids[3]
        ]
        done = store.summaries_between("ana", ids[0], None, status=Status.DONE)
        assert [s.id for s in done] == [ids[1]]
        assert [s.id for s in store.summaries_of("ana", [ids[3], ids[1], 10_000])] == [
            ids[1],
            ids[3],
        ]

        assert store.next_with_status("ana", ids[0]) == ids[2]
        assert store.next_with_status("ana", ids[0], (Status.SKIPPED,)) == ids[3]
        assert store.next_with_status("ana", ids[3]) is None


@pytest.mark.parametrize(("text", "status"), [(None, None), ("a", Status.NEW), (None, Status.DONE)])
def test_page_scans(backend_db: Database, text: str | None, status: Status | None) -> None:
    with backend_db.write() as store:
        made = store.insert_documents(
            _rows([f"Doc {i}\nbody a{i}" for i in range(23)], source="scan")
        )
        doc_ids = sorted(made.values())
        for doc_id in doc_ids[::3]:
            store.set_state(DocumentState(doc_id, "ana", Status.DONE))
    with backend_db.read() as store:
        listed = [s.id for s in store.summaries("ana", limit=100, text=text, status=status)]
        scan = PageScan()
        starts: list[int] = []
        while not scan.done:
            scan = store.scan_page_starts(
                "ana", scan, page_size=3, text=text, status=status, max_span=5
            )
            starts += scan.starts
        assert scan.matched == len(listed)
        assert starts == listed[::3][1:] or starts == listed[::3]
        # Every start is the first row of a page: row 3, 6, ... of the filtered list.
        assert [listed.index(s) % 3 for s in starts] == [0] * len(starts)
        assert len(starts) >= (len(listed) - 1) // 3


def test_spans_claims_and_restore_under_the_old_id(backend_db: Database, ids: list[int]) -> None:
    doc = ids[0]
    with backend_db.write() as store:
        org = store.add_span(
            Span(None, doc, Layer.ENTITY, 24, 50, "ORG", "ana", attributes={"note": "ü"})
        )
        assert org.id is not None
        claim = store.add_span(
            Span(
                None,
                doc,
                Layer.CLAIM,
                51,
                76,
                "CLAIM",
                "ana",
                claim=ClaimDetails(org.id, (51, 59), "quantity", True),
            )
        )
        assert claim.id is not None
        assert claim.claim == ClaimDetails(org.id, (51, 59), "quantity", True)
        store.add_span(_entity(doc, 20, 23, "ORG", "bob"))
        with pytest.raises(NotFoundError):
            store.add_span(_entity(doc, 20, 10_000))
        with pytest.raises(NotFoundError):
            store.add_span(_entity(10_000, 0, 1))
    with backend_db.read() as store:
        assert [s.id for s in store.spans(doc, "ana")] == [org.id, claim.id]
        assert [s.label for s in store.spans(doc, layer=Layer.ENTITY)] == ["ORG", "ORG"]
        assert store.get_span(org.id).attributes == {"note": "ü"}
        assert [c.id for c in store.claims_citing(org.id)] == [claim.id]
        assert store.span_count() == 3
        with pytest.raises(NotFoundError):
            store.get_span(10_000)

    with backend_db.write() as store:
        changed = store.replace_span(replace(claim, claim=ClaimDetails()))
        assert changed.claim == ClaimDetails()
        claim = store.replace_span(replace(changed, claim=claim.claim))
        store.delete_span(org.id)
        with pytest.raises(NotFoundError):
            store.delete_span(org.id)
    with backend_db.read() as store:
        # The claimant link is cleared with its entity, on both backends.
        assert store.get_span(claim.id).claim == ClaimDetails(None, (51, 59), "quantity", True)

    with backend_db.write() as store:
        restored = store.add_span(org)  # what undo does: the old id again
        assert restored.id == org.id and restored.attributes == {"note": "ü"}
        current = store.get_span(claim.id)
        store.replace_span(replace(current, claim=replace(claim.claim, claimant_id=org.id)))
    with backend_db.write() as store:
        # New spans never collide with the restored id (PostgreSQL's sequence included).
        fresh = store.add_span(_entity(doc, 0, 7, "FAC"))
        assert fresh.id not in {org.id, claim.id}
    with backend_db.read() as store:
        assert store.get_span(claim.id).claim == ClaimDetails(org.id, (51, 59), "quantity", True)


def test_a_span_restored_past_the_sequence_does_not_block_new_ones(
    backend_db: Database, ids: list[int]
) -> None:
    """An id above any handed out (a span copied from another project): later inserts skip it."""
    with backend_db.write() as store:
        far = store.add_span(Span(5000, ids[0], Layer.ENTITY, 0, 7, "FAC", "ana"))
        assert far.id == 5000
    with backend_db.write() as store:
        later = [store.add_span(_entity(ids[0], 8, 13)).id for _ in range(2)]
    assert all(i is not None and i > 5000 for i in later)


def test_ignored_ranges(backend_db: Database, ids: list[int]) -> None:
    with backend_db.write() as store:
        store.set_ignored(ids[0], [IgnoredRange(10, 19), IgnoredRange(0, 5, "footer")])
        store.replace_ignored({ids[1]: [IgnoredRange(3, 4)], ids[2]: []})
        store.set_ignored(ids[0], [IgnoredRange(10, 19), IgnoredRange(10, 12, "x")])
    with backend_db.read() as store:
        assert store.ignored(ids[0]) == [IgnoredRange(10, 12, "x"), IgnoredRange(10, 19)]
        assert store.ignored_by_documents(ids) == {
            ids[0]: [IgnoredRange(10, 12, "x"), IgnoredRange(10, 19)],
            ids[1]: [IgnoredRange(3, 4)],
        }


def _suggestion(doc: int, start: int, end: int, who: str = "rules") -> Suggestion:
    return Suggestion(None, doc, Layer.ENTITY, start, end, "ORG", who, 0.5, "a reason")


def test_suggestions_and_decisions(backend_db: Database, ids: list[int]) -> None:
    doc = ids[0]
    with backend_db.write() as store:
        assert store.add_suggestions([_suggestion(doc, 24, 50), _suggestion(doc, 0, 7)], "1") == 2
        store.add_suggestions([_suggestion(doc, 0, 7, "gazetteer")], "g1")
        store.add_suggestions([_suggestion(ids[1], 0, 5)], "1")
        assert store.replace_suggestions(doc, "rules", "2", [_suggestion(doc, 8, 13)]) == 1
        with pytest.raises(ValueError, match="cannot be stored"):
            store.replace_suggestions(doc, "rules", "2", [_suggestion(ids[1], 0, 5)])
        rejected = SuggestionDecision(doc, "ana", Layer.ENTITY, 0, 7, "ORG", Decision.REJECTED)
        store.set_decision(rejected)
        store.set_decision(
            SuggestionDecision(doc, "ana", Layer.ENTITY, 0, 7, "ORG", Decision.ACCEPTED, "rules")
        )
        store.set_decision(
            SuggestionDecision(doc, "bob", Layer.ENTITY, 8, 13, "ORG", Decision.REJECTED)
        )
    with backend_db.read() as store:
        assert [(s.start, s.suggester) for s in store.suggestions(doc)] == [
            (0, "gazetteer"),
            (8, "rules"),
        ]
        assert store.suggestion_counts() == {"gazetteer": 1, "rules": 2}
        assert store.suggestion_versions([doc, ids[1], ids[2]]) == {
            doc: {"gazetteer": {"g1"}, "rules": {"2"}},
            ids[1]: {"rules": {"1"}},
        }
        by_doc = store.suggestions_by_documents([doc, ids[1]])
        assert [s.start for s in by_doc[doc]] == [0, 8] and len(by_doc[ids[1]]) == 1
        got = store.get_decision(doc, "ana", Layer.ENTITY, 0, 7, "ORG")
        assert got is not None and got.decision is Decision.ACCEPTED and got.suggester == "rules"
        assert [d.annotator for d in store.decisions(doc)] == ["ana", "bob"]
        assert [d.annotator for d in store.decisions(doc, "bob")] == ["bob"]
        assert [d.start for d in store.decisions_by_documents([doc], "ana")[doc]] == [0]
    with backend_db.write() as store:
        store.clear_decision(doc, "ana", Layer.ENTITY, 0, 7, "ORG")
        store.clear_decision(doc, "ana", Layer.ENTITY, 0, 7, "ORG")  # nothing left: no error
        assert store.delete_suggestions(suggester="rules", document_ids=[doc]) == 1
        assert store.delete_suggestions(suggester="nobody") == 0
        assert store.delete_suggestions() == 2
    with backend_db.read() as store:
        assert store.get_decision(doc, "ana", Layer.ENTITY, 0, 7, "ORG") is None
        assert store.suggestion_counts() == {}


def test_states_and_statistics(backend_db: Database, ids: list[int]) -> None:
    with backend_db.write() as store:
        store.set_state(DocumentState(ids[0], "bob", Status.IN_PROGRESS, 3.0))
        store.set_state(DocumentState(ids[0], "ana", Status.DONE, 40.25))
        store.set_state(DocumentState(ids[1], "bob", Status.SKIPPED, 1.0, "duplicate"))
        store.set_state(DocumentState(ids[2], "bob", Status.IN_PROGRESS))
        store.set_state(DocumentState(ids[2], "bob", Status.DONE, 9.0))
        store.add_span(_entity(ids[0], 24, 50, "ORG", "ana"))
        store.add_span(_entity(ids[0], 0, 7, "FAC", "bob"))
        store.add_span(
            Span(None, ids[0], Layer.CLAIM, 51, 76, "CLAIM", "ana", claim=ClaimDetails())
        )
    with backend_db.read() as store:
        assert store.get_state(ids[0], "ana") == DocumentState(ids[0], "ana", Status.DONE, 40.25)
        assert store.get_state(ids[3], "ana").status is Status.NEW
        assert [s.annotator for s in store.states(ids[0])] == ["ana", "bob"]
        assert store.states_by_documents(ids)[ids[1]] == [
            DocumentState(ids[1], "bob", Status.SKIPPED, 1.0, "duplicate")
        ]
        assert store.status_counts() == {"new": 1, "in_progress": 0, "done": 2, "skipped": 1}
        assert store.status_counts("bob") == {
            "new": 1,
            "in_progress": 1,
            "done": 1,
            "skipped": 1,
        }
        people = overview_queries.annotator_ids(store)
        bob = people["bob"]
        assert store.best_status_counts([bob]) == {"in_progress": 1, "skipped": 1, "done": 1}
        everyone = sorted(people.values())
        assert overview_queries.labels_by_annotator(store, everyone) == {
            "ana": {"entity": {"ORG": 1}, "claim": {"CLAIM": 1}},
            "bob": {"entity": {"FAC": 1}},
        }
        assert overview_queries.claim_types_by_annotator(store, everyone) == {"ana": {"other": 1}}
        assert store.done_documents() == [(ids[0], "ana"), (ids[2], "bob")]
        assert store.done_documents("bob") == [(ids[2], "bob")]
        assert store.done_documents(limit=1) in ([(ids[0], "ana")], [(ids[2], "bob")])
        assert store.done_document_count() == 2
        assert store.done_document_count("ana") == 1
        assert store.done_document_count("nobody") == 0
        assert store.span_annotators_by_documents(ids) == {ids[0]: {"ana", "bob"}}


def test_export_batch_reads(backend_db: Database, ids: list[int]) -> None:
    with backend_db.write() as store:
        org = store.add_span(
            Span(None, ids[0], Layer.ENTITY, 24, 50, "ORG", "ana", attributes={"k": [1]})
        )
        store.add_span(
            Span(
                None,
                ids[0],
                Layer.CLAIM,
                51,
                76,
                "CLAIM",
                "ana",
                claim=ClaimDetails(org.id, None, "event", True),
            )
        )
        store.add_span(_entity(ids[2], 0, 7, "GPE", "bob"))
    with backend_db.read() as store:
        spans = store.spans_by_documents(ids)
        assert sorted(spans) == [ids[0], ids[2]]
        assert [(s.layer, s.attributes) for s in spans[ids[0]]] == [
            (Layer.ENTITY, {"k": [1]}),
            (Layer.CLAIM, {}),
        ]
        assert spans[ids[0]][1].claim == ClaimDetails(org.id, None, "event", True)
        # The batch read leaves out timestamps unless asked (no export carries them).
        assert all(s.created_at is None and s.updated_at is None for s in spans[ids[0]])
        assert [s.version for s in spans[ids[0]]] == [1, 1]
        plain = [replace(s, created_at=None, updated_at=None) for s in store.spans(ids[0])]
        assert plain == spans[ids[0]]
        assert store.spans_by_documents(ids, with_times=True)[ids[0]] == store.spans(ids[0])
        assert list(store.spans_by_documents(ids, "bob")) == [ids[2]]


def test_events(backend_db: Database, ids: list[int]) -> None:
    with backend_db.write() as store:
        for i in range(5):
            store.log("probe", "ana" if i % 2 else None, ids[0], {"i": i, "text": "ü"})
    with backend_db.read() as store:
        events = store.events(limit=3)
    assert [e[3]["i"] for e in events] == [4, 3, 2]
    assert events[0] == ("probe", None, ids[0], {"i": 4, "text": "ü"})


def test_gazetteer_terms_and_confirmed_texts(backend_db: Database, ids: list[int]) -> None:
    with backend_db.write() as store:
        assert (
            store.add_terms([("Valmora", "GPE", True), ("Straße", "LOC", False)], source="a") == 2
        )
        assert store.add_terms([("Valmora", "GPE", False)], source="b") == 1
        assert store.add_terms([("Valmora", "GPE", False)], source="b") == 0
        at = TEXTS[0].index("Valmora")
        store.add_span(_entity(ids[0], at, at + 7, "GPE"))
        store.add_span(_entity(ids[0], at, at + 7, "GPE", "bob"))
        at = TEXTS[2].index("Straße")
        store.add_span(_entity(ids[2], at, at + 6, "LOC"))
    with backend_db.read() as store:
        assert [(t.term, t.case_sensitive, t.source) for t in store.terms()] == [
            ("Valmora", False, "b"),
            ("Straße", False, "a"),
        ]
        assert [t.term for t in store.terms(source="a")] == ["Straße"]
        assert store.term_count() == 2
        # substr counts code points on both backends ("Straße" after "Ünïcode ").
        assert store.confirmed_entity_texts() == {("Valmora", "GPE"): 2, ("Straße", "LOC"): 1}
    with backend_db.write() as store:
        assert store.delete_terms(label="LOC") == 1
        assert store.delete_terms() == 1


def test_models(backend_db: Database) -> None:
    blob = bytes(range(256)) * 40
    with backend_db.write() as store:
        saved = [
            store.save_model("entities", blob + bytes([i]), trained_documents=i, metrics={"f1": i})
            for i in range(4)
        ]
        store.save_model("claims", b"c", trained_documents=1, metrics={})
    assert saved[0].created_at is not None and saved[0].created_at.tzinfo is not None
    with backend_db.read() as store:
        latest = store.latest_model("entities")
        assert latest is not None and latest.id == saved[-1].id
        assert latest.metrics == {"f1": 3} and latest.trained_documents == 3
        assert latest.created_at is not None
        assert abs((latest.created_at - datetime.now(UTC)).total_seconds()) < 3600
        assert store.model_data(saved[1].id) == blob + bytes([1])
        assert store.latest_model("none") is None
        with pytest.raises(NotFoundError):
            store.model_data(10_000)
    with backend_db.write() as store:
        assert store.prune_models("entities", keep=2) == 2
    with backend_db.read() as store:
        with pytest.raises(NotFoundError):
            store.model_data(saved[0].id)
        assert store.model_data(saved[3].id)[-1] == 3


def test_a_store_is_a_core_value_factory(backend_db: Database, ids: list[int]) -> None:
    """Nothing a Store returns is bound to its session (usable after the unit of work)."""
    with backend_db.read() as store:
        assert isinstance(store, Store)
        doc = store.document(ids[0])
        summaries = store.summaries("ana")
    assert doc.title == "Harbour cranes idle" and summaries[0].title == "Harbour cranes idle"


def test_two_clients_adding_the_same_annotator_and_setting_at_once(
    backend_db: Database,
) -> None:
    """The second writer waits for the first (a lock on SQLite, the unique index on
    PostgreSQL) and then uses its row instead of failing on a duplicate."""
    import threading

    results: dict[str, object] = {}
    started = threading.Event()

    def second() -> None:
        started.set()
        try:
            with backend_db.write() as store:
                results["id"] = store.annotator_id("carol")
                store.set_setting("shared", "second")
        except BaseException as exc:  # pragma: no cover - reported below
            results["error"] = exc

    with backend_db.write() as store:
        first = store.annotator_id("carol")
        store.set_setting("shared", "first")
        thread = threading.Thread(target=second)
        thread.start()
        started.wait()
        thread.join(0.5)  # it cannot finish before this transaction commits
        assert thread.is_alive()
    thread.join()
    assert "error" not in results, results.get("error")
    assert results["id"] == first
    with backend_db.read() as store:
        assert store.annotators() == ["carol"]
        assert store.get_setting("shared") == "second"
