"""Reviewers and annotators in the window, driven with real key presses: whose work the article
view shows (View > Show work of…, Ctrl+Shift+W), edits refused while it is not one's own,
Project > Team…, and "Done, next" handing out documents when K is set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.core.model import GOLD_ANNOTATOR, DocumentState, Layer, Span, Status
from annotator.storage import assignments
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from annotator.ui.team import ShowWorkDialog, TeamDialog
from tests.builders import at, insert_documents, turn_off_live_suggesters
from tests.ui import windows
from tests.ui.driver import key, settle

FIRST = "Port strike goes on\nUnion secretary Marta Ilves said 41 ships were waiting offshore.\n"
SECOND = "Ferry resumes\nThe ferry company said services would resume on Monday.\n"
THIRD = "Flood barriers raised\nEngineers raised 12 flood barriers overnight.\n"


@pytest.fixture
def project(db: Database) -> Database:
    """Alice opened the project first (its reviewer); bob and carol annotated the first
    document differently; bob finished it, carol finished the second."""
    with db.write() as store:
        turn_off_live_suggesters(store)
        insert_documents(store, [FIRST, SECOND, THIRD])
        d1, d2, _d3 = store.document_ids()
        assert assignments.join(store, "alice") is True
        store.add_span(Span(None, d1, Layer.ENTITY, *at(FIRST, "Marta Ilves"), "PERSON", "bob"))
        store.add_span(Span(None, d1, Layer.ENTITY, *at(FIRST, "41 ships"), "QUANTITY", "carol"))
        store.set_state(DocumentState(d1, "bob", Status.DONE))
        store.set_state(DocumentState(d2, "carol", Status.DONE))
    return db


def open_window(db: Database, name: str, qtbot) -> MainWindow:
    win = windows.open_window(db, name, qtbot)
    settle(win)
    win.article.setFocus()
    return win


@pytest.fixture
def alice(project: Database, qtbot) -> Iterator[MainWindow]:
    win = open_window(project, "alice", qtbot)
    yield win
    win.executor.wait_idle()


@pytest.fixture
def bob(project: Database, qtbot) -> Iterator[MainWindow]:
    win = open_window(project, "bob", qtbot)
    yield win
    win.executor.wait_idle()


def shown_spans(window: MainWindow) -> list[tuple[str, str]]:
    assert window.view is not None
    return sorted((s.annotator, s.label) for s in window.view.spans)


def stored(db: Database, annotator: str) -> list[str]:
    with db.read() as store:
        return sorted(s.label for d in store.document_ids() for s in store.spans(d, annotator))


def choose_shown(qtbot, window: MainWindow, *keys: Qt.Key) -> None:
    """Ctrl+Shift+W, move in the list with ``keys``, Enter."""
    key(
        qtbot,
        window,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(
        lambda: window.findChild(QDialog, "show-work-dialog") is not None, timeout=30_000
    )
    dialogs = [d for d in window.findChildren(ShowWorkDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    for k in keys:
        qtbot.keyClick(dialog.list, k)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    # Closed and deleted: the next Ctrl+Shift+W makes a new one.
    qtbot.waitUntil(lambda: window.findChild(QDialog, "show-work-dialog") is None, timeout=30_000)
    settle(window)
    settle(window)


def list_row(window: MainWindow, document_id: int, qtbot) -> tuple[Status, int]:
    model = window.documents.view.model()
    qtbot.waitUntil(
        lambda: (
            model.row_of(document_id) is not None
            and model.summary_at(model.row_of(document_id)) is not None
        ),
        timeout=30_000,
    )
    summary = model.summary_at(model.row_of(document_id))
    return summary.status, summary.span_count


def test_reviewer_looks_at_others_work_read_only(
    alice: MainWindow, project: Database, qtbot
) -> None:
    window = alice
    assert window.team.is_reviewer
    assert window.status_annotator.text() == "Annotator: alice (reviewer) — showing my work"
    d1 = window.view.document.id  # type: ignore[union-attr]
    assert shown_spans(window) == []  # nobody else's work by default

    choose_shown(qtbot, window, Qt.Key.Key_Down, Qt.Key.Key_Down)  # me, gold, bob, carol, all
    assert window.workspace.showing == "bob"
    assert shown_spans(window) == [("bob", "PERSON")]
    assert "showing bob's work (read-only)" in window.status_annotator.text()
    assert list_row(window, d1, qtbot) == (Status.DONE, 1)  # the list follows: bob's status

    # Editing keys are refused with a message, nothing is stored for anyone.
    window.article.select_range(*at(FIRST, "Union secretary"))
    key(qtbot, window, Qt.Key.Key_1)
    assert "Read-only" in window.statusBar().currentMessage()
    window.article.focus_item(window.view.spans[0])  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_X)
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.view.document.id == d1  # type: ignore[union-attr]
    assert stored(project, "bob") == ["PERSON"]
    assert stored(project, "alice") == []

    choose_shown(qtbot, window, Qt.Key.Key_End)  # everyone
    assert shown_spans(window) == [("bob", "PERSON"), ("carol", "QUANTITY")]
    assert window.view.suggestions == ()  # type: ignore[union-attr]
    carol = next(s for s in window.view.spans if s.annotator == "carol")  # type: ignore[union-attr]
    window.article.focus_item(carol)
    settle(window)
    assert window.inspector.origin.text() == "manual by carol"
    assert "everyone's work (read-only)" in window.status_annotator.text()

    choose_shown(qtbot, window, Qt.Key.Key_Home)  # back to my own work: editable again
    assert window.workspace.editable and shown_spans(window) == []
    window.article.select_range(*at(FIRST, "Marta Ilves"))
    key(qtbot, window, Qt.Key.Key_1)
    assert stored(project, "alice") == ["PERSON"]
    assert shown_spans(window) == [("alice", "PERSON")]


def test_reviewer_edits_the_gold_layer_in_the_window(
    alice: MainWindow, project: Database, qtbot
) -> None:
    """View > Show work of… > the gold layer: the usual keys label, delete and finish as
    `gold` (the reviewer's own work untouched), and Done goes on to the next document that
    needs adjudication."""
    window = alice
    d1 = window.view.document.id  # type: ignore[union-attr]
    with project.write() as store:  # carol finishes the first document too: it needs gold
        store.set_state(DocumentState(d1, "carol", Status.DONE))
    choose_shown(qtbot, window, Qt.Key.Key_Down)  # me, gold, ...
    assert window.workspace.showing == GOLD_ANNOTATOR and window.workspace.editable
    assert "editing the gold layer" in window.status_annotator.text()
    window.article.select_range(*at(FIRST, "Marta Ilves"))
    key(qtbot, window, Qt.Key.Key_1)
    window.article.select_range(*at(FIRST, "41 ships"))
    key(qtbot, window, Qt.Key.Key_9)
    assert stored(project, GOLD_ANNOTATOR) == ["PERSON", "QUANTITY"]
    assert shown_spans(window) == [(GOLD_ANNOTATOR, "PERSON"), (GOLD_ANNOTATOR, "QUANTITY")]
    quantity = next(s for s in window.view.spans if s.label == "QUANTITY")  # type: ignore[union-attr]
    window.article.focus_item(quantity)
    key(qtbot, window, Qt.Key.Key_X)
    assert stored(project, GOLD_ANNOTATOR) == ["PERSON"]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(project, GOLD_ANNOTATOR) == ["PERSON", "QUANTITY"]
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(window)
    with project.read() as store:
        assert store.get_state(d1, GOLD_ANNOTATOR).status is Status.DONE
        assert store.get_state(d1, "alice").status is Status.NEW
    assert stored(project, "alice") == []
    # No other document is done by two annotators: nothing left, the first stays open.
    assert window.view.document.id == d1  # type: ignore[union-attr]


def test_annotator_sees_only_their_own_work(bob: MainWindow, project: Database, qtbot) -> None:
    window = bob
    assert not window.team.is_reviewer
    assert window.status_annotator.text() == "Annotator: bob"
    # Bob finished the first document: the window opened the next one he has not.
    with project.read() as store:
        d1, d2, _d3 = store.document_ids()
    assert window.view.document.id == d2  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.view.document.id == d1, timeout=30_000)  # type: ignore[union-attr]
    assert shown_spans(window) == [("bob", "PERSON")]  # not carol's
    key(
        qtbot,
        window,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.findChild(QDialog, "show-work-dialog") is None
    assert "Only reviewers" in window.statusBar().currentMessage()
    assert window.workspace.showing == "bob"
    # The list shows bob's statuses and counts only: carol's done second document is new.
    assert list_row(window, d1, qtbot) == (Status.DONE, 1)
    assert list_row(window, d2, qtbot) == (Status.NEW, 0)
    # And the service refuses even when asked directly.
    window.team.show_work_of("carol")
    settle(window)
    error = window.findChild(QDialog, "error-dialog")
    assert error is not None and "only reviewers" in error.text()
    assert window.workspace.showing == "bob"


def test_team_dialog_sets_k_adds_and_makes_reviewers(
    alice: MainWindow, project: Database, qtbot
) -> None:
    window = alice
    dialog = window.team.show_team()
    settle(window)
    assert isinstance(dialog, TeamDialog) and dialog.isVisible()
    assert [m.name for m in dialog.state.members] == ["alice", "bob", "carol"]  # type: ignore[union-attr]
    assert dialog.table.item(0, 1).checkState() == Qt.CheckState.Checked

    dialog.per_document.setFocus()
    dialog.per_document.selectAll()
    qtbot.keyClicks(dialog.per_document, "2")
    qtbot.keyClick(dialog.per_document, Qt.Key.Key_Tab)  # editing finished
    settle(window)
    settle(window)
    with project.read() as store:
        assert assignments.per_document(store) == 2
        # Setting K counted the documents already done by hand.
        assert sorted(assignments.assignees(store, store.document_ids()).values()) == [0, 1, 1]

    qtbot.keyClicks(dialog.name, "dora")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    settle(window)
    settle(window)
    assert [m.name for m in dialog.state.members] == ["alice", "bob", "carol", "dora"]  # type: ignore[union-attr]

    dialog.table.item(1, 1).setCheckState(Qt.CheckState.Checked)  # bob becomes a reviewer
    settle(window)
    settle(window)
    with project.read() as store:
        assert assignments.reviewers(store) == ["alice", "bob"]
    dialog.close()
    settle(window)
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: bob is not
    with project.read() as store:
        assert assignments.reviewers(store) == ["alice"]

    dialog = window.team.show_team()
    settle(window)
    qtbot.keyClicks(dialog.name, "Gold")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    settle(window)
    error = window.findChild(QDialog, "error-dialog")
    assert error is not None and "reserved for the adjudicated gold layer" in error.text()


def test_team_dialog_is_read_only_for_annotators(bob: MainWindow, qtbot) -> None:
    dialog = bob.team.show_team()
    settle(bob)
    assert not dialog.state.can_manage  # type: ignore[union-attr]
    assert not dialog.per_document.isEnabled() and not dialog.add_button.isEnabled()
    assert "Only a reviewer" in dialog.note.text()


def test_done_and_next_hands_out_with_k(project: Database, qtbot) -> None:
    with project.write() as store:
        assignments.set_per_document(store, 2)  # bob's d1 and carol's d2 count once each
        d1, d2, d3 = store.document_ids()
        assert assignments.next_assignment(store, "carol", d2) == d3
        assert assignments.next_assignment(store, "eve", 0) == d1  # d1 is full now
    window = open_window(project, "dora", qtbot)
    assert window.view.document.id == d2  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.view is not None and window.view.document.id == d3, timeout=30_000
    )
    settle(window)
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Every document is done or skipped" in window.statusBar().currentMessage()
    with project.read() as store:
        assert assignments.assigned_documents(store, "dora") == [d2, d3]
        assert assignments.assignees(store, [d1, d2, d3]) == {d1: 2, d2: 2, d3: 2}
    window.executor.wait_idle()
