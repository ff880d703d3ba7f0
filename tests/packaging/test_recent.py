"""Recent projects: most recent first, at most eight, no duplicates, missing files flagged and
removable, passwords never stored; the menu shows the list and asks to open the chosen one."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from annotator.ui import recent
from annotator.ui.settings import config_dir, open_settings


def _project(folder: Path, name: str) -> str:
    path = folder / f"{name}.sqlite"
    path.write_bytes(b"")
    return str(path)


def test_most_recent_first_without_duplicates(tmp_path: Path) -> None:
    settings = open_settings()
    a, b, c = (_project(tmp_path, n) for n in "abc")
    recent.remember(settings, a)
    recent.remember(settings, b)
    recent.remember(settings, c)
    assert recent.load(settings) == [c, b, a]
    recent.remember(settings, a)  # reopened: moves to the top, once
    assert recent.load(settings) == [a, c, b]
    # The same file spelled differently is the same project.
    recent.remember(settings, str(Path(b).parent / "." / Path(b).name))
    assert len(recent.load(settings)) == 3


def test_at_most_eight_the_oldest_drops_off(tmp_path: Path) -> None:
    settings = open_settings()
    paths = [_project(tmp_path, f"p{i}") for i in range(10)]
    for path in paths:
        recent.remember(settings, path)
    assert recent.load(settings) == paths[::-1][: recent.MAX_RECENT]
    assert len(recent.load(settings)) == 8


def test_kept_in_the_settings_file(tmp_path: Path) -> None:
    only = _project(tmp_path, "only")
    recent.remember(open_settings(), only)
    # A fresh QSettings on the file in ANNOTATOR_CONFIG_DIR reads it back, including a
    # one-element list (which the INI format stores as a plain string).
    fresh = QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat)
    assert recent.load(fresh) == [only]
    recent.clear(fresh)
    assert recent.load(open_settings()) == []


def test_missing_files_flagged_and_removable(tmp_path: Path) -> None:
    settings = open_settings()
    kept = _project(tmp_path, "kept")
    gone = _project(tmp_path, "gone")
    url = "postgresql+psycopg://ana@db.example/corpus"
    for target in (url, gone, kept):
        recent.remember(settings, target)
    Path(gone).unlink()
    entries = recent.entries(settings)
    assert [(e.target, e.available) for e in entries] == [
        (kept, True),
        (gone, False),
        (url, True),  # a server cannot be checked without connecting: always offered
    ]
    assert recent.forget_missing(settings) == [kept, url]
    assert recent.forget(settings, url) == [kept]


def _db(path: Path | None, url: str) -> Any:
    from annotator.storage.engine import mask, resolve_url

    parsed = resolve_url(url)
    return SimpleNamespace(path=path, display_url=mask(parsed), url=parsed)


def test_what_is_remembered_and_the_title_name(tmp_path: Path) -> None:
    file_db = _db(tmp_path / "corpus.sqlite", str(tmp_path / "corpus.sqlite"))
    assert recent.recent_target(file_db) == str(tmp_path / "corpus.sqlite")
    assert recent.project_label(file_db) == "corpus"
    team = _db(None, "postgresql+psycopg://ana@db/corpus")
    assert recent.recent_target(team) == "postgresql+psycopg://ana@db/corpus"
    secret = _db(None, "postgresql+psycopg://ana:hunter2@db/corpus")
    # Never write a password down: remembered without it (libpq supplies it when reopened).
    assert recent.recent_target(secret) == "postgresql+psycopg://ana@db/corpus"
    assert recent.project_label(secret) == "postgresql+psycopg://ana:***@db/corpus"


def test_menu_lists_projects_and_requests_the_chosen_one(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    settings = open_settings()
    first = _project(tmp_path, "first")
    gone = _project(tmp_path, "gone")
    recent.remember(settings, gone)
    recent.remember(settings, first)
    Path(gone).unlink()
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = recent.RecentMenu(parent)
    actions = [a for a in menu.actions() if not a.isSeparator()]
    texts = [a.text() for a in actions]
    assert texts[0].startswith("&1  first.sqlite")
    assert texts[1].startswith("&2  gone.sqlite") and texts[1].endswith("not found")
    assert [a.isEnabled() for a in actions[:2]] == [True, False]
    with qtbot.waitSignal(recent.requests().openRequested) as signal:
        actions[0].trigger()
    assert signal.args == [first]
    remove_missing = next(a for a in actions if "missing" in a.text())
    remove_missing.trigger()
    assert recent.load(open_settings()) == [first]
    menu.rebuild()
    assert not next(a for a in menu.actions() if "missing" in a.text()).isEnabled()
