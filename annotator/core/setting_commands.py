"""Project settings changed by a user as undoable commands.

A project setting (the guidelines text, a suggester switch) is one JSON value per key in the
project's ``settings`` table. Changing one is a user action like any other: one transaction,
logged, with an inverse that puts the old value back, so Ctrl+Z undoes it through the same
:class:`~annotator.core.history.History` as span edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from annotator.core.commands import Applied, Changes


class SettingStore(Protocol):
    """What a setting command may do inside one write transaction (the storage layer's
    ``Store`` is one)."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...

    def log(
        self, kind: str, annotator: str | None, document_id: int | None, payload: dict
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class SetSetting:
    """Store ``value`` (JSON) under the project setting ``key``.

    ``None`` stands for "not set": the settings table keeps no tombstones, and every reader
    of a setting already treats a missing key and ``None`` alike, so undoing the first value
    of a key stores ``None``.
    """

    key: str
    value: Any
    annotator: str | None = None
    name: str = "Change setting"

    def apply(self, store: SettingStore) -> Applied:
        if not self.key or self.key != self.key.strip():
            raise ValueError(f"setting key {self.key!r} is empty or padded with spaces")
        old = store.get_setting(self.key)
        store.set_setting(self.key, self.value)
        store.log("setting", self.annotator, None, {"key": self.key})
        inverse = SetSetting(self.key, old, self.annotator, name=self.name)
        # No document or span changed: views that show a setting look at the inverse's key.
        return Applied(Changes(), inverse)


def changed_setting(applied: Applied) -> str | None:
    """The key a just-applied (or undone) command changed, if it was a setting command."""
    inverse = applied.inverse
    return inverse.key if isinstance(inverse, SetSetting) else None


#: Project setting: "Done, next" takes the unfinished document the suggesters are least sure
#: about instead of the next one in order (annotator.storage.uncertainty says how).
UNCERTAIN_FIRST_KEY = "annotate.uncertain_first"


def set_uncertain_first(on: bool, annotator: str | None = None) -> SetSetting:
    """Turn the least-certain-first order of "Done, next" on or off, as one undoable step."""
    name = "Least certain document next" if on else "Documents in order"
    return SetSetting(UNCERTAIN_FIRST_KEY, bool(on), annotator, name=name)


def uncertain_first(value: Any) -> bool:
    """The stored setting read as a switch: anything but ``true`` is off (the default)."""
    return value is True
