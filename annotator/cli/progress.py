"""Progress of a long command on standard error, and Ctrl+C as a clean stop.

The services report through the Qt-free callback of :mod:`annotator.core.progress` (the
window's progress dialogs get the same reports). Here a report becomes:

- on a terminal, a live line per phase drawn by tqdm (docs/adr/0018-cli-progress-tqdm.md):
  the phase, done/total and a bar where the total is known, the rate and the time left;
  when the phase ends its line stays, and the next phase starts on a line of its own;
- when standard error is a file or a pipe (CI, scripts), one summary line per phase as it
  ends, and never a carriage return;
- with ``--quiet``, nothing (warnings, errors and the final summary are printed as always).

A first Ctrl+C asks the work to stop between batches (the services check a cancel token);
what was kept is kept and the command says so. A second Ctrl+C stops at once.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from types import FrameType
from typing import IO, Any

from annotator.core.progress import CancelToken, split_message

#: What a phase counts, for the rate ("12.5 documents/s"); documents unless named here.
UNITS = {
    "Training the model": "epochs",
    "Looking for boilerplate": "sources",
    "Comparing claims": "claims",
}
DEFAULT_UNIT = "documents"
#: tqdm's line with and without a total: "Importing documents:  40%|████      | 2000/5000
#: documents [00:04<00:06, 480.12 documents/s]" and "Choosing documents: 1200 documents
#: [00:01, 950.00 documents/s, 300 go out]". The rate is always per second (tqdm would turn
#: a slow one into seconds per epoch).
WITH_TOTAL = (
    "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}{unit} "
    "[{elapsed}<{remaining}, {rate_noinv_fmt}{postfix}]"
)
WITHOUT_TOTAL = "{desc}: {n_fmt}{unit} [{elapsed}, {rate_noinv_fmt}{postfix}]"


class Mode(Enum):
    LIVE = "live"  # a terminal: redrawn lines
    LINES = "lines"  # a file or pipe: one line per finished phase
    QUIET = "quiet"  # nothing


def mode_for(stream: IO[str], *, quiet: bool) -> Mode:
    if quiet:
        return Mode.QUIET
    try:
        live = stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # a closed or replaced stream
        live = False
    return Mode.LIVE if live else Mode.LINES


@dataclass
class Phase:
    name: str
    done: int = 0
    total: int | None = None
    detail: str = ""
    started: float = field(default_factory=time.monotonic)

    @property
    def unit(self) -> str:
        return UNITS.get(self.name, DEFAULT_UNIT)

    def summary(self) -> str:
        """One line for logs: 'Importing documents: 5000 of 5000 documents in 12.3 s
        (406.5 documents/s)'."""
        seconds = time.monotonic() - self.started
        counted = f"{self.done} of {self.total}" if self.total is not None else f"{self.done}"
        # Below a tenth of a second a rate says more about the clock than about the work.
        rate = f", {self.done / seconds:.1f} {self.unit}/s" if seconds >= 0.1 and self.done else ""
        detail = f"; {self.detail}" if self.detail else ""
        return f"{self.name}: {counted} {self.unit} in {seconds:.1f} s{rate}{detail}"


class TerminalProgress:
    """A :data:`~annotator.core.progress.ProgressCallback` for the command line."""

    def __init__(self, stream: IO[str], mode: Mode) -> None:
        self.stream = stream
        self.mode = mode
        self.phase: Phase | None = None
        #: The last report of every phase so far, by name: what a command says was kept.
        self.phases: dict[str, Phase] = {}
        self._bar: Any = None  # tqdm.tqdm while a live phase is drawn
        self._lock = threading.Lock()  # reports may come from a worker thread

    def __call__(self, done: int, total: int | None, message: str) -> None:
        name, detail = split_message(message)
        with self._lock:
            if self.phase is None or self.phase.name != name:
                self._end_phase()
                self.phase = Phase(name)
                self.phases[name] = self.phase
            phase = self.phase
            phase.done, phase.total, phase.detail = done, total, detail
            if self.mode is Mode.LIVE:
                self._draw(phase)

    def say(self, line: str) -> None:
        """A line of text between the progress lines (the live line is drawn again below)."""
        with self._lock:
            if self._bar is not None:
                self._bar.write(line, file=self.stream)
            else:
                print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """End the current phase (its line stays)."""
        with self._lock:
            self._end_phase()

    def _draw(self, phase: Phase) -> None:
        bar = self._bar
        if bar is None:
            from tqdm import tqdm  # only a terminal pays for importing it

            bar = self._bar = tqdm(
                desc=phase.name,
                total=phase.total,
                unit=f" {phase.unit}",
                file=self.stream,
                leave=True,
                dynamic_ncols=True,
                bar_format=WITH_TOTAL if phase.total is not None else WITHOUT_TOTAL,
                mininterval=0.2,
                # Rates and times left over the recent batches, not the whole run.
                smoothing=0.1,
            )
        if bar.total != phase.total:
            bar.total = phase.total
            bar.bar_format = WITH_TOTAL if phase.total is not None else WITHOUT_TOTAL
        if phase.detail:
            bar.set_postfix_str(phase.detail, refresh=False)
        if phase.done >= bar.n:
            bar.update(phase.done - bar.n)  # redraws at most every mininterval
        else:
            bar.n = phase.done
            bar.refresh()

    def _end_phase(self) -> None:
        phase, self.phase = self.phase, None
        if phase is None:
            return
        if self._bar is not None:
            bar, self._bar = self._bar, None
            bar.n = phase.done
            bar.close()  # draws the final frame and leaves it on its own line
        elif self.mode is Mode.LINES:
            print(phase.summary(), file=self.stream, flush=True)


@dataclass
class LongRun:
    """What a long command hands to a service: ``progress`` and ``cancel``."""

    progress: TerminalProgress
    cancel: CancelToken


@contextmanager
def long_run(*, quiet: bool = False, stream: IO[str] | None = None) -> Iterator[LongRun]:
    """Progress on ``stream`` (standard error) and Ctrl+C as a cancel, for one long command;
    the last phase's line is ended when the block ends."""
    stream = stream if stream is not None else sys.stderr
    run = LongRun(TerminalProgress(stream, mode_for(stream, quiet=quiet)), CancelToken())
    with _ctrl_c_cancels(run):
        try:
            yield run
        finally:
            run.progress.close()


@contextmanager
def _ctrl_c_cancels(run: LongRun) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread; Ctrl+C stays as it is
        return

    def on_ctrl_c(signum: int, frame: FrameType | None) -> None:
        if run.cancel.cancelled:
            raise KeyboardInterrupt  # a second Ctrl+C: stop at once
        run.cancel.cancel()
        run.progress.say(
            "annotator: stopping after the current batch (Ctrl+C again to stop at once)"
        )

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
