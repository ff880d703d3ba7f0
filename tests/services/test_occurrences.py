"""Label all occurrences: which places are found, and storing them as one undoable step."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.commands import AddSpan, reject_suggestion
from annotator.core.errors import OperationCancelled
from annotator.core.model import Decision, IgnoredRange, Layer, Span
from annotator.core.occurrence_commands import OCCURRENCES, AddOccurrences
from annotator.core.progress import CancelToken
from annotator.core.tokens import tokenize
from annotator.services.annotate import AnnotationService
from annotator.services.occurrences import find_occurrences, whole_words
from annotator.services.workspace import Workspace
from annotator.storage.database import Database
from tests.builders import at, insert_documents

FIRST = "Port talks\nDockers at Haverly walked out. Haverly port is shut.\n"
SECOND = "Haverlyan view\nThe Haverlyan coast and Port Haverly wait. In Haverly, calm.\n"
THIRD = "Rejected\nHaverly again, and haverly in lower case.\n"
FOURTH = "Footer\nBody text here.\nRead more from Haverly News every day\n"
FIFTH = "Other label\nHaverly is also a family name here.\n"


def _setup(db: Database) -> list[int]:
    with db.write() as store:
        ids = insert_documents(store, [FIRST, SECOND, THIRD, FOURTH, FIFTH])
        a, b, c, d, e = ids
        # The confirmed span in the first document, and "Port Haverly" as GPE in the second.
        store.add_span(Span(None, a, Layer.ENTITY, *at(FIRST, "Haverly"), "GPE", "ana"))
        store.add_span(Span(None, b, Layer.ENTITY, *at(SECOND, "Port Haverly"), "GPE", "ana"))
        # In the fifth, ana labelled that place PERSON: decided, whatever the label.
        store.add_span(Span(None, e, Layer.ENTITY, *at(FIFTH, "Haverly"), "PERSON", "ana"))
        # bea's work does not hide ana's places.
        store.add_span(Span(None, c, Layer.ENTITY, *at(THIRD, "Haverly"), "GPE", "bea"))
        # The footer of the fourth is boilerplate.
        footer = FOURTH.index("Read more")
        store.replace_ignored({d: [IgnoredRange(footer, len(FOURTH) - 1)]})
    return ids


def _places(db: Database, found) -> list[tuple[int, str, int]]:  # type: ignore[no-untyped-def]
    with db.read() as store:
        texts = {d.id: d.text for d in store.documents_by_ids([s.document_id for s in found])}
    return [(s.document_id, texts[s.document_id][s.start : s.end], s.start) for s in found]


def test_whole_words_outside_spans_of_the_label_and_boilerplate(db: Database) -> None:
    a, b, c, _d, _e = _setup(db)
    found = find_occurrences(db, "ana", "Haverly", "GPE")
    assert {(s.suggester, s.label, s.layer) for s in found.suggestions} == {
        (OCCURRENCES, "GPE", Layer.ENTITY)
    }
    assert _places(db, found.suggestions) == [
        # The first document's second "Haverly" (the first is the confirmed span).
        (a, "Haverly", FIRST.index("Haverly port")),
        # Not inside "Haverlyan" (not a whole word), not inside "Port Haverly" (a GPE span).
        (b, "Haverly", SECOND.index("Haverly, calm")),
        # Case matters: "haverly" is another text.
        (c, "Haverly", THIRD.index("Haverly")),
    ]
    assert found.describe() == "3 occurrences in 3 documents"


def test_a_rejection_wins(db: Database) -> None:
    _a, _b, c, _d, _e = _setup(db)
    service = AnnotationService(db)
    found = find_occurrences(db, "ana", "Haverly", "GPE")
    in_third = next(s for s in found.suggestions if s.document_id == c)
    service.execute(reject_suggestion(in_third, "ana"))
    again = find_occurrences(db, "ana", "Haverly", "GPE")
    assert in_third.document_id not in {s.document_id for s in again.suggestions}
    assert len(again.suggestions) == 2
    # ana's rejection and spans are hers only: bea gets both places of the first and second
    # documents and the fifth's (her own span hides the third's).
    theirs = find_occurrences(db, "bea", "Haverly", "GPE")
    assert theirs.describe() == "5 occurrences in 3 documents"


def test_stored_as_one_step_undone_as_one_and_a_rejection_keeps_the_others(
    backend_db: Database,
) -> None:
    db = backend_db
    a, b, c, _d, _e = _setup(db)
    service = AnnotationService(db)
    workspace = Workspace(db, "ana")
    found = find_occurrences(db, "ana", "Haverly", "GPE")
    service.execute(AddOccurrences(found.suggestions, a, "ana"))

    def pending() -> dict[int, list[int]]:
        return {
            doc_id: [s.start for s in workspace.load(doc_id).suggestions if s.label == "GPE"]
            for doc_id in (a, b, c)
        }

    shown = pending()
    assert shown == {
        a: [FIRST.index("Haverly port")],
        b: [SECOND.index("Haverly, calm")],
        c: [THIRD.index("Haverly")],
    }
    # Rejecting one keeps the others.
    (in_second,) = workspace.load(b).suggestions
    service.execute(workspace.reject(in_second))
    assert pending() == {**shown, b: []}
    with db.read() as store:
        (decision,) = store.decisions(b, "ana")
    assert decision.decision is Decision.REJECTED
    # Nothing found twice: a second run stores no duplicate.
    assert find_occurrences(db, "ana", "Haverly", "GPE").suggestions == ()

    service.undo()  # the rejection
    service.undo()  # every occurrence at once
    assert pending() == {a: [], b: [], c: []}
    with db.read() as store:
        assert not any(
            s.suggester == OCCURRENCES for doc in (a, b, c) for s in store.suggestions(doc)
        )
    service.redo()
    assert pending() == shown


def test_a_place_stored_meanwhile_is_kept_by_undo(db: Database) -> None:
    a, _b, _c, _d, _e = _setup(db)
    service = AnnotationService(db)
    found = find_occurrences(db, "ana", "Haverly", "GPE")
    first, *rest = found.suggestions
    service.execute(AddOccurrences((first,), a, "ana"))
    service.execute(AddOccurrences(found.suggestions, a, "ana"))  # counted before the first
    service.undo()
    with db.read() as store:
        kept = [s for s in store.suggestions(first.document_id) if s.suggester == OCCURRENCES]
    assert [(s.start, s.end) for s in kept] == [(first.start, first.end)]
    assert len(rest) == 2


def test_cancel_stops_the_search(db: Database) -> None:
    _setup(db)
    token = CancelToken()
    token.cancel()
    with pytest.raises(OperationCancelled):
        find_occurrences(db, "ana", "Haverly", "GPE", cancel=token)


def test_a_span_added_later_hides_its_place(db: Database) -> None:
    _a, b, _c, _d, _e = _setup(db)
    service = AnnotationService(db)
    place = at(SECOND, "Haverly", 3)  # after "Haverlyan" twice and "Port Haverly"
    assert SECOND[place[0] :].startswith("Haverly, calm")
    service.execute(AddSpan(Span(None, b, Layer.ENTITY, *place, "GPE", "ana")))
    found = find_occurrences(db, "ana", "Haverly", "GPE")
    assert b not in {s.document_id for s in found.suggestions}


_PIECES = [
    "Haverly", "Haverly", "an", "Port", "47C", ".", ",", "-", "'s", "(", ")", "\"", " ", "  ",
    "\n", "\t", "\u00a0", "\u0301", "\U0001f600", "\U0001f1fa\U0001f1e6", "U.S.", "e", "Inc.",
    "3", "#", "@", ":", "/",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_whole_words_agree_with_tokenizing_the_whole_text(text: str) -> None:
    needle = "Haverly"
    tokens = tokenize(text)
    expected = [
        start
        for start in range(len(text))
        if text.startswith(needle, start) and tokens.is_token_aligned(start, start + len(needle))
    ]
    assert whole_words(text, needle) == expected


def test_with_whole_documents_tokens_from_elsewhere_the_same_places_are_found(
    db: Database,
) -> None:
    """The window gives the documents' tokens (from the token cache or the suggestion
    process, annotator.services.document_tokens) instead of tokenizing around each place:
    the places are the same, and only documents holding the exact text are asked for."""
    ids = _setup(db)
    asked: list[int] = []

    def tokens(texts):  # type: ignore[no-untyped-def]
        asked.extend(texts)
        return {i: tokenize(text) for i, text in texts.items()}

    here = find_occurrences(db, "ana", "Haverly", "GPE")
    given_tokens = find_occurrences(db, "ana", "Haverly", "GPE", tokens=tokens)
    assert given_tokens == here and len(here.suggestions) == 3
    assert sorted(asked) == ids  # every one holds "Haverly"

    # A document whose tokens did not come is not searched (nothing is guessed for it).
    def without_the_third(texts):  # type: ignore[no-untyped-def]
        return {i: tokenize(text) for i, text in texts.items() if i != ids[2]}

    partial = find_occurrences(db, "ana", "Haverly", "GPE", tokens=without_the_third)
    assert [s for s in here.suggestions if s.document_id != ids[2]] == list(partial.suggestions)
