"""Progress and cancellation passed into Qt-free code (the UI adapts them to signals)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.errors import OperationCancelled

#: ``report(done, total, message)``; ``total`` is ``None`` while unknown.
ProgressCallback = Callable[[int, int | None, str], None]


def no_progress(done: int, total: int | None, message: str) -> None:
    """A progress callback that ignores every report."""


@dataclass
class CancelToken:
    """Set from any thread; long loops call :meth:`check` between units of work."""

    _event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise OperationCancelled("cancelled by the user")
