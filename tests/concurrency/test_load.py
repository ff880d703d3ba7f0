"""Several client processes annotating one database at once lose nothing and never fail;
a client killed with SIGKILL mid-work loses nothing it had acknowledged."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from annotator.storage.database import Database
from tests.concurrency.harness import seed, start, verify, wait_for_acks

pytestmark = pytest.mark.slow

ACTIONS = 1000


def run_clients(url: str, clients: int, actions: int) -> tuple[dict[str, int], float]:
    db = Database.open(url, auto_backup=False)
    try:
        doc_ids = seed(db)
        began = time.monotonic()
        runs = [start(url, f"client{i}", actions, seed=i) for i in range(clients)]
        for run in runs:
            run.wait()
        elapsed = time.monotonic() - began
        counts = verify(db, runs, doc_ids)
        assert db.quick_check() == []
        return counts, elapsed
    finally:
        db.close()


@pytest.mark.postgres
def test_five_clients_on_postgresql(pg_url: str) -> None:
    counts, elapsed = run_clients(pg_url, clients=5, actions=ACTIONS)
    assert counts["acks"] == 5 * ACTIONS
    # Reviews of the shared spans really raced: some were refused, none was lost.
    assert counts["reviews"] > 0 and counts["conflicts"] > 0
    print(f"postgresql 5 x {ACTIONS}: {elapsed:.1f}s, {counts}")


def test_two_clients_on_one_sqlite_file(tmp_path: Path) -> None:
    counts, elapsed = run_clients(str(tmp_path / "shared.sqlite"), clients=2, actions=ACTIONS)
    assert counts["acks"] == 2 * ACTIONS
    assert counts["reviews"] > 0
    print(f"sqlite 2 x {ACTIONS}: {elapsed:.1f}s, {counts}")


def kill_mid_work(url: str) -> dict[str, int]:
    """Two clients; one is killed with SIGKILL after a number of acknowledged actions while
    the other keeps writing; then everything acknowledged by either is in the database."""
    db = Database.open(url, auto_backup=False)
    try:
        doc_ids = seed(db)
        victim = start(url, "victim", ACTIONS, seed=7)
        survivor = start(url, "survivor", 300, seed=8)
        wait_for_acks(victim, 150)
        victim.kill()
        victim.wait()
        assert victim.process.returncode == -9
        assert db.quick_check() == []
        # The database takes new work after the crash, while the survivor still writes.
        after = start(url, "after", 50, seed=9)
        survivor.wait()
        after.wait()
        counts = verify(db, [victim, survivor, after], doc_ids)
        assert 150 <= len(victim.acks) < ACTIONS
        assert db.quick_check() == []
        return counts
    finally:
        db.close()


def test_sigkill_loses_nothing_acknowledged_on_sqlite(tmp_path: Path) -> None:
    kill_mid_work(str(tmp_path / "crash.sqlite"))


@pytest.mark.postgres
def test_sigkill_loses_nothing_acknowledged_on_postgresql(pg_url: str) -> None:
    kill_mid_work(pg_url)
