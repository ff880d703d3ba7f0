"""File > Import, File > Export and training the suggestion model: long work in the
background with a progress dialog, its result reported when it is done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox

from annotator.ui.context import WindowContext
from annotator.ui.dialogs import ExportDialog
from annotator.ui.plain import message_box, tooltip
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    # At run time imported where used: the import and export machinery (every reader and
    # writer) is not needed to show the window.
    from annotator.services.exporting import ExportSummary
    from annotator.services.importing import ImportSummary

TRAINING = "Training the model"


class Transfer:
    def __init__(
        self, ctx: WindowContext, model_label: QLabel, imported: Callable[[], None]
    ) -> None:
        self.ctx = ctx
        self.model_label = model_label
        #: Called after an import (the window reloads its list and opens a first document).
        self._imported_hook = imported

    def start(
        self,
        title: str,
        work: Callable[..., Any],
        on_success: Callable[[Any], None],
        *,
        show_progress: bool = True,
    ) -> BackgroundTask:
        return self.ctx.tasks.start_task(
            title, work, on_success, dialog_parent=self.ctx.widget, show_progress=show_progress
        )

    # -- import -----------------------------------------------------------------------------

    def import_files(self, paths: list[str] | None = None) -> BackgroundTask | None:
        ctx = self.ctx
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                ctx.widget,
                "Import articles",
                str(Path.home()),
                "Articles (*.txt *.jsonl *.ndjson *.json *.csv *.tsv);;All files (*)",
            )
        if not paths:
            return None
        chosen = list(paths)
        from annotator.services import importing

        return self.start(
            "Importing",
            lambda progress, cancel: importing.import_paths(
                ctx.db, chosen, annotator=ctx.annotator, progress=progress, cancel=cancel
            ),
            self._imported,
        )

    def _imported(self, summary: ImportSummary) -> None:
        self.ctx.suggestions.reload_gazetteer()
        self._imported_hook()
        text = (
            f"Imported {summary.imported} documents ({summary.entities} entities, "
            f"{summary.claims} claims); {summary.duplicates} already in the project; "
            f"{len(summary.errors)} rejected; {len(summary.warnings)} warnings."
        )
        if summary.cancelled:
            text = "Import cancelled; the batches already stored are kept. " + text
        if summary.conflicts:
            text += f" {len(summary.conflicts)} conflicts: the project's version was kept."
        details = [f"{p.severity}: {p.describe()}" for p in summary.problems]
        details += [f"conflict: {c.describe()}" for c in summary.conflicts]
        icon = QMessageBox.Icon.Warning if summary.errors else QMessageBox.Icon.Information
        box = message_box(self.ctx.widget, "Import", text, icon, "\n".join(details) or None)
        box.setObjectName("import-summary")
        box.open()

    # -- export -----------------------------------------------------------------------------

    def export_file(
        self, path: str | None = None, fmt: str = "annotator", **options: Any
    ) -> BackgroundTask | None:
        """File > Export: choose the format and options, then where; runs in the background.
        With ``path`` given (tests, scripts) the dialogs are skipped."""
        from annotator.export import splitting
        from annotator.services import exporting

        ctx = self.ctx
        if path is None:
            dialog = ExportDialog(dict(exporting.FORMATS), ctx.annotator, ctx.widget)
            dialog.setObjectName("export-dialog")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            fmt = dialog.chosen_format
            suffix = exporting.FORMATS[fmt][1]
            if dialog.writes_folder:
                path = QFileDialog.getExistingDirectory(
                    ctx.widget, "Export into folder", str(Path.home())
                )
            else:
                path, _ = QFileDialog.getSaveFileName(
                    ctx.widget, "Export", str(Path.home() / f"annotations{suffix}")
                )
            split_text = dialog.split.text().strip()
            options = {
                "annotator": ctx.annotator if dialog.mine.isChecked() else None,
                "only_done": dialog.only_done.isChecked(),
                "drop_ignored": dialog.drop_ignored.isChecked(),
                "gold": dialog.gold.isChecked(),
                "split": splitting.parse_split(split_text, seed=int(dialog.seed.text()))
                if split_text
                else None,
            }
        if not path:
            return None
        target = Path(path)
        return self.start(
            "Exporting",
            lambda progress, cancel: exporting.export(
                ctx.db, target, fmt=fmt, progress=progress, cancel=cancel, **options
            ),
            self._exported,
        )

    def _exported(self, summary: ExportSummary) -> None:
        text = (
            f"Exported {summary.documents} documents ({summary.entities} entities, "
            f"{summary.claims} claims) as {summary.format} to {summary.path}."
            f" Label schema version {summary.schema_version}."
        )
        if summary.skipped_not_done:
            text += f" {summary.skipped_not_done} documents not done were left out."
        if summary.skipped_conflicts:
            text += f" {summary.skipped_conflicts} with competing annotators were left out."
        if summary.from_gold:
            text += f" {summary.from_gold} went out as their adjudicated gold version."
        details = "\n".join(p.describe() for p in summary.problems) or None
        box = message_box(self.ctx.widget, "Export", text, QMessageBox.Icon.Information, details)
        box.setObjectName("export-summary")
        box.open()

    # -- the suggestion model ---------------------------------------------------------------

    def train_model(self, *, automatic: bool = False) -> BackgroundTask | None:
        """Train the project's model in background processes; the window stays usable."""
        if self.ctx.tasks.running(TRAINING):
            return None
        from annotator.services.training import TrainingService

        ctx = self.ctx
        training = TrainingService(ctx.db)

        def done(result: object) -> None:
            ctx.suggestions.invalidate()
            document_id = ctx.current_document_id()
            if document_id is not None:
                ctx.suggestions.refresh([document_id])
            self.refresh_model_status()
            ctx.status(f"Trained: {result.summary()}", 15000)  # type: ignore[attr-defined]

        task = self.start(
            TRAINING,
            lambda progress, cancel: training.train(progress=progress, cancel=cancel),
            done,
            show_progress=not automatic,
        )
        task.progressed.connect(
            lambda _done, _total, message: self.model_label.setText(f"Model: {message}")
        )
        return task

    def refresh_model_status(self, *, retrain_if_due: bool = False) -> None:
        """The model's held-out scores in the status bar; retrain when enough new work is done.
        The training service (and the model's modules, about 0.1 s of CPU) is imported on the
        database worker, on first use: not with the window, nor on the window's thread right
        after the first document shows (benchmarks/bench_start.py)."""
        db = self.ctx.db

        def read() -> tuple[dict[str, Any], list[str]]:
            from annotator.services.training import TrainingService, describe_status

            status = TrainingService(db).status()
            return status, describe_status(status)

        def show(found: tuple[dict[str, Any], list[str]]) -> None:
            status, description = found
            if status.get("trained"):
                entities = status.get("entities") or {}
                f1 = entities.get("f1")
                shown = f"{f1:.2f}" if isinstance(f1, float) else "?"
                self.model_label.setText(
                    f"Model: F1 {shown} on {status.get('trained_documents', 0)} documents"
                )
            else:
                self.model_label.setText("Model: not trained")
            self.model_label.setToolTip(tooltip("\n".join(description)))
            if retrain_if_due and status.get("due"):
                self.train_model(automatic=True)

        self.ctx.executor.submit(read, show)
