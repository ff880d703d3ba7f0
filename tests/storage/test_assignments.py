"""Hand-out with K annotators per document, on SQLite and PostgreSQL alike (``backend_db``),
including the last-slot race between annotators asking at the same moment."""

from __future__ import annotations

import threading

import pytest

from annotator.core.errors import InputError
from annotator.core.model import DocumentState, Status
from annotator.storage import assignments
from annotator.storage.database import Database
from annotator.storage.engine import make_engine, resolve_url
from tests.builders import add_documents, numbered_texts


def set_k(db: Database, k: int) -> None:
    with db.write() as store:
        assignments.set_per_document(store, k)


def next_for(db: Database, name: str, after: int = 0) -> int | None:
    with db.write() as store:
        return assignments.hand_out(store, name, after)


def mark(db: Database, document_id: int, name: str, status: Status) -> None:
    with db.write() as store:
        store.set_state(DocumentState(document_id, name, status))


def counters(db: Database, ids: list[int]) -> list[int]:
    with db.read() as store:
        found = assignments.assignees(store, ids)
    return [found[i] for i in ids]


def test_k2_three_annotators_hand_out(backend_db: Database) -> None:
    d1, d2, d3 = add_documents(backend_db, numbered_texts(3))
    set_k(backend_db, 2)
    assert next_for(backend_db, "alice") == d1
    assert next_for(backend_db, "bob") == d1
    assert next_for(backend_db, "carol") == d2  # d1 has its two annotators
    # Asking again without finishing gives back the open assignment, taking nothing more.
    assert next_for(backend_db, "alice") == d1
    assert counters(backend_db, [d1, d2, d3]) == [2, 1, 0]
    mark(backend_db, d1, "alice", Status.DONE)
    assert next_for(backend_db, "alice", d1) == d2
    mark(backend_db, d1, "bob", Status.DONE)
    assert next_for(backend_db, "bob", d1) == d3  # d2 is full (carol, alice)
    assert counters(backend_db, [d1, d2, d3]) == [2, 2, 1]
    mark(backend_db, d2, "carol", Status.DONE)
    assert next_for(backend_db, "carol", d2) == d3
    # d3 is full now; alice finishes d2 and nothing is left for her.
    mark(backend_db, d2, "alice", Status.DONE)
    assert next_for(backend_db, "alice", d2) is None
    with backend_db.read() as store:
        assert assignments.assigned_documents(store, "alice") == [d1, d2]
        team = {m.name: m for m in assignments.members(store)}
    assert (team["alice"].assigned, team["alice"].done, team["alice"].open) == (2, 2, 0)
    assert team["bob"].open == 1


def test_done_and_skipped_never_handed_out_again(backend_db: Database) -> None:
    d1, d2, d3 = add_documents(backend_db, numbered_texts(3))
    set_k(backend_db, 3)
    assert next_for(backend_db, "alice") == d1
    mark(backend_db, d1, "alice", Status.SKIPPED)
    assert next_for(backend_db, "alice", d1) == d2
    mark(backend_db, d2, "alice", Status.DONE)
    assert next_for(backend_db, "alice", d2) == d3
    mark(backend_db, d3, "alice", Status.DONE)
    for after in (0, d1, d2, d3):
        assert next_for(backend_db, "alice", after) is None
    # The skipped document keeps its slot: skipping is alice's answer for it.
    assert counters(backend_db, [d1, d2, d3]) == [1, 1, 1]
    # Without K, the plain rule: nothing done or skipped comes back either.
    set_k(backend_db, 0)
    assert next_for(backend_db, "alice", d1) is None
    assert next_for(backend_db, "bob", d1) == d2


def test_hand_out_wraps_around_after_the_current_document(backend_db: Database) -> None:
    d1, d2, d3 = add_documents(backend_db, numbered_texts(3))
    set_k(backend_db, 1)
    assert next_for(backend_db, "alice", d2) == d3
    assert next_for(backend_db, "bob", d3) == d1  # wraps around
    with backend_db.read() as store:
        assert assignments.peek_assignment(store, "carol", d3) == d2
    assert counters(backend_db, [d1, d2, d3]) == [1, 0, 1]  # peeking took nothing


