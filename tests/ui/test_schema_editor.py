"""Project > Labels… driven as a person would: rename and merge labels that have annotations,
save, and undo with Ctrl+Z in the window; a hotkey conflict and a low-contrast colour are
refused with a message; reordering keeps the hotkeys with the positions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from annotator.core import schema as schema_rules
from annotator.core.model import Layer, Span, Suggestion
from annotator.storage.database import Database
from annotator.ui import colors
from annotator.ui.main_window import MainWindow
from annotator.ui.schema_editor import NAME, NEW_COLORS, RemoveLabelDialog, SchemaEditor
from tests.builders import insert_documents, titled, turn_off_live_suggesters
from tests.ui.driver import opened, settle

TEXT = "Harbour reopens\nMayor Petra Novak visited Harbourton and the Ost valley on Monday.\n"


def at(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def project(db: Database) -> Database:
    with db.write() as store:
        turn_off_live_suggesters(store)
        (document,) = insert_documents(store, [titled(TEXT, "t")])
        for piece, label in (("Petra Novak", "PERSON"), ("Harbourton", "GPE"), ("Ost", "LOC")):
            store.add_span(Span(None, document, Layer.ENTITY, *at(piece), label, "ana"))
        store.add_suggestions(
            [Suggestion(None, document, Layer.ENTITY, *at("Monday"), "GPE", "rules", 0.5, "odd")]
        )
        store.add_terms([("Harbourton", "GPE", False)], source="places.txt")
    return db


@pytest.fixture
def window(project: Database, qtbot: QtBot) -> Iterator[MainWindow]:
    yield from opened(project, "ana", qtbot)


def labels_in_db(db: Database) -> list[tuple[str, str]]:
    with db.read() as store:
        doc = store.document_ids()[0]
        return sorted((s.label, TEXT[s.start : s.end]) for s in store.spans(doc, "ana"))


def open_editor(qtbot: QtBot, window: MainWindow) -> SchemaEditor:
    action = next(
        a for a in window.findChildren(QAction) if a.text() == "&Labels…"
    )  # Project > Labels…
    action.trigger()
    qtbot.waitUntil(lambda: window.findChild(SchemaEditor, "schema-editor") is not None)
    editor = window.findChild(SchemaEditor, "schema-editor")
    assert editor is not None
    qtbot.waitExposed(editor)
    return editor


def click(qtbot: QtBot, parent: object, name: str) -> None:
    button = parent.findChild(QPushButton, name)  # type: ignore[attr-defined]
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select_row(qtbot: QtBot, editor: SchemaEditor, name: str, column: int = NAME) -> None:
    row = [r.name for r in editor.rows].index(name)
    table = editor.table
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentRow() == row


def edit_cell(qtbot: QtBot, editor: SchemaEditor, name: str, column: int, text: str) -> None:
    """Click the cell, F2, replace the text, Enter."""
    select_row(qtbot, editor, name, column)
    table = editor.table
    qtbot.keyClick(table, Qt.Key.Key_F2)
    field = next(w for w in table.viewport().findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    enter(qtbot, field)


def enter(qtbot: QtBot, field: QLineEdit) -> None:
    """Enter in a cell editor: the view commits it from the event loop (queued)."""
    view = field.parent().parent()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)


def refusal(qtbot: QtBot, editor: SchemaEditor) -> str:
    boxes: list[QMessageBox] = []

    def shown() -> bool:
        boxes[:] = [
            b for b in editor.findChildren(QMessageBox, "schema-editor-error") if b.isVisible()
        ]
        return bool(boxes)

    qtbot.waitUntil(shown)
    text = boxes[0].text()
    boxes[0].close()
    return text


def save(qtbot: QtBot, window: MainWindow, editor: SchemaEditor) -> None:
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(window)  # the command
    settle(window)  # the schema reload it triggers
    settle(window)


def undo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    for _ in range(3):
        settle(window)


def test_rename_with_annotations_then_undo_in_the_window(
    qtbot: QtBot, window: MainWindow, project: Database
) -> None:
    editor = open_editor(qtbot, window)
    edit_cell(qtbot, editor, "GPE", NAME, "PLACE")
    assert [r.name for r in editor.rows][:4] == ["PERSON", "ORG", "PLACE", "LOC"]
    save(qtbot, window, editor)
    assert ("PLACE", "Harbourton") in labels_in_db(project)
    with project.read() as store:
        schema = store.schema()
        assert schema.entity("PLACE").hotkey == "3" and not schema.has_entity("GPE")
        assert [t.label for t in store.terms()] == ["PLACE"]
        assert [s.label for s in store.suggestions(store.document_ids()[0])] == ["PLACE"]
    qtbot.waitUntil(lambda: window.schema is not None and window.schema.has_entity("PLACE"))
    assert window.undo_action.text() == "&Undo Rename GPE to PLACE"
    # The label bar and the hotkeys follow: 3 now labels PLACE.
    assert any(a.text() == "Label PLACE" for a in window.findChildren(QAction))

    undo(qtbot, window)
    assert ("GPE", "Harbourton") in labels_in_db(project)
    with project.read() as store:
        assert store.schema().has_entity("GPE") and not store.schema().has_entity("PLACE")
        assert [t.label for t in store.terms()] == ["GPE"]
    qtbot.waitUntil(lambda: window.schema is not None and window.schema.has_entity("GPE"))


def test_remove_in_use_offers_merge_then_undo(
    qtbot: QtBot, window: MainWindow, project: Database
) -> None:
    editor = open_editor(qtbot, window)
    select_row(qtbot, editor, "GPE")
    click(qtbot, editor, "remove")
    dialog = editor.findChild(RemoveLabelDialog, "remove-label-dialog")
    assert dialog is not None and dialog.isVisible()
    combo = dialog.into
    combo.setFocus()
    while combo.currentText() != "LOC":  # choose LOC with the keyboard
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    click(qtbot, dialog, "merge")
    assert "GPE" not in [r.name for r in editor.rows]
    save(qtbot, window, editor)
    assert labels_in_db(project) == [
        ("LOC", "Harbourton"),
        ("LOC", "Ost"),
        ("PERSON", "Petra Novak"),
    ]
    with project.read() as store:
        assert not store.schema().has_entity("GPE")
    assert window.undo_action.text() == "&Undo Merge GPE into LOC"

    undo(qtbot, window)
    assert labels_in_db(project) == [
        ("GPE", "Harbourton"),
        ("LOC", "Ost"),
        ("PERSON", "Petra Novak"),
    ]
    with project.read() as store:
        assert store.schema().entity_names == schema_rules.default_schema().entity_names


def test_remove_unused_label_does_not_ask(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_editor(qtbot, window)
    select_row(qtbot, editor, "WEAPON")
    click(qtbot, editor, "remove")
    assert editor.findChild(RemoveLabelDialog) is None
    assert "WEAPON" not in [r.name for r in editor.rows]
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Cancel: nothing is saved
    settle(window)
    assert window.schema is not None and window.schema.has_entity("WEAPON")


def test_hotkey_conflict_and_reserved_key_refused(
    qtbot: QtBot, window: MainWindow, project: Database
) -> None:
    editor = open_editor(qtbot, window)
    edit_cell(qtbot, editor, "GPE", 2, "1")
    text = refusal(qtbot, editor)
    assert "Hotkey 1 is already PERSON's" in text
    assert editor.table.item(2, 2).text() == "3"  # the cell went back
    edit_cell(qtbot, editor, "GPE", 2, "s")
    assert "'S' is taken by the window" in refusal(qtbot, editor)
    edit_cell(qtbot, editor, "GPE", 2, "g")  # a free key is fine
    assert editor.rows[2].hotkey == "g"
    save(qtbot, window, editor)
    with project.read() as store:
        assert store.schema().entity("GPE").hotkey == "g"


def test_low_contrast_colour_refused(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_editor(qtbot, window)
    before = editor.rows[0].color
    edit_cell(qtbot, editor, "PERSON", 1, "#fff59d")
    text = refusal(qtbot, editor)
    assert "PERSON: colour #fff59d refused" in text and "light theme" in text
    assert editor.rows[0].color == before and editor.table.item(0, 1).text() == before
    edit_cell(qtbot, editor, "PERSON", 1, "#d64040")
    assert editor.rows[0].color == "#d64040"


def test_reorder_keeps_hotkeys_with_positions_and_add(
    qtbot: QtBot, window: MainWindow, project: Database
) -> None:
    editor = open_editor(qtbot, window)
    select_row(qtbot, editor, "PERSON")
    click(qtbot, editor, "down")
    assert [(r.name, r.hotkey) for r in editor.rows[:2]] == [("ORG", "1"), ("PERSON", "2")]
    click(qtbot, editor, "add")  # a new row, its name being edited
    field = next(w for w in editor.table.viewport().findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "VESSEL")
    enter(qtbot, field)
    assert (editor.rows[-1].name, editor.rows[-1].hotkey) == ("VESSEL", "a")
    save(qtbot, window, editor)
    with project.read() as store:
        schema = store.schema()
    assert schema.entity_names[:2] == ("ORG", "PERSON")
    assert (schema.entity("ORG").hotkey, schema.entity("VESSEL").hotkey) == ("1", "a")
    assert window.undo_action.text() == "&Undo Edit labels"


def test_claim_types_and_attributes(qtbot: QtBot, window: MainWindow, project: Database) -> None:
    editor = open_editor(qtbot, window)
    click(qtbot, editor, "add-type")
    field = next(w for w in editor.claim_types.viewport().findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "forecast")
    enter(qtbot, field)
    qtbot.mouseClick(editor.attributes["cue"], Qt.MouseButton.LeftButton)
    save(qtbot, window, editor)
    with project.read() as store:
        schema = store.schema()
    assert schema.claim_types[-1] == "forecast"
    assert schema.claim_attributes == ("type", "hedged", "claimant")


def test_renaming_a_claim_type_renames_stored_claims_and_undoes(
    qtbot: QtBot, window: MainWindow, project: Database
) -> None:
    from annotator.core.model import ClaimDetails

    with project.write() as store:
        doc = store.document_ids()[0]
        store.add_span(
            Span(
                None,
                doc,
                Layer.CLAIM,
                0,
                10,
                "CLAIM",
                "ana",
                claim=ClaimDetails(None, None, "quote", False),
            )
        )

    def types() -> list[str]:
        with project.read() as store:
            return [
                s.claim.claim_type
                for s in store.spans(doc, "ana", Layer.CLAIM)
                if s.claim is not None
            ]

    editor = open_editor(qtbot, window)
    row = [editor.claim_types.item(i).text() for i in range(editor.claim_types.count())]
    editor.claim_types.setCurrentRow(row.index("quote"))
    click(qtbot, editor, "rename-type")
    field = next(w for w in editor.claim_types.viewport().findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "statement")
    enter(qtbot, field)
    save(qtbot, window, editor)
    assert types() == ["statement"]
    with project.read() as store:
        assert "statement" in store.schema().claim_types
    undo(qtbot, window)
    assert types() == ["quote"]


def test_reserved_keys_cover_every_single_key_shortcut_of_the_window(window: MainWindow) -> None:
    labels = {e.hotkey for e in window.schema.entities} if window.schema else set()
    single = set()
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText).lower()
            if len(text) == 1 and text.isalnum():
                single.add(text)
    assert single - labels <= schema_rules.RESERVED_KEYS


def test_contrast_check_matches_the_drawn_fill_and_new_colours_pass() -> None:
    assert schema_rules.FILL_ALPHA == colors.FOCUS_ALPHA
    assert all(schema_rules.color_problems(c) == [] for c in NEW_COLORS)
    assert QApplication.instance() is not None
