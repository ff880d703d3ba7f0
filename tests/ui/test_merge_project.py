"""File > Merge project… driven as a person would: Alt+F opens the File menu, M chooses the
item, the project's path is typed, Return merges; the merge runs in the background and its
report names what came in. A project whose schema differs is refused with the differences."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.core.model import Status
from annotator.core.schema import EntityLabel, default_schema
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from annotator.ui.merge_project import MergeProjectDialog
from tests.services.merge_corpus import TEXTS, ana_version, bob_version, write_jsonl
from tests.ui.windows import open_window


@pytest.fixture
def project(db: Database, tmp_path: Path) -> Database:
    """The lead's project: every article, Ana's work."""
    import_paths(db, [write_jsonl(tmp_path / "ana.jsonl", [ana_version(d) for d in TEXTS])])
    return db


def _laptop(tmp_path: Path, *, extra_label: bool = False) -> Path:
    """Bob's project file: the same articles with his work."""
    path = tmp_path / "bob" / "project.sqlite"
    path.parent.mkdir()
    other = Database.open(path)
    try:
        import_paths(other, [write_jsonl(tmp_path / "bob.jsonl", [bob_version(d) for d in TEXTS])])
        if extra_label:
            schema = default_schema()
            with other.write() as store:
                store.save_schema(
                    schema.__class__(
                        name=schema.name,
                        version=schema.version,
                        entities=(*schema.entities, EntityLabel("VESSEL", "#336699", None)),
                    )
                )
    finally:
        other.close()
    return path


@pytest.fixture
def window(project: Database, qtbot: QtBot) -> Iterator[MainWindow]:
    win = open_window(project, "lead", qtbot)
    yield win
    win.executor.wait_idle()


def _merge_from_menu(qtbot: QtBot, window: MainWindow, source: Path) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    assert menu is not None and menu.title() == "&File"
    qtbot.keyClick(menu, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: window.findChild(MergeProjectDialog) is not None, timeout=5000)
    dialog = window.findChild(MergeProjectDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    field = dialog.findChild(QLineEdit, "merge-source")
    assert field is not None
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    qtbot.keyClicks(field, str(source))
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _report(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(
        lambda: any(b.isVisible() for b in window.findChildren(QMessageBox, "merge-summary")),
        timeout=60_000,
    )
    (box,) = [b for b in window.findChildren(QMessageBox, "merge-summary") if b.isVisible()]
    return box


def test_merge_a_laptop_project_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, project: Database, tmp_path: Path
) -> None:
    source = _laptop(tmp_path)
    _merge_from_menu(qtbot, window, source)
    text = _report(qtbot, window).text()
    assert f"Merged {source}: 0 new documents, 4 already here" in text
    assert "bob: 4 documents with new work, 0 unchanged, 0 conflicting" in text
    with project.read() as store:
        assert store.document_count() == 4
        for doc_id in store.document_ids():
            assert store.get_state(doc_id, "bob").status is Status.DONE
            assert store.spans(doc_id, "bob")


def test_a_different_schema_is_refused_and_nothing_merged(
    qtbot: QtBot, window: MainWindow, project: Database, tmp_path: Path
) -> None:
    with project.write() as store:
        store.save_schema(default_schema())
    source = _laptop(tmp_path, extra_label=True)
    _merge_from_menu(qtbot, window, source)
    qtbot.waitUntil(
        lambda: any(
            "'VESSEL' is not in this project" in box.text()
            for box in window.findChildren(QMessageBox)
            if box.isVisible()
        ),
        timeout=60_000,
    )
    with project.read() as store:
        assert "bob" not in store.annotators()
        assert store.document_count() == 4
