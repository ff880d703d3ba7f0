"""The window driven the way an annotator drives it: key presses and mouse drags, with the
database checked after each action."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox

from annotator.core.model import Decision, Layer, Status, Suggestion
from annotator.storage.database import Database
from annotator.ui.main_window import MainWindow
from tests.builders import add_document, at, insert_documents, turn_off_live_suggesters
from tests.ui.driver import drag, key, opened, settle

FIRST = (
    "Storm closes port 🇺🇦 😀\n"
    "Mayor Petra Novak said 300 homes had lost power within 24 hours.\n"
    "The Port Authority reported that 41 ships were waiting offshore.\n"
)
SECOND = "Ferry resumes\nThe ferry company said services would resume on Monday.\n"
THIRD = "<img src=x> headline\nA body line about <b>markup</b> in articles.\n"


@pytest.fixture
def project(db: Database) -> Database:
    """Three documents and three stored suggestions; the live suggesters are off so each test
    sees exactly these (test_live_suggestions_arrive turns them on)."""
    with db.write() as store:
        turn_off_live_suggesters(store)
        first, _, _ = insert_documents(store, [FIRST, SECOND, THIRD])
        store.add_suggestions(
            [
                Suggestion(
                    None,
                    first,
                    Layer.ENTITY,
                    *at(FIRST, "Petra Novak"),
                    "PERSON",
                    "rules",
                    0.9,
                    "title + name",
                ),
                Suggestion(
                    None,
                    first,
                    Layer.ENTITY,
                    *at(FIRST, "300 homes"),
                    "QUANTITY",
                    "rules",
                    0.8,
                    "figure with counted noun",
                ),
                Suggestion(
                    None,
                    first,
                    Layer.ENTITY,
                    *at(FIRST, "The Port Authority"),
                    "ORG",
                    "gazetteer",
                    0.7,
                    "confirmed 3x as ORG",
                ),
            ]
        )
    return db


@pytest.fixture
def window(project: Database, qtbot) -> Iterator[MainWindow]:
    yield from opened(project, "ana", qtbot)


def spans(db: Database, annotator: str = "ana") -> list[tuple[str, str, str]]:
    with db.read() as store:
        result = []
        for doc_id in store.document_ids():
            text = store.document(doc_id).text
            result += [
                (s.layer.value, s.label, text[s.start : s.end])
                for s in store.spans(doc_id, annotator)
            ]
        return result


def test_drag_and_label_key_after_emoji_and_flag(
    window: MainWindow, project: Database, qtbot
) -> None:
    start, end = at(FIRST, "Novak")
    drag(qtbot, window, start + 1, end - 1)  # mid-word: snaps to the token
    assert window.article.selection() == (start, end)
    key(qtbot, window, Qt.Key.Key_1)
    assert ("entity", "PERSON", "Novak") in spans(project)
    assert window.undo_action.text() == "&Undo Add PERSON"


def test_walk_accept_reject_and_accept_all_with_undo(
    window: MainWindow, project: Database, qtbot
) -> None:
    window.article.focus_item(None)
    key(qtbot, window, Qt.Key.Key_Tab)
    focused = window.article.focused
    assert isinstance(focused, Suggestion) and focused.label == "PERSON"
    key(qtbot, window, Qt.Key.Key_Return)
    assert spans(project) == [("entity", "PERSON", "Petra Novak")]
    with project.read() as store:
        origin = store.spans(window.view.document.id)[0].origin  # type: ignore[union-attr]
    assert origin == "suggested:rules"
    # Focus moved on to the next suggestion; X rejects it and the rejection is stored.
    assert window.article.focused.label == "QUANTITY"  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_X)
    with project.read() as store:
        decisions = store.decisions(window.view.document.id, "ana")  # type: ignore[union-attr]
    assert {(d.label, d.decision) for d in decisions} == {
        ("PERSON", Decision.ACCEPTED),
        ("QUANTITY", Decision.REJECTED),
    }
    assert [s.label for s in window.view.suggestions] == ["ORG"]  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert len(spans(project)) == 2
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo accept all
    assert spans(project) == [("entity", "PERSON", "Petra Novak")]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo reject
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo accept
    assert spans(project) == []
    assert len(window.view.suggestions) == 3  # type: ignore[union-attr]
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    key(qtbot, window, Qt.Key.Key_Z, redo)
    assert spans(project) == [("entity", "PERSON", "Petra Novak")]


def test_claim_from_sentence_with_claimant_cue_type_and_hedged(
    window: MainWindow,
    project: Database,
    qtbot,
) -> None:
    view = window.article
    view.select_range(*at(FIRST, "Mayor Petra Novak"))
    key(qtbot, window, Qt.Key.Key_1)
    sentence = at(FIRST, "Mayor Petra Novak said 300 homes had lost power within 24 hours.")
    view.select_range(sentence[0] + 3, sentence[0] + 3)  # caret in the sentence, no selection
    view.clear_selection()
    key(qtbot, window, Qt.Key.Key_C)
    claim = window.article.focused
    assert claim is not None and claim.layer is Layer.CLAIM
    assert FIRST[claim.start : claim.end] == FIRST[sentence[0] : sentence[1]]

    def pick_first() -> None:
        dialog = window.findChild(QDialog, "claimant-dialog")
        assert dialog is not None and dialog.isVisible()
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    qtbot.keyClick(window.article, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "claimant-dialog") is not None)
    pick_first()
    settle(window)
    view.select_range(*at(FIRST, "said"))
    key(qtbot, window, Qt.Key.Key_U)
    key(qtbot, window, Qt.Key.Key_T)  # other -> quantity? cycles from "other" to the first type
    key(qtbot, window, Qt.Key.Key_H)
    with project.read() as store:
        (stored,) = store.spans(window.view.document.id, "ana", Layer.CLAIM)  # type: ignore[union-attr]
        person = store.get_span(stored.claim.claimant_id)  # type: ignore[arg-type, union-attr]
    assert FIRST[person.start : person.end] == "Mayor Petra Novak"
    assert stored.claim is not None and stored.claim.cue == at(FIRST, "said")
    assert stored.claim.hedged is True
    assert stored.claim.claim_type == window.schema.claim_types[0]  # type: ignore[union-attr]
    assert window.inspector.claimant.text().endswith("Mayor Petra Novak")


def test_done_moves_to_the_next_unfinished_and_records_time(
    window: MainWindow,
    project: Database,
    qtbot,
) -> None:
    first = window.view.document.id  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id != first)
    with project.read() as store:
        state = store.get_state(first, "ana")
    assert state.status is Status.DONE and state.seconds_spent > 0
    assert window.status_progress.text().startswith("1 / 3")


def test_previous_next_and_skip_with_reason(
    window: MainWindow,
    project: Database,
    qtbot,
    monkeypatch,
) -> None:
    first = window.view.document.id  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.view.document.id == first + 1)  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.view.document.id == first)  # type: ignore[union-attr]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("duplicate story", True))
    key(qtbot, window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.view.document.id != first)  # type: ignore[union-attr]
    with project.read() as store:
        state = store.get_state(first, "ana")
    assert state.status is Status.SKIPPED and state.skip_reason == "duplicate story"


def test_undo_across_a_document_switch(window: MainWindow, project: Database, qtbot) -> None:
    first = window.view.document.id  # type: ignore[union-attr]
    window.article.select_range(*at(FIRST, "Port Authority"))
    key(qtbot, window, Qt.Key.Key_2)
    key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.view.document.id != first)  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.view.document.id == first)  # type: ignore[union-attr]
    assert spans(project) == []


def test_search_opens_the_hit(window: MainWindow, qtbot) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "search-dialog") is not None)
    dialog = window.findChild(QDialog, "search-dialog")
    qtbot.keyClicks(dialog.query, "ferry company")
    qtbot.waitUntil(lambda: len(dialog.hits) == 1, timeout=5000)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.text == SECOND)
    settle(window)
    assert window.article.selection(char_precision=True) == at(SECOND, "ferry company")


def test_errors_reach_the_user(window: MainWindow, project: Database, qtbot) -> None:
    window.article.select_range(*at(FIRST, "Novak"))
    key(qtbot, window, Qt.Key.Key_1)
    span = window.article.focused
    with project.write() as store:  # another client deletes it under our feet
        store.delete_span(span.id)  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_X)
    box = window.findChild(QMessageBox, "error-dialog")
    assert box is not None and "was deleted by another client" in box.text()


def test_f1_lists_every_shortcut(window: MainWindow, qtbot) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_F1)
    dialog = window.findChild(QDialog, "shortcuts-dialog")
    assert dialog is not None
    cells = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert {"Ctrl+Z", "Tab", "Ctrl+Return", "1", "C", "L", "X"} <= {
        part.strip() for cell in cells for part in cell.split(",")
    }


def test_html_in_articles_is_shown_as_text(window: MainWindow, qtbot) -> None:
    window.open_document(3)
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id == 3)
    assert window.windowTitle().startswith("<img src=x> headline")
    assert window.article.document().toPlainText().startswith("<img src=x>")


def test_import_in_the_background(
    window: MainWindow, project: Database, qtbot, tmp_path: Path
) -> None:
    source = tmp_path / "new.txt"
    source.write_text("A new headline\nA new body line.\n", encoding="utf-8")
    task = window.import_files([str(source)])
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "import-summary") is not None)
    assert "Imported 1 documents" in window.findChild(QMessageBox, "import-summary").text()
    with project.read() as store:
        assert store.document_count() == 4


def test_layout_and_work_survive_a_restart(project: Database, qtbot) -> None:
    first = MainWindow(project, "ana")
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.view is not None, timeout=10_000)
    first.resize(700, 520)  # within the offscreen screen, which clamps restored geometry
    first.article.select_range(*at(FIRST, "Novak"))
    first.controller.apply_label("PERSON")
    first.executor.wait_idle()
    size = (first.width(), first.height())
    first.close()
    second = MainWindow(project, "ana")
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: second.view is not None, timeout=10_000)
    assert (second.width(), second.height()) == size != (1280, 800)
    assert [s.label for s in second.view.spans] == ["PERSON"]  # type: ignore[union-attr]
    second.close()
    QApplication.processEvents()


def test_overlapping_entity_is_refused_with_a_message(
    window: MainWindow,
    project: Database,
    qtbot,
) -> None:
    window.article.select_range(*at(FIRST, "Petra Novak"))
    key(qtbot, window, Qt.Key.Key_1)
    window.article.select_range(*at(FIRST, "Mayor Petra"))
    key(qtbot, window, Qt.Key.Key_2)
    assert spans(project) == [("entity", "PERSON", "Petra Novak")]
    assert "overlaps PERSON 'Petra Novak'" in window.statusBar().currentMessage()


def test_export_in_the_background(
    window: MainWindow, project: Database, qtbot, tmp_path: Path
) -> None:
    window.article.select_range(*at(FIRST, "Petra Novak"))
    key(qtbot, window, Qt.Key.Key_1)
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done
    out = tmp_path / "out.jsonl"
    task = window.export_file(str(out), fmt="prodigy", only_done=True)
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "export-summary") is not None)
    text = window.findChild(QMessageBox, "export-summary").text()
    assert "Exported 1 documents" in text and "2 documents not done were left out" in text
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [s["label"] for s in record["spans"]] == ["PERSON"]


def test_export_dialog_lists_every_format(window: MainWindow, qtbot) -> None:
    from annotator.services.exporting import FORMATS
    from annotator.ui.dialogs import ExportDialog

    dialog = ExportDialog(dict(FORMATS), "ana", window)
    qtbot.addWidget(dialog)
    names = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert names == list(FORMATS)
    dialog.format.setCurrentIndex(names.index("brat"))
    assert dialog.writes_folder
    dialog.format.setCurrentIndex(names.index("prodigy"))
    assert not dialog.writes_folder
    qtbot.keyClicks(dialog.split, "train=0.8,test=0.2")
    assert dialog.writes_folder


def test_live_suggestions_arrive_for_the_open_document(db: Database, qtbot) -> None:
    add_document(db, FIRST, "t")
    win = MainWindow(db, "ana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.view is not None, timeout=10_000)
    qtbot.waitUntil(lambda: bool(win.view.suggestions), timeout=30_000)
    found = {(s.label, FIRST[s.start : s.end]) for s in win.view.suggestions}
    assert ("QUANTITY", "300 homes") in found
    assert any(s.layer is Layer.CLAIM for s in win.view.suggestions)
    # The focused suggestion shows its suggester's reason in the inspector.
    assert win.article.focused is not None
    assert ":" in win.inspector.origin.text()
    # They were computed in the suggestion process, not in the window's interpreter.
    worker = win.suggestions._process  # the test needs to see where the work ran
    assert worker is not None and worker.alive and worker.pid != os.getpid()
    win.close()
    assert not worker.alive  # and the process ends with the window


def test_a_project_with_every_suggester_off_computes_no_suggestions(
    window: MainWindow, project: Database
) -> None:
    """The suggestion process still starts, but only to hand the window the documents'
    tokens (the window never loads spaCy: docs/adr/0031-start-window.md)."""

    def stored() -> list[tuple[int, int, str, str]]:
        with project.read() as store:
            return sorted(
                (s.document_id, s.start, s.label, s.suggester)
                for i in store.document_ids()
                for s in store.suggestions(i)
            )

    before = stored()
    window.open_document(window.workspace.neighbour(window.view.document.id, +1) or 0)  # type: ignore[union-attr]
    settle(window)
    window.suggestions.wait()
    assert stored() == before
    assert all(s.suggester == "rules" for s in window.view.suggestions)  # type: ignore[union-attr]


def test_model_scores_are_shown_in_the_status_bar(project: Database, qtbot) -> None:
    win = MainWindow(project, "ana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.status_model.text() == "Model: not trained", timeout=10_000)
    with project.write() as store:
        scores = {"precision": 0.75, "recall": 0.6, "f1": 0.667, "gold": 40}
        store.save_model(
            "learned",
            b"not a real model",
            trained_documents=12,
            metrics={"entities": scores, "documents": {"held_out": 3}},
        )
    win.refresh_model_status()
    qtbot.waitUntil(lambda: "F1 0.67 on 12 documents" in win.status_model.text())
    assert "held-out P 0.75" in win.status_model.toolTip()
    win.close()


def test_pick_the_claimant_in_the_text(window: MainWindow, project: Database, qtbot) -> None:
    window.article.select_range(*at(FIRST, "The Port Authority"))
    key(qtbot, window, Qt.Key.Key_2)
    org = window.article.focused
    window.article.select_range(*at(FIRST, "41 ships were waiting offshore"))
    key(qtbot, window, Qt.Key.Key_C)
    claim = window.article.focused
    key(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    window.article.focus_item(org)  # a click or Tab on the entity
    key(qtbot, window, Qt.Key.Key_Return)
    with project.read() as store:
        assert store.get_span(claim.id).claim.claimant_id == org.id


def test_a_late_callback_asking_for_suggestions_after_close_does_nothing(
    window: MainWindow,
) -> None:
    # Work the window started before it closed (warming the next documents) can finish after
    # the suggestion pool is shut down and ask for suggestions: that used to print a
    # traceback ("cannot schedule new futures after shutdown") as the window closed.
    document_id = window.view.document.id  # type: ignore[union-attr]
    window.suggestions.enabled = True
    window.suggestions.shutdown()
    future = window.suggestions.refresh([document_id])
    assert future is not None and future.cancelled()
