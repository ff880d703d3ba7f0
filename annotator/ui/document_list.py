"""The document list on the left of the window: every document's status, title and number of
confirmed spans, filtered by text and status, and smooth at a million documents.

How it stays smooth (DESIGN.md sections 6 and 9):

- The UI thread never queries the database. ``data()`` for a row whose page is not loaded
  returns a placeholder and asks for the page; pages are read on the database worker
  (:class:`~annotator.ui.executor.DbExecutor`) and ``dataChanged`` repaints them when they come.
- A row is mapped to a document through the id of the first row of each page (a sparse index,
  one id per page: 40 kB at 1M documents). Without a filter and with no deleted documents the
  ids are consecutive, so the index is arithmetic and the row count is one ``count(*)``.
  Otherwise the page starts come from a scan (a text filter has no index to count with) that
  runs in short slices on the worker, so other database work keeps flowing between them, and
  rows appear a page at a time as it goes. A page is then fetched by id range: scrolling to the
  end reads the last pages, not everything before them.
- At most ``cache_pages`` pages are kept (least recently used go first), and at most a few
  page reads are queued, the ones asked for last, so dragging the scroll bar across a million
  rows reads only where the view stops and memory stays flat.
- Each filter change starts a new generation; results of an older one are dropped on arrival,
  and its scan stops at the next slice.
"""

from __future__ import annotations

import html
import logging
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import DocumentSummary, Status
from annotator.services.workspace import PageScan, Workspace
from annotator.ui.executor import DbExecutor

log = logging.getLogger(__name__)

PAGE_SIZE = 200
#: 50 pages of 200 rows: a few MB however many documents there are.
CACHE_PAGES = 50
#: Page reads on the worker at once: few, so a document the user opens is never stuck behind
#: a queue of pages the view has already scrolled past.
MAX_IN_FLIGHT = 2
#: Pages asked for but not yet sent to the worker; the oldest are forgotten (they are asked
#: for again if they are still on screen when next painted).
MAX_QUEUED = 12
#: How long one slice of a filter scan may keep the database worker.
SCAN_SLICE_SECONDS = 0.03
#: Rows found by a scan are added at most this often: each addition repaints the view.
GROW_INTERVAL_MS = 150
#: Times in a row the list may find its page starts stale and start over by itself; after
#: that it shows what it gets until the next reload rather than reset again and again.
MAX_STALE_RELOADS = 3
FILTER_DELAY_MS = 200

PLACEHOLDER = "…"
STATUS_COLUMN, TITLE_COLUMN, SPANS_COLUMN = range(3)
COLUMN_COUNT = 3
DocumentIdRole = int(Qt.ItemDataRole.UserRole) + 1
StatusRole = int(Qt.ItemDataRole.UserRole) + 2

# data() runs for every cell and role of every paint (Qt asks 7 roles per cell): plain ints
# compare far faster than Qt's enum members, which each cost an attribute lookup.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _ACCESSIBLE, DocumentIdRole, StatusRole})
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

STATUS_SYMBOLS = {
    Status.NEW: "○",
    Status.IN_PROGRESS: "◐",
    Status.DONE: "●",
    Status.SKIPPED: "⤼",
}
STATUS_LABELS = {
    Status.NEW: "New",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done",
    Status.SKIPPED: "Skipped",
}

