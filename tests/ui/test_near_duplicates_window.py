"""The window with syndicated copies: the document list marks each copy, and View > Hide
near-duplicate copies (Ctrl+Shift+H) takes them out of the list and brings them back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.services.importing import import_paths
from annotator.storage.database import Database
from annotator.ui.document_list_model import COPY_MARK, TITLE_COLUMN, DocumentIdRole
from annotator.ui.main_window import MainWindow
from tests.syndication import corpus, write_jsonl
from tests.ui.driver import key, opened, settle

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def syndicated(db: Database, tmp_path: Path) -> dict[str, str]:
    with db.write() as store:
        store.set_setting(
            "suggesters", {name: {"enabled": False} for name in ("gazetteer", "rules", "claims")}
        )
    records, original_of = corpus(seed=41, originals=8, copies=6)
    summary = import_paths(db, [write_jsonl(tmp_path / "all.jsonl", records)])
    assert summary.near_duplicates == 6
    return original_of


@pytest.fixture
def window(db: Database, syndicated: dict[str, str], qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    yield from opened(db, "ana", qtbot)


def listed(window: MainWindow, qtbot) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Document id -> title cell of every row of the list, once all are loaded."""
    view = window.documents.view
    model = view.model()

    def loaded() -> bool:
        return all(
            model.data(model.index(r, TITLE_COLUMN), DocumentIdRole) is not None
            for r in range(model.rowCount())
        )

    for row in range(model.rowCount()):
        view.scrollTo(model.index(row, TITLE_COLUMN))
    qtbot.waitUntil(loaded, timeout=5000)
    return {
        model.data(model.index(r, TITLE_COLUMN), DocumentIdRole): model.data(
            model.index(r, TITLE_COLUMN)
        )
        for r in range(model.rowCount())
    }


def external_ids(db: Database) -> dict[int, str]:
    with db.read() as store:
        return {i: store.document(i).external_id or "" for i in store.document_ids()}


def test_copies_are_marked_and_can_be_hidden(
    window: MainWindow, db: Database, syndicated: dict[str, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    names = external_ids(db)
    rows = listed(window, qtbot)
    assert len(rows) == 14
    marked = {names[i] for i, title in rows.items() if title.startswith(COPY_MARK)}
    assert marked == set(syndicated)

    action = window.action_table.by_name["hide-copies"]
    assert not action.isChecked()
    key(qtbot, window, Qt.Key.Key_H, CTRL_SHIFT)
    qtbot.waitUntil(lambda: window.documents.view.model().rowCount() == 8, timeout=5000)
    rows = listed(window, qtbot)
    assert {names[i] for i in rows} == {n for n in names.values() if n not in syndicated}
    assert not any(title.startswith(COPY_MARK) for title in rows.values())
    assert "near-duplicate copies hidden" in window.documents.count_label.text()
    assert action.isChecked()

    key(qtbot, window, Qt.Key.Key_H, CTRL_SHIFT)
    qtbot.waitUntil(lambda: window.documents.view.model().rowCount() == 14, timeout=5000)
    settle(window)
    assert len(listed(window, qtbot)) == 14
    assert not action.isChecked()
