"""Edit > Preferences driven with keys and clicks: OK stores every choice in the user's
settings file and applies what can apply now; Cancel changes nothing; the name is checked
and confirmed; a suggester this user turned off is not run; the backup values reach the next
project open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFormLayout, QMessageBox

from annotator.core.model import Layer
from annotator.core.schema import default_schema
from annotator.storage.backup import list_backups
from annotator.storage.database import Database
from annotator.ui.colors import (
    CLAIM_FOCUS_ALPHA,
    ENTITY_ALPHA,
    FOCUS_ALPHA,
    IGNORED_COLOR,
    SUGGESTION_ALPHA,
    blend,
    contrast_ratio,
    qcolor,
)
from annotator.ui.main_window import MainWindow
from annotator.ui.preferences import PreferencesDialog
from annotator.ui.settings import load_preferences, open_settings
from annotator.ui.theme import apply_theme, palette
from tests.builders import insert_documents, titled, turn_off_live_suggesters
from tests.ui.windows import open_window

FIRST = "Storm closes port\nMayor Petra Novak said 300 homes had lost power within 24 hours.\n"
SECOND = "Ferry resumes\nThe ferry company said 41 ships were waiting offshore on Monday.\n"

C = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:
    with db.write() as store:
        # Live suggesters off, as in the other window tests: each test turns on what it needs.
        turn_off_live_suggesters(store)
        insert_documents(store, [FIRST, SECOND])
    yield from _opened(db, qtbot)


@pytest.fixture
def seeded_window(db: Database, qtbot) -> Iterator[MainWindow]:
    """As :func:`window`, with the seed lists left on as a new project has them."""
    with db.write() as store:
        turn_off_live_suggesters(store)
        store.set_setting(
            "suggesters",
            {**store.get_setting("suggesters"), "seeds": {"enabled": True}},
        )
        insert_documents(store, [FIRST, SECOND])
    yield from _opened(db, qtbot)


def _opened(db: Database, qtbot) -> Iterator[MainWindow]:
    settings = open_settings()
    settings.setValue("annotator/name", "ana")
    settings.sync()
    win = open_window(db, "ana", qtbot)
    yield win
    win.executor.wait_idle()
    apply_theme("system")  # the palette belongs to the whole test process


def ini_path() -> Path:
    return Path(open_settings().fileName())


def open_dialog(qtbot, window: MainWindow) -> PreferencesDialog:
    qtbot.keyClick(window.article, Qt.Key.Key_Comma, C)

    def shown() -> list[PreferencesDialog]:
        return [d for d in window.findChildren(PreferencesDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    return shown()[0]


def replace_text(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, C)
    qtbot.keyClicks(widget, text)


def press(qtbot, widget, key: Qt.Key, times: int = 1) -> None:
    widget.setFocus()
    for _ in range(times):
        qtbot.keyClick(widget, key)


def click(qtbot, dialog: PreferencesDialog, which: QDialogButtonBox.StandardButton) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def back_in_window(qtbot, window: MainWindow) -> None:
    """After the dialog: the window is active again and the article has the keys."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.article.setFocus()


def box(window, name: str) -> QMessageBox | None:
    found = [b for b in window.findChildren(QMessageBox) if b.objectName() == name]
    return found[-1] if found and found[-1].isVisible() else None


def change_everything(qtbot, dialog: PreferencesDialog) -> str:
    """Change every field; returns the font family chosen."""
    replace_text(qtbot, dialog.name, "bea")
    press(qtbot, dialog.theme, Qt.Key.Key_Down, 2)  # system -> light -> dark
    press(qtbot, dialog.font_family, Qt.Key.Key_Down)
    replace_text(qtbot, dialog.font_size, "15")
    press(qtbot, dialog.suggesters["rules"], Qt.Key.Key_Down, 2)  # project -> on -> off
    replace_text(qtbot, dialog.backup_interval, "2")
    replace_text(qtbot, dialog.backup_keep, "3")
    return dialog.font_family.currentFont().family()


