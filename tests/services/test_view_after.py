"""The open document after an action, worked out from the command (view_after), equals the
document read again from the database: checked after random sequences of actions."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.commands import AddSpan, Command
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import GOLD_ANNOTATOR, Layer, Span, Status, Suggestion
from annotator.services.annotate import AnnotationService
from annotator.services.view_after import view_after, with_echoes
from annotator.services.workspace import DocumentView, Workspace, entity_changes
from annotator.storage.database import Database

TEXT = (
    "Mayor Petra Novak said 300 homes in Valmora lost power.\n"
    "The Port Authority reported that Petra Novak met 41 captains near Valmora.\n"
)
_counter = itertools.count()

ACTIONS = (
    "add_entity",
    "add_claim",
    "accept",
    "reject",
    "relabel",
    "resize",
    "delete",
    "link",
    "hedge",
    "status",
)


def new_document(db: Database) -> int:
    """A document of its own (examples share one database) with stored suggestions, one of
    them a claim that proposes its claimant."""
    text = f"{next(_counter)}\n{TEXT}"
    with db.write() as store:
        ids = store.insert_documents(
            [{"title": "t", "text": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}]
        )
        doc = next(iter(ids.values()))

        def at(piece: str, nth: int = 0) -> int:
            found = -1
            for _ in range(nth + 1):
                found = text.index(piece, found + 1)
            return found

        suggestions = [
            Suggestion(None, doc, Layer.ENTITY, at(p), at(p) + len(p), label, "rules", 0.9, "r")
            for p, label in (("Petra Novak", "PERSON"), ("Valmora", "GPE"), ("300 homes", "QTY"))
        ]
        # The same place from two suggesters: merged into one pending suggestion.
        start = at("Port Authority")
        suggestions += [
            Suggestion(None, doc, Layer.ENTITY, start, start + 14, "ORG", name, 0.5, "x")
            for name in ("rules", "gazetteer")
        ]
        line = at("The Port")
        claimant = at("Petra Novak", 1)
        suggestions.append(
            Suggestion(
                None,
                doc,
                Layer.CLAIM,
                line,
                len(text) - 1,
                "CLAIM",
                "claims",
                0.7,
                "reported",
                {"claimant": [claimant, claimant + 11, "PERSON"], "cue": [line + 19, line + 27]},
            )
        )
        store.add_suggestions(suggestions)
    return doc


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return Database.open(Path(tmp_path_factory.mktemp("view-after")) / "project.sqlite")


def command_for(ws: Workspace, view: DocumentView, action: str, pick: int) -> Command | None:
    spans = list(view.spans)
    entities = [s for s in spans if s.layer is Layer.ENTITY]
    claims = [s for s in spans if s.layer is Layer.CLAIM]
    tokens = view.tokens.tokens
    if action == "add_entity":
        token = tokens[pick % len(tokens)]
        return ws.add_entity(view, token.start, token.end, ("PERSON", "ORG")[pick % 2])
    if action == "add_claim":
        sentence = view.tokens.sentences[pick % len(view.tokens.sentences)]
        return ws.add_claim(view, sentence.start, sentence.end)
    if action in ("accept", "reject") and view.suggestions:
        suggestion = view.suggestions[pick % len(view.suggestions)]
        return ws.accept(view, suggestion) if action == "accept" else ws.reject(suggestion)
    if action == "relabel" and entities:
        span = entities[pick % len(entities)]
        return ws.relabel(span, "ORG" if span.label != "ORG" else "PERSON")
    if action == "resize" and spans:
        span = spans[pick % len(spans)]
        later = [t.end for t in tokens if t.end > span.end]
        return ws.resize(span, span.start, later[0]) if later else None
    if action == "delete" and spans:
        return ws.delete(spans[pick % len(spans)])
    if action == "link" and claims:
        claimant = entities[pick % len(entities)].id if entities else None
        return ws.set_claim(claims[pick % len(claims)], claimant_id=claimant)
    if action == "hedge" and claims:
        claim = claims[pick % len(claims)]
        assert claim.claim is not None
        return ws.set_claim(claim, hedged=not claim.claim.hedged)
    if action == "status":
        status = (Status.IN_PROGRESS, Status.DONE, Status.SKIPPED)[pick % 3]
        return ws.set_status(view, status, 1.5 * pick, "why" if status is Status.SKIPPED else None)
    return None


derived_kinds: Counter[str] = Counter()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 50)), min_size=1, max_size=12),
    st.booleans(),
)
def test_the_view_after_an_action_equals_the_document_read_again(
    database: Database, steps: list[tuple[str, int]], gazetteer_hidden: bool
) -> None:
    ws = Workspace(database, "ana")
    if gazetteer_hidden:
        ws.hidden_suggesters = frozenset({"gazetteer"})
    service = AnnotationService(database, may_edit=ws.check_editable)
    view = ws.load(new_document(database))
    for action, pick in steps:
        command = command_for(ws, view, action, pick)
        if command is None:
            continue
        command = ws.started(view, command)
        try:
            applied = service.execute(command)
        except (ConflictError, NotFoundError):
            view = ws.reload_spans(view)
            continue
        derived = view_after(ws, ws.newest(view), command, applied)
        if derived is not None:
            derived_kinds[action] += 1
            confirmed, _ = entity_changes(view, derived)
            if confirmed:  # what the window does next: echo the text elsewhere
                ws.echo(derived, confirmed)
                derived = with_echoes(ws, derived)
        else:
            derived = ws.reload_spans(view)
            confirmed, _ = entity_changes(view, derived)
            if confirmed:
                ws.echo(derived, confirmed)
        fresh = ws.reload_spans(view)
        assert derived == fresh, action
        assert derived.basis == fresh.basis, action
        # The document list's row, worked out from the view, is the row read from the list.
        assert [ws.summary_of(derived)] == ws.summaries_of([view.document.id]), action
        view = fresh


def test_the_common_actions_are_worked_out_without_a_read(database: Database) -> None:
    """Labelling, accepting (with a proposed claimant too), rejecting, claims and linking
    take the path without a read; a delete of a claimant, which moves the claims citing it
    to a new version, is read again."""
    ws = Workspace(database, "ana")
    service = AnnotationService(database, may_edit=ws.check_editable)
    view = ws.load(new_document(database))
    text = view.document.text

    def run(command: Command) -> tuple[DocumentView | None, DocumentView]:
        nonlocal view
        command = ws.started(view, command)
        applied = service.execute(command)
        derived = view_after(ws, ws.newest(view), command, applied)
        view = ws.reload_spans(view)
        return derived, view

    start = text.index("Mayor")
    derived, fresh = run(ws.add_entity(view, start, start + 5, "PERSON"))
    assert derived == fresh and fresh.state.status is Status.IN_PROGRESS
    claim_suggestion = next(s for s in view.suggestions if s.layer is Layer.CLAIM)
    derived, fresh = run(ws.accept(view, claim_suggestion))
    assert derived == fresh and not any(s.layer is Layer.CLAIM for s in fresh.suggestions)
    derived, fresh = run(ws.reject(view.suggestions[0]))
    assert derived == fresh
    claim = next(s for s in view.spans if s.layer is Layer.CLAIM)
    assert claim.claim is not None and claim.claim.claimant_id is not None
    mayor = next(s for s in view.spans if s.start == start)
    derived, fresh = run(ws.set_claim(claim, claimant_id=mayor.id))
    assert derived == fresh
    derived, fresh = run(ws.delete(mayor))  # the claim citing it moves on: read again
    assert derived is None
    claim = next(s for s in fresh.spans if s.layer is Layer.CLAIM)
    assert claim.claim is not None and claim.claim.claimant_id is None


def test_other_work_on_screen_and_unknown_commands_are_read_again(database: Database) -> None:
    ws = Workspace(database, "ana")
    service = AnnotationService(database)
    view = ws.load(new_document(database))
    span = Span(None, view.document.id, Layer.ENTITY, 2, 7, "PERSON", GOLD_ANNOTATOR)
    ws.showing = GOLD_ANNOTATOR  # reviewers share the gold layer: others write there too
    command = AddSpan(span)
    assert view_after(ws, ws.newest(view), command, service.execute(command)) is None
    ws.showing = None  # everyone's work: the list shows the annotator's own counts
    assert ws.summary_of(ws.reload_spans(view)) is None
    ws.showing = "ana"
    view = ws.reload_spans(view)  # the basis says whose work it was read with
    mine = AddSpan(Span(None, view.document.id, Layer.ENTITY, 2, 7, "PERSON", "ana"))
    assert view_after(ws, ws.newest(view), mine, service.execute(mine)) is not None

    class Unknown:
        name = "Something new"

        def apply(self, store):  # type: ignore[no-untyped-def]
            return mine.apply(store)

    unknown = Unknown()
    assert view_after(ws, ws.newest(view), unknown, service.execute(unknown)) is None
