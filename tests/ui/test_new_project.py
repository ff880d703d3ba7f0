"""File > New project driven as a person would: Ctrl+N, type the location, pick the template
with the keyboard, add a file to import, click Create; the new project opens in the window
with the template's labels and the file imported. Creating over a project is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.app import Session
from annotator.core.schema import TEMPLATES, template_schema
from annotator.services.project import new_project_file
from annotator.storage.database import Database
from annotator.suggest.registry import SETTINGS_KEY, SuggesterSettings
from annotator.ui import recent
from annotator.ui.new_project import NewProjectDialog
from annotator.ui.settings import open_settings

ARTICLE = "Harbour reopens\nThe port authority said 41 ships had left by Monday.\n"


@pytest.fixture
def session(qtbot: QtBot, tmp_path: Path) -> Iterator[Session]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    session = Session(app, unattended=True)
    try:
        assert session.open(str(tmp_path / "first.sqlite"))
        yield session
    finally:
        session.close()


def open_dialog(qtbot: QtBot, session: Session) -> NewProjectDialog:
    window = session.window
    assert window is not None
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(NewProjectDialog, "new-project-dialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def type_location(qtbot: QtBot, dialog: NewProjectDialog, text: str) -> None:
    field = dialog.findChild(QLineEdit, "location")
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def error_text(qtbot: QtBot, dialog: NewProjectDialog) -> str:
    box: list[QMessageBox] = []

    def shown() -> bool:
        box[:] = [b for b in dialog.findChildren(QMessageBox, "new-project-error") if b.isVisible()]
        return bool(box)

    qtbot.waitUntil(shown, timeout=10_000)
    text = box[0].text()
    box[0].close()
    return text


@pytest.mark.parametrize("index", range(len(TEMPLATES)))
def test_create_from_each_template_with_a_first_import(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int
) -> None:
    article = tmp_path / "harbour.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    # The file chooser is the platform's; it hands back what the person picked.
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(article)], ""))
    )
    first_window = session.window
    dialog = open_dialog(qtbot, session)
    target = tmp_path / "projects" / f"new-{index}"  # no suffix: .sqlite is added
    type_location(qtbot, dialog, str(target))
    combo = dialog.template
    assert combo.currentIndex() == 0  # news entities + claims is the default
    for _ in range(index):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert dialog.template_key == TEMPLATES[index].key
    qtbot.mouseClick(dialog.findChild(object, "add-files"), Qt.MouseButton.LeftButton)
    assert dialog.import_paths == [str(article)]
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    created = target.with_suffix(".sqlite").resolve()
    qtbot.waitUntil(
        lambda: session.database is not None and session.database.path == created,
        timeout=20_000,
    )
    window = session.window
    assert window is not first_window and window is not None
    qtbot.waitUntil(lambda: getattr(window, "schema", None) is not None, timeout=10_000)
    expected = template_schema(TEMPLATES[index].key)
    assert window.schema.entity_names == expected.entity_names  # type: ignore[attr-defined]
    assert window.schema.version == 1  # type: ignore[attr-defined]

    def imported() -> bool:
        with session.database.read() as store:  # type: ignore[union-attr]
            return store.document_count() == 1

    qtbot.waitUntil(imported, timeout=20_000)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)  # type: ignore[attr-defined]
    assert recent.load(open_settings())[0] == str(created)


def test_creating_over_an_existing_project_is_refused(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    existing = tmp_path / "existing.sqlite"
    db = Database.open(existing)
    with db.write() as store:
        store.insert_documents([{"title": "t", "text": ARTICLE, "sha256": "0" * 64}])
    db.close()
    window = session.window
    dialog = open_dialog(qtbot, session)
    type_location(qtbot, dialog, str(existing))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    text = error_text(qtbot, dialog)
    assert "existing project (1 documents)" in text and "File > Open project" in text
    assert session.window is window and dialog.isVisible()  # nothing opened; fix and retry

    type_location(qtbot, dialog, str(tmp_path / "first.sqlite"))  # the one open now
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "open now" in error_text(qtbot, dialog)

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and session.window is window


def test_default_location_is_a_new_file_in_the_data_directory() -> None:
    first = new_project_file()
    assert first.name == "project.sqlite"
    first.parent.mkdir(parents=True, exist_ok=True)
    first.write_bytes(b"x")
    assert new_project_file().name == "project-2.sqlite"


def test_command_line_new_and_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.cli import EXIT_OK, EXIT_REJECTED, main

    target = tmp_path / "conll.sqlite"
    assert main(["--db", str(target), "new", "--template", "conll2003"]) == EXIT_OK
    assert "with CoNLL-2003 (4 entity labels), label schema version 1" in capsys.readouterr().out
    assert main(["labels", "--db", str(target)]) == EXIT_OK
    shown = capsys.readouterr().out
    assert shown.startswith("CoNLL-2003, version 1") and "MISC" in shown
    assert main(["--db", str(target), "new"]) == EXIT_REJECTED  # a project is there now
    assert "is an existing project (1 schema versions)" in capsys.readouterr().err


def test_the_seed_lists_can_be_switched_off_for_the_new_project(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, session)
    target = tmp_path / "no-seeds.sqlite"
    type_location(qtbot, dialog, str(target))
    box = dialog.seed_lists
    assert box.isChecked()  # on unless the person says otherwise
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().topLeft() + QPoint(6, 6))
    assert not box.isChecked()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: session.database is not None and session.database.path == target.resolve(),
        timeout=20_000,
    )
    with session.database.read() as store:  # type: ignore[union-attr]
        settings = SuggesterSettings.from_value(store.get_setting(SETTINGS_KEY))
    assert "seeds" not in settings.enabled_names()
    assert "gazetteer" in settings.enabled_names()
