"""Merging laptops' project files carries each annotator's decisions on suggestions (accepted
and rejected) and the documents handed to them: a suggestion decided on a laptop is not
proposed again in the merged project, a second merge changes nothing, and where the two
projects disagree the conflict is settled as span conflicts are and reported."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.errors import StorageError
from annotator.core.model import Decision, Span
from annotator.services.annotate import AnnotationService
from annotator.services.merging import MergeSummary, merge_project, open_other
from annotator.services.workspace import Workspace
from annotator.storage import assignments
from annotator.storage.database import Database
from tests.builders import at, insert_documents, suggestion, titled, turn_off_live_suggesters
from tests.services.test_import_onto import _snapshot

STRIKES = "Strikes\nThe Valmoran Ministry of Defence said 33 air strikes hit Kharkiv on Monday.\n"
FLOODS = "Floods\nRescuers in Odesa found 12 survivors after the storm, the mayor said.\n"
SUGGESTED = {
    STRIKES: [("Valmoran Ministry of Defence", "ORG"), ("33 air strikes", "QUANTITY")],
    FLOODS: [("Odesa", "GPE"), ("12 survivors", "QUANTITY")],
}


@pytest.fixture
def lead_path(tmp_path: Path) -> Path:
    """The lead's project: two articles with stored suggestions, nobody's work yet."""
    path = tmp_path / "lead" / "project.sqlite"
    db = Database.open(path)
    try:
        with db.write() as store:
            insert_documents(store, [titled(STRIKES, "Strikes"), titled(FLOODS, "Floods")])
    finally:
        db.close()
    _suggest(path)
    return path


def _suggest(path: Path) -> None:
    """The suggestions each article gets (stored, as the suggesters would store them)."""
    db = Database.open(path)
    try:
        with db.write() as store:
            turn_off_live_suggesters(store)
            texts = {store.document(i).text: i for i in store.document_ids()}
            store.add_suggestions(
                [
                    suggestion(texts[text], *at(text, piece), label)
                    for text, pieces in SUGGESTED.items()
                    for piece, label in pieces
                    if text in texts
                ]
            )
    finally:
        db.close()


@pytest.fixture
def lead(lead_path: Path) -> Iterator[Database]:
    db = Database.open(lead_path)
    yield db
    db.close()


def _laptop(lead_path: Path, name: str) -> Path:
    """A copy of the lead's project file, as handed out on a USB stick."""
    path = lead_path.parent.parent / name / "project.sqlite"
    path.parent.mkdir()
    shutil.copy(lead_path, path)
    return path


class Person:
    """Works in a project as the window would: one command per action."""

    def __init__(self, db: Database, name: str) -> None:
        self.db, self.name = db, name
        self.workspace = Workspace(db, name)
        self.service = AnnotationService(db)

    def pending(self, text: str) -> list[tuple[str, str]]:
        view = self.workspace.load(self._doc(text))
        return [(text[s.start : s.end], s.label) for s in view.suggestions]

    def _doc(self, text: str) -> int:
        with self.db.read() as store:
            return next(i for i in store.document_ids() if store.document(i).text == text)

    def _suggestion(self, text: str, piece: str):  # type: ignore[no-untyped-def]
        view = self.workspace.load(self._doc(text))
        return view, next(s for s in view.suggestions if text[s.start : s.end] == piece)

    def reject(self, text: str, piece: str) -> None:
        _view, found = self._suggestion(text, piece)
        self.service.execute(self.workspace.reject(found))

    def accept(self, text: str, piece: str) -> Span:
        view, found = self._suggestion(text, piece)
        self.service.execute(self.workspace.accept(view, found))
        return self.span(text, piece)

    def span(self, text: str, piece: str) -> Span:
        view = self.workspace.load(self._doc(text))
        return next(s for s in view.spans if text[s.start : s.end] == piece)

    def delete(self, span: Span) -> None:
        self.service.execute(self.workspace.delete(span))

    def relabel(self, span: Span, label: str) -> None:
        self.service.execute(self.workspace.relabel(span, label))

    def label(self, text: str, piece: str, label: str) -> None:
        doc = self._doc(text)
        view = self.workspace.load(doc)
        self.service.execute(self.workspace.add_entity(view, *at(text, piece), label))


