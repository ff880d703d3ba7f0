"""The document list: lazy pages read on the database worker, filters, refresh, lookups,
keyboard, plain-text titles, and a 20,000-document list scrolled to the end."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.core.model import DocumentState, DocumentSummary, Layer, Span, Status
from annotator.services.workspace import PageScan, Workspace
from annotator.storage.database import Database
from annotator.ui.document_list import DocumentList
from annotator.ui.document_list_model import (
    PLACEHOLDER,
    SPANS_COLUMN,
    STATUS_COLUMN,
    TITLE_COLUMN,
    DocumentIdRole,
    DocumentListModel,
    StatusRole,
)
from annotator.ui.executor import DbExecutor
from tests.builders import add_documents, titled

ANNOTATOR = "ann"
WAIT_MS = 5000


class SpyWorkspace(Workspace):
    """Records which thread reads pages, and which filters were scanned."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, ANNOTATOR)
        self.threads: set[str] = set()
        self.scans: list[tuple[str | None, Status | None]] = []

    def summaries_between(self, *args: Any, **kwargs: Any) -> list[DocumentSummary]:
        self.threads.add(threading.current_thread().name)
        return super().summaries_between(*args, **kwargs)

    def scan_page_starts(self, scan: PageScan, **kwargs: Any) -> PageScan:
        self.threads.add(threading.current_thread().name)
        self.scans.append((kwargs.get("text"), kwargs.get("status")))
        return super().scan_page_starts(scan, **kwargs)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(tmp_path / "p.sqlite")
    yield db
    db.close()


@pytest.fixture
def executor(qtbot: Any) -> Iterator[DbExecutor]:
    errors: list[BaseException] = []
    pool = DbExecutor(on_error=errors.append)
    yield pool
    pool.wait_idle()
    pool.shutdown()
    assert not errors


def add_titled(db: Database, items: list[tuple[str, str]]) -> list[int]:
    """Insert ``(title, text)`` documents; their ids, in order."""
    return add_documents(db, [titled(text, title) for title, text in items])


def numbered(db: Database, n: int) -> list[int]:
    return add_titled(db, [(f"Document {i}", f"Document {i}\nBody {i}.") for i in range(n)])


def delete_documents(db: Database, ids: list[int]) -> None:
    """Leave gaps in the ids (the app has no delete yet; a file edit stands in for one)."""
    assert db.path is not None
    with sqlite3.connect(db.path) as conn:
        conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in ids])
    conn.close()


def set_status(db: Database, document_id: int, status: Status) -> None:
    with db.write() as store:
        store.set_state(DocumentState(document_id, ANNOTATOR, status))


def make_model(
    db: Database, executor: DbExecutor, *, page_size: int = 10, cache_pages: int = 50
) -> tuple[DocumentListModel, SpyWorkspace]:
    workspace = SpyWorkspace(db)
    model = DocumentListModel(workspace, executor, page_size=page_size, cache_pages=cache_pages)
    failures: list[str] = []
    model.loadFailed.connect(failures.append)
    model.setProperty("failures", failures)
    return model, workspace


def wait_complete(qtbot: Any, model: DocumentListModel) -> None:
    qtbot.waitUntil(lambda: model.complete, timeout=WAIT_MS)


def load_row(qtbot: Any, model: DocumentListModel, row: int) -> DocumentSummary:
    qtbot.waitUntil(lambda: model.rowCount() > row, timeout=WAIT_MS)
    model.data(model.index(row, TITLE_COLUMN))  # asks for the page
    qtbot.waitUntil(lambda: model.is_row_loaded(row), timeout=WAIT_MS)
    summary = model.summary_at(row)
    assert summary is not None
    return summary


def listed_ids(qtbot: Any, model: DocumentListModel) -> list[int]:
    """Every row's document id, all pages asked for at once (the cache must hold them all)."""
    wait_complete(qtbot, model)
    answers: dict[int, int | None] = {}
    for row in range(0, model.rowCount(), model.page_size):
        model.fetch_document_id(row, lambda i, row=row: answers.__setitem__(row, i))
    qtbot.waitUntil(lambda: len(answers) * model.page_size >= model.rowCount(), timeout=WAIT_MS)
    ids = [model.document_id_at(row) for row in range(model.rowCount())]
    assert None not in ids
    return [i for i in ids if i is not None]