def test_ok_stores_and_applies_every_choice(qtbot, window: MainWindow) -> None:
    before_family = window.article.font().family()
    dialog = open_dialog(qtbot, window)
    family = change_everything(qtbot, dialog)
    assert family != before_family
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    confirm = box(dialog, "confirm-name")
    assert confirm is not None and "'ana'" in confirm.text() and "'bea'" in confirm.text()
    qtbot.mouseClick(confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    stored = QSettings(str(ini_path()), QSettings.Format.IniFormat)
    assert stored.value("annotator/name") == "bea"
    assert stored.value("appearance/theme") == "dark"
    assert stored.value("view/font_family") == family
    assert float(stored.value("view/base_font_size")) == 15
    assert stored.value("suggesters/rules") == "off"
    assert stored.allKeys().count("suggesters/gazetteer") == 0  # follows the project
    assert float(stored.value("backup/interval_hours")) == 2
    assert int(stored.value("backup/keep")) == 3
    text = ini_path().read_text()
    assert str(window.db.path) not in text and "://" not in text  # nothing about the project

    font = window.article.font()
    assert font.family() == family and font.pointSizeF() == 15
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert base == palette("dark").color(QPalette.ColorRole.Base)
    assert dict(window.suggestions.overrides) == {"rules": False}
    assert window.annotator == "ana"  # the new name applies from the next project open
    assert "next project" in window.statusBar().currentMessage()

    # Zoom still works from the new size, and Ctrl+0 returns to it.
    back_in_window(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_Equal, C)
    assert window.article.font().pointSizeF() == 16
    qtbot.keyClick(window.article, Qt.Key.Key_0, C)
    assert window.article.font().pointSizeF() == 15


def test_cancel_changes_nothing(qtbot, window: MainWindow) -> None:
    window.settings.sync()
    before = ini_path().read_bytes()
    font = window.article.font()
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    dialog = open_dialog(qtbot, window)
    change_everything(qtbot, dialog)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert not dialog.isVisible()
    assert box(window, "confirm-name") is None
    window.settings.sync()
    assert ini_path().read_bytes() == before
    assert window.article.font() == font
    assert QApplication.palette().color(QPalette.ColorRole.Base) == base
    assert dict(window.suggestions.overrides) == {}


@pytest.mark.parametrize(("name", "why"), [("", "empty"), ("  Gold ", "reserved")])
def test_bad_names_are_refused(qtbot, window: MainWindow, name: str, why: str) -> None:
    dialog = open_dialog(qtbot, window)
    replace_text(qtbot, dialog.name, name)
    if not name:
        qtbot.keyClick(dialog.name, Qt.Key.Key_Backspace)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    error = box(dialog, "preferences-error")
    assert error is not None and why in error.text() and "annotator name" in error.text()
    assert dialog.isVisible()  # nothing stored; the user can fix it
    assert load_preferences().annotator == "ana"


def suggesters_of(db: Database, document_id: int) -> set[str]:
    with db.read() as store:
        return {s.suggester for s in store.suggestions(document_id)}


def test_a_suggester_turned_off_is_not_run(qtbot, window: MainWindow, db: Database) -> None:
    second = window.view.document.id + 1
    # Let the window finish what it queued on opening (suggestions for the next documents).
    assert window.executor.wait_idle()
    window.suggestions.wait()
    with db.write() as store:
        assert store.document(second).title == "Ferry resumes"
        store.set_setting("suggesters", None)  # the project runs its defaults: rules included
        store.delete_suggestions()
    window.suggestions.invalidate()

    dialog = open_dialog(qtbot, window)
    press(qtbot, dialog.suggesters["rules"], Qt.Key.Key_Down, 2)  # Off for this user
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    back_in_window(qtbot, window)
    qtbot.keyClick(
        window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier
    )  # next document: suggested afresh
    qtbot.waitUntil(lambda: window.view.document.id == second, timeout=30_000)
    window.executor.wait_idle()
    window.suggestions.wait()
    window.executor.wait_idle()
    found = suggesters_of(db, second)
    assert "rules" not in found
    assert "claims" in found  # the others still ran

    back_in_window(qtbot, window)
    dialog = open_dialog(qtbot, window)
    press(qtbot, dialog.suggesters["rules"], Qt.Key.Key_Up, 2)  # back to the project's choice
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    window.suggestions.wait()
    assert "rules" in suggesters_of(db, second)
    with db.read() as store:
        rules = [s for s in store.suggestions(second) if s.suggester == "rules"]
    assert any(s.layer is Layer.ENTITY for s in rules)


def test_backup_preferences_reach_the_next_project_open(qtbot, db_path: Path) -> None:
    from annotator.app import Session

    Database.open(db_path).close()  # an existing project: opening it takes backups
    settings = open_settings()
    settings.setValue("annotator/name", "ana")
    settings.setValue("backup/interval_hours", 0)  # a backup at every open
    settings.setValue("backup/keep", 2)
    settings.sync()
    app = QApplication.instance()
    for _ in range(4):
        session = Session(app, unattended=True)
        assert session.open(str(db_path))
        assert session.annotator == "ana"
        session.window.executor.wait_idle()
        session.close()
    assert len([p for p in list_backups(db_path) if "-before-" not in p.name]) == 2


def test_a_new_name_applies_at_the_next_project_open(qtbot, tmp_path: Path) -> None:
    from annotator.app import Session

    settings = open_settings()
    settings.setValue("annotator/name", "ana")
    settings.sync()
    session = Session(QApplication.instance(), unattended=True)
    try:
        assert session.open(str(tmp_path / "one.sqlite"))
        assert session.window.annotator == "ana"
        settings.setValue("annotator/name", "bea")  # what OK in Preferences stores
        settings.sync()
        assert session.window.annotator == "ana"  # the open project keeps its annotator
        session.window.executor.wait_idle()
        assert session.open(str(tmp_path / "two.sqlite"))
        assert session.annotator == "bea" and session.window.annotator == "bea"
        session.window.executor.wait_idle()
    finally:
        session.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_highlights_stay_readable_in_both_themes(theme: str) -> None:
    """Fills are translucent label colours over the palette's base; the palette's text on
    them must keep at least the WCAG body-text contrast (4.5) for every default label."""
    colors = palette(theme)
    base = colors.color(QPalette.ColorRole.Base)
    text = colors.color(QPalette.ColorRole.Text)
    schema = default_schema()
    labels = [e.color for e in schema.entities] + [schema.claim_color]
    for alpha in (SUGGESTION_ALPHA, CLAIM_FOCUS_ALPHA, ENTITY_ALPHA, FOCUS_ALPHA):
        for color in labels:
            seen = blend(qcolor(color, alpha), base)
            assert contrast_ratio(seen, text) >= 4.5, (theme, color, alpha)
    assert contrast_ratio(qcolor(IGNORED_COLOR), base) >= 3  # greyed, still legible


def test_ok_without_changes_keeps_defaults_unset(qtbot, window: MainWindow) -> None:
    font = window.article.font()
    dialog = open_dialog(qtbot, window)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert box(window, "confirm-name") is None  # the name did not change: nothing to confirm
    assert not dialog.isVisible()
    stored = QSettings(str(ini_path()), QSettings.Format.IniFormat)
    keys = set(stored.allKeys())
    assert "view/font_family" not in keys and "view/base_font_size" not in keys
    assert not any(k.startswith("suggesters/") for k in keys)
    assert stored.value("appearance/theme") == "system"
    assert stored.value("annotator/name") == "ana"
    assert window.article.font() == font
    assert load_preferences() == load_preferences(window.settings)


def test_suggestions_stored_by_a_suggester_turned_off_are_hidden(
    qtbot, window: MainWindow, db: Database
) -> None:
    """Made earlier (or for someone else), they stay in the project but leave this user's
    view; turning the suggester back on shows them again."""
    from annotator.core.model import Suggestion

    doc = window.view.document.id
    start = FIRST.index("Petra Novak")
    with db.write() as store:
        store.add_suggestions(
            [Suggestion(None, doc, Layer.ENTITY, start, start + 11, "PERSON", "rules", 0.9, "r")]
        )
    window.open_document(doc)
    qtbot.waitUntil(lambda: any(s.suggester == "rules" for s in window.view.suggestions))

    dialog = open_dialog(qtbot, window)
    press(qtbot, dialog.suggesters["rules"], Qt.Key.Key_Down, 2)  # Off for this user
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: not any(s.suggester == "rules" for s in window.view.suggestions))
    assert "rules" in suggesters_of(db, doc)  # still stored

    back_in_window(qtbot, window)
    dialog = open_dialog(qtbot, window)
    press(qtbot, dialog.suggesters["rules"], Qt.Key.Key_Up, 2)  # back to the project's choice
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: any(s.suggester == "rules" for s in window.view.suggestions))


