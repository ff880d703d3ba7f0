"""The desktop side of the window: title, File menu, About, the unattended start used by the
smoke tests, and File > Open swapping projects (and their locks) in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from annotator import __version__
from annotator.storage.database import Database
from annotator.ui import recent
from annotator.ui.instance import ProjectLock
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import open_settings


def _project(path: Path, *titles: str) -> Path:
    from annotator.services.importing import import_paths

    folder = path.parent / f"{path.stem}-texts"
    folder.mkdir()
    for number, title in enumerate(titles):
        (folder / f"{number}.txt").write_text(f"{title}\nThe mayor said it rained.\n")
    db = Database.open(path)
    import_paths(db, sorted(folder.glob("*.txt")), fmt="txt", detect_boilerplate=False)
    db.close()
    return path


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    db = Database.open(_project(tmp_path / "harbour.sqlite", "Storm closes port"))
    win = MainWindow(db, "ana")
    win.show()
    qtbot.waitUntil(lambda: win.view is not None, timeout=20000)
    yield win
    win.executor.wait_idle()
    win.close()  # once: closing shuts the window's workers down
    db.close()


def test_title_names_document_and_project(window: MainWindow) -> None:
    assert window.windowTitle() == "Storm closes port — harbour — Annotator"


def test_file_menu_opens_projects(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts[:3] == ["&New project…", "&Open project…", "Open &recent"]
    assert "&Import…" in texts and "&Quit" in texts


def test_about_names_version_licence_and_locations(qtbot: QtBot, window: MainWindow) -> None:
    window.about()
    box = window.findChild(QMessageBox, "about-dialog")
    assert box is not None
    text = box.text()
    assert f"Annotator {__version__}" in text
    assert "MIT licence" in text
    assert str(window.db.path) in text
    assert str(window.db.path.parent / "backups") in text
    assert window.settings.fileName() in text
    box.close()


def test_unattended_start_quits_once_the_document_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.app import main

    project = _project(tmp_path / "ledger.sqlite", "Floods reach the city")
    monkeypatch.setenv("ANNOTATOR_QUIT_AFTER_MS", "60000")
    assert main(db=str(project)) == 0
    assert "window ready: Floods reach the city — ledger — Annotator" in capsys.readouterr().err
    assert recent.load(open_settings()) == [str(project)]
    assert not (tmp_path / "ledger.sqlite.lock").exists()  # released on the way out


def test_unattended_start_fails_on_an_unopenable_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.app import main

    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("not a database, just text that happens to be long enough" * 100)
    monkeypatch.setenv("ANNOTATOR_QUIT_AFTER_MS", "60000")
    assert main(db=str(bogus)) == 1
    assert "notes.sqlite" in capsys.readouterr().err


def test_open_swaps_the_project_and_its_lock(qtbot: QtBot, tmp_path: Path) -> None:
    from annotator.app import Session

    first = _project(tmp_path / "first.sqlite", "First article")
    second = _project(tmp_path / "second.sqlite", "Second article")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    session = Session(app, unattended=True)
    try:
        assert session.open(str(first))
        first_window = session.window
        assert session.lock is not None and session.lock.held

        recent.request_open(str(second))  # what File > Open and Open recent do
        assert session.database is not None and session.database.path == second.resolve()
        assert session.window is not first_window
        assert not first_window.isVisible()
        other = ProjectLock(first.resolve())
        assert other.acquire() is None  # the first project's lock was released
        other.release()

        window = session.window
        assert session.open(str(second))  # already open: the same window stays
        assert session.window is window

        blocker = ProjectLock(first.resolve())
        assert blocker.acquire() is None
        assert not session.open(str(first))  # open elsewhere: refused, nothing changes
        assert session.window is window
        blocker.release()

        bogus = tmp_path / "bogus.sqlite"
        bogus.write_text("not a database, just text that happens to be long enough" * 100)
        assert not session.open(str(bogus))  # broken: refused, the window stays
        assert session.window is window and session.exit_code == 0
        assert ProjectLock(bogus.resolve()).acquire() is None  # its lock was given back
        assert recent.load(open_settings())[:2] == [str(second.resolve()), str(first.resolve())]
    finally:
        session.close()
