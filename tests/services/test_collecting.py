"""An import collects garbage less often while it runs, and leaves the collector as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import orjson
import pytest

from annotator.core.progress import CancelToken
from annotator.services import collecting
from annotator.services.importing import import_paths
from annotator.storage.database import Database


def _write(path: Path, n: int) -> None:
    records = [
        {
            "id": f"d{i}",
            "text": f"Story {i} about the port.\n",
            "entities": [{"start": 0, "end": 5, "label": "ORG"}],
        }
        for i in range(n)
    ]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def test_the_collector_is_eased_during_an_import_and_restored_after(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.jsonl"
    _write(source, 5)
    before = (gc.get_threshold(), gc.get_freeze_count())
    during: list[tuple[tuple[int, int, int], int]] = []

    def seen(done: int, total: int | None, phase: str) -> None:
        if done:  # (the first report, of nothing done, comes before the import starts)
            during.append((gc.get_threshold(), gc.get_freeze_count()))

    summary = import_paths(db, [source], progress=seen)
    assert summary.imported == 5
    assert during and all(t[0] == collecting.IMPORT_THRESHOLD for t, _ in during)
    assert all(frozen > 0 for _, frozen in during)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_a_cancelled_import_restores_the_collector(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _write(source, 50)
    before = (gc.get_threshold(), gc.get_freeze_count())
    token = CancelToken()

    def cancel_soon(done: int, total: int | None, phase: str) -> None:
        if done:
            token.cancel()

    summary = import_paths(db, [source], progress=cancel_soon, cancel=token, batch_size=5)
    assert summary.cancelled
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_an_import_that_fails_restores_the_collector(db: Database, tmp_path: Path) -> None:
    before = (gc.get_threshold(), gc.get_freeze_count())

    def fail(done: int, total: int | None, phase: str) -> None:
        if done:  # from inside the import's loop, once the collector is eased
            raise RuntimeError("the progress display broke")

    source = tmp_path / "in.jsonl"
    _write(source, 3)
    with pytest.raises(RuntimeError, match="display broke"):
        import_paths(db, [source], progress=fail)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
