"""Fewer garbage collections while an import runs (docs/adr/0030-native-import-rows.md).

An import builds and drops tens of thousands of small objects per batch (parsed records, the
documents and spans read from them). Each batch that dies moves them through the collector's
generations, and every full collection then walks every object of the process, most of them
the modules and caches loaded at start, which are never garbage. Measured on a native import
with ten spans per document, the collector took a fifth of the import's CPU time. Freezing
what exists when the import starts (``gc.freeze``: those objects are no longer walked) and
letting more objects be made between young collections takes most of that away; nothing is
kept longer than the import, since both are undone when it ends.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

#: Allocations between young collections during an import (Python's default is 700). Above
#: what one batch keeps alive: a batch of 500 native records with ten spans each holds about
#: 12,000 tracked objects until it is stored, and young collections while they lived (at
#: 10,000) walked them again and again and moved them up a generation, 7-10 us of CPU per
#: document; at 25,000 and above under 1 us (docs/adr/0033-native-import-rows.md).
IMPORT_THRESHOLD = 50_000


@dataclass(frozen=True, slots=True)
class Paused:
    """The collector's settings before :func:`collect_less`, for :func:`restore`."""

    thresholds: tuple[int, int, int]


# An import and an export may run at once (each in its own thread), and the collector is the
# process's: the first to start eases it, the last to end puts it back as it was before the
# first (each undoing only its own would leave it eased for good, or restored under the other).
_lock = threading.Lock()
_running = 0
_before: Paused | None = None


def collect_less() -> Paused:
    """Freeze the objects that exist now and collect young objects less often."""
    global _running, _before
    with _lock:
        thresholds = gc.get_threshold()
        if _running == 0:
            _before = Paused(thresholds)
            gc.freeze()
            if thresholds[0] and thresholds[0] < IMPORT_THRESHOLD:
                gc.set_threshold(IMPORT_THRESHOLD, *thresholds[1:])
        _running += 1
        return Paused(thresholds)


def restore(paused: Paused) -> None:
    """Put the collector back as it was (once every :func:`collect_less` has ended): what
    was frozen is collectable again."""
    global _running, _before
    with _lock:
        _running -= 1
        if _running > 0:
            return
        first = _before if _before is not None else paused
        _before = None
        gc.set_threshold(*first.thresholds)
        gc.unfreeze()
