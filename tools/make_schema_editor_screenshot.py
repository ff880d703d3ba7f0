"""Make docs/schema-editor.png: Project > Labels… on the demo project, the default news labels
with GPE selected. Run under a display, e.g.:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/make_schema_editor_screenshot.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.services.project import seed_demo  # noqa: E402
from annotator.storage.database import Database  # noqa: E402


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "config")
    db = Database.open(folder / "demo.sqlite")
    seed_demo(db)
    app = QApplication(sys.argv)
    from annotator.ui.main_window import MainWindow

    window = MainWindow(db, "demo")
    window.resize(1400, 860)
    window.show()
    out = ROOT / "docs" / "schema-editor.png"

    def open_labels() -> None:
        if window.view is None:  # the first document is still loading
            QTimer.singleShot(500, open_labels)
            return
        window.edit_labels()  # Project > Labels…
        QTimer.singleShot(500, shoot)

    def shoot() -> None:
        dialog = window.findChild(QDialog, "schema-editor")
        if dialog is None:  # the schema is read on the database worker first
            QTimer.singleShot(500, shoot)
            return
        dialog.resize(900, 700)
        dialog.table.selectRow(2)  # type: ignore[attr-defined]  # GPE
        app.processEvents()
        dialog.grab().save(str(out))
        print(f"wrote {out}")
        dialog.reject()
        window.close()
        app.quit()

    QTimer.singleShot(1000, open_labels)
    app.exec()


if __name__ == "__main__":
    main()
