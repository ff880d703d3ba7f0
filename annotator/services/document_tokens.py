"""A shown document's tokens, worked out only when something needs them."""

from __future__ import annotations

import threading
from collections.abc import Callable

from annotator.core.tokens import Tokenized


class TokensOnDemand:
    """A document's tokens, worked out the first time they are asked for (once, thread-safe).

    The article view paints without tokens; they are needed to snap a selection, resize a
    span or find a sentence. Reading a document therefore does not tokenize it: the first
    document of a session shows before spaCy is imported and its pipeline built (about a
    second), and the window then has the tokens worked out on the database worker
    (annotator.ui.main_window) before the annotator is likely to select anything.
    """

    __slots__ = ("_lock", "_make", "_value")

    def __init__(self, source: Tokenized | Callable[[], Tokenized]) -> None:
        self._lock = threading.Lock()
        self._value: Tokenized | None
        self._make: Callable[[], Tokenized] | None
        if isinstance(source, Tokenized):
            self._value, self._make = source, None
        else:
            self._value, self._make = None, source

    @property
    def ready(self) -> bool:
        return self._value is not None

    def get(self) -> Tokenized:
        value = self._value
        if value is not None:
            return value
        with self._lock:
            if self._value is None:
                assert self._make is not None
                self._value = self._make()
                self._make = None
            return self._value
