"""The workspace's rules without a window: what an annotator may add, change and see, checked
against a real SQLite database through the same service the window calls from its worker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator.core.errors import ConflictError
from annotator.core.model import GOLD_ANNOTATOR, Decision, Layer, Status
from annotator.core.tokens import tokenize
from annotator.services.annotate import AnnotationService, ReadOnlyError
from annotator.services.workspace import (
    DocumentView,
    OverlapError,
    Workspace,
    in_walk_order,
    nearest_entity,
    next_pending,
)
from annotator.storage.database import Database
from tests.builders import (
    add_documents,
    at,
    entity,
    project,
    store_spans,
    suggestion,
    turn_off_live_suggesters,
)

TEXT = "Mayor Petra Novak said 300 homes had lost power in Valmora, Petra Novak added.\n"
OTHER = "Ferry resumes\nThe ferry company said services would resume on Monday.\n"


@pytest.fixture
def doc_id(db: Database) -> int:
    with db.write() as store:
        turn_off_live_suggesters(store)
    return add_documents(db, [TEXT, OTHER])[0]


def setup(db: Database, annotator: str = "ana") -> tuple[Workspace, AnnotationService]:
    """A workspace and the service that runs its commands, wired as the window wires them."""
    workspace = Workspace(db, annotator)
    return workspace, AnnotationService(db, may_edit=workspace.check_editable)


def open_document(
    db: Database, doc_id: int, annotator: str = "ana"
) -> tuple[Workspace, AnnotationService, DocumentView]:
    workspace, service = setup(db, annotator)
    return workspace, service, workspace.load(doc_id)


def with_person(db: Database, doc_id: int) -> tuple[Workspace, AnnotationService, DocumentView]:
    """The document opened with "Petra Novak" confirmed as PERSON."""
    workspace, service, view = open_document(db, doc_id)
    service.execute(workspace.add_entity(view, *at(TEXT, "Petra Novak"), "PERSON"))
    return workspace, service, workspace.reload_spans(view)


def labelled(view: DocumentView) -> list[tuple[str, str, str]]:
    text = view.document.text
    return sorted((s.layer.value, s.label, text[s.start : s.end]) for s in view.spans)


# -- overlap ----------------------------------------------------------------------------------


def test_an_overlapping_entity_is_refused_naming_the_one_it_overlaps(
    db: Database, doc_id: int
) -> None:
    workspace, service, view = with_person(db, doc_id)
    for piece in ("Novak", "Mayor Petra", "Petra Novak", "Mayor Petra Novak said"):
        with pytest.raises(OverlapError, match="overlaps PERSON 'Petra Novak'"):
            workspace.add_entity(view, *at(TEXT, piece), "ORG", allow_overlap=False)
    assert labelled(workspace.reload_spans(view)) == [("entity", "PERSON", "Petra Novak")]
    assert service.history.undo_name == "Add PERSON"


def test_touching_entities_claims_and_schemas_that_allow_overlap_are_not_refused(
    db: Database, doc_id: int
) -> None:
    workspace, service, view = with_person(db, doc_id)
    service.execute(workspace.add_claim(view, *at(TEXT, "300 homes had lost power")))
    view = workspace.reload_spans(view)
    # "Mayor " ends where "Petra" starts: touching is not overlapping.
    touching = at(TEXT, "Mayor ")
    assert touching[1] == at(TEXT, "Petra")[0]
    service.execute(workspace.add_entity(view, *touching, "TITLE", allow_overlap=False))
    # A claim is another layer: an entity inside it is not an overlap.
    service.execute(workspace.add_entity(view, *at(TEXT, "300 homes"), "QTY", allow_overlap=False))
    # The default (a schema allowing overlaps) accepts a nested entity.
    service.execute(workspace.add_entity(view, *at(TEXT, "Novak"), "SURNAME"))
    assert labelled(workspace.reload_spans(view)) == [
        ("claim", "CLAIM", "300 homes had lost power"),
        ("entity", "PERSON", "Petra Novak"),
        ("entity", "QTY", "300 homes"),
        ("entity", "SURNAME", "Novak"),
        ("entity", "TITLE", "Mayor "),
    ]


# -- relabel, resize, delete --------------------------------------------------------------------


def test_relabel_keeps_the_span_and_undo_brings_the_label_back(db: Database, doc_id: int) -> None:
    workspace, service, view = open_document(db, doc_id)
    added = service.execute(workspace.add_entity(view, *at(TEXT, "Valmora"), "ORG")).spans[0]
    view = workspace.reload_spans(view)
    span = view.span(added.id)  # type: ignore[arg-type]
    assert span is not None
    service.execute(workspace.relabel(span, "GPE"))
    after = workspace.reload_spans(view)
    assert [(s.id, s.label) for s in after.spans] == [(added.id, "GPE")]
    assert service.history.undo_name == "Relabel as GPE"
    service.undo()
    assert [(s.id, s.label) for s in workspace.reload_spans(view).spans] == [(added.id, "ORG")]


def test_a_relabel_of_a_span_someone_changed_meanwhile_is_refused(
    db: Database, doc_id: int
) -> None:
    workspace, service, view = open_document(db, doc_id)
    service.execute(workspace.add_entity(view, *at(TEXT, "Valmora"), "ORG"))
    seen = workspace.reload_spans(view).spans[0]
    # Another client relabels the same span after our view read it.
    other_ws, other_service = setup(db, "bob")
    other_service.execute(other_ws.relabel(seen, "LOC"))
    with pytest.raises(ConflictError):
        service.execute(workspace.relabel(seen, "GPE"))
    assert [s.label for s in workspace.reload_spans(view).spans] == ["LOC"]
    assert service.history.undo_name == "Add ORG"  # the refused step is not in the history
    with pytest.raises(ConflictError):
        service.execute(workspace.delete(seen))
    assert len(workspace.reload_spans(view).spans) == 1


def test_resize_and_delete_are_undoable(db: Database, doc_id: int) -> None:
    workspace, service, view = open_document(db, doc_id)
    service.execute(workspace.add_entity(view, *at(TEXT, "Petra"), "PERSON"))
    span = workspace.reload_spans(view).spans[0]
    service.execute(workspace.resize(span, *at(TEXT, "Petra Novak")))
    assert labelled(workspace.reload_spans(view)) == [("entity", "PERSON", "Petra Novak")]
    service.execute(workspace.delete(workspace.reload_spans(view).spans[0]))
    assert workspace.reload_spans(view).spans == ()
    assert service.history.undo_name == "Delete PERSON"
    service.undo()
    service.undo()
    assert labelled(workspace.reload_spans(view)) == [("entity", "PERSON", "Petra")]


def test_claim_fields_are_set_one_undoable_step_each(db: Database, doc_id: int) -> None:
    workspace, service, view = open_document(db, doc_id)
    person = service.execute(workspace.add_entity(view, *at(TEXT, "Petra Novak"), "PERSON"))
    service.execute(workspace.add_claim(view, *at(TEXT, "300 homes had lost power")))
    claim = next(s for s in workspace.reload_spans(view).spans if s.layer is Layer.CLAIM)
    step = workspace.set_claim(claim, claimant_id=person.spans[0].id, hedged=True)
    assert step.name == "Set claim claimant id, hedged"
    service.execute(step)
    stored = next(s for s in workspace.reload_spans(view).spans if s.layer is Layer.CLAIM)
    assert stored.claim is not None
    assert (stored.claim.claimant_id, stored.claim.hedged) == (person.spans[0].id, True)
    service.undo()
    stored = next(s for s in workspace.reload_spans(view).spans if s.layer is Layer.CLAIM)
    assert stored.claim is not None and stored.claim.claimant_id is None
    assert not stored.claim.hedged


# -- whose work: read-only and the gold layer ---------------------------------------------------


def test_someone_elses_work_and_everyones_are_read_only(db: Database, doc_id: int) -> None:
    project(db, [], ["carol", "ana"])  # carol joined first: the reviewer
    workspace, service = setup(db, "carol")
    view = workspace.load(doc_id)
    service.execute(workspace.add_entity(view, *at(TEXT, "Valmora"), "GPE"))
    for shown, whose in (("ana", "ana's work"), (None, "everyone's work")):
        workspace.showing = shown
        assert not workspace.editable
        with pytest.raises(ReadOnlyError, match=f"looking at {whose}"):
            service.execute(workspace.add_entity(view, *at(TEXT, "Mayor"), "TITLE"))
        with pytest.raises(ReadOnlyError):
            service.undo()
    workspace.showing = "carol"
    assert [s.label for s in workspace.reload_spans(view).spans] == ["GPE"]
    assert service.history.undo_name == "Add GPE"
    service.undo()
    assert workspace.reload_spans(view).spans == ()


def test_project_actions_pass_while_the_work_shown_is_read_only(db: Database, doc_id: int) -> None:
    workspace, service = setup(db)
    workspace.showing = "bob"
    view = workspace.load(doc_id)
    # edits_work=False: the command is not an edit of the annotations on screen.
    service.execute(workspace.add_entity(view, *at(TEXT, "Mayor"), "TITLE"), edits_work=False)
    assert service.history.undo_name == "Add TITLE"


def test_edits_of_the_gold_layer_are_stored_as_gold(db: Database, doc_id: int) -> None:
    workspace, service = setup(db, "carol")
    workspace.showing = GOLD_ANNOTATOR
    assert workspace.editable and workspace.acting == GOLD_ANNOTATOR
    view = workspace.load(doc_id)
    service.execute(workspace.started(view, workspace.add_entity(view, *at(TEXT, "Mayor"), "T")))
    with db.read() as store:
        assert [s.annotator for s in store.spans(doc_id)] == [GOLD_ANNOTATOR]
        assert store.get_state(doc_id, GOLD_ANNOTATOR).status is Status.IN_PROGRESS
        assert store.get_state(doc_id, "carol").status is Status.NEW


def test_everyones_work_shows_no_pending_suggestions(db: Database, doc_id: int) -> None:
    with db.write() as store:
        store.add_suggestions([suggestion(doc_id, *at(TEXT, "Valmora"), "GPE")])
    workspace, _ = setup(db)
    assert len(workspace.load(doc_id).suggestions) == 1
    workspace.showing = None
    assert workspace.load(doc_id).suggestions == ()


# -- the first action starts the document ---------------------------------------------------------


def test_opening_does_not_start_a_document_the_first_action_does_and_undo_resets_it(
    db: Database, doc_id: int
) -> None:
    workspace, service, view = open_document(db, doc_id)
    assert view.state.status is Status.NEW
    first = workspace.started(view, workspace.add_entity(view, *at(TEXT, "Mayor"), "TITLE"))
    assert first.name == "Add TITLE"
    service.execute(first)
    view = workspace.reload_spans(view)
    assert view.state.status is Status.IN_PROGRESS
    # Once in progress, an action is itself only: nothing is wrapped around it.
    second = workspace.add_entity(view, *at(TEXT, "Valmora"), "GPE")
    assert workspace.started(view, second) is second
    service.undo()
    view = workspace.reload_spans(view)
    assert view.state.status is Status.NEW and view.spans == ()


def test_time_spent_grows_without_changing_the_status(db: Database, doc_id: int) -> None:
    workspace, _ = setup(db)
    workspace.add_time(doc_id, 12.5)
    workspace.add_time(doc_id, 0)
    workspace.add_time(doc_id, -3)
    workspace.add_time(doc_id, 2.5)
    state = workspace.load(doc_id).state
    assert (state.status, state.seconds_spent) == (Status.NEW, 15.0)


# -- suggestions ----------------------------------------------------------------------------------


def test_pending_suggestions_merge_agreeing_suggesters_and_drop_decided_ones(
    db: Database, doc_id: int
) -> None:
    valmora, mayor, homes = at(TEXT, "Valmora"), at(TEXT, "Mayor"), at(TEXT, "300 homes")
    with db.write() as store:
        store.add_suggestions(
            [
                suggestion(doc_id, *valmora, "GPE", suggester="rules", score=0.6, reason="a"),
                suggestion(doc_id, *valmora, "GPE", suggester="gazetteer", score=0.8, reason="b"),
                suggestion(doc_id, *mayor, "TITLE", suggester="rules", reason="title"),
                suggestion(doc_id, *homes, "QUANTITY", suggester="learned", reason="model"),
            ]
        )
    workspace, service, view = open_document(db, doc_id)
    gpe = next(s for s in view.suggestions if s.label == "GPE")
    # One score from both (1 - 0.4 * 0.2), and a reason naming both.
    assert gpe.score == 0.92 and gpe.reason == "rules + gazetteer (0.92): rules: a; gazetteer: b"
    title = next(s for s in view.suggestions if s.label == "TITLE")
    service.execute(workspace.accept(view, gpe))
    service.execute(workspace.reject(title))
    view = workspace.reload_spans(view)
    assert [s.label for s in view.suggestions] == ["QUANTITY"]
    assert labelled(view) == [("entity", "GPE", "Valmora")]
    with db.read() as store:
        assert sorted((d.label, d.decision) for d in store.decisions(doc_id, "ana")) == [
            ("GPE", Decision.ACCEPTED),
            ("TITLE", Decision.REJECTED),
        ]
    # A suggester the user turned off hides its stored suggestions too.
    workspace.hidden_suggesters = frozenset({"learned"})
    assert workspace.reload_spans(view).suggestions == ()


def test_accepting_a_claim_accepts_its_claimant_once(db: Database, doc_id: int) -> None:
    claim_at, person_at = at(TEXT, "300 homes had lost power"), at(TEXT, "Petra Novak")
    proposed = suggestion(
        doc_id,
        *claim_at,
        "CLAIM",
        layer=Layer.CLAIM,
        suggester="claims",
        attributes={"claimant": [*person_at, "PERSON"], "cue": list(at(TEXT, "said"))},
    )
    workspace, service, view = open_document(db, doc_id)
    service.execute(workspace.accept(view, proposed))
    view = workspace.reload_spans(view)
    person = next(s for s in view.spans if s.layer is Layer.ENTITY)
    claim = next(s for s in view.spans if s.layer is Layer.CLAIM)
    assert (person.label, person.origin) == ("PERSON", "suggested:claims")
    assert claim.claim is not None and claim.claim.claimant_id == person.id
    assert claim.claim.cue == at(TEXT, "said")
    service.undo()
    assert workspace.reload_spans(view).spans == ()
    # With the claimant already confirmed, accepting links to it instead of adding another.
    kept = service.execute(workspace.add_entity(view, *person_at, "PERSON")).spans[0]
    service.execute(workspace.accept(view, proposed))
    view = workspace.reload_spans(view)
    assert [s.id for s in view.spans if s.layer is Layer.ENTITY] == [kept.id]
    claim = next(s for s in view.spans if s.layer is Layer.CLAIM)
    assert claim.claim is not None and claim.claim.claimant_id == kept.id


def test_confirming_an_entity_suggests_its_other_whole_word_occurrences(
    db: Database, doc_id: int
) -> None:
    workspace, _ = setup(db)
    view = workspace.load(doc_id)
    workspace.echo(view, [("Petra Novak", "PERSON"), ("Valm", "GPE"), ("  ", "X")])
    found = [(s.start, s.end, s.label) for s in workspace.reload_spans(view).suggestions]
    # Both places of the full name; "Valm" is only part of a word, blank text nothing.
    assert found == [(*at(TEXT, "Petra Novak"), "PERSON"), (*at(TEXT, "Petra Novak", 1), "PERSON")]
    workspace.hidden_suggesters = frozenset({"gazetteer"})
    assert workspace.reload_spans(view).suggestions == ()


# -- walk order -----------------------------------------------------------------------------------


def test_walk_order_outer_first_claims_before_entities_suggestions_before_spans(
    db: Database, doc_id: int
) -> None:
    sentence, mayor = at(TEXT, "Mayor Petra Novak said 300 homes"), at(TEXT, "Mayor")
    with db.write() as store:
        store.add_suggestions(
            [
                suggestion(doc_id, *mayor, "TITLE"),
                suggestion(doc_id, *sentence, "CLAIM", layer=Layer.CLAIM),
                suggestion(doc_id, *at(TEXT, "Valmora"), "GPE"),
            ]
        )
    store_spans(db, [entity(doc_id, *mayor, "ROLE"), entity(doc_id, *sentence, "EVENT")])
    workspace, _ = setup(db)
    view = workspace.load(doc_id)
    order = [(type(i).__name__, i.layer.value, i.label) for i in in_walk_order(view)]
    # TITLE is another label on the confirmed ROLE's range: kept behind it, so after it.
    assert order == [
        ("Suggestion", "claim", "CLAIM"),
        ("Span", "entity", "EVENT"),
        ("Span", "entity", "ROLE"),
        ("Suggestion", "entity", "TITLE"),
        ("Suggestion", "entity", "GPE"),
    ]
    labels = [s.label for s in sorted(view.suggestions, key=lambda s: s.start)]
    gpe = next(s for s in view.suggestions if s.label == "GPE")
    # After the last pending one it wraps to the first in walk order.
    wrapped = next_pending(view, gpe)
    assert wrapped is not None and wrapped.label == "CLAIM", labels
    after_role = next_pending(view, next(s for s in view.spans if s.label == "ROLE"))
    assert after_role is not None and after_role.label == "GPE"


def test_the_claimant_offered_is_the_nearest_entity_before_the_claim(
    db: Database, doc_id: int
) -> None:
    claim_span = entity(doc_id, *at(TEXT, "300 homes had lost power"), "CLAIM")
    store_spans(
        db,
        [
            entity(doc_id, *at(TEXT, "Mayor"), "TITLE"),
            entity(doc_id, *at(TEXT, "Petra Novak"), "PERSON"),
            entity(doc_id, *at(TEXT, "Valmora"), "GPE"),
        ],
    )
    workspace, _ = setup(db)
    view = workspace.load(doc_id)
    nearest = nearest_entity(view, claim_span)
    assert nearest is not None and nearest.label == "PERSON"
    first = entity(doc_id, 0, 3, "CLAIM")  # nothing starts before "Mayor": the first after
    nearest = nearest_entity(view, first)
    assert nearest is not None and nearest.label == "TITLE"


# -- which document next ----------------------------------------------------------------------


def test_next_unfinished_skips_done_and_skipped_and_wraps(db: Database) -> None:
    texts = [f"Report {i}\nDock workers in Valmora met on day {i}.\n" for i in range(4)]
    built = project(db, texts, ["ana"])
    ids = built.document_ids
    workspace, service = setup(db)
    service.execute(workspace.set_status(workspace.load(ids[1]), Status.DONE, 5.0))
    service.execute(workspace.set_status(workspace.load(ids[2]), Status.SKIPPED, 1.0, "empty"))
    assert workspace.next_unfinished(ids[0]) == ids[3]
    assert workspace.next_unfinished(ids[3]) == ids[0]  # wraps to the start
    assert workspace.first_document() == ids[0]
    service.execute(workspace.set_status(workspace.load(ids[0]), Status.DONE, 5.0))
    assert workspace.next_unfinished(ids[3]) is None  # only the one open is left
    assert workspace.first_document() == ids[3]


def test_search_finds_title_or_text_ignoring_case_with_a_snippet(db: Database, doc_id: int) -> None:
    workspace, _ = setup(db)
    assert workspace.search("   ") == []
    (hit,) = workspace.search("VALMORA")
    assert hit.document_id == doc_id and TEXT[hit.start : hit.end] == "Valmora"
    assert "\n" not in hit.snippet and "Valmora" in hit.snippet
    titles = [h.title for h in workspace.search("ferry")]
    assert titles == ["Ferry resumes"]


def test_reading_a_document_does_not_tokenize_it_until_tokens_are_asked_for(
    db: Database, doc_id: int
) -> None:
    """The window shows a document before it is tokenized (spaCy's import and pipeline are
    most of the first document's wait); the tokens, when asked for, are the tokenizer's."""
    workspace = Workspace(db, "ana")
    view = workspace.load(doc_id)
    assert not view.token_source.ready
    assert view.tokens == tokenize(TEXT)
    assert view.token_source.ready
    again = workspace.load(doc_id)
    assert again.token_source.ready  # kept: the same text is not tokenized twice


def test_the_first_document_is_read_without_importing_spacy(db: Database, doc_id: int) -> None:
    """A fresh process (nothing imported spaCy before) reads a document as the window does."""
    assert db.path is not None
    script = (
        "import sys\n"
        "from annotator.storage.database import Database\n"
        "from annotator.services.workspace import Workspace\n"
        f"db = Database.open({str(db.path)!r}, auto_backup=False)\n"
        f"view = Workspace(db, 'ana').load({doc_id})\n"
        "assert view.document.text\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