RowCallback = Callable[[int | None], None]
_ROOT = QModelIndex()


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: tooltips guess rich text, and article data such as
    ``<img src=…>`` would otherwise render and load files (DESIGN.md section 10)."""
    return f"<p>{html.escape(text)}</p>"


def one_line(text: str) -> str:
    return " ".join(text.splitlines())


class _RowIndex:
    """Which document each row is: the id of the first row of every page.

    ``dense_first`` set means the rows are the documents ``dense_first, dense_first + 1, …``
    (no filter, nothing deleted). Otherwise ``starts`` grows as the scan finds page starts; a
    page's id range is known once the next page's start is, or the scan is complete.
    """

    def __init__(self, page_size: int) -> None:
        self.page_size = page_size
        self.starts = array("q")  # 8 bytes an id, not a Python int each
        self.dense_first: int | None = None
        #: The number of rows, once known (from ``count(*)`` or the finished scan).
        self.total: int | None = None
        self.scan = PageScan()
        self.complete = False

    @property
    def rows(self) -> int:
        """Rows the list can show now: while a scan runs, only its complete pages."""
        if self.total is not None:
            return self.total
        return max(0, len(self.starts) - 1) * self.page_size

    @property
    def page_count(self) -> int:
        return -(-self.rows // self.page_size)

    def bounds(self, page: int) -> tuple[int, int | None] | None:
        """``(first id, end id)`` of ``page`` (end exclusive; ``None``: to the end), or
        ``None`` while the scan has not got that far."""
        if self.dense_first is not None:
            start = self.dense_first + page * self.page_size
            return start, start + self.page_size
        if page + 1 < len(self.starts):
            return self.starts[page], self.starts[page + 1]
        if page < len(self.starts) and self.complete:
            return self.starts[page], None
        return None

    def page_rows(self, page: int) -> int:
        return max(0, min(self.page_size, self.rows - page * self.page_size))

    def settled(self, document_id: int) -> bool:
        """Whether the index knows which page would hold ``document_id``."""
        if self.dense_first is not None or self.complete:
            return True
        return bool(self.starts) and document_id < self.starts[-1]

    def locate(self, document_id: int) -> int | None:
        """The page that holds ``document_id`` if it is listed at all (see :meth:`settled`)."""
        if self.dense_first is not None:
            offset = document_id - self.dense_first
            if 0 <= offset < (self.total or 0):
                return offset // self.page_size
            return None
        page = bisect_right(self.starts, document_id) - 1
        return page if 0 <= page < self.page_count else None


class DocumentListModel(QAbstractTableModel):
    """Status, title and confirmed-span count of the listed documents, loaded lazily.

    Call :meth:`reload` (or :meth:`set_filter`) to start; the rows arrive from the database
    worker. Row contents can be asked for without blocking: :meth:`document_id_at` and
    :meth:`row_of` answer from what is loaded; :meth:`find_row` and :meth:`fetch_document_id`
    answer later, on the UI thread.
    """

    #: Documents matched so far, and whether that is the final count.
    countChanged = Signal(int, bool)
    #: Rows ``first`` to ``last`` (inclusive) now show their document.
    rowsLoaded = Signal(int, int)
    #: Reading the list failed; the message is for the user.
    loadFailed = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        executor: DbExecutor,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        cache_pages: int = CACHE_PAGES,
    ) -> None:
        super().__init__(parent)
        if page_size < 1 or cache_pages < 1:
            raise ValueError("page_size and cache_pages must be at least 1")
        self._workspace = workspace
        self._executor = executor
        self._page_size = page_size
        self._cache_pages = cache_pages
        self._text: str | None = None
        self._status: Status | None = None
        self._generation = 0
        self._index = _RowIndex(page_size)
        self._rows = 0
        self._pages: OrderedDict[int, list[DocumentSummary]] = OrderedDict()
        self._row_of_id: dict[int, int] = {}
        self._queued: OrderedDict[int, None] = OrderedDict()
        self._priority: set[int] = set()
        self._in_flight: set[int] = set()
        self._id_waiters: list[tuple[int, RowCallback]] = []
        self._row_waiters: dict[int, list[tuple[int, RowCallback]]] = {}
        self._broken = False
        self._stale_reloads = 0
        self._tolerate_stale = False
        self._grow_timer = QTimer(self)
        self._grow_timer.setSingleShot(True)
        self._grow_timer.setInterval(GROW_INTERVAL_MS)
        self._grow_timer.timeout.connect(self._show_rows)
        #: Pages read from the database since the last reset (for tests and benchmarks).
        self.pages_fetched = 0

    # -- filter and loading -------------------------------------------------------------------

    @property
    def text_filter(self) -> str | None:
        return self._text

    @property
    def status_filter(self) -> Status | None:
        return self._status

    @property
    def page_size(self) -> int:
        return self._page_size

    @property
    def complete(self) -> bool:
        """Whether the row count is final and every page can be read."""
        return self._index.complete

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def set_filter(self, text: str | None = None, status: Status | None = None) -> None:
        """Show the documents whose title or text contains ``text`` (case-insensitive) and
        whose status for this annotator is ``status``; ``None`` for either means any."""
        text = (text or "").strip() or None
        if (text, status) == (self._text, self._status) and self._generation:
            return
        self._text, self._status = text, status
        self.reload()

    def reload(self) -> None:
        """Start over with the current filter: after an import, or to drop rows that no
        longer match it."""
        self._stale_reloads = 0
        self._tolerate_stale = False
        self._restart()

    def _restart(self) -> None:
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._index = _RowIndex(self._page_size)
        self._rows = 0
        self._pages.clear()
        self._row_of_id.clear()
        self._queued.clear()
        self._priority.clear()
        self._in_flight.clear()
        # Lookups belong to the rows they were asked about; callers ask again after a reset.
        self._id_waiters.clear()
        self._row_waiters.clear()
        self._broken = False
        self._grow_timer.stop()
        self.pages_fetched = 0
        self.endResetModel()
        self.countChanged.emit(0, False)
        if self._text is None and self._status is None:
            self._executor.submit(
                self._workspace.document_id_extent,
                partial(self._on_extent, generation),
                partial(self._on_failure, generation, None),
            )
        else:
            self._scan_next(generation)

    def _current(self, generation: int) -> bool:
        # The worker may answer after a newer filter, or after the widget is gone.
        return generation == self._generation and shiboken6.isValid(self)

    def _on_extent(self, generation: int, extent: tuple[int, int | None, int | None]) -> None:
        if not self._current(generation):
            return
        count, first, last = extent
        index = self._index
        index.total = count
        if count == 0 or first is None or last is None:
            index.complete = True
        elif last - first + 1 == count:
            index.dense_first = first
            index.complete = True
        self._show_rows()
        self.countChanged.emit(count, True)
        if not index.complete:
            # Documents were deleted: the count is right, the page starts need a scan.
            self._scan_next(generation)
        self._settle_waiters()
        self._pump()

    def _scan_next(self, generation: int) -> None:
        # The job captures plain values: it runs on the worker, and must not read the model.
        workspace, page_size = self._workspace, self._page_size
        scan, text, status = self._index.scan, self._text, self._status
        self._executor.submit(
            lambda: workspace.scan_page_starts(
                scan,
                page_size=page_size,
                text=text,
                status=status,
                max_seconds=SCAN_SLICE_SECONDS,
            ),
            partial(self._on_scan, generation),
            partial(self._on_failure, generation, None),
        )

    def _on_scan(self, generation: int, scan: PageScan) -> None:
        if not self._current(generation):
            return
        index = self._index
        index.starts.extend(scan.starts)
        index.scan = scan
        if scan.done:
            index.complete = True
            # Differs from the first count only if documents came or went meanwhile.
            index.total = scan.matched
        if scan.done or not self._rows:
            self._show_rows()  # the first rows and the last at once, the rest in batches
        elif not self._grow_timer.isActive():
            self._grow_timer.start()
        if self._text is not None or self._status is not None:
            self.countChanged.emit(scan.matched, scan.done)
        if not scan.done:
            self._scan_next(generation)
        self._settle_waiters()
        self._pump()

    def _show_rows(self) -> None:
        """Show as many rows as the index knows of: a scan adds pages as it finds them, and
        its final count corrects the first one if documents came or went meanwhile."""
        self._grow_timer.stop()
        rows = self._index.rows
        if rows == self._rows:
            return
        # A page that ended early (the last one) has to be read again at its new length.
        for page in [p for p in self._pages if (p + 1) * self._page_size > min(rows, self._rows)]:
            self._drop(page)
        if rows > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, rows - 1)
            self._rows = rows
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), rows, self._rows - 1)
            self._rows = rows
            self.endRemoveRows()

    def _on_failure(self, generation: int, page: int | None, error: BaseException) -> None:
        if not self._current(generation):
            return
        if page is not None:
            self._in_flight.discard(page)
        # No retries until the next reload: a failing read would otherwise repeat on every
        # paint.
        self._broken = True
        log.error("reading the document list failed", exc_info=error)
        self.loadFailed.emit(str(error) or error.__class__.__name__)

    # -- pages --------------------------------------------------------------------------------

    def _peek(self, row: int) -> DocumentSummary | None:
        page = self._pages.get(row // self._page_size)
        if page is None:
            return None
        offset = row % self._page_size
        return page[offset] if offset < len(page) else None

    def _summary(self, row: int) -> DocumentSummary | None:
        """The row's document if its page is loaded (marking the page recently used), else
        ``None`` after asking for the page."""
        number, offset = divmod(row, self._page_size)
        page = self._pages.get(number)
        if page is None:
            self._want(number)
            return None
        self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def _want(self, page: int, *, priority: bool = False) -> None:
        if self._broken or page in self._in_flight:
            return
        if page in self._queued:
            # Already waiting (data() asks once per cell and role): only note it is recent.
            self._queued.move_to_end(page)
            if not priority or page in self._priority:
                return
        else:
            self._queued[page] = None
        if priority:
            self._priority.add(page)
        while len(self._queued) > MAX_QUEUED:
            oldest = next((p for p in self._queued if p not in self._priority), None)
            if oldest is None:
                break
            del self._queued[oldest]
        self._pump()

    def _pump(self) -> None:
        """Send queued pages to the worker, priority first, then the last asked for."""
        while len(self._in_flight) < MAX_IN_FLIGHT and not self._broken:
            page = self._next_page()
            if page is None:
                return
            del self._queued[page]
            self._fetch(page)

    def _next_page(self) -> int | None:
        ready = [
            p
            for p in reversed(self._queued)
            if p < self._index.page_count and self._index.bounds(p) is not None
        ]
        for page in ready:
            if page in self._priority:
                return page
        return ready[0] if ready else None

    def _fetch(self, page: int) -> None:
        bounds = self._index.bounds(page)
        assert bounds is not None
        start, end = bounds
        expected = self._index.page_rows(page)
        generation, text, status = self._generation, self._text, self._status
        workspace, page_size = self._workspace, self._page_size
        self._in_flight.add(page)
        self.pages_fetched += 1
        self._executor.submit(
            lambda: workspace.summaries_between(
                start, end, limit=page_size, text=text, status=status
            ),
            partial(self._on_page, generation, page, expected),
            partial(self._on_failure, generation, page),
        )

    def _on_page(
        self, generation: int, page: int, expected: int, rows: list[DocumentSummary]
    ) -> None:
        if not self._current(generation):
            return
        self._in_flight.discard(page)
        self._priority.discard(page)
        if len(rows) != expected and not self._tolerate_stale:
            # The page starts no longer match the database: a document was deleted, or its
            # status changed under a status filter. Find them again.
            if self._stale_reloads < MAX_STALE_RELOADS:
                log.info("document list out of date (page %d): reloading", page)
                self._stale_reloads += 1
                self._restart()
                return
            log.warning("document list keeps changing while read: showing it as it comes")
            self._tolerate_stale = True
        self._stale_reloads = 0
        rows = rows[:expected]
        if (page + 1) * self._page_size > self._rows:
            self._show_rows()  # a lookup can ask for a page before its rows are shown
        self._store(page, rows)
        if rows:
            first = page * self._page_size
            last = first + len(rows) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))
            self.rowsLoaded.emit(first, last)
        self._settle_waiters()
        self._pump()

    def _store(self, page: int, rows: list[DocumentSummary]) -> None:
        self._drop(page)
        self._pages[page] = rows
        first = page * self._page_size
        for offset, summary in enumerate(rows):
            self._row_of_id[summary.id] = first + offset
        while len(self._pages) > self._cache_pages:
            self._drop(next(iter(self._pages)))

    def _drop(self, page: int) -> None:
        for summary in self._pages.pop(page, ()):
            self._row_of_id.pop(summary.id, None)

    # -- lookups ------------------------------------------------------------------------------

    def summary_at(self, row: int) -> DocumentSummary | None:
        """The document at ``row`` if it is loaded (never reads the database)."""
        return self._peek(row) if 0 <= row < self._rows else None

    def document_id_at(self, row: int) -> int | None:
        summary = self.summary_at(row)
        return None if summary is None else summary.id

    def row_of(self, document_id: int) -> int | None:
        """The row of ``document_id`` if it is loaded (never reads the database)."""
        return self._row_of_id.get(document_id)

    def is_row_loaded(self, row: int) -> bool:
        return self.summary_at(row) is not None

    def find_row(self, document_id: int, callback: RowCallback) -> None:
        """Call ``callback(row)`` with the row of ``document_id``, or ``None`` when the list
        does not show it (filtered out, or no such document), reading its page if needed. Runs
        at once when the row is loaded, else later on the UI thread; dropped if the list is
        reset first."""
        row = self._row_of_id.get(document_id)
        if row is not None:
            callback(row)
            return
        self._id_waiters.append((document_id, callback))
        self._settle_waiters()

    def fetch_document_id(self, row: int, callback: RowCallback) -> None:
        """Call ``callback(document_id)`` for ``row`` (``None`` if there is no such row),
        reading its page if needed. Dropped if the list is reset first."""
        summary = self.summary_at(row)
        if summary is not None or not 0 <= row < self._rows:
            callback(None if summary is None else summary.id)
            return
        page = row // self._page_size
        self._row_waiters.setdefault(page, []).append((row, callback))
        self._want(page, priority=True)

    def _settle_waiters(self) -> None:
        answers: list[tuple[RowCallback, int | None]] = []
        waiting: list[tuple[int, RowCallback]] = []
        index = self._index
        for document_id, callback in self._id_waiters:
            row = self._row_of_id.get(document_id)
            if row is not None:
                answers.append((callback, row))
            elif not index.settled(document_id):
                waiting.append((document_id, callback))
            else:
                page = index.locate(document_id)
                if page is None or page in self._pages:
                    answers.append((callback, None))  # its page is loaded without it
                else:
                    waiting.append((document_id, callback))
                    self._want(page, priority=True)
        self._id_waiters = waiting
        for page in list(self._row_waiters):
            if page in self._pages or (page >= index.page_count and index.complete):
                for row, callback in self._row_waiters.pop(page):
                    answers.append((callback, self.document_id_at(row)))
        # Callbacks last: they may well call back into the model.
        for callback, value in answers:
            callback(value)

    # -- changes ------------------------------------------------------------------------------

    def refresh_documents(
        self, document_ids: Iterable[int], known: Iterable[DocumentSummary] = ()
    ) -> None:
        """Redraw the rows of documents whose status or spans changed, without a reset.
        ``known``: rows already known (worked out from the open document after an action),
        drawn at once instead of read again.

        Rows stay where they are even if they no longer match a status filter, so the list
        does not jump under the annotator; :meth:`reload` applies the filter afresh.
        """
        known = tuple(known)
        given = [summary for summary in known if summary.id in self._row_of_id]
        if given:
            self._on_refreshed(self._generation, given)
        done = {summary.id for summary in known}
        loaded = [i for i in set(document_ids) if i in self._row_of_id and i not in done]
        if not loaded:
            return  # the others are read fresh when they are next shown
        generation, workspace = self._generation, self._workspace
        self._executor.submit(
            lambda: workspace.summaries_of(loaded),
            partial(self._on_refreshed, generation),
            partial(self._on_failure, generation, None),
        )

    def _on_refreshed(self, generation: int, summaries: list[DocumentSummary]) -> None:
        if not self._current(generation):
            return
        for summary in summaries:
            row = self._row_of_id.get(summary.id)
            if row is None:
                continue  # evicted meanwhile
            self._pages[row // self._page_size][row % self._page_size] = summary
            self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ITEM_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if role not in _ROLES:
            return None  # most calls: fonts, colours, decorations we leave to the style
        column = index.column()
        if role == _ALIGNMENT:
            return (
                _CENTER if column == STATUS_COLUMN else _RIGHT if column == SPANS_COLUMN else None
            )
        row = index.row()
        if not 0 <= row < self._rows:
            return None
        summary = self._summary(row)
        if summary is None:
            if role == _DISPLAY:
                return PLACEHOLDER if column == TITLE_COLUMN else ""
            return "Loading" if role == _ACCESSIBLE else None
        if role == DocumentIdRole:
            return summary.id
        if role == StatusRole:
            return summary.status
        if column == TITLE_COLUMN:
            if role == _TOOLTIP:
                return plain_tooltip(summary.title)
            # A view draws DisplayRole as plain text, so markup in a title shows literally.
            return one_line(summary.title)
        if column == STATUS_COLUMN:
            if role == _DISPLAY:
                return STATUS_SYMBOLS[summary.status]
            return STATUS_LABELS[summary.status]
        if role == _DISPLAY:
            return summary.span_count
        spans = "span" if summary.span_count == 1 else "spans"
        return f"{summary.span_count} confirmed {spans}"

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        names = ("Status", "Title", "Spans")
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section == STATUS_COLUMN else names[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return "Confirmed spans" if section == SPANS_COLUMN else names[section]
        return None


class _DocumentTable(QTableView):
    """The table, with Enter opening the current row (Qt's own ``activated`` differs by
    platform: on some, Enter starts editing or a single click activates)."""

    rowActivated = Signal(int)

    #: Keys the list answers itself while it has focus, even where the window binds them
    #: (Enter accepts a suggestion in the article view).
    OWN_KEYS = frozenset(
        {
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        }
    )

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._own_key(event)
        ):
            event.accept()  # then it arrives as a key press, not as the window's shortcut
            return True
        return super().event(event)

    def _own_key(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return event.key() in self.OWN_KEYS and modifiers == Qt.KeyboardModifier.NoModifier

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._own_key(event):
            current = self.currentIndex()
            if current.isValid():
                self.rowActivated.emit(current.row())
                event.accept()
                return
        super().keyPressEvent(event)


class DocumentList(QWidget):
    """Filter box, status filter, the table and a count; emits :attr:`documentActivated`
    when the user opens a document (Enter or a click)."""

    documentActivated = Signal(int)

    STATUS_CHOICES: tuple[tuple[str, Status | None], ...] = (
        ("All", None),
        *((STATUS_LABELS[s], s) for s in Status),
    )

    def __init__(
        self,
        workspace: Workspace,
        executor: DbExecutor,
        parent: QWidget | None = None,
        *,
        page_size: int = PAGE_SIZE,
        cache_pages: int = CACHE_PAGES,
    ) -> None:
        super().__init__(parent)
        self._model = DocumentListModel(
            workspace, executor, self, page_size=page_size, cache_pages=cache_pages
        )
        self._current_id: int | None = None
        self._select_token = 0
        self._activate_token = 0

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by title or text")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter documents")
        self.filter_edit.installEventFilter(self)

        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName("Status filter")
        for label, status in self.STATUS_CHOICES:
            # The value, not the enum: Qt hands a str subclass back as a plain str.
            self.status_combo.addItem(label, None if status is None else status.value)

        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        self.view = _DocumentTable(self)
        self._setup_view()

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._apply_filter)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        self.view.rowActivated.connect(self._activate_row)
        self.view.clicked.connect(lambda index: self._activate_row(index.row()))
        self._model.countChanged.connect(self._show_count)
        self._model.loadFailed.connect(self._show_failure)
        self._model.modelReset.connect(self._reselect)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.status_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self._model.reload()

    def _setup_view(self) -> None:
        view = self.view
        view.setModel(self._model)
        view.setAccessibleName("Documents")
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setSortingEnabled(False)
        metrics = view.fontMetrics()
        rows = view.verticalHeader()
        rows.setVisible(False)
        # Fixed, equal row heights: Qt never measures a row, so a million cost nothing.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(1)
        rows.setDefaultSectionSize(metrics.height() + 6)
        columns = view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionsClickable(False)
        columns.setStretchLastSection(False)
        # No ResizeToContents anywhere: it would read every row.
        columns.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(SPANS_COLUMN, QHeaderView.ResizeMode.Fixed)
        columns.resizeSection(STATUS_COLUMN, metrics.horizontalAdvance("◐") + 16)
        columns.resizeSection(SPANS_COLUMN, metrics.horizontalAdvance("Spans") + 16)

    # -- public -------------------------------------------------------------------------------

    @property
    def model(self) -> DocumentListModel:
        return self._model

    @property
    def current_document_id(self) -> int | None:
        return self._current_id

    def reload(self) -> None:
        self._model.reload()

    def refresh_documents(
        self, document_ids: Iterable[int], known: Iterable[DocumentSummary] = ()
    ) -> None:
        self._model.refresh_documents(document_ids, known)

    def set_filter(self, text: str | None = None, status: Status | None = None) -> None:
        """Set both filters at once, as if typed and chosen (applied without delay)."""
        self.filter_edit.blockSignals(True)
        self.status_combo.blockSignals(True)
        try:
            self.filter_edit.setText(text or "")
            found = self.status_combo.findData(None if status is None else status.value)
            self.status_combo.setCurrentIndex(max(0, found))
        finally:
            self.filter_edit.blockSignals(False)
            self.status_combo.blockSignals(False)
        self._apply_filter()

    def select_document(self, document_id: int) -> None:
        """Highlight ``document_id`` (the one open in the window) and scroll to it, once its
        row is known; nothing is highlighted if the filter hides it. Never emits
        :attr:`documentActivated`."""
        self._current_id = document_id
        self._find(document_id, after_reset=False)

    # -- internals ----------------------------------------------------------------------------

    def _find(self, document_id: int, *, after_reset: bool) -> None:
        self._select_token += 1
        token = self._select_token
        self._model.find_row(document_id, lambda row: self._on_found(token, row, after_reset))

    def _on_found(self, token: int, row: int | None, after_reset: bool) -> None:
        if token != self._select_token or not shiboken6.isValid(self):
            return  # a newer selection, or the list is gone
        if after_reset and (
            self.view.currentIndex().isValid() or self.view.verticalScrollBar().value() > 0
        ):
            # A long filter scan found the open document only after the user started moving
            # around the new list: leave them where they are.
            return
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self._model.index(row, TITLE_COLUMN)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _reselect(self) -> None:
        if self._current_id is not None:
            self._find(self._current_id, after_reset=True)

    def _activate_row(self, row: int) -> None:
        self._activate_token += 1
        token = self._activate_token

        def emit(document_id: int | None) -> None:
            if document_id is not None and token == self._activate_token:
                self.documentActivated.emit(document_id)

        # A placeholder row is opened as soon as its page arrives.
        self._model.fetch_document_id(row, emit)

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        value = self.status_combo.currentData()
        self._model.set_filter(self.filter_edit.text(), Status(value) if value else None)

    def _show_count(self, count: int, final: bool) -> None:
        filtered = self._model.text_filter is not None or self._model.status_filter is not None
        if not final:
            text = f"Searching… {count:,} found so far" if filtered else "Counting…"
        elif count == 0:
            text = "No documents match" if filtered else "No documents"
        else:
            text = f"{count:,} document{'' if count == 1 else 's'}"
        self.count_label.setText(text)

    def _show_failure(self, message: str) -> None:
        self.count_label.setText(f"Could not read the list: {message}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.filter_edit or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == (
            Qt.KeyboardModifier.NoModifier
        )
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
        if event.type() == QEvent.Type.ShortcutOverride and plain and event.key() in keys:
            event.accept()  # the filter box's, not the window's (Enter accepts a suggestion)
            return True
        if event.type() == QEvent.Type.KeyPress and plain and event.key() == Qt.Key.Key_Down:
            # Down in the filter box goes to the list, so filter-then-pick needs no mouse.
            if self._filter_timer.isActive():
                self._apply_filter()
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.view.currentIndex().isValid() and self._model.rowCount() > 0:
                self.view.setCurrentIndex(self._model.index(0, TITLE_COLUMN))
            return True
        return super().eventFilter(watched, event)