def truth(db: Database, text: str | None = None, status: Status | None = None) -> list[int]:
    with db.read() as store:
        rows = store.summaries(ANNOTATOR, limit=10**9, text=text, status=status)
    return [row.id for row in rows]


# -- loading ----------------------------------------------------------------------------------


def test_rows_show_a_placeholder_then_load_by_page_on_the_database_thread(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 30)
    model, workspace = make_model(database, executor)
    model.reload()
    wait_complete(qtbot, model)
    assert model.rowCount() == 30
    assert model.pages_fetched == 0  # nothing is read before it is shown

    assert model.data(model.index(25, TITLE_COLUMN)) == PLACEHOLDER
    assert model.data(model.index(25, TITLE_COLUMN), Qt.ItemDataRole.AccessibleTextRole)
    with qtbot.waitSignal(model.rowsLoaded, timeout=WAIT_MS) as loaded:
        pass
    assert loaded.args == [20, 29]
    assert model.data(model.index(25, TITLE_COLUMN)) == "Document 25"
    assert model.data(model.index(25, TITLE_COLUMN), DocumentIdRole) == ids[25]
    assert model.data(model.index(25, SPANS_COLUMN)) == 0
    assert model.pages_fetched == 1
    assert not model.is_row_loaded(0)
    assert workspace.threads and all(t.startswith("annotator-db") for t in workspace.threads)
    assert model.property("failures") == []


