"""Review > Agreement…: the project's inter-annotator agreement, computed in the background.

Overall figures and a per-label table at the top, every counted document below, hardest
(lowest agreement) first; Enter or a double-click on a document opens it in the main window.
The figures are those of ``annotator agreement`` (:mod:`annotator.services.agreement`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport, SpanF1, figure
from annotator.services.agreement import AgreementOptions, compute_agreement
from annotator.ui.plain import label
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from annotator.services.project import OpenProject

DOCUMENT_COLUMNS = (
    "Id",
    "Agreement",
    "Entity F1 exact",
    "Entity F1 overlap",
    "Claim F1 overlap",
    "Token κ",
    "Type α",
    "Hedged α",
    "Claimant",
    "Annotators",
    "Title",
)
LABEL_COLUMNS = ("Layer", "Label", "F1 exact", "F1 overlap", "Token κ", "Spans")


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _item(text: str, *, number: bool = False) -> QTableWidgetItem:
    # QTableWidgetItem shows its text as plain text (never as markup).
    item = QTableWidgetItem(text)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _fill(table: QTableWidget, rows: list[list[str]], numeric: set[int]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, _item(text, number=c in numeric))


def _f1(value: SpanF1) -> str:
    return f"{figure(value.exact)} / {figure(value.overlap)}"


class AgreementView(QDialog):
    """Non-modal: the lead keeps it open while going through the hard documents."""

    documentChosen = Signal(int)

    def __init__(self, db: OpenProject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreement-view")
        self.setWindowTitle("Agreement")
        self.setModal(False)
        self.resize(1000, 650)
        self.db = db
        self.report: AgreementReport | None = None
        self.task: BackgroundTask | None = None

        self.unfinished = QCheckBox("Include documents in &progress")
        self.annotators = QLineEdit()
        self.annotators.setPlaceholderText("annotators, comma-separated (empty: all but gold)")
        self.compute_button = QPushButton("&Compute")
        # Enter in the document table opens a document; it must never press a button too.
        self.compute_button.setAutoDefault(False)
        self.compute_button.clicked.connect(self.compute)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        options = QHBoxLayout()
        options.addWidget(self.unfinished)
        options.addWidget(self.annotators, 1)
        options.addWidget(self.compute_button)
        options.addWidget(close)

        self.overall = _table(("Figure", "Value"), "agreement-overall")
        self.labels = _table(LABEL_COLUMNS, "agreement-labels")
        self.documents = _table(DOCUMENT_COLUMNS, "agreement-documents")
        self.documents.activated.connect(self._activated)  # Enter and double-click
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.overall)
        top.addWidget(self.labels)
        top.setSizes([380, 620])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.documents)
        split.setSizes([260, 390])

        self.status = label("")
        self.status.setObjectName("agreement-status")
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    # -- computing ------------------------------------------------------------------------

    def options(self) -> AgreementOptions:
        names = tuple(
            dict.fromkeys(n.strip() for n in self.annotators.text().split(",") if n.strip())
        )
        return AgreementOptions(
            annotators=names or None, include_unfinished=self.unfinished.isChecked()
        )

    def compute(self) -> None:
        """Compute in the background; a second request while one runs is ignored."""
        if self.task is not None:
            return
        options = self.options()
        if options.annotators is not None and len(options.annotators) < 2:
            self.status.setText("Name at least two annotators, or none for everyone.")
            return
        db = self.db
        task = BackgroundTask(
            "Computing agreement",
            lambda progress, cancel: compute_agreement(
                db, options, progress=progress, cancel=cancel
            ),
            self,
        )
        task.progressed.connect(self._progressed)
        task.succeeded.connect(self.show_report)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self.task = task
        self.compute_button.setEnabled(False)
        self.status.setText("Computing agreement…")
        task.start()

    def _progressed(self, done: int, total: int, _message: str) -> None:
        self.status.setText(f"Computing agreement: {done} of {total} documents")

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Agreement could not be computed: {error}")

    def _finished(self) -> None:
        self.task = None
        self.compute_button.setEnabled(True)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel a running computation and wait for its thread (the application is quitting:
        no thread may still read the database then)."""
        task = self.task
        if task is not None:
            task.cancel()
            task.join(timeout)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.task is not None:
            self.task.cancel()
        super().closeEvent(event)

    # -- showing --------------------------------------------------------------------------

    def show_report(self, report: AgreementReport) -> None:
        self.report = report
        o = report.overall
        overall = [
            ["Documents", str(o.documents)],
            ["Annotators", ", ".join(o.annotators) or "-"],
            ["Annotator pairs", str(o.pairs)],
            ["Entity span F1 (exact / overlap)", _f1(o.entities)],
            ["Claim span F1 (exact / overlap)", _f1(o.claims)],
            ["Token κ (entity IOB2)", figure(o.kappa)],
            ["Claim units", str(o.claim_units)],
            ["Claim type α", figure(o.claim_type_alpha)],
            ["Hedged α", figure(o.hedged_alpha)],
            ["Claimant agreement", figure(o.claimant)],
        ]
        _fill(self.overall, overall, {1})
        _fill(
            self.labels,
            [
                [
                    row.layer,
                    row.label,
                    figure(row.exact_f1),
                    figure(row.overlap_f1),
                    figure(row.kappa),
                    str(row.spans),
                ]
                for row in report.labels
            ],
            {2, 3, 4, 5},
        )
        rows = [
            [
                str(row.document_id),
                figure(row.agreement),
                figure(row.entities.exact),
                figure(row.entities.overlap),
                figure(row.claims.overlap),
                figure(row.kappa),
                figure(row.claim_type_alpha),
                figure(row.hedged_alpha),
                figure(row.claimant),
                ", ".join(row.annotators),
                " ".join(row.title.split()),
            ]
            for row in report.documents
        ]
        _fill(self.documents, rows, {0, 1, 2, 3, 4, 5, 6, 7, 8})
        for r, row in enumerate(report.documents):
            self.documents.item(r, 0).setData(Qt.ItemDataRole.UserRole, row.document_id)
        if o.documents == 0:
            self.status.setText(
                "No document has been finished by two or more annotators yet: nothing to "
                "compare (try including documents in progress)."
            )
        else:
            self.status.setText(
                f"{o.documents} documents, hardest first. Enter or double-click opens one."
            )
            self.documents.setCurrentCell(0, 0)
            self.documents.setFocus()

    def _activated(self, index) -> None:  # type: ignore[no-untyped-def]
        item = self.documents.item(index.row(), 0)
        if item is not None:
            self.documentChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))


def open_agreement(
    window: QWidget,
    db: OpenProject,
    open_document: Callable[[int], None],
    back_to_window: Callable[[], None] | None = None,
) -> AgreementView:
    """Show the window's agreement view (one per window, reused) and compute afresh. A chosen
    document opens through ``open_document``; then ``back_to_window`` hands the keys back to
    the article (the view stays open, to go on to the next hard document)."""
    view = window.findChild(AgreementView, "agreement-view")
    if view is None:
        view = AgreementView(db, window)

        def chosen(document_id: int) -> None:
            open_document(document_id)
            if back_to_window is not None:
                back_to_window()

        view.documentChosen.connect(chosen)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(view.stop)
        if back_to_window is not None:
            view.finished.connect(lambda _result: back_to_window())
    view.show()
    view.raise_()
    view.activateWindow()
    view.compute()
    return view