def _work_on(path: Path, name: str, *actions: str) -> None:
    db = Database.open(path)
    try:
        person = Person(db, name)
        for action in actions:
            _ACTIONS[action](person)
    finally:
        db.close()


def _reject_strikes(p: Person) -> None:
    p.reject(STRIKES, "33 air strikes")


def _accept_then_delete_odesa(p: Person) -> None:
    p.delete(p.accept(FLOODS, "Odesa"))


def _accept_then_relabel_ministry(p: Person) -> None:
    p.relabel(p.accept(STRIKES, "Valmoran Ministry of Defence"), "GPE")


def _label_kharkiv(p: Person) -> None:
    p.label(STRIKES, "Kharkiv", "GPE")


def _label_monday(p: Person) -> None:
    p.label(STRIKES, "Monday", "DATE")


_ACTIONS = {
    "reject strikes": _reject_strikes,
    "accept then delete Odesa": _accept_then_delete_odesa,
    "accept then relabel ministry": _accept_then_relabel_ministry,
    "label Kharkiv": _label_kharkiv,
    "label Monday": _label_monday,
}


def _merge(lead: Database, path: Path, **options: object) -> MergeSummary:
    other = open_other(path)
    try:
        return merge_project(lead, other, **options)  # type: ignore[arg-type]
    finally:
        other.close()


def _decisions(db: Database, name: str) -> set[tuple[str, str, Decision]]:
    with db.read() as store:
        return {
            (store.document(doc).text[d.start : d.end], d.label, d.decision)
            for doc in store.document_ids()
            for d in store.decisions(doc, name)
        }


def test_decisions_of_two_laptops_keep_their_suggestions_away_after_the_merge(
    lead_path: Path, lead: Database
) -> None:
    ana = _laptop(lead_path, "ana")
    bob = _laptop(lead_path, "bob")
    _work_on(ana, "ana", "reject strikes", "accept then delete Odesa")
    _work_on(bob, "bob", "accept then relabel ministry")
    # On the laptops the decided suggestions are gone for good.
    laptop = Database.open(ana)
    try:
        assert ("33 air strikes", "QUANTITY") not in Person(laptop, "ana").pending(STRIKES)
        assert Person(laptop, "ana").pending(FLOODS) == [("12 survivors", "QUANTITY")]
    finally:
        laptop.close()

    first, second = _merge(lead, ana), _merge(lead, bob)
    # The lead's project proposes them to neither annotator again.
    assert Person(lead, "ana").pending(STRIKES) == [("Valmoran Ministry of Defence", "ORG")]
    assert Person(lead, "ana").pending(FLOODS) == [("12 survivors", "QUANTITY")]
    assert Person(lead, "bob").pending(STRIKES) == [("33 air strikes", "QUANTITY")]
    assert _decisions(lead, "ana") == {
        ("33 air strikes", "QUANTITY", Decision.REJECTED),
        ("Odesa", "GPE", Decision.ACCEPTED),
    }
    assert _decisions(lead, "bob") == {("Valmoran Ministry of Defence", "ORG", Decision.ACCEPTED)}
    assert "Decisions on suggestions: 2 added, 0 already here, 0 conflicting" in first.lines()
    assert "Decisions on suggestions: 1 added, 0 already here, 0 conflicting" in second.lines()

    # Merging the same files again changes nothing and says so.
    before = _snapshot(lead)
    again = [_merge(lead, path) for path in (ana, bob)]
    assert _snapshot(lead) == before
    assert "Decisions on suggestions: 0 added, 2 already here, 0 conflicting" in again[0].lines()
    assert "Decisions on suggestions: 0 added, 1 already here, 0 conflicting" in again[1].lines()


