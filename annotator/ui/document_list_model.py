"""The rows of the document list: every document's status, title and number of confirmed spans,
filtered by text and status, and smooth at a million documents.

How it stays smooth (docs/ARCHITECTURE.md, "Large projects"):

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
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from annotator.core.model import DocumentSummary, Status
from annotator.services.workspace import PageScan, Workspace
from annotator.ui.document_pages import PageIndex
from annotator.ui.executor import DbExecutor

log = logging.getLogger(__name__)


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

PLACEHOLDER = "…"
#: Before the title of a near-duplicate copy of another document.
COPY_MARK = "≈ "
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
    ``<img src=…>`` would otherwise render and load files."""
    return f"<p>{html.escape(text)}</p>"


def one_line(text: str) -> str:
    return " ".join(text.splitlines())


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
        #: Near-duplicate copies left out of the list (View > Hide near-duplicate copies).
        self._hide_copies = False
        self._generation = 0
        self._index = PageIndex(page_size)
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
    def hides_copies(self) -> bool:
        return self._hide_copies

    def set_hide_copies(self, hide: bool) -> None:
        """Leave near-duplicate copies out of the list (their originals stay), or show them."""
        if hide == self._hide_copies:
            return
        self._hide_copies = hide
        self.reload()

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
        self._index = PageIndex(self._page_size)
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
        if self._text is None and self._status is None and not self._hide_copies:
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
        hide_copies = self._hide_copies
        self._executor.submit(
            lambda: workspace.scan_page_starts(
                scan,
                page_size=page_size,
                text=text,
                status=status,
                max_seconds=SCAN_SLICE_SECONDS,
                hide_copies=hide_copies,
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
        if self._text is not None or self._status is not None or self._hide_copies:
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
        hide_copies = self._hide_copies
        workspace, page_size = self._workspace, self._page_size
        self._in_flight.add(page)
        self.pages_fetched += 1
        self._executor.submit(
            lambda: workspace.summaries_between(
                start, end, limit=page_size, text=text, status=status, hide_copies=hide_copies
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
            page = self._pages[row // self._page_size]
            before = page[row % self._page_size]
            if summary.copy_of is None and before.copy_of is not None:
                # A row worked out from the open document does not know its group; being a
                # copy does not change with an action.
                summary = replace(summary, copy_of=before.copy_of)
            page[row % self._page_size] = summary
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
                if summary.copy_of is not None:
                    return plain_tooltip(
                        f"{summary.title}\n(near-duplicate copy of document #{summary.copy_of})"
                    )
                return plain_tooltip(summary.title)
            # A view draws DisplayRole as plain text, so markup in a title shows literally.
            if summary.copy_of is not None:
                return COPY_MARK + one_line(summary.title)
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
