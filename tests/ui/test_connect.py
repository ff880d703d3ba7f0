"""File > Connect to team database… against the real PostgreSQL server of ``.ci/postgres``:
typing into the fields, Test connection in the background, Connect swapping the window to the
server's project, and the typed password never shown or written down."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from annotator.storage.engine import mask
from annotator.ui import recent
from annotator.ui.connect import ConnectDialog
from annotator.ui.settings import open_settings

WAIT_MS = 20_000


@pytest.fixture
def password(pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The test role's password, taken out of libpq's reach: only the dialog supplies it."""
    value = os.environ.get("PGPASSWORD")
    if not value:
        pytest.skip("these tests need the test role's password in PGPASSWORD (.ci/postgres)")
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    return value


def _type(qtbot: QtBot, field: QLineEdit | QSpinBox, text: str) -> None:
    field.setFocus()
    editor = field if isinstance(field, QLineEdit) else field.lineEdit()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)


def _fill(qtbot: QtBot, dialog: ConnectDialog, url: str, password: str) -> None:
    parsed = make_url(url)
    _type(qtbot, dialog.host, str(parsed.host))
    _type(qtbot, dialog.port, str(parsed.port))
    _type(qtbot, dialog.database, str(parsed.database))
    _type(qtbot, dialog.user, str(parsed.username))
    _type(qtbot, dialog.password, password)


def _click_and_wait(qtbot: QtBot, dialog: ConnectDialog, button: str) -> None:
    target = dialog.test_button if button == "test" else dialog.connect_button
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=WAIT_MS)


def test_test_connection_reports_success_and_failure(
    qtbot: QtBot, pg_url: str, password: str
) -> None:
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    connected: list[object] = []  # Connect is not clicked here: stays empty
    dialog.on_connect = connected.append
    dialog.show()
    _fill(qtbot, dialog, pg_url, password)
    assert dialog.password.echoMode() is QLineEdit.EchoMode.Password

    _click_and_wait(qtbot, dialog, "test")
    assert dialog.result.text().startswith("Connected to PostgreSQL")
    assert "empty database" in dialog.result.text()
    assert dialog.checked is not None and not connected and dialog.isVisible()

    _type(qtbot, dialog.password, "wrong-password-9")
    _click_and_wait(qtbot, dialog, "test")
    shown = dialog.result.text()
    assert "password authentication failed" in shown
    assert mask(make_url(pg_url).set(password="x")) in shown
    assert "wrong-password-9" not in shown and dialog.checked is None

    # No password at all, and none from libpq: the message says a password is needed.
    _type(qtbot, dialog.password, "")
    _click_and_wait(qtbot, dialog, "test")
    assert "password" in dialog.result.text() and dialog.checked is None

    # No database named: said before anything is tried.
    _type(qtbot, dialog.database, "")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "database's name" in dialog.result.text()
    dialog.close()


@pytest.fixture
def session(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    from annotator.app import Session

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    local = tmp_path / "local.sqlite"
    session = Session(app, unattended=True)
    try:
        assert session.open(str(local))
        yield session
    finally:
        window = session.window
        if window is not None and hasattr(window, "executor"):
            window.executor.wait_idle()
        session.close()


def _config_text() -> str:
    folder = Path(os.environ["ANNOTATOR_CONFIG_DIR"])
    return "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()
    )


def test_connect_opens_the_server_project_and_remembers_no_password(
    qtbot: QtBot, pg_url: str, password: str, session: object
) -> None:
    window = session.window  # type: ignore[attr-defined]
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "Connect to &team database…")
    action.trigger()
    dialog = window.findChild(ConnectDialog, "connect-dialog")
    assert dialog is not None and dialog.isVisible()
    _fill(qtbot, dialog, pg_url, password)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.window is not window, timeout=WAIT_MS)  # type: ignore[attr-defined]

    database = session.database  # type: ignore[attr-defined]
    assert database is not None and database.url.database == make_url(pg_url).database
    assert database.url.password == password  # this connection uses the typed password
    new_window = session.window  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: new_window.schema is not None, timeout=WAIT_MS)
    assert new_window.isVisible()  # the old window is closed (and deleted)

    # Shown masked, remembered without the password, written nowhere.
    assert password not in new_window.windowTitle()
    assert password not in new_window.status_db.text()
    assert "***" in new_window.status_db.text()
    remembered = recent.load(open_settings())
    assert remembered[0] == make_url(pg_url).render_as_string(hide_password=False)
    assert password not in _config_text()

    # The remembered URL opens again when libpq has the password (here: PGPASSWORD).
    os.environ["PGPASSWORD"] = password
    try:
        assert session.open(remembered[1])  # type: ignore[attr-defined]  # back to the file
        assert session.open(remembered[0])  # type: ignore[attr-defined]
        assert session.database.url.password is None  # type: ignore[attr-defined]
    finally:
        del os.environ["PGPASSWORD"]


def test_a_refused_server_is_an_error_dialog_without_the_password(
    qtbot: QtBot, pg_url: str, password: str, session: object, capfd: pytest.CaptureFixture[str]
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window = session.window  # type: ignore[attr-defined]
    wrong = make_url(pg_url).set(password="wrong-password-5").render_as_string(hide_password=False)
    seen: list[str] = []

    def read_and_close() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        visible = [box for box in boxes if box.isVisible()]
        if not visible:
            QTimer.singleShot(50, read_and_close)
            return
        seen.append(visible[0].text())
        visible[0].accept()

    session.unattended = False  # type: ignore[attr-defined]  # the real error dialog
    QTimer.singleShot(0, read_and_close)
    assert not session.open(wrong)  # type: ignore[attr-defined]
    assert session.window is window  # type: ignore[attr-defined]  # nothing changed
    assert seen and "password authentication failed" in seen[0]
    assert mask(wrong) in seen[0] and "wrong-password-5" not in seen[0]
    assert "wrong-password-5" not in capfd.readouterr().err


def test_the_fields_start_from_the_open_team_project(
    qtbot: QtBot, pg_url: str, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.storage.database import Database

    monkeypatch.setenv("PGPASSWORD", password)
    db = Database.open(pg_url)
    try:
        dialog = ConnectDialog(None, db)
        qtbot.addWidget(dialog)
        parsed = make_url(pg_url)
        assert dialog.host.text() == parsed.host and dialog.port.value() == parsed.port
        assert dialog.database.text() == parsed.database
        assert dialog.user.text() == parsed.username and dialog.password.text() == ""
    finally:
        db.close()


def test_closing_while_a_server_is_silent_neither_waits_nor_connects(qtbot: QtBot) -> None:
    """A server that accepts and never answers: Escape closes the dialog at once (the check
    goes on in the background) and its late answer opens nothing. No PostgreSQL needed."""
    import socket

    from annotator.ui import connect

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    port = silent.getsockname()[1]
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    connected: list[object] = []
    dialog.on_connect = connected.append
    dialog.show()
    _type(qtbot, dialog.host, "127.0.0.1")
    _type(qtbot, dialog.port, str(port))
    _type(qtbot, dialog.database, "corpus")
    _type(qtbot, dialog.user, "ana")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    peer, _ = silent.accept()  # the client is now waiting for the server's first word
    task = dialog._task
    assert task is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert task._thread is not None and task._thread.is_alive()  # not joined on the UI thread
    peer.close()  # the server hangs up: the check fails in the background
    silent.close()
    qtbot.waitUntil(lambda: task not in connect._ORPHANS, timeout=WAIT_MS)
    QApplication.processEvents()
    assert connected == []
