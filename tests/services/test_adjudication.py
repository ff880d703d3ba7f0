"""Adjudication on a real database: units, their kinds, taking versions into gold, undo,
claims with their claimants, and two reviewers deciding the same unit at once."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from annotator.core.adjudicating import Kind, Unit
from annotator.core.errors import ConflictError
from annotator.core.model import GOLD_ANNOTATOR, MANUAL, DocumentState, Layer, Span, Status
from annotator.services import adjudication
from annotator.services.adjudication import Adjudicator
from annotator.services.annotate import AnnotationService
from annotator.storage.database import Database
from tests.services.adjudication_corpus import CLAIM, TEXT, add_document, annotate, at, project


def unit_of(view: adjudication.DocumentAdjudication, piece: str, layer: Layer) -> Unit:
    start, end = at(piece)
    found = view.unit_at(layer, start, end)
    assert found is not None, piece
    return found


def gold(db: Database, document_id: int, layer: Layer | None = None) -> list[Span]:
    with db.read() as store:
        return store.spans(document_id, GOLD_ANNOTATOR, layer)


def test_units_are_grouped_and_classified(db: Database) -> None:
    doc = project(db)
    view = adjudication.load(db, doc)
    assert view.annotators == ("ana", "ben")
    kinds = {(u.layer.value, TEXT[u.start : u.end]): (u.kind, u.differences) for u in view.units}
    assert kinds == {
        ("entity", "Petra Novak"): (Kind.AGREED, ()),
        ("entity", "300 homes"): (Kind.BOUNDARY, ("boundary",)),
        ("entity", "24 hours"): (Kind.LABEL, ("label",)),
        ("entity", "The Port Authority"): (Kind.AGREED, ()),
        ("entity", "41 ships"): (Kind.MISSING, ("missing: ana",)),
        ("claim", CLAIM): (Kind.LABEL, ("hedged",)),
    }
    assert view.undecided == 6 and not view.adjudicated


def test_claimant_is_compared_by_its_entity_not_its_id(db: Database) -> None:
    doc = project(db)
    with db.write() as store:
        # ben's claim now names "Petra Novak" as claimant: a claimant disagreement.
        ben_claim = store.spans(doc, "ben", Layer.CLAIM)[0]
        novak = next(s for s in store.spans(doc, "ben", Layer.ENTITY) if s.label == "PERSON")
        assert ben_claim.claim is not None
        store.replace_span(
            replace(ben_claim, claim=replace(ben_claim.claim, claimant_id=novak.id, hedged=False))
        )
    claim = unit_of(adjudication.load(db, doc), CLAIM, Layer.CLAIM)
    assert (claim.kind, claim.differences) == (Kind.LABEL, ("claimant",))


def test_take_a_version_and_undo(db: Database) -> None:
    doc = project(db)
    reviewer = Adjudicator(db, "rita")
    unit = unit_of(reviewer.load(doc), "300 homes", Layer.ENTITY)
    applied, view = reviewer.take(unit, "ben")
    [span] = gold(db, doc)
    assert (TEXT[span.start : span.end], span.label, span.origin) == (
        "300",
        "QUANTITY",
        "adjudicated:ben",
    )
    assert unit_of(view, "300 homes", Layer.ENTITY).gold_source == "ben"
    # Taking another version replaces gold's, it does not add to it.
    _, view = reviewer.take(unit_of(view, "300 homes", Layer.ENTITY), "ana")
    assert [(TEXT[s.start : s.end], s.origin) for s in gold(db, doc)] == [
        ("300 homes", "adjudicated:ana")
    ]
    reviewer.undo(doc)
    assert [TEXT[s.start : s.end] for s in gold(db, doc)] == ["300"]
    _, view = reviewer.undo(doc)
    assert gold(db, doc) == []
    assert not unit_of(view, "300 homes", Layer.ENTITY).decided
    assert applied.changes.document_ids == {doc}


def test_take_all_agreed_records_who_agreed(db: Database) -> None:
    doc = project(db)
    reviewer = Adjudicator(db, "rita")
    _, view = reviewer.take_agreed(reviewer.load(doc))
    assert [(TEXT[s.start : s.end], s.label, s.origin) for s in gold(db, doc)] == [
        ("Petra Novak", "PERSON", "adjudicated:ana+ben"),
        ("The Port Authority", "ORG", "adjudicated:ana+ben"),
    ]
    assert view.undecided == 4
    # Nothing agreed is left: a second run takes nothing.
    assert adjudication.take_agreed(view).commands == ()
    reviewer.undo(doc)
    assert gold(db, doc) == []


def test_taking_a_claim_maps_its_claimant_into_gold(db: Database) -> None:
    doc = project(db)
    reviewer = Adjudicator(db, "rita")
    _, view = reviewer.take(unit_of(reviewer.load(doc), CLAIM, Layer.CLAIM), "ben")
    [claim] = gold(db, doc, Layer.CLAIM)
    [claimant] = gold(db, doc, Layer.ENTITY)
    assert claim.claim is not None
    assert claim.claim.claimant_id == claimant.id
    assert (TEXT[claimant.start : claimant.end], claimant.label) == ("The Port Authority", "ORG")
    assert claim.claim.hedged is True and claim.claim.cue == at("reported")
    assert claim.claim.claim_type == "quantity" and claim.origin == "adjudicated:ben"
    # The claimant's own unit now has gold (the agreed version), so it shows as decided.
    assert unit_of(view, "The Port Authority", Layer.ENTITY).gold_source == "ana+ben"
    reviewer.undo(doc)
    assert gold(db, doc) == []


def test_a_claim_reuses_the_gold_claimant_already_taken(db: Database) -> None:
    doc = project(db)
    reviewer = Adjudicator(db, "rita")
    _, view = reviewer.take_agreed(reviewer.load(doc))
    _, view = reviewer.take(unit_of(view, CLAIM, Layer.CLAIM), "ana")
    entities = gold(db, doc, Layer.ENTITY)
    assert len(entities) == 2  # no second "The Port Authority"
    [claim] = gold(db, doc, Layer.CLAIM)
    assert claim.claim is not None
    port = next(e for e in entities if e.label == "ORG")
    assert claim.claim.claimant_id == port.id
    assert unit_of(view, CLAIM, Layer.CLAIM).gold_source == "ana"


def test_retaking_the_claimant_relinks_gold_claims(db: Database) -> None:
    doc = project(db)
    reviewer = Adjudicator(db, "rita")
    _, view = reviewer.take(unit_of(reviewer.load(doc), CLAIM, Layer.CLAIM), "ana")
    old_port = next(e for e in gold(db, doc, Layer.ENTITY))
    # Replace the claimant's gold version: the gold claim follows it to the new entity.
    _, view = reviewer.take(unit_of(view, "The Port Authority", Layer.ENTITY), "ben")
    new_port = next(e for e in gold(db, doc, Layer.ENTITY))
    assert new_port.id != old_port.id
    [claim] = gold(db, doc, Layer.CLAIM)
    assert claim.claim is not None and claim.claim.claimant_id == new_port.id
    reviewer.undo(doc)
    [claim] = gold(db, doc, Layer.CLAIM)
    assert claim.claim is not None and claim.claim.claimant_id == old_port.id


def test_reject_leaves_nothing_in_gold_and_is_remembered(db: Database) -> None:
    doc = project(db)
    reviewer = Adjudicator(db, "rita")
    unit = unit_of(reviewer.load(doc), "41 ships", Layer.ENTITY)
    _, view = reviewer.take(unit, "ben")
    _, view = reviewer.reject(unit_of(view, "41 ships", Layer.ENTITY))
    assert gold(db, doc) == []
    rejected = unit_of(view, "41 ships", Layer.ENTITY)
    assert rejected.rejected and rejected.decided and rejected.gold_source == "rejected"
    # Taking a version later clears the rejection.
    _, view = reviewer.take(rejected, "ben")
    assert not unit_of(view, "41 ships", Layer.ENTITY).rejected
    reviewer.undo(doc)
    reviewer.undo(doc)
    _, view = reviewer.undo(doc)
    assert gold(db, doc) == [] and not unit_of(view, "41 ships", Layer.ENTITY).decided


def test_edit_gold_is_the_reviewers_own(db: Database) -> None:
    doc = project(db)
    reviewer = Adjudicator(db, "rita")
    _, view = reviewer.take(unit_of(reviewer.load(doc), "24 hours", Layer.ENTITY), "ana")
    [span] = gold(db, doc)
    reviewer.execute(adjudication.edit_gold(span, label="EVENT"), doc)
    [edited] = gold(db, doc)
    assert (edited.label, edited.origin) == ("EVENT", MANUAL)
    view = reviewer.load(doc)
    assert unit_of(view, "24 hours", Layer.ENTITY).gold_source == "edited"
    ana_span = unit_of(view, "24 hours", Layer.ENTITY).version("ana").spans[0]
    with pytest.raises(Exception, match="not a gold span"):
        adjudication.edit_gold(ana_span, label="EVENT")


def test_two_reviewers_taking_the_same_unit_conflict(backend_db: Database) -> None:
    doc = project(backend_db)
    rita, sam = Adjudicator(backend_db, "rita"), Adjudicator(backend_db, "sam")
    seen_by_rita = unit_of(rita.load(doc), "24 hours", Layer.ENTITY)
    seen_by_sam = unit_of(sam.load(doc), "24 hours", Layer.ENTITY)
    rita.take(seen_by_rita, "ana")
    with pytest.raises(ConflictError, match="changed meanwhile"):
        sam.take(seen_by_sam, "ben")
    with pytest.raises(ConflictError):
        sam.reject(seen_by_sam)
    assert [(s.label, s.origin) for s in gold(backend_db, doc)] == [("DATE", "adjudicated:ana")]
    # After a reload sam decides on what is there now.
    sam.take(unit_of(sam.load(doc), "24 hours", Layer.ENTITY), "ben")
    assert [s.label for s in gold(backend_db, doc)] == ["QUANTITY"]


def test_concurrent_takes_store_exactly_one(backend_db: Database) -> None:
    """Both reviewers act at the same moment from the same reading: one wins, the other is
    told, and gold holds one version (never both, never a silent overwrite)."""
    doc = project(backend_db)
    unit = unit_of(adjudication.load(backend_db, doc), "300 homes", Layer.ENTITY)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(name: str) -> None:
        service = AnnotationService(backend_db)
        start.wait()
        try:
            service.apply(adjudication.take(unit, name))
            outcomes[name] = "stored"
        except ConflictError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=decide, args=(n,)) for n in ("ana", "ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["ConflictError", "str"]
    winner = next(name for name, o in outcomes.items() if o == "stored")
    [span] = gold(backend_db, doc)
    assert span.origin == f"adjudicated:{winner}"


def test_a_version_changed_by_its_annotator_is_a_conflict(db: Database) -> None:
    doc = project(db)
    unit = unit_of(adjudication.load(db, doc), "24 hours", Layer.ENTITY)
    with db.write() as store:
        ben = unit.version("ben").spans[0]
        store.replace_span(replace(ben, label="DATE"))
    with pytest.raises(ConflictError, match="ben's version"):
        AnnotationService(db).apply(adjudication.take(unit, "ben"))
    assert gold(db, doc) == []


def test_documents_needing_adjudication_and_marking_done(db: Database) -> None:
    first = project(db)
    second = add_document(db, TEXT.replace("Mayor", "Deputy"))
    third = add_document(db, TEXT.replace("Mayor", "Governor"))
    with db.write() as store:  # only ana finished the third: nothing to compare yet
        store.set_state(DocumentState(third, "ana", Status.DONE))
    reviewer = Adjudicator(db, "rita")
    assert reviewer.next_document() == first
    assert reviewer.next_document(first) == first  # wraps around: second is not done
    annotate(db, second)
    assert reviewer.next_document(first) == second
    _, following = reviewer.mark_adjudicated(reviewer.load(first), seconds=30)
    assert following == second
    view = reviewer.load(first)
    assert view.adjudicated and view.gold_state.seconds_spent == 30
    _, following = reviewer.mark_adjudicated(reviewer.load(second))
    assert following is None
    reviewer.undo(second)
    assert reviewer.next_document() == second


def test_reviewer_flag_is_read_from_the_annotators(db: Database) -> None:
    from annotator.storage.orm import Annotator

    project(db)
    assert not Adjudicator(db, "ana").is_reviewer()
    with db.write() as store:
        store.annotator_id("rita")
        store.session.query(Annotator).filter_by(name="rita").update({"is_reviewer": True})
    assert Adjudicator(db, "rita").is_reviewer()


def test_auto_agreed_takes_agreed_units_everywhere(db: Database) -> None:
    first = project(db)
    second = add_document(db, TEXT.replace("Mayor", "Deputy"))
    annotate(db, second)
    lone = add_document(db, TEXT.replace("Mayor", "Governor"))
    annotate(db, lone, done=False)
    summary = adjudication.auto_agreed(db)
    assert (summary.documents, summary.touched, summary.units) == (2, 2, 4)
    assert summary.disagreements == 8 and summary.complete == 0
    assert "Took 4 agreed units" in summary.describe()
    for doc in (first, second):
        assert {s.origin for s in gold(db, doc)} == {"adjudicated:ana+ben"}
    assert gold(db, lone) == []
    again = adjudication.auto_agreed(db)
    assert again.units == 0 and again.touched == 0


def test_undo_over_another_reviewers_change_is_refused(db: Database) -> None:
    doc = project(db)
    rita, sam = Adjudicator(db, "rita"), Adjudicator(db, "sam")
    rita.take(unit_of(rita.load(doc), "24 hours", Layer.ENTITY), "ana")
    sam.take(unit_of(sam.load(doc), "24 hours", Layer.ENTITY), "ben")
    with pytest.raises(ConflictError, match="changed since this step"):
        rita.undo(doc)
    assert [s.label for s in gold(db, doc)] == ["QUANTITY"]  # sam's decision stands
    sam.undo(doc)
    assert [s.label for s in gold(db, doc)] == ["DATE"]
