"""Choosing an installed spaCy pipeline in Edit > Preferences, with keys and clicks: with no
document done, its entities show in the open article under the project's labels; the choice
is a project setting that Ctrl+Z takes back; with nothing installed the dialog says so and
changes nothing. The pipeline is one built and saved here (nothing can be downloaded)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFileDialog

from annotator.app import Session
from annotator.core.model import Layer
from annotator.storage.database import Database
from annotator.suggest.pipelines import installed_packages
from annotator.suggest.registry import SETTINGS_KEY, SuggesterSettings
from annotator.ui.main_window import MainWindow
from annotator.ui.pipeline_choice import DROPPED, NONE_TEXT, NOTHING_FOUND, PipelineChoice
from tests.builders import insert_documents, turn_off_live_suggesters
from tests.spacy_pipelines import build_pipeline
from tests.ui import test_new_project
from tests.ui.test_new_project import open_dialog as open_new_project
from tests.ui.test_new_project import type_location
from tests.ui.test_preferences import _opened, click, open_dialog

TEXT = (
    "Harbour news\n"
    "Petra Novak of the Sela Dockers spoke in Port Sela on Monday .\n"
    "In Kastel , Ivan Horak said the Northwind Bank would wait .\n"
)
C = Qt.KeyboardModifier.ControlModifier
#: The new-project tests' window session (a fixture), shared.
session = test_new_project.session


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pipeline(tmp_path_factory.mktemp("installed") / "harbour")


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:
    with db.write() as store:
        turn_off_live_suggesters(store)  # only the pipeline's suggestions can show
        insert_documents(store, [TEXT])
    yield from _opened(db, qtbot)


def choice_of(qtbot, window: MainWindow) -> tuple[object, PipelineChoice]:
    dialog = open_dialog(qtbot, window)
    choice = dialog.pipeline
    assert choice is not None
    qtbot.waitUntil(lambda: choice.ready, timeout=30000)
    return dialog, choice


def shown(window: MainWindow) -> set[tuple[str, str, str]]:
    view = window.view
    assert view is not None
    text = view.document.text
    return {
        (text[s.start : s.end], s.label, s.suggester)
        for s in view.suggestions
        if s.layer is Layer.ENTITY
    }


def installed(db: Database) -> tuple[bool, dict]:
    with db.read() as store:
        config = SuggesterSettings.from_value(store.get_setting(SETTINGS_KEY)).get("installed")
    return config.enabled, dict(config.options)


def test_a_chosen_pipeline_suggests_in_the_first_article(
    qtbot, window: MainWindow, db: Database, pipeline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shown(window) == set()
    dialog, choice = choice_of(qtbot, window)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(pipeline))
    )
    qtbot.mouseClick(choice.add_folder, Qt.MouseButton.LeftButton)
    assert choice.chosen_pipeline() == str(pipeline.resolve())
    # The mapping proposed for the project's schema, shown and editable: PER is the
    # project's PERSON; MISC has no counterpart and is not suggested; LOC is edited to GPE.
    assert choice.mapping() == {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
    misc = choice.findChild(QComboBox, "pipeline-label-MISC")
    assert misc is not None and misc.currentText() == DROPPED
    loc = choice.findChild(QComboBox, "pipeline-label-LOC")
    assert loc is not None
    loc.setFocus()
    qtbot.keyClicks(loc, "GPE")
    assert loc.currentText() == "GPE"
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    expected = {
        ("Petra Novak", "PERSON", "installed"),
        ("Sela Dockers", "ORG", "installed"),
        ("Port Sela", "GPE", "installed"),
    }
    qtbot.waitUntil(lambda: expected <= shown(window), timeout=60000)
    enabled, options = installed(db)
    assert enabled and options["pipeline"] == str(pipeline.resolve())
    assert options["labels"] == {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}

    # A project setting like any other: Ctrl+Z takes it back, and the window follows.
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Z, C)
    qtbot.waitUntil(lambda: not installed(db)[0], timeout=10000)
    # What the pipeline suggested goes from the article with it.
    qtbot.waitUntil(lambda: not any(s[2] == "installed" for s in shown(window)), timeout=10000)

    # The folder is remembered on this computer: offered next time, and the mapping shown is
    # the default again (the project no longer has one).
    dialog, choice = choice_of(qtbot, window)
    index = choice.combo.findData(str(pipeline.resolve()))
    assert index > 0 and choice.chosen_pipeline() is None
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)


def test_with_nothing_installed_the_choice_says_so(qtbot, window: MainWindow, db: Database) -> None:
    if installed_packages():
        pytest.skip("this Python has spaCy pipeline packages installed")
    with db.read() as store:
        before = store.get_setting(SETTINGS_KEY)
    dialog, choice = choice_of(qtbot, window)
    assert [choice.combo.itemText(i) for i in range(choice.combo.count())] == [NONE_TEXT]
    assert choice.note.text() == NOTHING_FOUND and not choice.table.isVisible()
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.executor.wait_idle()
    with db.read() as store:
        assert store.get_setting(SETTINGS_KEY) == before


def test_a_new_project_can_start_with_a_pipeline(
    qtbot, session: Session, tmp_path: Path, pipeline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_new_project(qtbot, session)
    choice = dialog.pipeline
    qtbot.waitUntil(lambda: choice.ready, timeout=30000)
    type_location(qtbot, dialog, str(tmp_path / "cold.sqlite"))
    # The CoNLL template: the pipeline's labels are the project's own, MISC included.
    dialog.template.setFocus()
    qtbot.keyClick(dialog.template, Qt.Key.Key_Down)
    assert dialog.template_key == "conll2003"
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(pipeline))
    )
    qtbot.mouseClick(choice.add_folder, Qt.MouseButton.LeftButton)
    assert choice.mapping() == {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    target = (tmp_path / "cold.sqlite").resolve()
    qtbot.waitUntil(
        lambda: session.database is not None and session.database.path == target,
        timeout=20_000,
    )
    enabled, options = installed(session.database)  # type: ignore[arg-type]
    assert enabled and options["pipeline"] == str(pipeline.resolve())
    assert options["labels"]["PER"] == "PER"
