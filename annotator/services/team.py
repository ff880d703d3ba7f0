"""The team: who annotates, who reviews, how many annotators each document gets, and whose
work the window shows. Qt-free: the window calls this from its database worker, the CLI
directly.

Who is a reviewer: the first person to open a new project (nobody else registered) becomes its
reviewer; ``annotator team add NAME --reviewer`` and ``annotator team reviewer NAME`` set it
from the command line (whoever can reach the database); in the window, only a reviewer can
change roles or K, or anyone while the project has no reviewer. Reviewers may look at other
annotators' work, read-only; annotators only ever see their own work and the suggestions.

Role and K changes made in the window are commands with inverses, so Ctrl+Z undoes them like
any other action.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.commands import Applied, Changes
from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR
from annotator.storage import assignments
from annotator.storage.assignments import TeamMember
from annotator.storage.database import Database
from annotator.storage.store import Store

__all__ = [
    "AddAnnotator",
    "NotAllowedError",
    "SetPerDocument",
    "SetReviewer",
    "TeamMember",
    "TeamService",
    "TeamState",
]


class NotAllowedError(AnnotatorError):
    """The person acting lacks the role the action needs."""


@dataclass(frozen=True, slots=True)
class TeamState:
    """What the Team dialog shows."""

    members: tuple[TeamMember, ...]
    per_document: int
    #: Whether the person looking may change roles and K.
    can_manage: bool


def _check_manager(store: Store, actor: str | None) -> None:
    """``actor=None``: the command line or an undo, which need no role."""
    if actor is None:
        return
    if assignments.is_reviewer(store, actor) or not assignments.reviewers(store):
        return
    raise NotAllowedError(
        f"only a reviewer can change the team or the annotators per document ({actor} is not "
        "a reviewer)"
    )


@dataclass(frozen=True, slots=True)
class SetReviewer:
    """Make ``annotator`` a reviewer or not; ``actor`` (None: no check) must be allowed."""

    annotator: str
    reviewer: bool
    actor: str | None = None

    @property
    def name(self) -> str:
        return f"{'Make' if self.reviewer else 'Unmake'} {self.annotator} reviewer"

    def apply(self, store: Store) -> Applied:
        _check_manager(store, self.actor)
        before = assignments.set_reviewer(store, self.annotator, self.reviewer)
        store.log("team.reviewer", self.actor, None, {"name": self.annotator, "on": self.reviewer})
        return Applied(Changes(), SetReviewer(self.annotator, before))


@dataclass(frozen=True, slots=True)
class SetPerDocument:
    """Set K, the annotators each document is handed out to (0: no limit)."""

    k: int
    actor: str | None = None

    @property
    def name(self) -> str:
        return f"Set annotators per document to {self.k or 'no limit'}"

    def apply(self, store: Store) -> Applied:
        _check_manager(store, self.actor)
        before = assignments.per_document(store)
        assignments.set_per_document(store, self.k)
        store.log("team.per_document", self.actor, None, {"k": self.k})
        return Applied(Changes(), SetPerDocument(before))


@dataclass(frozen=True, slots=True)
class AddAnnotator:
    annotator: str
    reviewer: bool = False
    actor: str | None = None

    @property
    def name(self) -> str:
        return f"Add annotator {self.annotator.strip()}"

    def apply(self, store: Store) -> Applied:
        _check_manager(store, self.actor)
        added = assignments.add_annotator(store, self.annotator, reviewer=self.reviewer)
        store.log("team.add", self.actor, None, {"name": added, "reviewer": self.reviewer})
        return Applied(Changes(), _RemoveAnnotator(added))


@dataclass(frozen=True, slots=True)
class _RemoveAnnotator:
    """The undo of an add (refused once the person has work)."""

    annotator: str

    @property
    def name(self) -> str:
        return f"Add annotator {self.annotator}"

    def apply(self, store: Store) -> Applied:
        assignments.remove_annotator(store, self.annotator)
        return Applied(Changes(), AddAnnotator(self.annotator))


class TeamService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def join(self, annotator: str) -> bool:
        """``annotator`` opens the project; returns whether they are a reviewer."""
        with self.db.write() as store:
            return assignments.join(store, annotator)

    def state(self, viewer: str) -> TeamState:
        with self.db.read() as store:
            return TeamState(
                tuple(assignments.members(store)),
                assignments.per_document(store),
                assignments.is_reviewer(store, viewer) or not assignments.reviewers(store),
            )

    def members(self) -> list[TeamMember]:
        with self.db.read() as store:
            return assignments.members(store)

    def is_reviewer(self, annotator: str) -> bool:
        with self.db.read() as store:
            return assignments.is_reviewer(store, annotator)

    def per_document(self) -> int:
        with self.db.read() as store:
            return assignments.per_document(store)

    def apply(self, command: SetReviewer | SetPerDocument | AddAnnotator) -> Applied:
        """Apply a team command outside any undo history (the command line)."""
        with self.db.write() as store:
            return command.apply(store)

    # -- hand-out ---------------------------------------------------------------------------

    def take_next(self, annotator: str, after_id: int) -> int | None:
        """ "Next document" for ``annotator`` after ``after_id``: records the assignment of a
        document they finished by hand, then hands out the next one (taking a slot when K is
        set). ``None`` when nothing is left for them."""
        with self.db.write() as store:
            return assignments.hand_out(store, annotator, after_id)

    def peek_next(self, annotator: str, after_id: int) -> int | None:
        """What :meth:`take_next` would hand out, taking nothing (for prefetching)."""
        with self.db.read() as store:
            return assignments.peek_assignment(store, annotator, after_id)

    # -- whose work is shown ----------------------------------------------------------------

    def check_may_view(self, viewer: str, shown: str | None) -> None:
        """``viewer`` may look at ``shown``'s work (None: everyone's): only reviewers may look
        at anyone's but their own."""
        if shown == viewer:
            return
        with self.db.read() as store:
            if not assignments.is_reviewer(store, viewer):
                raise NotAllowedError(
                    f"only reviewers can see other annotators' work ({viewer} is not a reviewer)"
                )
            if shown == GOLD_ANNOTATOR:
                return  # the gold layer exists from its first span on
            if shown is not None and not assignments.exists_annotator(store, shown):
                raise NotAllowedError(f"no annotator named {shown!r} in this project")


def describe_shown(viewer: str, shown: str | None) -> str:
    """For the status bar: whose work is on screen."""
    if shown == viewer:
        return "showing my work"
    if shown is None:
        return "showing everyone's work (read-only)"
    if shown == GOLD_ANNOTATOR:
        return "editing the gold layer"
    return f"showing {shown}'s work (read-only)"
