"""Units of work are run again on transient database failures (a lock held past SQLite's
busy timeout, a PostgreSQL deadlock, two clients inserting the same key), never on anything
else; every database error reaches the caller as a readable StorageError."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.core.errors import StorageError
from annotator.core.model import Layer, Span
from annotator.storage import database as database_module
from annotator.storage import engine as engine_module
from annotator.storage.database import Database, TransientStorageError
from annotator.storage.store import Store
from tests.builders import add_document

TEXT = "Mayor Petra Novak said 300 homes had lost power within 24 hours.\n"


# -- SQLite: a lock held past the busy timeout ------------------------------------------------


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 50 ms busy timeout, so that a held lock is met quickly."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)


@pytest.fixture
def locker(db_path: Path, quick_busy: None) -> Iterator[sqlite3.Connection]:
    """Another client holding the write lock of the project file."""
    Database.open(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def release_on_first_backoff(
    monkeypatch: pytest.MonkeyPatch, locker: sqlite3.Connection
) -> list[int]:
    """The other client lets go as soon as we back off for the first time: the retry must
    then get through."""
    backoffs: list[int] = []

    def backoff(attempt: int) -> float:
        backoffs.append(attempt)
        if locker.in_transaction:
            locker.execute("ROLLBACK")
        return 0.0

    monkeypatch.setattr(database_module, "_backoff", backoff)
    return backoffs


def test_run_write_gets_through_a_lock_held_past_the_busy_timeout(
    db_path: Path, locker: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    backoffs = release_on_first_backoff(monkeypatch, locker)
    db = Database.open(db_path, check=False, auto_backup=False)
    calls: list[int] = []

    def work(store: Store) -> str:
        calls.append(1)
        store.set_setting("note", "stored")
        return "done"

    try:
        assert db.run_write(work) == "done"
        with db.read() as store:
            assert store.get_setting("note") == "stored"
    finally:
        db.close()
    assert backoffs == [1]
    assert calls == [1]  # the lock was met before the block ran: it ran once


def test_write_block_starts_again_when_the_database_is_busy(
    db_path: Path, locker: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``with db.write()`` cannot run its block twice, but it can retry taking the lock,
    because nothing of the block has run before that."""
    backoffs = release_on_first_backoff(monkeypatch, locker)
    db = Database.open(db_path, check=False, auto_backup=False)
    try:
        with db.write() as store:
            store.set_setting("note", "stored")
        with db.read() as store:
            assert store.get_setting("note") == "stored"
    finally:
        db.close()
    assert backoffs == [1]


def test_a_lock_that_is_never_released_ends_in_a_readable_error(
    db_path: Path, locker: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "_backoff", lambda attempt: 0.0)
    monkeypatch.setattr(database_module, "WRITE_ATTEMPTS", 2)
    db = Database.open(db_path, check=False, auto_backup=False)
    calls: list[int] = []
    try:
        with pytest.raises(StorageError) as failed:
            db.run_write(lambda store: calls.append(1), attempts=3)
        assert not isinstance(failed.value, TransientStorageError)
        message = str(failed.value)
        assert "is busy" in message and "database is locked" in message
        assert "tried 3 times" in message and str(db_path) in message
        with pytest.raises(TransientStorageError, match="is busy"), db.write():
            pass  # pragma: no cover - the lock is never granted
    finally:
        db.close()
    assert calls == []


# -- errors that are not transient ---------------------------------------------------------


def test_a_refused_change_is_not_retried_and_reads_well(backend_db: Database) -> None:
    calls: list[int] = []

    def work(store: Store) -> None:
        calls.append(1)
        # A claim of a span that does not exist: the foreign key refuses it.
        store.session.execute(
            text("INSERT INTO claims (span_id, claim_type, hedged) VALUES (987654, 'other', false)")
        )
        store.session.flush()

    with pytest.raises(StorageError) as refused:
        backend_db.run_write(work)
    assert not isinstance(refused.value, TransientStorageError)
    message = str(refused.value)
    assert "refused the change" in message and "INSERT" not in message
    assert calls == [1]


