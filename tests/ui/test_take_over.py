"""Opening a near-duplicate copy whose original the annotator annotated: a bar (not a dialog)
offers to take the annotations over; one click adds those whose text is the same, lists the
one whose word changed, and Ctrl+Z removes them all in one step."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import Layer, Span
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from annotator.ui.document_list_model import TITLE_COLUMN
from annotator.ui.main_window import MainWindow
from tests.builders import claim, entity, store_spans, turn_off_live_suggesters
from tests.syndication import sentence, story, write_jsonl
from tests.ui.driver import key, opened, settle

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def pair(db: Database, tmp_path: Path) -> tuple[int, int, str]:
    """An original with three of ana's annotations, and a copy (new headline, one of the
    annotated words changed); their ids and the changed word."""
    rng = random.Random(51)
    original = story(rng)
    body = original.split("\n", 1)[1]
    words = body.split(" ")
    changed = words[30].strip(".")
    copy_words = list(words)
    copy_words[30] = words[30].replace(changed, "zzchanged")
    copy = sentence(rng)[:-1] + "\n" + " ".join(copy_words)
    records = [
        {"id": "orig", "text": original, "source": "wire", "title": "Wire story"},
        {"id": "copy", "text": copy, "source": "daily", "title": "Daily copy"},
    ]
    with db.write() as store:
        turn_off_live_suggesters(store)
    assert import_paths(db, [write_jsonl(tmp_path / "a.jsonl", records)]).near_duplicates == 1
    with db.read() as store:
        ids = {store.document(i).external_id: i for i in store.document_ids()}
    offset = original.index("\n") + 1
    kept_word = words[2].strip(".")
    kept = offset + len(" ".join(words[:2])) + 1
    gone = offset + len(" ".join(words[:30])) + 1
    assert original[kept : kept + len(kept_word)] == kept_word
    assert original[gone : gone + len(changed)] == changed
    (subject,) = store_spans(db, [entity(ids["orig"], kept, kept + len(kept_word), "PERSON")])
    sentence_end = original.index(".", kept) + 1
    store_spans(
        db,
        [
            entity(ids["orig"], gone, gone + len(changed), "ORG"),
            claim(ids["orig"], offset, sentence_end, claimant_id=subject.id),
        ],
    )
    assert gone > sentence_end  # the claim's own text stays the same
    return ids["orig"], ids["copy"], changed


@pytest.fixture
def window(db: Database, pair: tuple[int, int, str], qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    yield from opened(db, "ana", qtbot)


def spans_of(db: Database, document_id: int) -> list[Span]:
    with db.read() as store:
        return store.spans(document_id, "ana")


def click_row_of(window: MainWindow, document_id: int, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.documents.view
    model = view.model()
    qtbot.waitUntil(lambda: model.row_of(document_id) is not None, timeout=5000)
    index = model.index(model.row_of(document_id), TITLE_COLUMN)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    settle(window)


def test_take_over_by_click_and_undo_in_one_step(
    window: MainWindow, db: Database, pair: tuple[int, int, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    original_id, copy_id, changed = pair
    bar = window.copy_bar
    click_row_of(window, copy_id, qtbot)
    qtbot.waitUntil(lambda: window.view is not None and window.view.document.id == copy_id)
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert QApplication.activeModalWidget() is None  # a bar, not a dialog
    assert f"near-duplicate of #{original_id}" in bar.message.text()
    assert "1 whose text changed will be left out" in bar.message.text()

    qtbot.mouseClick(bar.take_button, Qt.MouseButton.LeftButton)
    settle(window)
    qtbot.waitUntil(lambda: "Took over 2 annotations" in bar.message.text(), timeout=5000)
    assert changed in bar.message.text()
    taken = spans_of(db, copy_id)
    copy_text = window.view.document.text if window.view is not None else ""
    originals = {(s.layer, s.label): s for s in spans_of(db, original_id)}
    with db.read() as store:
        original_text = store.document(original_id).text
    assert sorted((s.layer.value, s.label) for s in taken) == [
        ("claim", "CLAIM"),
        ("entity", "PERSON"),
    ]
    for span in taken:
        source = originals[(span.layer, span.label)]
        assert copy_text[span.start : span.end] == original_text[source.start : source.end]
    (claim_span,) = [s for s in taken if s.layer is Layer.CLAIM]
    (person,) = [s for s in taken if s.layer is Layer.ENTITY]
    assert claim_span.claim is not None and claim_span.claim.claimant_id == person.id
    assert window.view is not None and len(window.view.spans) == 2

    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert spans_of(db, copy_id) == []
    assert not bar.isVisible()  # its report no longer holds
    assert window.view is not None and not window.view.spans
    # The original is untouched throughout.
    assert len(spans_of(db, original_id)) == 3


def test_dismissed_and_not_offered_for_the_original(
    window: MainWindow, db: Database, pair: tuple[int, int, str], qtbot
) -> None:  # type: ignore[no-untyped-def]
    original_id, copy_id, _ = pair
    bar = window.copy_bar
    click_row_of(window, original_id, qtbot)
    settle(window)
    assert not bar.isVisible()
    click_row_of(window, copy_id, qtbot)
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    qtbot.mouseClick(bar.dismiss_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    assert spans_of(db, copy_id) == []
