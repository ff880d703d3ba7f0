"""A token export collects garbage less often while it runs and leaves the collector as it
was; an import and an export at once leave it as it was before both."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from annotator.services import collecting
from annotator.services.exporting import export
from annotator.storage.database import Database
from tests.export.test_native_rows import varied


@pytest.fixture
def project(db: Database, tmp_path: Path) -> Database:
    varied(db, tmp_path)
    return db


def _state() -> tuple[tuple[int, int, int], int]:
    return gc.get_threshold(), gc.get_freeze_count()


def test_a_token_export_eases_the_collector_and_restores_it(
    project: Database, tmp_path: Path
) -> None:
    before = _state()
    during: list[tuple[tuple[int, int, int], int]] = []

    def seen(done: int, total: int | None, phase: str) -> None:
        if phase == "Exporting documents" and done:
            during.append(_state())

    summary = export(project, tmp_path / "out.jsonl", fmt="prodigy", progress=seen)
    assert summary.documents > 0
    assert during and all(t[0] == collecting.IMPORT_THRESHOLD and n > 0 for t, n in during)
    assert _state() == before


def test_a_failed_token_export_restores_the_collector(project: Database, tmp_path: Path) -> None:
    before = _state()

    def fail(done: int, total: int | None, phase: str) -> None:
        if phase == "Exporting documents" and done:
            raise RuntimeError("the progress display broke")

    with pytest.raises(RuntimeError, match="display broke"):
        export(project, tmp_path / "out.jsonl", fmt="conll", progress=fail)
    assert _state() == before


def test_overlapping_uses_restore_the_collector_as_it_was_before_both() -> None:
    before = _state()
    first = collecting.collect_less()  # an import starts
    second = collecting.collect_less()  # an export starts meanwhile
    collecting.restore(first)  # the import ends first: the export still runs eased
    assert gc.get_threshold()[0] == collecting.IMPORT_THRESHOLD and gc.get_freeze_count() > 0
    collecting.restore(second)
    assert _state() == before