def test_sqlalchemy_errors_never_escape_raw(backend_db: Database) -> None:
    with pytest.raises(StorageError, match="bind parameter"):
        backend_db.run_write(lambda store: store.session.execute(text("SELECT :missing")))
    with pytest.raises(StorageError, match="no_such_table"), backend_db.read() as store:
        store.session.execute(text("SELECT * FROM no_such_table"))


# -- PostgreSQL: a deadlock victim and a concurrent insert of the same key --------------------


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = Database.open(pg_url)
    yield db
    db.close()


def test_a_deadlock_victim_is_run_again(pg_db: Database) -> None:
    doc = add_document(pg_db, TEXT)
    with pg_db.write() as store:
        a = store.add_span(Span(None, doc, Layer.ENTITY, 0, 5, "PERSON", "ana"))
        b = store.add_span(Span(None, doc, Layer.ENTITY, 6, 17, "PERSON", "ana"))
    both_hold_one = threading.Barrier(2, timeout=60)
    calls: dict[str, int] = {"ab": 0, "ba": 0}
    errors: list[BaseException] = []

    def crosswise(name: str, first: Span, second: Span, label: str) -> None:
        def work(store: Store) -> None:
            calls[name] += 1
            store.replace_span(replace(first, label=label, version=None))
            if calls[name] == 1:
                both_hold_one.wait()  # each holds one row and now wants the other's
            store.replace_span(replace(second, label=label, version=None))

        try:
            pg_db.run_write(work)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=crosswise, args=("ab", a, b, "ORG")),
        threading.Thread(target=crosswise, args=("ba", b, a, "GPE")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # PostgreSQL aborted one of them as the deadlock victim; it ran again and succeeded.
    assert sorted(calls.values()) == [1, 2]
    with pg_db.read() as store:
        stored = [store.get_span(a.id), store.get_span(b.id)]  # type: ignore[arg-type]
    assert [s.version for s in stored] == [3, 3]  # each applied exactly once
    assert stored[0].label == stored[1].label  # the rerun came last, on both rows


def test_two_clients_inserting_the_same_key(pg_db: Database, pg_url: str) -> None:
    """Select-then-insert under READ COMMITTED: both clients find no row and insert it; the
    second insert waits on the first's unique key, fails when that commits, and the rerun
    finds the row and updates it."""
    watcher = create_engine(pg_url)
    first_inserted = threading.Event()
    calls = {"first": 0, "second": 0}
    errors: list[BaseException] = []

    def blocked_backends() -> int:
        with watcher.connect() as conn:
            return conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            ).scalar_one()

    def put(store: Store, value: int) -> None:
        found = store.session.execute(text("SELECT key FROM settings WHERE key = 'race'")).first()
        params = {"v": f'{{"value": {value}}}'}
        if found is None:
            store.session.execute(
                text("INSERT INTO settings (key, value) VALUES ('race', CAST(:v AS JSON))"), params
            )
        else:
            store.session.execute(
                text("UPDATE settings SET value = CAST(:v AS JSON) WHERE key = 'race'"), params
            )

    def first(store: Store) -> None:
        calls["first"] += 1
        put(store, 1)
        first_inserted.set()
        for _ in range(6000):  # hold the new row until the second insert waits on it
            if blocked_backends():
                break
            threading.Event().wait(0.01)

    def second(store: Store) -> None:
        calls["second"] += 1
        put(store, 2)

    def run(work: object) -> None:
        try:
            pg_db.run_write(work)  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    one = threading.Thread(target=run, args=(first,))
    one.start()
    first_inserted.wait(60)
    two = threading.Thread(target=run, args=(second,))
    two.start()
    one.join()
    two.join()
    watcher.dispose()
    assert errors == []
    assert calls == {"first": 1, "second": 2}
    with pg_db.read() as store:
        assert store.get_setting("race") == 2
