"""A small typed error hierarchy: every error a user can cause says where it happened."""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base of every error the application raises on purpose."""


class InputError(AnnotatorError):
    """Bad input: names the file, the line (1-based) and the field when they are known."""

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
        if self.field is not None:
            where += f" [{self.field}]" if where else f"[{self.field}]"
        return f"{where}: {self.reason}" if where else self.reason


class TextDecodeError(InputError):
    """Bytes that are not text we accept (encoding, NUL bytes, lone surrogates, size)."""


class OffsetError(InputError):
    """A span whose offsets do not fit the text or whose text does not match them."""


class SchemaError(AnnotatorError):
    """A label schema that is inconsistent (duplicate names or hotkeys, unknown label)."""


class StorageError(AnnotatorError):
    """The database refused or failed an operation; the message is safe to show."""


class DatabaseCorruptError(StorageError):
    """``PRAGMA quick_check`` failed: the message says how to recover."""


class DatabaseUnavailableError(StorageError):
    """The database cannot be opened or written where it is (an empty path, a folder, a
    read-only place, a full disk): the message names the path and the reason. Nothing says the
    file is damaged; :class:`DatabaseCorruptError` is for that."""


class ConflictError(StorageError):
    """The data changed underneath a command (another client, a stale view)."""


class NotFoundError(StorageError):
    """A document, span or annotator that a command refers to does not exist."""


class OperationCancelled(AnnotatorError):
    """A long operation stopped because the user cancelled it."""