def test_the_same_suggestion_accepted_here_and_rejected_there_is_a_conflict(
    lead_path: Path, lead: Database
) -> None:
    ana = _laptop(lead_path, "ana")
    _work_on(ana, "ana", "reject strikes")
    # In the lead's project ana accepted the same suggestion and deleted the span again: no
    # spans on either side, so the versions agree and only the decisions differ.
    person = Person(lead, "ana")
    person.delete(person.accept(STRIKES, "33 air strikes"))

    kept = _merge(lead, ana)
    assert _decisions(lead, "ana") == {("33 air strikes", "QUANTITY", Decision.ACCEPTED)}
    assert "Decisions on suggestions: 0 added, 0 already here, 1 conflicting" in kept.lines()
    conflicts = [line for line in kept.lines() if line.startswith("Conflict: document ")]
    assert [line.split(": ", 2)[2] for line in conflicts] == [
        "ana accepted the entity suggestion QUANTITY “33 air strikes” (46–60) here and "
        "rejected it there; kept this project's"
    ]

    taken = _merge(lead, ana, replace_conflicts=True)
    assert _decisions(lead, "ana") == {("33 air strikes", "QUANTITY", Decision.REJECTED)}
    assert any(
        line.startswith("Conflict: document ") and line.endswith("took the other project's")
        for line in taken.lines()
    )
    # Settled: a further merge finds them equal.
    assert "Decisions on suggestions: 0 added, 1 already here, 0 conflicting" in (
        _merge(lead, ana, replace_conflicts=True).lines()
    )


def test_decisions_stay_with_the_version_of_the_spans_that_is_kept(
    lead_path: Path, lead: Database
) -> None:
    ana = _laptop(lead_path, "ana")
    _work_on(ana, "ana", "label Monday", "reject strikes")
    # Here ana labelled something else on the same document and accepted the ministry.
    person = Person(lead, "ana")
    person.label(STRIKES, "Kharkiv", "GPE")
    person.accept(STRIKES, "Valmoran Ministry of Defence")

    kept = _merge(lead, ana)
    assert [c.annotator for c in kept.documents.conflicts] == ["ana"]
    # Ana's laptop version was not taken: neither is its rejection.
    assert _decisions(lead, "ana") == {("Valmoran Ministry of Defence", "ORG", Decision.ACCEPTED)}
    assert (
        "Decisions on suggestions: 0 added, 0 already here, 0 conflicting, "
        "1 left out with a conflicting version"
    ) in kept.lines()

    # Taking the laptop's version takes its decisions and drops this project's.
    taken = _merge(lead, ana, replace_conflicts=True)
    assert _decisions(lead, "ana") == {("33 air strikes", "QUANTITY", Decision.REJECTED)}
    assert (
        "Decisions on suggestions: 1 added, 0 already here, 0 conflicting, "
        "1 dropped with a replaced version"
    ) in taken.lines()
    with lead.read() as store:
        (doc,) = [i for i in store.document_ids() if store.document(i).text == STRIKES]
        assert [STRIKES[s.start : s.end] for s in store.spans(doc, "ana")] == ["Monday"]
    assert Person(lead, "ana").pending(STRIKES) == [("Valmoran Ministry of Defence", "ORG")]


