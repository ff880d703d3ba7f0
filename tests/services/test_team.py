"""The team service and the workspace's view of it: roles and who may change them, undo of
team changes, whose work a workspace shows, and "next document" with K set."""

from __future__ import annotations

import pytest

from annotator.core.errors import InputError
from annotator.core.model import DocumentState, Layer, Span, Status, Suggestion
from annotator.services.annotate import AnnotationService
from annotator.services.team import (
    AddAnnotator,
    NotAllowedError,
    SetPerDocument,
    SetReviewer,
    TeamService,
)
from annotator.services.workspace import Workspace
from annotator.storage import assignments
from annotator.storage.database import Database
from tests.builders import add_documents

TEXTS = [
    f"Harbour report {i}\nDock workers in Valmora extended their strike on day {i}.\n"
    for i in range(4)
]


@pytest.fixture
def project(backend_db: Database) -> Database:
    add_documents(backend_db, TEXTS)
    return backend_db


def ids(db: Database) -> list[int]:
    with db.read() as store:
        return store.document_ids()


def test_first_person_reviews_and_only_reviewers_manage(project: Database) -> None:
    team = TeamService(project)
    assert team.join("alice") is True
    assert team.join("bob") is False
    state = team.state("bob")
    assert [(m.name, m.is_reviewer) for m in state.members] == [("alice", True), ("bob", False)]
    assert not state.can_manage and team.state("alice").can_manage
    with pytest.raises(NotAllowedError, match="only a reviewer"):
        team.apply(SetPerDocument(2, actor="bob"))
    with pytest.raises(NotAllowedError):
        team.apply(SetReviewer("bob", True, actor="bob"))
    team.apply(SetReviewer("bob", True, actor="alice"))
    team.apply(SetReviewer("alice", False, actor="bob"))
    team.apply(SetReviewer("bob", False, actor="bob"))  # the last reviewer steps down
    # Nobody reviews now: anyone may change roles again.
    assert team.state("alice").can_manage
    team.apply(AddAnnotator("carol", reviewer=True, actor="alice"))
    assert [m.name for m in team.members() if m.is_reviewer] == ["carol"]
    with pytest.raises(InputError, match="reserved"):
        team.apply(AddAnnotator("gold"))
    with pytest.raises(InputError, match="reserved"):
        team.join("GOLD")


def test_team_changes_undo_like_any_action(project: Database) -> None:
    team = TeamService(project)
    team.join("alice")
    service = AnnotationService(project)
    service.execute(SetPerDocument(3, actor="alice"))
    service.execute(AddAnnotator("bob", actor="alice"))
    service.execute(SetReviewer("bob", True, actor="alice"))
    assert service.history.undo_name == "Make bob reviewer"
    service.undo()
    assert not team.is_reviewer("bob")
    service.undo()
    assert [m.name for m in team.members()] == ["alice"]
    service.undo()
    assert team.per_document() == 0
    service.redo()
    assert team.per_document() == 3


def test_viewing_others_is_for_reviewers_only(project: Database) -> None:
    d1, *_ = ids(project)
    team = TeamService(project)
    team.join("alice")
    with project.write() as store:
        store.add_span(Span(None, d1, Layer.ENTITY, 0, 7, "ORG", "bob"))
        store.add_span(Span(None, d1, Layer.ENTITY, 15, 21, "QUANTITY", "carol"))
        store.add_suggestions(
            [Suggestion(None, d1, Layer.ENTITY, 44, 51, "GPE", "rules", 0.9, "place")]
        )
        store.set_state(DocumentState(d1, "bob", Status.DONE))
    team.check_may_view("alice", "bob")
    team.check_may_view("alice", None)
    team.check_may_view("bob", "bob")
    with pytest.raises(NotAllowedError, match="only reviewers"):
        team.check_may_view("bob", "carol")
    with pytest.raises(NotAllowedError, match="no annotator named"):
        team.check_may_view("alice", "zed")

    workspace = Workspace(project, "alice")
    assert workspace.editable
    mine = workspace.load(d1)
    assert mine.spans == () and [s.label for s in mine.suggestions] == ["GPE"]
    workspace.showing = "bob"
    assert not workspace.editable
    bobs = workspace.load(d1)
    assert [(s.annotator, s.label) for s in bobs.spans] == [("bob", "ORG")]
    assert [s.label for s in bobs.suggestions] == ["GPE"]  # what bob has left to decide
    assert workspace.summaries_of([d1])[0].status is Status.DONE  # the list follows bob
    workspace.showing = None
    everyone = workspace.load(d1)
    assert [s.annotator for s in everyone.spans] == ["bob", "carol"]
    assert everyone.suggestions == ()
    assert workspace.summaries_of([d1])[0].status is Status.NEW  # alice's own list

    # An annotator's own workspace never shows anyone else's work.
    bob = Workspace(project, "bob")
    assert [s.annotator for s in bob.load(d1).spans] == ["bob"]
    assert bob.summaries_of([d1])[0].span_count == 1


def test_workspace_next_document_uses_assignment_when_k_is_set(project: Database) -> None:
    d1, d2, d3, d4 = ids(project)
    team = TeamService(project)
    alice, bob = Workspace(project, "alice"), Workspace(project, "bob")
    # K unset: today's behaviour, nothing recorded.
    assert alice.first_document() == d1
    assert alice.take_next(d1) == d2
    with project.read() as store:
        assert assignments.assigned_documents(store, "alice") == []
    team.apply(SetPerDocument(1))
    assert alice.first_document() == d1  # takes d1's only slot
    assert bob.next_unfinished(0) == d2  # a peek takes nothing...
    assert bob.next_unfinished(0) == d2
    assert bob.first_document() == d2  # ... and then bob takes it
    assert alice.take_next(d1) == d1  # not done yet: still hers
    service = AnnotationService(project)
    service.execute(alice.set_status(alice.load(d1), Status.DONE, 5.0))
    assert alice.take_next(d1) == d3
    # Bob marks a document done by hand (d4, never handed to him): recorded when he moves on.
    service.execute(bob.set_status(bob.load(d4), Status.DONE, 5.0))
    assert bob.take_next(d4) == d2  # his open assignment
    assert team.take_next("carol", 0) is None  # every slot is taken
    with project.read() as store:
        assert assignments.assigned_documents(store, "bob") == [d2, d4]
        assert assignments.assignees(store, [d1, d2, d3, d4]) == {d1: 1, d2: 1, d3: 1, d4: 1}