def test_done_by_hand_is_recorded_beyond_k(backend_db: Database) -> None:
    d1, d2 = add_documents(backend_db, numbered_texts(2))
    mark(backend_db, d1, "dora", Status.DONE)  # before K was set: counted when it is
    set_k(backend_db, 1)
    assert counters(backend_db, [d1, d2]) == [1, 0]
    assert next_for(backend_db, "alice") == d2  # d1 is full
    # Eve opens d2 by hand (it is alice's slot) and marks it done: recorded, over K.
    mark(backend_db, d2, "eve", Status.DONE)
    assert next_for(backend_db, "eve", d2) is None
    assert counters(backend_db, [d1, d2]) == [1, 2]
    with backend_db.read() as store:
        assert assignments.assigned_documents(store, "eve") == [d2]


def test_k_must_be_a_whole_number(backend_db: Database) -> None:
    with backend_db.write() as store, pytest.raises(InputError, match="annotators per document"):
        assignments.set_per_document(store, -1)
    with backend_db.write() as store:
        store.set_setting(assignments.PER_DOCUMENT_KEY, "lots")
        assert assignments.per_document(store) == 0


def test_roles_first_person_and_reserved_gold_name(backend_db: Database) -> None:
    with backend_db.write() as store:
        assert assignments.join(store, "alice") is True  # first in a new project
        assert assignments.join(store, "bob") is False
        assert assignments.join(store, "alice") is True
        with pytest.raises(InputError, match="reserved for the adjudicated gold layer"):
            assignments.add_annotator(store, " Gold ")
        with pytest.raises(InputError, match="reserved"):
            assignments.join(store, "gold")
        with pytest.raises(InputError, match="already in the project"):
            assignments.add_annotator(store, "bob")
        assignments.add_annotator(store, "carol", reviewer=True)
        assert assignments.set_reviewer(store, "alice", False) is True
        assert assignments.reviewers(store) == ["carol"]
    with backend_db.read() as store:
        team = [(m.name, m.is_reviewer) for m in assignments.members(store)]
    assert team == [("alice", False), ("bob", False), ("carol", True)]


def _race(url: str, names: list[str]) -> list[int | None]:
    """Every name asks for its next document at the same moment, each on its own engine (its
    own connections)."""
    databases = [Database(make_engine(resolve_url(url))) for _ in names]
    barrier = threading.Barrier(len(names))
    results: dict[str, int | None] = {}
    errors: list[BaseException] = []

    def ask(db: Database, name: str) -> None:
        try:
            with db.read() as store:  # connect before the barrier: the race is the claim
                store.document_count()
            barrier.wait()
            with db.write() as store:
                results[name] = assignments.next_assignment(store, name, 0)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=ask, args=pair) for pair in zip(databases, names, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for db in databases:
        db.close()
    assert not errors, errors
    return [results[name] for name in names]


def test_last_slot_race_exactly_one_gets_it(backend_db: Database, backend_url: str) -> None:
    ids = add_documents(backend_db, numbered_texts(12))
    set_k(backend_db, 1)
    names = [f"annotator-{i}" for i in range(8)]
    got = _race(backend_url, names)
    assert None not in got
    assert got.count(ids[0]) == 1  # exactly one took the K=1 document
    assert len(set(got)) == len(names)  # the rest each took another document
    assert sorted(got) == ids[: len(names)]  # ... the next ones, in order
    assert counters(backend_db, ids) == [1] * len(names) + [0] * (len(ids) - len(names))
    with backend_db.read() as store:
        for name, document_id in zip(names, got, strict=True):
            assert assignments.assigned_documents(store, name) == [document_id]


def test_last_slot_race_k2(backend_db: Database, backend_url: str) -> None:
    ids = add_documents(backend_db, numbered_texts(6))
    set_k(backend_db, 2)
    got = _race(backend_url, [f"a{i}" for i in range(6)])
    assert sorted(got) == [ids[0], ids[0], ids[1], ids[1], ids[2], ids[2]]
    assert counters(backend_db, ids) == [2, 2, 2, 0, 0, 0]