def test_assignments_come_with_the_merge_once(lead_path: Path, lead: Database) -> None:
    """A laptop project where K is set and "next document" handed documents out: the lead's
    project learns who has which document, and the documents' counters count them once."""
    laptop_path = _laptop(lead_path, "ana")
    laptop = Database.open(laptop_path)
    try:
        with laptop.write() as store:
            assignments.set_per_document(store, 2)
            assert len(assignments.take_documents(store, "ana", 2)) == 2
            assert len(assignments.take_documents(store, "cy", 1)) == 1
    finally:
        laptop.close()

    first = _merge(lead, laptop_path)
    assert "Assignments: 3 added, 0 already here" in first.lines()
    with lead.read() as store:
        ids = store.document_ids()
        assert assignments.assigned_documents(store, "ana") == ids
        assert assignments.assigned_documents(store, "cy") == ids[:1]
        assert assignments.assignees(store, ids) == {ids[0]: 2, ids[1]: 1}
        # K is the lead's own setting (none here): a merge does not change it.
        assert assignments.per_document(store) == 0

    again = _merge(lead, laptop_path)
    assert "Assignments: 0 added, 3 already here" in again.lines()
    with lead.read() as store:
        assert assignments.assignees(store, ids) == {ids[0]: 2, ids[1]: 1}


def test_a_share_back_from_the_laptop_brings_its_decisions(lead: Database, tmp_path: Path) -> None:
    """The hand-out round trip: a starter project written for ana, her rejections on it,
    merged back."""
    from annotator.services.handout import write_share

    with lead.write() as store:
        assignments.add_annotator(store, "ana")
    share = write_share(lead, "ana", tmp_path / "ana-share.sqlite", take=2)
    assert share.documents == 2
    _suggest(share.path)
    _work_on(share.path, "ana", "reject strikes", "accept then delete Odesa")
    back = _merge(lead, share.path)
    assert "Assignments: 0 added, 2 already here" in back.lines()
    assert "Decisions on suggestions: 2 added, 0 already here, 0 conflicting" in back.lines()
    assert Person(lead, "ana").pending(FLOODS) == [("12 survivors", "QUANTITY")]
    assert ("33 air strikes", "QUANTITY") not in Person(lead, "ana").pending(STRIKES)


def test_onto_either_backend_twice(backend_db: Database, tmp_path: Path) -> None:
    """The lead's project on SQLite or on a PostgreSQL server: the laptop's decisions and
    assignments arrive, and the second merge changes nothing there either."""
    with backend_db.write() as store:
        insert_documents(store, [titled(STRIKES, "Strikes"), titled(FLOODS, "Floods")])
    laptop = tmp_path / "ana" / "project.sqlite"
    laptop.parent.mkdir()
    db = Database.open(laptop)
    try:
        with db.write() as store:
            insert_documents(store, [titled(STRIKES, "Strikes"), titled(FLOODS, "Floods")])
            assignments.set_per_document(store, 1)
            assignments.take_documents(store, "ana", 2)
    finally:
        db.close()
    _suggest(laptop)
    _work_on(laptop, "ana", "reject strikes", "accept then delete Odesa")

    first = _merge(backend_db, laptop)
    assert "Decisions on suggestions: 2 added, 0 already here, 0 conflicting" in first.lines()
    assert "Assignments: 2 added, 0 already here" in first.lines()
    assert _decisions(backend_db, "ana") == {
        ("33 air strikes", "QUANTITY", Decision.REJECTED),
        ("Odesa", "GPE", Decision.ACCEPTED),
    }
    before = _snapshot(backend_db)
    again = _merge(backend_db, laptop)
    assert _snapshot(backend_db) == before
    assert "Assignments: 0 added, 2 already here" in again.lines()
    with backend_db.read() as store:
        ids = store.document_ids()
        assert assignments.assigned_documents(store, "ana") == ids
        assert assignments.assignees(store, ids) == {ids[0]: 1, ids[1]: 1}


# -- a batch commits whole ------------------------------------------------------------------


def _refuse_decisions(db: Database, document_id: int | None = None) -> None:
    """Make the database itself refuse new decisions (of one document, or of all): a trigger
    that raises, so the failure is the database's own, as a full disk or a constraint would
    be, in the middle of the merge's transaction."""
    only = "" if document_id is None else f" WHEN (NEW.document_id = {document_id})"
    if db.engine.dialect.name == "sqlite":
        statements = [
            f"CREATE TRIGGER refuse_decisions BEFORE INSERT ON decisions FOR EACH ROW{only} "
            "BEGIN SELECT RAISE(ABORT, 'decisions refused'); END"
        ]
    else:
        statements = [
            "CREATE FUNCTION refuse_decisions() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'decisions refused'; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER refuse_decisions BEFORE INSERT ON decisions FOR EACH ROW{only} "
            "EXECUTE FUNCTION refuse_decisions()",
        ]
    with db.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def _allow_decisions(db: Database) -> None:
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER refuse_decisions")
        else:
            conn.exec_driver_sql("DROP TRIGGER refuse_decisions ON decisions")