def test_the_seed_lists_have_their_switch(qtbot, seeded_window: MainWindow, db: Database) -> None:
    window = seeded_window
    """A new project suggests well-known places from the lists; a user who does not want
    them turns them off here, and they leave the view."""
    text = "Talks in Damascus\nOfficials from Syria and Egypt met in Damascus on Monday.\n"
    with db.write() as store:
        (doc,) = insert_documents(store, [titled(text, "Talks")])
    window.open_document(doc)
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id == doc)
    window.suggestions.refresh([doc])
    # The suggestion process starts, loads spaCy and reads the lists first: patience.
    qtbot.waitUntil(
        lambda: any(s.suggester == "seeds" for s in window.view.suggestions), timeout=60_000
    )
    places = {text[s.start : s.end] for s in window.view.suggestions if s.suggester == "seeds"}
    assert places == {"Damascus", "Syria", "Egypt"}

    dialog = open_dialog(qtbot, window)
    combo = dialog.suggesters["seeds"]
    labels = [form.labelForField(combo) for form in dialog.findChildren(QFormLayout)]
    assert next(w.text() for w in labels if w is not None).startswith("Seed lists")
    press(qtbot, combo, Qt.Key.Key_Down, 2)  # Off for this user
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: not any(s.suggester == "seeds" for s in window.view.suggestions))
