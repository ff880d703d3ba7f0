"""The open document after an action, worked out from the action instead of read again.

An applied command says which spans it created, changed or deleted (``Applied.spans`` holds
them as stored, versions and timestamps included) and the command itself says which decisions
and status it set. With the view's :class:`~annotator.services.workspace.Basis` (the stored
suggestions and decisions it was read with) that is all the window needs to draw the
document again, without the read transaction of five queries an action used to end with.

Only what is known exactly is worked out; anything else returns ``None`` and the caller reads
the document again: a command of a kind not listed here, work in another document, a change
the command did not hand back (a delete moves the claims that cited the span to a new
version), the gold layer or everyone's work on screen (other people write there too), or a
view read with other settings. tests/services/test_view_after.py checks the result equals a
fresh read after random sequences of actions.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.commands import (
    AddSpan,
    Applied,
    Batch,
    Command,
    DeleteSpan,
    ReplaceSpan,
    RestoreSpan,
    SetDecision,
    SetState,
)
from annotator.core.model import GOLD_ANNOTATOR, Decision, DocumentState, Span, Status
from annotator.services.workspace import (
    AcceptWithClaimant,
    DocumentView,
    StartWork,
    Workspace,
)

DecisionKey = tuple[str, int, int, str]

#: Commands whose whole effect on a document is in ``Applied.spans`` / ``Applied.versions``.
_SPAN_COMMANDS = (AddSpan, DeleteSpan, RestoreSpan, ReplaceSpan)


class _Unknown(Exception):
    """The effect of a step cannot be worked out: read the document again."""


class _Effects:
    """Decisions and status a command sets, collected step by step in the order applied."""

    def __init__(self, document_id: int, annotator: str) -> None:
        self.document_id = document_id
        self.annotator = annotator
        self.decisions: dict[DecisionKey, Decision | None] = {}
        self.state: DocumentState | None = None

    def _mine(self, document_id: int, annotator: str) -> None:
        if (document_id, annotator) != (self.document_id, self.annotator):
            raise _Unknown

    def collect(self, command: Command, inverse: Command) -> None:
        """``inverse`` is what applying ``command`` returned as its undo (a Batch's inverse
        holds its steps' inverses in reverse order)."""
        if isinstance(command, Batch):
            steps = command.commands
            if not isinstance(inverse, Batch) or len(inverse.commands) != len(steps):
                raise _Unknown
            for step, undo in zip(steps, reversed(inverse.commands), strict=True):
                self.collect(step, undo)
        elif isinstance(command, _SPAN_COMMANDS):
            return
        elif isinstance(command, SetDecision):
            self._mine(command.document_id, command.annotator)
            key = (command.layer.value, command.start, command.end, command.label)
            self.decisions[key] = command.decision
        elif isinstance(command, SetState):
            self._mine(command.state.document_id, command.state.annotator)
            self.state = command.state
        elif isinstance(command, StartWork):
            self._mine(command.document_id, command.annotator)
            if isinstance(inverse, SetState):  # it was new: the stored state, now started
                self.state = replace(inverse.state, status=Status.IN_PROGRESS)
            elif not (isinstance(inverse, Batch) and not inverse.commands):
                raise _Unknown
        elif isinstance(command, AcceptWithClaimant):
            s = command.suggestion
            self._mine(s.document_id, command.annotator)
            self.decisions[(s.layer.value, s.start, s.end, s.label)] = Decision.ACCEPTED
        else:
            raise _Unknown


def view_after(
    workspace: Workspace, view: DocumentView, command: Command, applied: Applied
) -> DocumentView | None:
    """The view of ``view``'s document after ``command`` was applied (``applied``), or None
    when it has to be read again. ``view`` is the state the command was applied to: pass
    :meth:`Workspace.newest`, not what the window drew last (it may lag behind)."""
    basis = view.basis
    shown = workspace.showing
    if (
        basis is None
        or shown is None
        or shown == GOLD_ANNOTATOR
        or basis.showing != shown
        or basis.hidden != workspace.hidden_suggesters
        or workspace.acting != shown
    ):
        return None
    document_id = view.document.id
    changes = applied.changes
    if changes.document_ids - {document_id}:
        return None
    effects = _Effects(document_id, shown)
    try:
        effects.collect(command, applied.inverse)
    except _Unknown:
        return None
    if changes.status and effects.state is None:
        return None
    spans = _spans_after(view, applied, shown)
    if spans is None:
        return None
    decided = set(basis.decided)
    for key, decision in effects.decisions.items():
        if decision in (Decision.ACCEPTED, Decision.REJECTED):
            decided.add(key)
        else:
            decided.discard(key)
    new_basis = replace(basis, decided=frozenset(decided))
    return workspace.remember(
        replace(
            view,
            spans=spans,
            suggestions=workspace.pending_of(document_id, new_basis, spans),
            state=effects.state or view.state,
            basis=new_basis,
        )
    )


def with_echoes(workspace: Workspace, view: DocumentView) -> DocumentView:
    """``view`` with its pending suggestions worked out again (after
    :meth:`Workspace.echo` added some), or read again when it has no basis."""
    if view.basis is None:
        return workspace.reload_spans(view)
    suggestions = workspace.pending_of(view.document.id, view.basis, view.spans)
    return workspace.remember(replace(view, suggestions=suggestions))


def _spans_after(view: DocumentView, applied: Applied, shown: str) -> tuple[Span, ...] | None:
    """The view's spans with the applied changes; None if a changed span is not handed back
    (or belongs to someone else's work)."""
    gone = {v.span_id for v in applied.versions if v.after is None}
    now: dict[int, Span] = {}
    for span in applied.spans:
        if span.id is None or span.id in gone:
            return None
        if span.document_id != view.document.id or span.annotator != shown:
            return None
        now[span.id] = span
    if any(span_id not in now and span_id not in gone for span_id in applied.changes.span_ids):
        return None
    kept = [s for s in view.spans if s.id not in now and s.id not in gone]
    # The order a fresh read gives (annotator.storage.spans): start, end, id.
    return tuple(sorted((*kept, *now.values()), key=lambda s: (s.start, s.end, s.id or 0)))