def _laptop_with_work(tmp_path: Path) -> Path:
    """Ana's laptop: a span and a rejection on the strikes, an accepted (then deleted)
    suggestion on the floods."""
    laptop = tmp_path / "ana" / "project.sqlite"
    laptop.parent.mkdir()
    db = Database.open(laptop)
    try:
        with db.write() as store:
            insert_documents(store, [titled(STRIKES, "Strikes"), titled(FLOODS, "Floods")])
    finally:
        db.close()
    _suggest(laptop)
    _work_on(laptop, "ana", "label Kharkiv", "reject strikes", "accept then delete Odesa")
    return laptop


def _document_of(db: Database, text: str) -> int:
    with db.read() as store:
        return next(i for i in store.document_ids() if store.document(i).text == text)


def test_decisions_refused_roll_the_batch_spans_back(backend_db: Database, tmp_path: Path) -> None:
    """A batch's spans and its decisions are one transaction: when the database refuses the
    decisions, the spans of the same batch are not left behind without them (a crash between
    the two would leave suggestions already decided on proposed again)."""
    with backend_db.write() as store:
        insert_documents(store, [titled(STRIKES, "Strikes"), titled(FLOODS, "Floods")])
    laptop = _laptop_with_work(tmp_path)
    before = _snapshot(backend_db)
    _refuse_decisions(backend_db)

    with pytest.raises(StorageError, match="decisions refused"):
        _merge(backend_db, laptop)
    assert _snapshot(backend_db) == before  # no span, status or decision of the batch

    # Once the database takes decisions again, the same merge brings everything, whole.
    _allow_decisions(backend_db)
    summary = _merge(backend_db, laptop)
    assert "Decisions on suggestions: 2 added, 0 already here, 0 conflicting" in summary.lines()
    assert _decisions(backend_db, "ana") == {
        ("33 air strikes", "QUANTITY", Decision.REJECTED),
        ("Odesa", "GPE", Decision.ACCEPTED),
    }
    assert [(STRIKES[s.start : s.end], s.label) for s in _spans(backend_db, STRIKES)] == [
        ("Kharkiv", "GPE")
    ]


def test_a_document_whose_decisions_are_refused_comes_whole_or_not_at_all(
    backend_db: Database, tmp_path: Path
) -> None:
    """The database refuses the decisions of one document only: the batch is stored document
    by document, the other comes with its decisions, the refused one with none of its work,
    and the report names it."""
    with backend_db.write() as store:
        insert_documents(store, [titled(STRIKES, "Strikes"), titled(FLOODS, "Floods")])
    laptop = _laptop_with_work(tmp_path)
    _refuse_decisions(backend_db, _document_of(backend_db, STRIKES))

    summary = _merge(backend_db, laptop)
    assert _decisions(backend_db, "ana") == {("Odesa", "GPE", Decision.ACCEPTED)}
    assert _spans(backend_db, STRIKES) == []  # Kharkiv went back with its refused decision
    assert "Decisions on suggestions: 1 added, 0 already here, 0 conflicting" in summary.lines()
    refused = [line for line in summary.lines() if line.startswith("Not merged:")]
    assert len(refused) == 1 and "decisions refused" in refused[0]


def _spans(db: Database, text: str) -> list[Span]:
    doc = _document_of(db, text)
    with db.read() as store:
        return sorted(store.spans_by_documents([doc]).get(doc, []), key=lambda s: s.start)
