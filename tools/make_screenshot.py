"""Make docs/screenshot.png: the real window on a demo project with suggestions and a claim
linked to its claimant. Run under a display, e.g.:

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tools/make_screenshot.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.model import ClaimDetails, Layer, Span, Suggestion  # noqa: E402
from annotator.services.project import seed_demo  # noqa: E402
from annotator.storage.database import Database  # noqa: E402


def at(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def prepare(db: Database) -> int:
    seed_demo(db)
    with db.write() as store:
        doc_id = next(
            i
            for i in store.document_ids()
            if "river-floods" in (store.document(i).external_id or "")
        )
        text = store.document(doc_id).text
        agency = store.add_span(
            Span(
                None,
                doc_id,
                Layer.ENTITY,
                *at(text, "Regional Agency for Civil Protection"),
                "ORG",
                "demo",
            )
        )
        said = text.index("reported", agency.end)
        claim_start = said + len("reported that ")
        claim_end = text.index(".", claim_start)
        store.add_span(
            Span(
                None,
                doc_id,
                Layer.CLAIM,
                claim_start,
                claim_end,
                "CLAIM",
                "demo",
                claim=ClaimDetails(agency.id, (said, said + len("reported")), "quantity"),
            )
        )
        store.add_span(
            Span(None, doc_id, Layer.ENTITY, *at(text, "27 bridges"), "QUANTITY", "demo")
        )
        suggestions = []
        for piece, label in (("Parma", "GPE"), ("Zoë Ferrante", "PERSON"), ("3 days", "DATE")):
            if piece in text:
                suggestions.append(
                    Suggestion(
                        None,
                        doc_id,
                        Layer.ENTITY,
                        *at(text, piece),
                        label,
                        "rules",
                        0.8,
                        "pattern match",
                    )
                )
        store.add_suggestions(suggestions)
    return doc_id


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "config")
    db = Database.open(folder / "demo.sqlite")
    doc_id = prepare(db)
    app = QApplication(sys.argv)
    from annotator.ui.main_window import MainWindow

    window = MainWindow(db, "demo")
    window.resize(1400, 860)
    window.show()
    out = ROOT / "docs" / "screenshot.png"

    def shoot() -> None:
        window.grab().save(str(out))
        print(f"wrote {out}")
        app.quit()

    def focus_claim() -> None:
        claims = [s for s in window.view.spans if s.layer is Layer.CLAIM]  # type: ignore[union-attr]
        if claims:
            window.article.focus_item(claims[0])
        QTimer.singleShot(800, shoot)

    QTimer.singleShot(1500, lambda: window.open_document(doc_id, focus_claim))
    app.exec()


if __name__ == "__main__":
    main()
