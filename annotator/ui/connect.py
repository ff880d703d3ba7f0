"""File > Connect to team database…: host, port, database, user and an optional password for a
PostgreSQL project; "Test connection" and Connect try the server in the background.

The password typed here lives only in memory: in the URL handed to the project opener for this
connection (the engine needs it to reconnect). It is never shown (URLs are masked), logged, or
written down: recent projects get the URL without it, and opening that again relies on libpq's
own means (``PGPASSWORD``, ``~/.pgpass``, a service file). Left empty, those means supply it now.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.services.project import recent_target
from annotator.services.team_server import ServerAddress, check_server
from annotator.ui import recent
from annotator.ui.context import MAIN_WINDOW_NAME
from annotator.ui.plain import label
from annotator.ui.settings import open_settings
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from annotator.services.project import OpenProject
    from annotator.services.team_server import ServerCheck

DEFAULT_PORT = 5432


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class ConnectDialog(QDialog):
    """The fields of a PostgreSQL URL, a background "Test connection", and Connect (which
    tests too, then asks for the project to be opened like File > Open project does)."""

    def __init__(self, parent: QWidget | None = None, current: OpenProject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connect-dialog")
        self.setWindowTitle("Connect to team database")
        self.host = QLineEdit(os.environ.get("PGHOST", "localhost"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(_env_port())
        self.database = QLineEdit(os.environ.get("PGDATABASE", ""))
        self.user = QLineEdit(os.environ.get("PGUSER", _login_name()))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("empty: PGPASSWORD, ~/.pgpass or a service file")
        for name, field in (
            ("host", self.host),
            ("port", self.port),
            ("database", self.database),
            ("user", self.user),
            ("password", self.password),
        ):
            field.setObjectName(f"connect-{name}")
        shown = ServerAddress.of(current) if current is not None else None
        if shown is not None:
            self._fill_from(shown)

        form = QFormLayout()
        form.addRow("&Host:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow("&Password:", self.password)
        note = label(
            "The password is used for this connection only and never stored. Recent projects "
            "remember the server without it; set it in ~/.pgpass (or PGPASSWORD) to reopen "
            "them without typing it."
        )
        note.setWordWrap(True)
        self.result = label("")
        self.result.setObjectName("connect-result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.connect_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText("&Connect")
        self.connect_button.setObjectName("connect-connect")
        self.test_button = QPushButton("&Test connection")
        self.test_button.setObjectName("connect-test")
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.connect_to_server)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)

        self._task: BackgroundTask | None = None
        self._pending: tuple[ServerAddress, bool] | None = None  # being tried; then connect?
        #: The last check that succeeded, for tests and the caller.
        self.checked: ServerCheck | None = None
        #: Called with the address (password included, in memory) when Connect succeeds.
        self.on_connect: Callable[[ServerAddress], None] = open_in_window

    def _fill_from(self, address: ServerAddress) -> None:
        for field, value in (
            (self.host, address.host),
            (self.database, address.database),
            (self.user, address.user),
        ):
            if value:
                field.setText(value)
        self.port.setValue(address.port)

    def address(self) -> ServerAddress:
        """The fields' server and database; with the typed password, if any (never shown)."""
        return ServerAddress(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            password=self.password.text() or None,
        )

    @property
    def busy(self) -> bool:
        return self._task is not None

    def test_connection(self) -> None:
        self._check(then_connect=False)

    def connect_to_server(self) -> None:
        self._check(then_connect=True)

    def _check(self, *, then_connect: bool) -> None:
        if self._task is not None:
            return
        if not self.database.text().strip():
            self._show("Give the database's name (the team lead created it with createdb).")
            self.database.setFocus()
            return
        address = self.address()
        # The password stays in memory: in the task's closure and the opener.
        self._show(f"Connecting to {address.shown()}…")
        task = BackgroundTask("Test connection", lambda _progress, _cancel: check_server(address))
        # Bound methods of this dialog, so the results arrive on the UI thread (queued).
        task.succeeded.connect(self._checked)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self._task, self._pending = task, (address, then_connect)
        self._set_busy(True)
        task.start()

    def _set_busy(self, busy: bool) -> None:
        self.test_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)

    def _finished(self) -> None:
        self._task = None
        self._set_busy(False)

    def _checked(self, check: ServerCheck) -> None:
        self.checked = check
        self._show(check.describe())
        pending, self._pending = self._pending, None
        if pending is not None and pending[1] and not check.foreign:
            self.password.clear()  # the URL in hand carries it for this connection only
            self.accept()
            self.on_connect(pending[0])

    def _failed(self, error: BaseException) -> None:
        self.checked = None
        self._pending = None
        # Our storage errors name the masked URL; anything else is shown by its kind only,
        # since its text could hold the URL as typed.
        from annotator.core.errors import AnnotatorError

        text = str(error) if isinstance(error, AnnotatorError) else type(error).__name__
        self._show(text[0].upper() + text[1:] if text else "The connection failed.")

    def _show(self, text: str) -> None:
        self.result.setText(text)

    def done(self, result: int) -> None:
        task = self._task
        if task is not None:
            # Closing must not wait for a slow server (up to the connect timeout on the UI
            # thread): forget the answer and keep the task referenced until its thread ends.
            self._pending = None
            task.succeeded.disconnect(self._checked)
            task.failed.disconnect(self._failed)
            task.finished.disconnect(self._finished)
            _ORPHANS.add(task)
            task.finished.connect(lambda: _ORPHANS.discard(task))
            self._task = None
        super().done(result)


#: Checks still running after their dialog closed (see ConnectDialog.done).
_ORPHANS: set[BackgroundTask] = set()


def _env_port() -> int:
    try:
        return int(os.environ.get("PGPORT", DEFAULT_PORT))
    except ValueError:
        return DEFAULT_PORT


def open_in_window(address: ServerAddress) -> None:
    """Open ``address`` the way File > Open project does, then remember it without its
    password if the window now shows it (a refused project is not remembered)."""
    recent.request_open(address.target())
    kept = address.remembered()
    for widget in QApplication.topLevelWidgets():
        window = widget.objectName() == MAIN_WINDOW_NAME and widget.isVisible()
        if window and recent_target(widget.db) == kept:  # type: ignore[attr-defined]
            recent.remember(open_settings(), kept)
            return


def connect_to_team_database(parent: QWidget, current: OpenProject | None = None) -> ConnectDialog:
    """File > Connect to team database…"""
    dialog = ConnectDialog(parent, current)
    back = getattr(parent, "back_to_article", None)
    if callable(back):
        dialog.finished.connect(lambda _result: back() if parent.isVisible() else None)
    dialog.open()
    return dialog
