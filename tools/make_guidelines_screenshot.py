"""Make docs/guidelines.png: the window with the project's guidelines open in their panel
(View > Guidelines, F2). Run under a display, e.g.:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/make_guidelines_screenshot.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.guidelines import set_guidelines  # noqa: E402
from annotator.services.annotate import AnnotationService  # noqa: E402
from annotator.services.project import seed_demo  # noqa: E402
from annotator.storage.database import Database  # noqa: E402

GUIDELINES = """# Annotation guidelines

Read the whole article once before labelling. Offsets never include the
surrounding spaces or quotes.

## Entities

| Label | Tag | Do not tag |
|---|---|---|
| PERSON | *Mayor Petra Novak* (title included) | pronouns |
| ORG | ministries, broadcasters, agencies | generic "the company" |
| QUANTITY | **figure + what it counts**: *27 bridges* | bare numbers |

## Claims

1. Mark a claim when a **checkable** statement is attributed to someone.
2. Link the claimant (`L`) and the cue word, e.g. *reported* (`U`).
3. Tick **hedged** for *allegedly*, *reportedly*, *may have*.

Raw HTML such as <b>this</b> is shown as text, and images like
![logo](https://example.org/logo.png) are never loaded.

Questions? See the [style guide](https://example.org/style-guide).
"""


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "config")
    db = Database.open(folder / "demo.sqlite")
    seed_demo(db)
    AnnotationService(db).execute(set_guidelines(GUIDELINES, "lead"))
    app = QApplication(sys.argv)
    from annotator.ui.main_window import MainWindow

    window = MainWindow(db, "demo")
    window.resize(1400, 860)
    window.show()
    window.guidelines.show()
    inspector = window.findChild(QDockWidget, "inspector-dock")
    window.resizeDocks([inspector, window.guidelines], [230, 600], Qt.Orientation.Vertical)
    window.resizeDocks([window.guidelines], [470], Qt.Orientation.Horizontal)
    out = ROOT / "docs" / "guidelines.png"

    def shoot() -> None:
        if window.view is None:  # the first document is still loading
            QTimer.singleShot(500, shoot)
            return
        window.grab().save(str(out))
        print(f"wrote {out}")
        app.quit()

    QTimer.singleShot(2000, shoot)
    app.exec()


if __name__ == "__main__":
    main()
