"""Which document each row of the document list is, without holding a million ids: the id of
the first row of every page (a sparse index, one id per page: 40 kB at 1M documents).

Without a filter and with no deleted documents the ids are consecutive, so the index is
arithmetic; otherwise a scan fills it in a page at a time (see
:mod:`annotator.ui.document_list_model`).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

from annotator.services.workspace import PageScan


class PageIndex:
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
