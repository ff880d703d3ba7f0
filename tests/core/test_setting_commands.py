"""Setting commands: one transaction each, an inverse that restores the old value, undo and
redo through the same history as span edits; the guidelines value and its validation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from annotator.core.errors import InputError
from annotator.core.guidelines import (
    GUIDELINES_KEY,
    MAX_CHARS,
    Guidelines,
    set_guidelines,
)
from annotator.core.setting_commands import SetSetting, changed_setting
from annotator.services.annotate import AnnotationService


def stored(db, key):
    with db.read() as store:
        return store.get_setting(key)


def test_set_setting_applies_and_its_inverse_restores(backend_db) -> None:
    service = AnnotationService(backend_db)
    with backend_db.write() as store:
        store.set_setting("colour", {"a": 1})
    applied = service.execute(SetSetting("colour", {"a": 2}, "ana", name="Recolour"))
    assert stored(backend_db, "colour") == {"a": 2}
    assert applied.inverse == SetSetting("colour", {"a": 1}, "ana", name="Recolour")
    assert changed_setting(applied) == "colour"
    assert not applied.changes.document_ids and not applied.changes.span_ids
    assert service.history.undo_name == "Recolour"
    service.undo()
    assert stored(backend_db, "colour") == {"a": 1}
    service.redo()
    assert stored(backend_db, "colour") == {"a": 2}
    with backend_db.read() as store:
        kinds = [(kind, who, payload) for kind, who, _doc, payload in store.events()]
    assert ("setting", "ana", {"key": "colour"}) in kinds


def test_undo_of_a_first_value_unsets_it(db) -> None:
    service = AnnotationService(db)
    service.execute(set_guidelines("# Rules\n", "ana"))
    assert Guidelines.from_value(stored(db, GUIDELINES_KEY)).markdown == "# Rules\n"
    service.undo()
    assert stored(db, GUIDELINES_KEY) is None
    assert Guidelines.from_value(stored(db, GUIDELINES_KEY)) == Guidelines()


def test_a_failing_command_changes_nothing(db) -> None:
    service = AnnotationService(db)
    with pytest.raises(ValueError, match="padded"):
        service.execute(SetSetting(" key", 1))
    assert stored(db, " key") is None
    assert service.history.undo_name is None


def test_set_guidelines_records_who_and_when() -> None:
    when = datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC)
    command = set_guidelines("**bold**", "ana", now=when)
    assert command.key == GUIDELINES_KEY
    assert command.name == "Edit guidelines"
    assert command.value == {
        "markdown": "**bold**",
        "updated_by": "ana",
        "updated_at": "2026-03-01T12:30:05+00:00",
    }
    assert Guidelines.from_value(command.value).to_value() == command.value


def test_oversized_guidelines_are_refused() -> None:
    with pytest.raises(InputError, match=r"guidelines\.markdown"):
        set_guidelines("x" * (MAX_CHARS + 1), "ana")


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("just text", "[guidelines]"),
        ({"markdown": 3}, "[guidelines.markdown]"),
        ({"markdown": "ok", "updated_by": 7}, "[guidelines.updated_by]"),
        ({"markdown": "ok", "updated_at": []}, "[guidelines.updated_at]"),
    ],
)
def test_bad_stored_guidelines_name_the_field(value, field) -> None:
    with pytest.raises(InputError) as error:
        Guidelines.from_value(value)
    assert str(error.value).startswith(field)


def test_guidelines_round_trip_and_emptiness() -> None:
    assert Guidelines().empty and Guidelines(" \n").empty
    value = {"markdown": "Tag *people*.", "updated_by": None, "updated_at": None}
    assert Guidelines.from_value(value).to_value() == value
    assert not Guidelines.from_value(value).empty
