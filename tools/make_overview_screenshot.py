"""Make docs/overview.png: View > Overview on a demo project with a few days of work by three
annotators, some adjudication and three wire copies found as near-duplicates (seeded, so the
picture is the same each run apart from the dates). Run under a display, e.g.:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/make_overview_screenshot.py
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.model import (  # noqa: E402
    CLAIM_TYPES,
    GOLD_ANNOTATOR,
    ClaimDetails,
    Decision,
    DocumentState,
    Layer,
    Span,
    Status,
    SuggestionDecision,
)
from annotator.services.near_duplicates import find_new  # noqa: E402
from annotator.storage.database import Database  # noqa: E402
from annotator.storage.orm import DocumentStatusRow  # noqa: E402

PLACES = ["Parma", "Tallinn", "Lyon", "Gdańsk", "Porto", "Graz", "Aarhus", "Split"]
PEOPLE = ["Zoë Ferrante", "Mikk Tamm", "Ana Sousa", "Jan Nowak", "Lea Huber", "Ole Berg"]
ORGS = ["Civil Protection Agency", "Harbour Authority", "Ministry of Transport", "Red Cross"]
TEMPLATE = (
    "Floods close roads near {place}\n"
    "Officials say repairs could take weeks.\n"
    "{person} of the {org} said 27 bridges had been damaged in {place} within 3 days. "
    "The {org} reported that 1,200 people were moved to shelters, allegedly ahead of schedule.\n"
    "{local}\n"
)
LABELS = {"person": "PERSON", "org": "ORG", "place": "GPE", "27 bridges": "QUANTITY"}
#: What each article tells of its own town, so that the articles are not near-duplicates of
#: one another (only the planted wire copies are).
WHO = ["Residents", "Shop owners", "Volunteers", "Farmers", "Engineers", "Teachers", "Nurses"]
DID = [
    "cleared mud from",
    "sandbagged",
    "inspected",
    "photographed",
    "queued outside",
    "reopened",
    "patrolled",
    "mapped",
    "pumped water out of",
    "delivered food to",
]
WHERE = [
    "the old market",
    "a primary school",
    "the rail depot",
    "the riverside park",
    "two clinics",
    "the ferry terminal",
    "a sports hall",
    "the cathedral square",
    "the northern suburbs",
    "a care home",
]
WHEN = ["on Tuesday morning", "late into the night", "before dawn", "over the weekend", "by noon"]
#: Articles that a wire service sent out again under another headline.
COPIED = (3, 17, 41)


def build(db: Database, now: datetime) -> None:
    rng = random.Random(8)
    texts = []
    for i in range(60):
        local = " ".join(
            f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHERE)} {rng.choice(WHEN)}."
            for _ in range(6)
        )
        text = TEMPLATE.format(
            place=PLACES[i % len(PLACES)],
            person=PEOPLE[i % len(PEOPLE)],
            org=ORGS[i % len(ORGS)],
            local=local,
        )
        texts.append(text.replace("weeks", f"{i + 2} weeks"))
    for i in COPIED:
        headline, rest = texts[i].split("\n", 1)
        texts.append(f"WIRE: {headline}\n{rest}Distributed by the Harbour Wire.\n")
    with db.write() as store:
        ids = list(
            store.insert_documents(
                [
                    {
                        "title": t.splitlines()[0],
                        "text": t,
                        "sha256": hashlib.sha256(t.encode()).hexdigest(),
                        "external_id": f"demo-{i}",
                    }
                    for i, t in enumerate(texts)
                ]
            ).values()
        )
        plan = {"maria": (0, 34), "tomas": (10, 40), "li": (30, 52)}
        speed = {"maria": 240, "tomas": 420, "li": 300}
        for who, (first, last) in plan.items():
            for n, doc in enumerate(ids[first:last]):
                text = store.document(doc).text
                when = now - timedelta(hours=rng.uniform(1, 6 * 24))
                when = when.replace(hour=rng.choice([8, 9, 10, 11, 13, 14, 15, 16]))
                if when > now - timedelta(hours=1):  # a working hour of today still to come
                    when -= timedelta(days=1)
                for piece, label in _pieces(text):
                    start = text.index(piece)
                    if rng.random() < 0.12:
                        continue  # missed one
                    store.add_span(
                        Span(
                            None,
                            doc,
                            Layer.ENTITY,
                            start,
                            start + len(piece),
                            label,
                            who,
                            created_at=when + timedelta(minutes=rng.uniform(0, 8)),
                        )
                    )
                    suggester = "gazetteer" if label in ("ORG", "GPE") else "rules"
                    decision = Decision.ACCEPTED if rng.random() < 0.8 else Decision.REJECTED
                    store.set_decision(
                        SuggestionDecision(
                            doc,
                            who,
                            Layer.ENTITY,
                            start,
                            start + len(piece),
                            label,
                            decision,
                            suggester,
                        )
                    )
                claim = re.search(r"1,200 people[^.]*", text)
                if claim:
                    store.add_span(
                        Span(
                            None,
                            doc,
                            Layer.CLAIM,
                            claim.start(),
                            claim.end(),
                            "CLAIM",
                            who,
                            claim=ClaimDetails(claim_type=rng.choice(CLAIM_TYPES[:3])),
                            created_at=when + timedelta(minutes=9),
                        )
                    )
                late = n >= (last - first) - 3
                status = Status.IN_PROGRESS if late else Status.DONE
                if rng.random() < 0.06:
                    status = Status.SKIPPED
                seconds = max(40.0, rng.gauss(speed[who], speed[who] / 3))
                store.set_state(DocumentState(doc, who, status, seconds))
                _stamp(store, doc, who, when + timedelta(minutes=10))
        for doc in ids[10:22]:
            text = store.document(doc).text
            for piece, label in _pieces(text):
                start = text.index(piece)
                store.add_span(
                    Span(None, doc, Layer.ENTITY, start, start + len(piece), label, GOLD_ANNOTATOR)
                )
            store.set_state(DocumentState(doc, GOLD_ANNOTATOR, Status.DONE, 0.0))
            _stamp(store, doc, GOLD_ANNOTATOR, now - timedelta(hours=3))


def _pieces(text: str) -> list[tuple[str, str]]:
    found = []
    for person in PEOPLE:
        if person in text:
            found.append((person, "PERSON"))
    for org in ORGS:
        if org in text:
            found.append((org, "ORG"))
    for place in PLACES:
        if place in text:
            found.append((place, "GPE"))
    found.append(("27 bridges", "QUANTITY"))
    found.append(("3 days", "DATE"))
    return found


def _stamp(store, doc: int, who: str, when: datetime) -> None:
    store.session.execute(
        update(DocumentStatusRow)
        .where(
            DocumentStatusRow.document_id == doc,
            DocumentStatusRow.annotator_id == store.annotator_id(who),
        )
        .values(updated_at=when)
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "config")
    db = Database.open(folder / "demo.sqlite")
    build(db, datetime.now(UTC))
    find_new(db)  # as an import does
    app = QApplication(sys.argv)
    from annotator.ui.executor import DbExecutor
    from annotator.ui.overview import OverviewWindow

    executor = DbExecutor()
    window = OverviewWindow(db, executor)
    window.resize(1400, 880)
    window.show()
    out = ROOT / "docs" / "overview.png"

    def shoot() -> None:
        window.grab().save(str(out))
        print(f"wrote {out}")
        if os.environ.get("OVERVIEW_BOTTOM"):  # to look at the charts further down
            bar = window.scroll.verticalScrollBar()
            bar.setValue(bar.maximum())
            app.processEvents()
            window.grab().save(os.environ["OVERVIEW_BOTTOM"])
        executor.shutdown()
        app.quit()

    QTimer.singleShot(2500, shoot)
    app.exec()


if __name__ == "__main__":
    main()
