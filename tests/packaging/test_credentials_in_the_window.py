"""The window never shows, and the settings file never holds, a credential of a database URL,
wherever the URL carries it: ``user:password@``, ``?password=``, ``?PASSWORD=``,
``?sslpassword=``.

Recent projects are checked on the settings file itself (a list written by an older version
that holds a secret is cleaned when read). The title bar, the status bar, About and the error
dialog are checked on the window opening the real server of ``.ci/postgres`` (those tests skip
without it), the password reaching libpq only through the URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from annotator.ui import recent
from annotator.ui.settings import config_dir, open_settings

SECRET = "Sesame-7q"
WAIT_MS = 20_000

URLS = [
    f"postgresql+psycopg://ana:{SECRET}@db.example/corpus",
    f"postgresql+psycopg://ana@db.example/corpus?password={SECRET}",
    f"postgresql+psycopg://ana@db.example/corpus?PASSWORD={SECRET}",
    f"postgresql://ana@db.example/corpus?sslmode=require&sslpassword={SECRET}",
]


def _settings_text() -> str:
    return (config_dir() / "settings.ini").read_text(encoding="utf-8", errors="replace")


def _config_text() -> str:
    return "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in config_dir().rglob("*")
        if p.is_file()
    )


@pytest.mark.parametrize("url", URLS)
def test_recent_projects_never_store_a_credential(url: str, qtbot: QtBot) -> None:
    settings = open_settings()
    recent.remember(settings, url)
    assert SECRET not in _settings_text()
    kept = recent.load(settings)
    assert len(kept) == 1 and "db.example" in kept[0] and SECRET not in kept[0]
    assert make_url(kept[0]).password is None

    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    menu = recent.RecentMenu(parent)
    for action in menu.actions():
        for shown in (action.text(), action.toolTip(), action.statusTip()):
            assert SECRET not in shown


def test_a_credential_written_by_an_older_version_is_removed_when_read() -> None:
    path = config_dir() / "settings.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    older = QSettings(str(path), QSettings.Format.IniFormat)
    older.setValue(recent.KEY, [*URLS, "/home/ana/corpus.sqlite"])  # as an older version wrote it
    older.sync()
    assert SECRET in _settings_text()
    kept = recent.load(open_settings())
    assert SECRET not in _settings_text()
    assert all(SECRET not in item for item in kept)
    assert kept[-1] == "/home/ana/corpus.sqlite"
    assert any("sslmode=require" in item for item in kept)  # what is not secret stays


# -- the window, against the real server ---------------------------------------------------


@pytest.fixture
def role_password(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test role's password, out of libpq's reach: only the URL gives it."""
    value = os.environ.get("PGPASSWORD")
    if not value:
        pytest.skip("these tests need the test role's password in PGPASSWORD (.ci/postgres)")
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    return value


@pytest.fixture
def session(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    from annotator.app import Session

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    made = Session(app, unattended=True)
    try:
        assert made.open(str(tmp_path / "local.sqlite"))
        yield made
    finally:
        window = made.window
        if window is not None and hasattr(window, "executor"):
            window.executor.wait_idle()
        made.close()


def _with(url: str, key: str, value: str) -> str:
    parsed = make_url(url)
    if key == "userinfo":
        return parsed.set(password=value).render_as_string(hide_password=False)
    return parsed.update_query_dict({key: value}).render_as_string(hide_password=False)


@pytest.mark.parametrize("key", ["userinfo", "password"])
def test_title_status_about_and_recent_hold_no_password(
    key: str,
    pg_url: str,
    role_password: str,
    session: object,
    qtbot: QtBot,
    capfd: pytest.CaptureFixture[str],
) -> None:
    target = _with(pg_url, key, role_password)
    assert session.open(target)  # type: ignore[attr-defined]
    window = session.window  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.schema is not None, timeout=WAIT_MS)
    database = session.database  # type: ignore[attr-defined]
    assert database.url.database == make_url(pg_url).database  # the server's project is open

    title = window.windowTitle()
    assert make_url(pg_url).host in title and role_password not in title
    assert role_password not in window.status_db.text()
    window.about()
    about = window.findChild(QMessageBox, "about-dialog")
    assert about is not None and "Project: " in about.text()
    assert role_password not in about.text()
    about.close()

    remembered = recent.load(open_settings())
    assert remembered[0] == make_url(pg_url).render_as_string(hide_password=False)
    assert role_password not in _config_text()
    assert role_password not in capfd.readouterr().err


@pytest.mark.parametrize("key", ["userinfo", "password", "PASSWORD", "sslpassword"])
def test_a_refused_connection_is_an_error_dialog_without_the_secret(
    key: str,
    pg_url: str,
    role_password: str,
    session: object,
    capfd: pytest.CaptureFixture[str],
) -> None:
    wrong = f"{SECRET}-wrong"
    target = _with(pg_url, key, wrong)
    seen: list[str] = []

    def read_and_close() -> None:
        visible = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        if not visible:
            QTimer.singleShot(50, read_and_close)
            return
        seen.append(visible[0].text() + visible[0].detailedText())
        visible[0].accept()

    window = session.window  # type: ignore[attr-defined]
    session.unattended = False  # type: ignore[attr-defined]  # the real error dialog
    QTimer.singleShot(0, read_and_close)
    assert not session.open(target)  # type: ignore[attr-defined]
    assert session.window is window  # type: ignore[attr-defined]
    assert seen and make_url(pg_url).host in seen[0]
    assert wrong not in seen[0]
    assert wrong not in capfd.readouterr().err
    assert wrong not in _config_text()
