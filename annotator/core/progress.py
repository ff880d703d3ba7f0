"""Progress and cancellation passed into Qt-free code (the UI adapts them to signals)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.errors import OperationCancelled

#: ``report(done, total, message)``; ``total`` is ``None`` while unknown.
#:
#: ``message`` names the phase ("Importing documents"), the same in every report of that
#: phase, so that a display can tell a new phase from the next report of the same one (the
#: command line ends a phase's line when its name changes). A detail that changes from report
#: to report follows the name after :data:`DETAIL_SEPARATOR`. Counts belong in ``done`` and
#: ``total``, never in the message.
ProgressCallback = Callable[[int, int | None, str], None]

#: Between a phase's name and the detail of one report: "Training the model — claims: epoch 3".
DETAIL_SEPARATOR = " — "


def split_message(message: str) -> tuple[str, str]:
    """``(phase, detail)`` of a progress message; ``detail`` is empty when there is none."""
    phase, _, detail = message.partition(DETAIL_SEPARATOR)
    return phase, detail


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