def test_an_empty_project_lists_nothing(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    model, _ = make_model(database, executor)
    with qtbot.waitSignal(model.countChanged, check_params_cb=lambda n, final: final):
        model.reload()
    assert model.rowCount() == 0 and model.complete


def test_rows_map_to_documents_across_deleted_ids_and_every_filter(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    words = ["alpha", "Beta", "gamma"]
    ids = add_titled(
        database, [(f"Doc {i}", f"Doc {i} {words[i % 3]} {words[i % 2]}") for i in range(130)]
    )
    delete_documents(database, ids[3::7])
    statuses = [Status.DONE, Status.IN_PROGRESS, Status.SKIPPED, Status.NEW]
    for k, document_id in enumerate(ids[1::5]):
        if document_id not in ids[3::7]:
            set_status(database, document_id, statuses[k % 4])
    model, _ = make_model(database, executor, page_size=7, cache_pages=100)
    for text, status in [
        (None, None),
        ("GAMMA", None),
        (None, Status.NEW),
        (None, Status.DONE),
        ("beta", Status.IN_PROGRESS),
        ("nothing like this", None),
    ]:
        model.set_filter(text, status)
        assert listed_ids(qtbot, model) == truth(database, text, status), (text, status)
    assert model.property("failures") == []


# -- filters ----------------------------------------------------------------------------------


def test_text_filter_matches_title_or_text_ignoring_case_and_wildcards(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = add_titled(
        database,
        [
            ("Harbour strike goes on", "Harbour strike goes on\nDock workers stay out."),
            ("Flood barriers raised", "Flood barriers raised\nThe HARBOUR wall held."),
            ("Airline grounds fleet", "Airline grounds fleet\nChecks continue."),
            ("Prices up 50% in a year", "Prices up 50% in a year\nEnergy costs."),
            ("Prices up 500 in a year", "Prices up 500 in a year\nEnergy costs."),
            ("A_B test", "A_B test\nx"),
            ("AxB test", "AxB test\nx"),
        ],
    )
    model, _ = make_model(database, executor)
    model.set_filter("harbour")
    assert listed_ids(qtbot, model) == ids[:2]
    model.set_filter("  50%  ")
    assert listed_ids(qtbot, model) == [ids[3]]
    model.set_filter("a_b")
    assert listed_ids(qtbot, model) == [ids[5]]
    model.set_filter("")
    assert listed_ids(qtbot, model) == ids


def test_status_filter_is_per_annotator_and_untouched_documents_are_new(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 6)
    set_status(database, ids[0], Status.DONE)
    set_status(database, ids[1], Status.IN_PROGRESS)
    set_status(database, ids[2], Status.SKIPPED)
    set_status(database, ids[3], Status.NEW)
    with database.write() as store:  # another annotator's work does not count
        store.set_state(DocumentState(ids[4], "someone else", Status.DONE))
    model, _ = make_model(database, executor)
    expected = {
        Status.DONE: [ids[0]],
        Status.IN_PROGRESS: [ids[1]],
        Status.SKIPPED: [ids[2]],
        Status.NEW: [ids[3], ids[4], ids[5]],
        None: ids,
    }
    for status, wanted in expected.items():
        model.set_filter(None, status)
        assert listed_ids(qtbot, model) == wanted, status
    model.set_filter("document 1", Status.IN_PROGRESS)
    assert listed_ids(qtbot, model) == [ids[1]]
    load_row(qtbot, model, 0)
    assert model.data(model.index(0, STATUS_COLUMN)) == "◐"
    assert model.data(model.index(0, STATUS_COLUMN), Qt.ItemDataRole.AccessibleTextRole) == (
        "In progress"
    )
    assert model.data(model.index(0, STATUS_COLUMN), StatusRole) is Status.IN_PROGRESS


def test_a_superseded_filter_stops_and_its_results_are_dropped(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    add_titled(
        database,
        [(f"Doc {i}", f"Doc {i} {'alpha' if i % 2 else 'beta'}") for i in range(3000)],
    )
    model, workspace = make_model(database, executor, page_size=40, cache_pages=100)
    counts: list[tuple[int, bool]] = []
    model.set_filter("alpha")
    model.set_filter("beta")
    model.countChanged.connect(lambda n, final: counts.append((n, final)))
    assert listed_ids(qtbot, model) == truth(database, "beta")
    assert counts[-1] == (1500, True)
    assert all(n <= 1500 for n, _ in counts)
    # The alpha scan got at most the one slice already queued before it was superseded.
    assert workspace.scans.count(("alpha", None)) <= 1


# -- changes and lookups ----------------------------------------------------------------------


def test_refresh_redraws_changed_rows_without_a_reset(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 12)
    model, _ = make_model(database, executor, page_size=5)
    model.set_filter(None, Status.NEW)
    load_row(qtbot, model, 0)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    set_status(database, ids[2], Status.DONE)
    with database.write() as store:
        store.add_span(Span(None, ids[2], Layer.ENTITY, 0, 8, "ORG", ANNOTATOR))
    with qtbot.waitSignal(model.dataChanged, timeout=WAIT_MS) as changed:
        model.refresh_documents({ids[2], ids[11]})  # ids[11] is not loaded: nothing to do
    assert changed.args[0].row() == 2
    assert model.data(model.index(2, STATUS_COLUMN)) == "●"
    assert model.data(model.index(2, SPANS_COLUMN)) == 1
    assert model.data(model.index(2, SPANS_COLUMN), Qt.ItemDataRole.ToolTipRole) == (
        "1 confirmed span"
    )
    # The row stays under the "new" filter until the list is reloaded.
    assert model.rowCount() == 12 and not resets
    model.reload()
    wait_complete(qtbot, model)
    assert model.rowCount() == 11


def test_a_page_that_no_longer_matches_its_filter_makes_the_list_start_over(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 30)
    model, _ = make_model(database, executor, page_size=5)
    model.set_filter(None, Status.NEW)
    load_row(qtbot, model, 0)
    set_status(database, ids[17], Status.DONE)  # changed behind the list's back
    with qtbot.waitSignal(model.modelReset, timeout=WAIT_MS):
        model.data(model.index(17, TITLE_COLUMN))
    assert listed_ids(qtbot, model) == [i for i in ids if i != ids[17]]


def test_rows_of_documents_are_found_without_loading_the_pages_before_them(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 400)
    delete_documents(database, ids[100:150])  # not consecutive any more: pages come by scan
    listed = [i for i in ids if not ids[100] <= i <= ids[149]]
    model, _ = make_model(database, executor, page_size=10)
    model.reload()
    found: list[int | None] = []
    model.find_row(listed[333], found.append)
    model.find_row(ids[120], found.append)  # deleted
    model.find_row(10**9, found.append)  # never existed
    qtbot.waitUntil(lambda: len(found) == 3, timeout=WAIT_MS)
    assert sorted(found, key=lambda r: -1 if r is None else r) == [None, None, 333]
    # The page of row 333, and the pages where the other two would be: nothing before them.
    assert model.pages_fetched == 3
    assert model.row_of(listed[333]) == 333
    assert model.document_id_at(333) == listed[333]
    assert model.row_of(listed[0]) is None and model.document_id_at(0) is None

    found.clear()
    model.find_row(listed[335], found.append)  # loaded: answered at once
    assert found == [335]
    ids_at: list[int | None] = []
    model.fetch_document_id(5, ids_at.append)
    qtbot.waitUntil(lambda: ids_at == [listed[5]], timeout=WAIT_MS)


def test_the_final_count_of_a_scan_corrects_the_first_without_a_reset(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 50)
    delete_documents(database, ids[10:12])  # ids with a gap: the page starts need a scan

    class Racing(SpyWorkspace):
        """Counts as if a document was deleted between the count and the scan."""

        def document_id_extent(self) -> tuple[int, int | None, int | None]:
            count, first, last = super().document_id_extent()
            return count + 1, first, last

    model = DocumentListModel(Racing(database), executor, page_size=10)
    resets: list[bool] = []
    removed: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    model.reload()
    wait_complete(qtbot, model)
    assert model.rowCount() == 48 and removed == [(48, 48)] and len(resets) == 1
    assert listed_ids(qtbot, model) == ids[:10] + ids[12:]


# -- the widget -------------------------------------------------------------------------------


def make_list(qtbot: Any, db: Database, executor: DbExecutor, **kwargs: Any) -> DocumentList:
    widget = DocumentList(SpyWorkspace(db), executor, **kwargs)
    qtbot.addWidget(widget)
    widget.resize(420, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_titles_with_markup_show_literally(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    title = '<img src="x.png"><b>Bold</b> & <a href="file:///etc">link</a>'
    add_titled(database, [(title, f"{title}\nBody.")])
    widget = make_list(qtbot, database, executor)
    model = widget.model
    qtbot.waitUntil(lambda: model.is_row_loaded(0), timeout=WAIT_MS)
    assert model.data(model.index(0, TITLE_COLUMN)) == title
    tooltip = model.data(model.index(0, TITLE_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tooltip and "<b>" not in tooltip
    shown = QTextDocument()
    shown.setHtml(tooltip)
    assert shown.toPlainText() == title
    labels = widget.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_down_and_enter_or_a_click_open_a_document(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 5)
    widget = make_list(qtbot, database, executor)
    model, view = widget.model, widget.view
    qtbot.waitUntil(lambda: model.is_row_loaded(0), timeout=WAIT_MS)
    widget.select_document(ids[1])
    assert view.currentIndex().row() == 1
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    with qtbot.waitSignal(widget.documentActivated, timeout=WAIT_MS) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [ids[2]]

    rect = view.visualRect(model.index(4, TITLE_COLUMN))
    with qtbot.waitSignal(widget.documentActivated, timeout=WAIT_MS) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [ids[4]]

    # Selecting the open document highlights it but opens nothing.
    with qtbot.assertNotEmitted(widget.documentActivated, wait=50):
        widget.select_document(ids[0])
    assert view.selectionModel().selectedRows(TITLE_COLUMN)[0].row() == 0


def test_enter_in_the_list_wins_over_a_window_shortcut_for_enter(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 3)
    window = QWidget()
    qtbot.addWidget(window)
    accepted: list[bool] = []
    accept = QAction("Accept suggestion", window)
    accept.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
    accept.triggered.connect(lambda: accepted.append(True))
    window.addAction(accept)
    widget = DocumentList(SpyWorkspace(database), executor, window)
    QVBoxLayout(window).addWidget(widget)
    window.resize(420, 400)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: widget.model.is_row_loaded(0), timeout=WAIT_MS)

    widget.filter_edit.setFocus()
    qtbot.keyClick(widget.filter_edit, Qt.Key.Key_Down)  # from the filter box to the list
    assert widget.view.hasFocus() and widget.view.currentIndex().row() == 0
    with qtbot.waitSignal(widget.documentActivated, timeout=WAIT_MS) as opened:
        qtbot.keyClick(widget.view, Qt.Key.Key_Return)
    assert opened.args == [ids[0]] and not accepted


def test_filter_box_is_debounced_and_the_status_box_applies_at_once(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = add_titled(
        database,
        [("Harbour strike", "Harbour strike\nx"), ("Flood", "Flood\nharbour"), ("Air", "Air\nx")],
    )
    set_status(database, ids[1], Status.DONE)
    widget = make_list(qtbot, database, executor)
    model = widget.model
    qtbot.waitUntil(lambda: widget.count_label.text() == "3 documents", timeout=WAIT_MS)
    qtbot.keyClicks(widget.filter_edit, "harb")
    assert model.text_filter is None  # still typing
    qtbot.waitUntil(lambda: model.text_filter == "harb", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: widget.count_label.text() == "2 documents", timeout=WAIT_MS)
    widget.status_combo.setCurrentIndex(widget.status_combo.findText("Done"))
    assert model.status_filter is Status.DONE
    qtbot.waitUntil(lambda: widget.count_label.text() == "1 document", timeout=WAIT_MS)
    assert listed_ids(qtbot, model) == [ids[1]]
    widget.set_filter("nothing", None)
    qtbot.waitUntil(lambda: widget.count_label.text() == "No documents match", timeout=WAIT_MS)


def test_the_current_document_stays_selected_across_filters_and_far_rows(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = numbered(database, 2000)
    widget = make_list(qtbot, database, executor, page_size=50)
    view = widget.view
    widget.select_document(ids[1500])
    qtbot.waitUntil(lambda: view.currentIndex().row() == 1500, timeout=WAIT_MS)
    assert view.viewport().rect().intersects(view.visualRect(view.currentIndex()))
    widget.set_filter("document 15", None)  # Document 15, 150-159, 1500-1599
    qtbot.waitUntil(lambda: view.currentIndex().row() == 11, timeout=WAIT_MS)
    widget.set_filter("document 2", None)  # hides it
    wait_complete(qtbot, widget.model)
    qtbot.wait(50)
    assert not view.selectionModel().hasSelection()


def test_scrolling_to_the_end_of_20000_documents_reads_only_the_last_pages(
    qtbot: Any, database: Database, executor: DbExecutor
) -> None:
    ids = add_titled(database, [(f"Title {i}", f"Title {i}\nBody.") for i in range(20_000)])
    widget = make_list(qtbot, database, executor, cache_pages=4)
    model, view = widget.model, widget.view
    qtbot.waitUntil(lambda: model.is_row_loaded(0), timeout=WAIT_MS)
    assert model.rowCount() == 20_000
    start = model.pages_fetched
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.is_row_loaded(19_999), timeout=WAIT_MS)
    assert model.pages_fetched - start <= 2
    assert model.document_id_at(19_999) == ids[-1]
    assert model.data(model.index(19_999, TITLE_COLUMN)) == "Title 19999"

    # Scrolling through keeps at most cache_pages pages.
    for row in range(0, 20_000, 2_999):
        view.scrollTo(model.index(row, TITLE_COLUMN))
        qtbot.waitUntil(lambda row=row: model.is_row_loaded(row), timeout=WAIT_MS)
        assert model.cached_pages <= 4
    assert model.pages_fetched < 20


def test_the_model_never_reports_rows_for_an_invalid_parent(
    database: Database, executor: DbExecutor
) -> None:
    model, _ = make_model(database, executor)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    assert model.headerData(TITLE_COLUMN, Qt.Orientation.Horizontal) == "Title"
