"""Make docs/adjudication.png and docs/agreement.png: Review > Adjudicate document and Review >
Agreement on the seeded demo project of tools/make_overview_screenshot.py (three annotators, some
documents done by two of them and not adjudicated yet), as its reviewer. Run under a display:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/make_team_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from make_overview_screenshot import build  # noqa: E402

from annotator.storage import assignments  # noqa: E402
from annotator.storage.database import Database  # noqa: E402


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "config")
    db = Database.open(folder / "demo.sqlite")
    build(db, datetime.now(UTC))
    with db.write() as store:
        store.set_setting(
            "suggesters", {name: {"enabled": False} for name in ("gazetteer", "rules", "claims")}
        )
        assignments.set_reviewer(store, "maria", True)
        first = store.document_ids()[24]  # done by maria and tomas, not adjudicated
    app = QApplication(sys.argv)
    from annotator.ui.adjudication import open_adjudication
    from annotator.ui.agreement_view import open_agreement
    from annotator.ui.main_window import MainWindow

    window = MainWindow(db, "maria")
    window.resize(1400, 880)
    window.show()

    def adjudicate() -> None:
        window.open_document(first, then=lambda: open_adjudication(window.context))
        QTimer.singleShot(2500, shoot_adjudication)

    def shoot_adjudication() -> None:
        dialog = window.findChild(QDialog, "adjudication-dialog")
        dialog.resize(1200, 760)
        app.processEvents()
        out = ROOT / "docs" / "adjudication.png"
        dialog.grab().save(str(out))
        print(f"wrote {out}")
        dialog.reject()
        view = open_agreement(window, db, window.open_document)
        view.resize(1100, 760)
        QTimer.singleShot(1000, lambda: shoot_agreement(view))

    def shoot_agreement(view: object) -> None:
        # The first run tokenizes the documents (spaCy): on a busy machine it takes a while,
        # so wait for the report rather than for a fixed time.
        if view.task is not None or view.report is None:  # type: ignore[attr-defined]
            QTimer.singleShot(1000, lambda: shoot_agreement(view))
            return
        app.processEvents()
        out = ROOT / "docs" / "agreement.png"
        view.grab().save(str(out))  # type: ignore[attr-defined]
        print(f"wrote {out}")
        window.close()
        app.quit()

    QTimer.singleShot(2000, adjudicate)
    app.exec()


if __name__ == "__main__":
    main()
