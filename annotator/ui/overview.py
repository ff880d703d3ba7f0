"""View > Overview: where the work stands, as charts (the figures of ``annotator stats``).

The figures are computed on the window's database worker (never on the UI thread) each time
the overview is shown and on Refresh; a result that arrives after a newer request was made is
dropped, so a slow computation cannot overwrite a fresher one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import GOLD_ANNOTATOR
from annotator.services.overview import DEFAULT_DAYS, Overview, chart_tables, compute_overview
from annotator.ui.charts import ChartPanel
from annotator.ui.executor import DbExecutor
from annotator.ui.plain import label

if TYPE_CHECKING:
    from annotator.services.project import OpenProject

EVERYONE = "Everyone"
COLUMNS = 2


class OverviewWindow(QWidget):
    def __init__(
        self, db: OpenProject, executor: DbExecutor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("overview-window")
        self.setWindowTitle("Overview — Annotator")
        self.setAccessibleName("Project overview")
        self.db = db
        self.executor = executor
        self.overview: Overview | None = None
        self.panels: dict[str, ChartPanel] = {}
        self._generation = 0

        self.who = QComboBox(self)
        self.who.setObjectName("overview-annotator")
        self.who.setAccessibleName("Figures of")
        self.who.addItem(EVERYONE, None)
        self.days = QSpinBox(self)
        self.days.setObjectName("overview-days")
        self.days.setAccessibleName("Throughput window in days")
        self.days.setRange(1, 3650)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(" days")
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setObjectName("overview-refresh")
        self.refresh_button.setShortcut(QKeySequence("F5"))
        self.state = label("", self)
        self.state.setObjectName("overview-state")

        controls = QHBoxLayout()
        controls.addWidget(label("Figures of:", self))
        controls.addWidget(self.who)
        controls.addWidget(label("Throughput:", self))
        controls.addWidget(self.days)
        controls.addWidget(self.refresh_button)
        controls.addWidget(self.state, 1)

        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.grid_host)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the charts

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.scroll, 1)

        self.refresh_button.clicked.connect(lambda _checked=False: self.refresh())
        self.who.activated.connect(lambda _index: self.refresh())
        self.days.editingFinished.connect(self.refresh)
        QShortcut(QKeySequence("Escape"), self, self.close)
        self.resize(1180, 820)

    # -- computing --------------------------------------------------------------------------

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Recompute every figure in the background; ``then`` runs once they are shown."""
        self._generation += 1
        generation = self._generation
        annotator = self.who.currentData()
        days = self.days.value()
        db = self.db
        self.state.setText("Computing…")

        def work() -> tuple[Overview, list[str]]:
            overview = compute_overview(db, annotator, days=days)
            with db.read() as store:
                names = store.annotators()
            return overview, names

        def done(result: tuple[Overview, list[str]]) -> None:
            if generation != self._generation:
                return  # a newer refresh is on its way
            self.show_overview(*result)
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.state.setText(f"Could not compute the figures: {error}")

        self.executor.submit(work, done, failed)

    def show_overview(self, overview: Overview, annotators: list[str]) -> None:
        self.overview = overview
        self._fill_annotators(annotators)
        tables = chart_tables(overview)
        if [t.key for t in tables] != list(self.panels):
            self._rebuild()
        row = column = 0
        for table in tables:
            panel = self.panels.get(table.key)
            if panel is not None:
                panel.set_table(table)
                continue
            panel = ChartPanel(table, self.grid_host)
            self.panels[table.key] = panel
            if table.kind == "timeseries":  # hours along time need the whole width
                if column:
                    row, column = row + 1, 0
                self.grid.addWidget(panel, row, 0, 1, COLUMNS)
                row += 1
                continue
            self.grid.addWidget(panel, row, column)
            column += 1
            if column == COLUMNS:
                row, column = row + 1, 0
        stamp = datetime.now().strftime("%H:%M:%S")
        who = overview.annotator or "all annotators"
        near = overview.near_duplicates
        copies = (
            f" ({near.groups} groups of near-duplicates: {near.documents} documents, "
            f"{near.copies} of them copies)"
            if near.groups
            else ""
        )
        self.state.setText(
            f"{overview.documents} documents{copies}, figures of {who}; updated {stamp}"
        )

    def _rebuild(self) -> None:
        for panel in self.panels.values():
            self.grid.removeWidget(panel)
            panel.deleteLater()
        self.panels = {}

    def _fill_annotators(self, names: list[str]) -> None:
        current = self.who.currentData()
        wanted = [None, *(n for n in names if n != GOLD_ANNOTATOR)]
        if GOLD_ANNOTATOR in names:
            wanted.append(GOLD_ANNOTATOR)
        if [self.who.itemData(i) for i in range(self.who.count())] == wanted:
            return
        self.who.clear()
        for name in wanted:
            text = EVERYONE if name is None else name
            if name == GOLD_ANNOTATOR:
                text = "gold (adjudicated layer)"
            self.who.addItem(text, name)
        index = self.who.findData(current)
        self.who.setCurrentIndex(max(index, 0))

    # -- showing ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # figures move while people work: fresh ones every time it is shown

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        back = getattr(self.parent(), "back_to_article", None)
        if callable(back):
            back()


def show_overview(window: QWidget, db: OpenProject, executor: DbExecutor) -> OverviewWindow:
    """Open (or bring forward) the overview of ``window``'s project."""
    overview = window.findChild(OverviewWindow)
    if overview is None:
        overview = OverviewWindow(db, executor, window)
    if overview.isVisible():
        overview.refresh()
    overview.show()
    overview.raise_()
    overview.activateWindow()
    return overview
