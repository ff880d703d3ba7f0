"""The project's annotation guidelines: one Markdown text, who changed it last and when.

Stored as the project setting ``guidelines`` (``{"markdown", "updated_by", "updated_at"}``),
changed only through :func:`set_guidelines` so every edit is one undoable command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from annotator.core.errors import InputError
from annotator.core.setting_commands import SetSetting

GUIDELINES_KEY = "guidelines"
#: Far beyond any real guidelines text; a pasted corpus by mistake is refused, not stored.
MAX_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class Guidelines:
    markdown: str = ""
    updated_by: str | None = None
    #: ISO 8601, UTC.
    updated_at: str | None = None

    @property
    def empty(self) -> bool:
        return not self.markdown.strip()

    @classmethod
    def from_value(cls, value: Any) -> Guidelines:
        """The guidelines from the stored JSON value (``None``: none yet). Raises
        :class:`InputError` naming the bad field."""
        if value is None:
            return cls()
        if not isinstance(value, dict):
            raise InputError(f"must be an object, got {type(value).__name__}", field=GUIDELINES_KEY)
        markdown = value.get("markdown", "")
        if not isinstance(markdown, str):
            raise InputError("must be text", field=f"{GUIDELINES_KEY}.markdown")
        fields: dict[str, str | None] = {}
        for name in ("updated_by", "updated_at"):
            item = value.get(name)
            if item is not None and not isinstance(item, str):
                raise InputError("must be text or null", field=f"{GUIDELINES_KEY}.{name}")
            fields[name] = item
        return cls(markdown, fields["updated_by"], fields["updated_at"])

    def to_value(self) -> dict[str, Any]:
        return {
            "markdown": self.markdown,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at,
        }


def set_guidelines(markdown: str, annotator: str, now: datetime | None = None) -> SetSetting:
    """The command that replaces the guidelines text (undo puts the old text back)."""
    if len(markdown) > MAX_CHARS:
        raise InputError(
            f"is {len(markdown):,} characters; at most {MAX_CHARS:,} are kept",
            field=f"{GUIDELINES_KEY}.markdown",
        )
    when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    value = Guidelines(markdown, annotator, when).to_value()
    return SetSetting(GUIDELINES_KEY, value, annotator, name="Edit guidelines")
