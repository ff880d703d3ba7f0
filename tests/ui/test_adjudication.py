"""Review > Adjudicate document, driven by keys: units listed with their disagreements, versions
taken with 1/2, agreed ones with A, X rejects, Ctrl+Z undoes, Ctrl+Return marks the document
adjudicated; the gold layer is checked in the database after each step."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import GOLD_ANNOTATOR, Layer, Span, Status
from annotator.storage.database import Database
from annotator.storage.orm import Annotator
from annotator.ui.adjudication import AdjudicationDialog
from annotator.ui.main_window import MainWindow
from tests.services.adjudication_corpus import CLAIM, TEXT, at, project
from tests.ui import windows

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def document(db: Database) -> int:
    with db.write() as store:
        store.set_setting(
            "suggesters", {name: {"enabled": False} for name in ("gazetteer", "rules", "claims")}
        )
    document_id = project(db)
    with db.write() as store:
        store.annotator_id("rita")
        store.session.query(Annotator).filter_by(name="rita").update({"is_reviewer": True})
    return document_id


@pytest.fixture
def window(db: Database, document: int, qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = windows.open_window(db, "rita", qtbot)
    yield win
    win.executor.wait_idle()


def gold(db: Database, document_id: int, layer: Layer | None = None) -> list[Span]:
    with db.read() as store:
        return store.spans(document_id, GOLD_ANNOTATOR, layer)


def settle(qtbot, dialog: AdjudicationDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.view is not None, timeout=10_000)


def press(qtbot, dialog: AdjudicationDialog, key: Qt.Key, mod=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
    qtbot.keyClick(dialog.table, key, mod)
    settle(qtbot, dialog)


def open_dialog(qtbot, window: MainWindow) -> AdjudicationDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(
        lambda: window.findChild(AdjudicationDialog, "adjudication-dialog") is not None,
        timeout=10_000,
    )
    dialog = window.findChild(AdjudicationDialog, "adjudication-dialog")
    assert dialog is not None
    settle(qtbot, dialog)
    return dialog


def current_text(dialog: AdjudicationDialog) -> str:
    unit = dialog.current
    assert unit is not None
    return TEXT[unit.start : unit.end]


def test_adjudicate_a_document_by_keys(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    db: Database,
    document: int,
) -> None:
    review = next(
        a
        for m, a in window.menu_actions
        if m == "Review" and "Adjudicate" in a.text().replace("&", "")
    )
    assert review.shortcut().toString() == "Ctrl+Shift+J"
    dialog = open_dialog(qtbot, window)
    assert dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == 6
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["#", "Layer", "Kind", "Gold", "1. ana", "2. ben"]
    kinds = [table.item(row, 2).text() for row in range(6)]
    assert kinds[1].startswith("≠boundary") and kinds[2].startswith("≠label")
    assert kinds[4] == "≠missing missing (missing: ana)"
    assert kinds[0].startswith("=") and table.item(4, 4).text() == "— nothing —"
    assert "claimant=“The Port Authority”" in table.item(5, 5).text()

    press(qtbot, dialog, Qt.Key.Key_A)  # both agreed units
    assert [s.origin for s in gold(db, document)] == ["adjudicated:ana+ben"] * 2
    assert current_text(dialog) == "300 homes"  # the first undecided unit
    assert table.item(0, 3).text().startswith("✓ ana+ben")

    press(qtbot, dialog, Qt.Key.Key_2)  # ben's "300"
    assert current_text(dialog) == "24 hours"
    press(qtbot, dialog, Qt.Key.Key_1)  # ana's DATE
    assert current_text(dialog) == "41 ships"
    press(qtbot, dialog, Qt.Key.Key_X)  # reject ben's extra entity
    assert current_text(dialog) == CLAIM
    entities = [(TEXT[s.start : s.end], s.label, s.origin) for s in gold(db, document)]
    assert entities == [
        ("Petra Novak", "PERSON", "adjudicated:ana+ben"),
        ("300", "QUANTITY", "adjudicated:ben"),
        ("24 hours", "DATE", "adjudicated:ana"),
        ("The Port Authority", "ORG", "adjudicated:ana+ben"),
    ]
    assert table.item(4, 3).text() == "✗ rejected"

    press(qtbot, dialog, Qt.Key.Key_Up)
    assert current_text(dialog) == "41 ships"
    press(qtbot, dialog, Qt.Key.Key_Down)
    assert current_text(dialog) == CLAIM
    [mark] = dialog.text.extraSelections()
    assert (mark.cursor.selectionStart(), mark.cursor.selectionEnd()) == at(CLAIM)

    press(qtbot, dialog, Qt.Key.Key_2)  # ben's claim: hedged, claimant mapped into gold
    [claim] = gold(db, document, Layer.CLAIM)
    assert claim.claim is not None and claim.claim.hedged
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert gold(db, document, Layer.CLAIM) == []
    assert current_text(dialog) == CLAIM
    press(qtbot, dialog, Qt.Key.Key_1)  # ana's claim instead
    [claim] = gold(db, document, Layer.CLAIM)
    assert claim.claim is not None and not claim.claim.hedged
    port = next(s for s in gold(db, document) if s.label == "ORG")
    assert claim.claim.claimant_id == port.id

    press(qtbot, dialog, Qt.Key.Key_Return, CTRL)
    with db.read() as store:
        assert store.get_state(document, GOLD_ANNOTATOR).status is Status.DONE
    assert "No other document needs adjudication" in dialog.message.text()
    assert "gold: adjudicated" in dialog.heading.text()
    dialog.close()
    window.executor.wait_idle()


def test_escape_closes_without_storing_anything(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    db: Database,
    document: int,
) -> None:
    """Escape (QDialog's reject) only closes: no unit is rejected into gold."""
    dialog = open_dialog(qtbot, window)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.executor.wait_idle()
    assert gold(db, document) == []
    with db.read() as store:
        assert store.decisions(document, GOLD_ANNOTATOR) == []


def test_a_conflict_is_shown_and_reloaded(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    db: Database,
    document: int,
) -> None:
    from annotator.services.adjudication import Adjudicator

    dialog = open_dialog(qtbot, window)
    assert current_text(dialog) == "Petra Novak"
    press(qtbot, dialog, Qt.Key.Key_Down)
    assert current_text(dialog) == "300 homes"
    # Another reviewer takes ana's version of the same unit meanwhile.
    other = Adjudicator(db, "sam")
    unit = other.load(document).unit_at(Layer.ENTITY, *at("300 homes"))
    assert unit is not None
    other.take(unit, "ana")
    press(qtbot, dialog, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: window.findChild(object, "error-dialog") is not None, timeout=5000)
    settle(qtbot, dialog)
    assert [s.origin for s in gold(db, document)] == ["adjudicated:ana"]
    row = next(i for i, u in enumerate(dialog.units) if TEXT[u.start : u.end] == "300 homes")
    assert dialog.table.item(row, 3).text().startswith("✓ ana")
    dialog.close()
    window.executor.wait_idle()


def test_only_reviewers_adjudicate(qtbot, db: Database, document: int) -> None:  # type: ignore[no-untyped-def]
    win = windows.open_window(db, "ana", qtbot)
    qtbot.keyClick(win, Qt.Key.Key_J, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "Only reviewers" in win.statusBar().currentMessage(), timeout=5000)
    assert win.findChild(AdjudicationDialog, "adjudication-dialog") is None
    win.executor.wait_idle()


def test_edit_the_gold_label_and_undo(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    db: Database,
    document: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QInputDialog

    dialog = open_dialog(qtbot, window)
    press(qtbot, dialog, Qt.Key.Key_A)
    press(qtbot, dialog, Qt.Key.Key_Up)
    assert current_text(dialog) == "Petra Novak"
    asked: list[tuple] = []

    def choose(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args)
        return "ORG", True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    press(qtbot, dialog, Qt.Key.Key_E)
    assert asked and asked[0][4] == 0  # offered the schema's labels, PERSON first
    novak = next(s for s in gold(db, document) if TEXT[s.start : s.end] == "Petra Novak")
    assert (novak.label, novak.origin) == ("ORG", "manual")
    assert current_text(dialog) == "Petra Novak"  # stays on the edited unit
    assert dialog.table.item(0, 3).text().startswith("✓ edited")
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    novak = next(s for s in gold(db, document) if TEXT[s.start : s.end] == "Petra Novak")
    assert (novak.label, novak.origin) == ("PERSON", "adjudicated:ana+ben")
    dialog.close()
    window.executor.wait_idle()


def test_export_uses_gold_when_asked(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    db: Database,
    document: int,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    import orjson

    from annotator.services.adjudication import Adjudicator
    from annotator.services.exporting import FORMATS
    from annotator.ui.dialogs import ExportDialog

    dialog = ExportDialog(dict(FORMATS), "rita", window)
    assert dialog.gold.text() == "use gold where adjudicated" and not dialog.gold.isChecked()
    dialog.deleteLater()
    reviewer = Adjudicator(db, "rita")
    _, view = reviewer.take_agreed(reviewer.load(document))
    reviewer.mark_adjudicated(view)
    out = tmp_path / "gold.jsonl"
    task = window.export_file(str(out), "prodigy", gold=True)
    assert task is not None
    qtbot.waitUntil(lambda: window.findChild(object, "export-summary") is not None, timeout=20_000)
    box = window.findChild(object, "export-summary")
    assert "1 went out as their adjudicated gold version" in box.text()
    [record] = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [s["label"] for s in record["spans"]] == ["PERSON", "ORG"]
    window.executor.wait_idle()
