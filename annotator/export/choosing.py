"""Whose annotations go out for a document, and whether it goes out at all.

A model trainer wants one consistent version of each document: mixing two annotators' spans
would give duplicated or contradictory labels. The rule (``lossless`` is the native format,
which keeps everything for a round trip):

* ``--annotator NAME``: NAME's annotations; the document goes out when NAME has marked it done
  (or always, with ``--all``).
* no annotator, ``lossless``: every annotator's annotations; the document goes out when anyone
  has marked it done (or always, with ``--all``).
* no annotator, trainer formats: the annotator who marked the document done, when exactly one
  did. When several did, the document is left out and reported as a conflict: choose one with
  ``--annotator`` (adjudication will build a gold layer). When nobody did, the document is not
  done and is left out and counted, unless ``--all``: then the one annotator who has spans in it
  (none: the text goes out without annotations), and a conflict again when several have.

The gold layer (the reserved annotator ``gold``, built by adjudication) is not an annotator
among others here: the rule above ignores it unless it is named with ``--annotator gold``.
With ``gold`` (``--gold``) the gold version wins for every document whose gold status is done
(adjudicated), in every format; other documents follow the rule above, or are left out as
:data:`NOT_ADJUDICATED` with ``gold_only`` (``--gold-only``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from annotator.core.model import GOLD_ANNOTATOR, DocumentState, Status

NOT_DONE = "not done"
CONFLICT = "conflict"
NOT_ADJUDICATED = "not adjudicated"


@dataclass(frozen=True, slots=True)
class Choice:
    """``include``: whether the document goes out. ``annotator``: whose spans (``None`` means
    everyone's for a lossless export, and nobody's otherwise). ``reason``: why it is left out
    (:data:`NOT_DONE`, :data:`CONFLICT` or :data:`NOT_ADJUDICATED`) and ``message`` for a
    conflict."""

    include: bool
    annotator: str | None = None
    everyone: bool = False
    reason: str | None = None
    message: str = ""


def choose(
    states: Iterable[DocumentState],
    span_annotators: Collection[str],
    *,
    annotator: str | None,
    include_all: bool,
    lossless: bool,
    gold: bool = False,
    gold_only: bool = False,
) -> Choice:
    states = list(states)
    if gold or gold_only:
        adjudicated = any(s.annotator == GOLD_ANNOTATOR and s.status is Status.DONE for s in states)
        if adjudicated:
            return Choice(True, GOLD_ANNOTATOR)
        if gold_only:
            return Choice(False, reason=NOT_ADJUDICATED)
    if annotator != GOLD_ANNOTATOR:
        # Gold is the reviewer's layer, not a competing annotator (see the module notes).
        states = [s for s in states if s.annotator != GOLD_ANNOTATOR]
        span_annotators = [name for name in span_annotators if name != GOLD_ANNOTATOR]
    done = sorted(state.annotator for state in states if state.status is Status.DONE)
    if annotator is not None:
        if include_all or annotator in done:
            return Choice(True, annotator)
        return Choice(False, annotator, reason=NOT_DONE)
    if lossless:
        if include_all or done:
            return Choice(True, everyone=True)
        return Choice(False, everyone=True, reason=NOT_DONE)
    if len(done) == 1:
        return Choice(True, done[0])
    if len(done) > 1:
        return _conflict(done, "marked done by")
    if not include_all:
        return Choice(False, reason=NOT_DONE)
    workers = sorted(span_annotators)
    if len(workers) > 1:
        return _conflict(workers, "annotated (none marked it done) by")
    return Choice(True, workers[0] if workers else None)


def _conflict(names: list[str], what: str) -> Choice:
    return Choice(
        False,
        reason=CONFLICT,
        message=f"{what} {', '.join(names)}: choose one with --annotator NAME",
    )
