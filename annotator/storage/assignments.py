"""The team: annotators and their roles, and the hand-out of documents ("next document") with
at most K annotators per document.

Taking a slot is ONE conditional statement on the document's counter::

    UPDATE documents SET assignees = assignees + 1 WHERE id = :id AND assignees < :k

It is atomic on SQLite (write transactions begin IMMEDIATE, so they run one at a time) and on
PostgreSQL under READ COMMITTED (a second updater waits for the first's row lock, then re-checks
the WHERE against the committed row): of two people asking at once for the last slot, one
updates a row and the other updates none and tries the next candidate. No lock is held between
reading the candidates and taking one, and no transaction retries.

Rules (docs/team.md, "Annotators, reviewers and assignment"):

* K is the project setting ``annotators_per_document``; absent or 0 means no limit: "next
  document" is then simply the next one this annotator has not done or skipped, and nothing
  is recorded.
* "Next document" first returns a document already assigned to this annotator that they have
  not done or skipped, else takes a slot of the first document after the current one (in id
  order, wrapping around) that they have not done or skipped, not already theirs, with fewer
  than K assignees.
* A skipped document keeps its slot: skipping is that annotator's answer for the document.
* Someone who opens a document by hand and marks it done without an assignment gets one
  recorded (when they move on, and for every such document when K is set or changed): the
  counter may then exceed K. K is the target for the hand-out, not a lock on the documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from annotator.core.errors import InputError, NotFoundError
from annotator.core.model import GOLD_ANNOTATOR, Status
from annotator.storage.bulk import chunks
from annotator.storage.orm import (
    Annotator,
    AssignmentRow,
    DocumentRow,
    DocumentStatusRow,
    SpanRow,
)
from annotator.storage.store import Store

#: The settings key of K, the number of annotators each document is handed out to.
PER_DOCUMENT_KEY = "annotators_per_document"

#: Statuses after which a document is never handed to that annotator again.
FINISHED = (Status.DONE.value, Status.SKIPPED.value)

#: Candidates read per query while looking for a free slot.
_BATCH = 50

_NAME_LIMIT = 200  # the width of annotators.name


@dataclass(frozen=True, slots=True)
class TeamMember:
    """One annotator of the project, with their role and how far they are."""

    name: str
    is_reviewer: bool
    #: Documents handed to them (or done by hand and recorded).
    assigned: int
    done: int
    skipped: int
    spans: int

    @property
    def open(self) -> int:
        """Assigned documents not yet done or skipped."""
        return max(0, self.assigned - self.done - self.skipped)


# -- K ------------------------------------------------------------------------------------------


def per_document(store: Store) -> int:
    """K: how many annotators each document is handed out to; 0 means no limit."""
    value = store.get_setting(PER_DOCUMENT_KEY, 0)
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0  # a hand-edited setting that is not a number: behave as if unset


def set_per_document(store: Store, k: int) -> None:
    """Set K (0: no limit). Documents already done by hand are counted first (see the rules)."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"annotators per document: expected a whole number >= 0, got {k!r}")
    store.set_setting(PER_DOCUMENT_KEY, k)
    if k:
        record_done_by_hand(store)


# -- annotators and roles -----------------------------------------------------------------------


def check_person_name(name: str) -> str:
    """The name stripped, or a clear error: empty, too long, or the reserved gold layer."""
    cleaned = name.strip()
    if not cleaned:
        raise InputError("annotator name: empty")
    if len(cleaned) > _NAME_LIMIT:
        raise InputError(f"annotator name: longer than {_NAME_LIMIT} characters")
    if cleaned.casefold() == GOLD_ANNOTATOR.casefold():
        raise InputError(
            f"annotator name: {cleaned!r} is reserved for the adjudicated gold layer; "
            "choose another name"
        )
    return cleaned


def _row(store: Store, name: str) -> Annotator:
    row = store.session.scalar(select(Annotator).where(Annotator.name == name))
    if row is None:
        raise NotFoundError(f"no annotator named {name!r}")
    return row


def members(store: Store) -> list[TeamMember]:
    """Every annotator but the gold layer, by name, with role and counts."""

    def per_annotator(column: object, *conditions: object) -> dict[int, int]:
        query = select(column, func.count()).where(*conditions).group_by(column)  # type: ignore[call-overload]
        return {key: n for key, n in store.session.execute(query)}

    assigned = per_annotator(AssignmentRow.annotator_id)
    done = per_annotator(
        DocumentStatusRow.annotator_id, DocumentStatusRow.status == Status.DONE.value
    )
    skipped = per_annotator(
        DocumentStatusRow.annotator_id, DocumentStatusRow.status == Status.SKIPPED.value
    )
    spans = per_annotator(SpanRow.annotator_id)
    rows = store.session.execute(
        select(Annotator.id, Annotator.name, Annotator.is_reviewer)
        .where(Annotator.name != GOLD_ANNOTATOR)
        .order_by(Annotator.name)
    )
    return [
        TeamMember(
            name,
            bool(reviewer),
            assigned.get(annotator_id, 0),
            done.get(annotator_id, 0),
            skipped.get(annotator_id, 0),
            spans.get(annotator_id, 0),
        )
        for annotator_id, name, reviewer in rows
    ]


def exists_annotator(store: Store, name: str) -> bool:
    return store.session.scalar(select(Annotator.id).where(Annotator.name == name)) is not None


def add_annotator(store: Store, name: str, *, reviewer: bool = False) -> str:
    """Add a person to the project; returns the stored (stripped) name."""
    name = check_person_name(name)
    if exists_annotator(store, name):
        raise InputError(f"annotator name: {name!r} is already in the project")
    store.session.add(Annotator(name=name, is_reviewer=reviewer))
    store.session.flush()
    return name


def remove_annotator(store: Store, name: str) -> None:
    """Remove an annotator who has no work, assignment or status (undo of an add)."""
    row = _row(store, name)
    for table in (SpanRow, AssignmentRow, DocumentStatusRow):
        if store.session.scalar(select(table.annotator_id).where(table.annotator_id == row.id)):
            raise InputError(f"annotator {name!r} has work in the project and stays")
    store.session.delete(row)
    store.session.flush()


def is_reviewer(store: Store, name: str) -> bool:
    flag = store.session.scalar(select(Annotator.is_reviewer).where(Annotator.name == name))
    return bool(flag)


def set_reviewer(store: Store, name: str, reviewer: bool) -> bool:
    """Make ``name`` a reviewer (or not); returns what the flag was before."""
    if name == GOLD_ANNOTATOR:
        raise InputError(f"{GOLD_ANNOTATOR!r} is the gold layer, not a person")
    row = _row(store, name)
    before = bool(row.is_reviewer)
    row.is_reviewer = reviewer
    store.session.flush()
    return before


def reviewers(store: Store) -> list[str]:
    return list(
        store.session.scalars(
            select(Annotator.name).where(Annotator.is_reviewer.is_(True)).order_by(Annotator.name)
        )
    )


def join(store: Store, name: str) -> bool:
    """Someone opens the project as ``name``: register them; the first person in a project
    that has no reviewer (nobody else registered) becomes its reviewer. Returns whether
    ``name`` is a reviewer."""
    name = check_person_name(name)
    if exists_annotator(store, name):
        return is_reviewer(store, name)
    others = store.session.scalar(
        select(func.count()).select_from(Annotator).where(Annotator.name != GOLD_ANNOTATOR)
    )
    store.session.add(Annotator(name=name, is_reviewer=not others))
    store.session.flush()
    return not others


# -- hand-out -----------------------------------------------------------------------------------


def _finished_by(annotator_id: int) -> ColumnElement[bool]:
    return exists().where(
        DocumentStatusRow.document_id == DocumentRow.id,
        DocumentStatusRow.annotator_id == annotator_id,
        DocumentStatusRow.status.in_(FINISHED),
    )


def _assigned_to(annotator_id: int) -> ColumnElement[bool]:
    return exists().where(
        AssignmentRow.document_id == DocumentRow.id, AssignmentRow.annotator_id == annotator_id
    )


def _ranges(after_id: int) -> list[tuple[int, int | None]]:
    """``(lower exclusive, upper exclusive)`` id ranges: after the current one, then wrapping
    around to before it."""
    return [(after_id, None), (0, after_id)] if after_id > 0 else [(0, None)]


def _first(
    store: Store, lower: int, upper: int | None, *conditions: ColumnElement[bool]
) -> int | None:
    query = select(DocumentRow.id).where(DocumentRow.id > lower, *conditions)
    if upper is not None:
        query = query.where(DocumentRow.id < upper)
    return store.session.scalar(query.order_by(DocumentRow.id).limit(1))


def _open_assignment(store: Store, annotator_id: int, after_id: int) -> int | None:
    # The wrap includes the current document: while it is theirs and not finished, the
    # annotator gets it back rather than a new slot elsewhere.
    ranges = [(after_id, None), (0, after_id + 1)] if after_id else [(0, None)]
    for lower, upper in ranges:
        found = _first(store, lower, upper, _assigned_to(annotator_id), ~_finished_by(annotator_id))
        if found is not None:
            return found
    return None


def _free_conditions(annotator_id: int, k: int) -> list[ColumnElement[bool]]:
    return [DocumentRow.assignees < k, ~_assigned_to(annotator_id), ~_finished_by(annotator_id)]


def peek_assignment(store: Store, annotator: str, after_id: int = 0) -> int | None:
    """What :func:`next_assignment` would hand out, without taking anything (read-only: for
    prefetching). With no K, the next document not done or skipped."""
    k = per_document(store)
    annotator_id = store.existing_annotator_id(annotator)
    if not k:
        return _next_unfinished(store, annotator_id, after_id)
    found = _open_assignment(store, annotator_id, after_id)
    if found is not None:
        return found
    for lower, upper in _ranges(after_id):
        found = _first(store, lower, upper, *_free_conditions(annotator_id, k))
        if found is not None:
            return found
    return None


def _next_unfinished(store: Store, annotator_id: int, after_id: int) -> int | None:
    for lower, upper in _ranges(after_id):
        found = _first(store, lower, upper, ~_finished_by(annotator_id))
        if found is not None:
            return found
    return None


def next_assignment(store: Store, annotator: str, after_id: int = 0) -> int | None:
    """The document "next document" hands ``annotator`` (inside a write unit of work), or
    ``None`` when there is none left for them. See the module's rules."""
    k = per_document(store)
    annotator_id = store.annotator_id(annotator)
    if not k:
        return _next_unfinished(store, annotator_id, after_id)
    found = _open_assignment(store, annotator_id, after_id)
    if found is not None:
        return found
    for lower, upper in _ranges(after_id):
        last = lower
        while True:
            query = select(DocumentRow.id).where(
                DocumentRow.id > last,
                *_free_conditions(annotator_id, k),
            )
            if upper is not None:
                query = query.where(DocumentRow.id < upper)
            candidates = list(store.session.scalars(query.order_by(DocumentRow.id).limit(_BATCH)))
            if not candidates:
                break
            for document_id in candidates:
                if _take_slot(store, document_id, annotator_id, k):
                    return document_id
            last = candidates[-1]
    return None


def take_documents(store: Store, annotator: str, count: int) -> list[int]:
    """Hand ``annotator`` up to ``count`` more documents at once (a share to take away on a
    laptop), by the rule of "next document": in id order, documents neither handed to them
    nor finished by them, with a free slot when K is set. Returns the ids taken."""
    k = per_document(store)
    annotator_id = store.annotator_id(annotator)
    conditions = [~_assigned_to(annotator_id), ~_finished_by(annotator_id)]
    if k:
        conditions.append(DocumentRow.assignees < k)
    taken: list[int] = []
    last = 0
    while len(taken) < count:
        query = select(DocumentRow.id).where(DocumentRow.id > last, *conditions)
        candidates = list(store.session.scalars(query.order_by(DocumentRow.id).limit(_BATCH)))
        if not candidates:
            break
        for document_id in candidates[: count - len(taken)]:
            if _take_slot(store, document_id, annotator_id, k or None):
                taken.append(document_id)
        last = candidates[-1]
    return taken


def _take_slot(store: Store, document_id: int, annotator_id: int, k: int | None) -> bool:
    """Take one of the document's K slots for the annotator (``k=None``: regardless of K);
    False when someone else took the last one first."""
    conn = store.session.connection()
    bump = update(DocumentRow.__table__).where(DocumentRow.__table__.c.id == document_id)
    if k is not None:
        bump = bump.where(DocumentRow.__table__.c.assignees < k)
    taken = conn.execute(bump.values(assignees=DocumentRow.__table__.c.assignees + 1))
    if taken.rowcount != 1:
        return False
    # The same person asking from two windows at once: the second insert finds the first's
    # row, and gives its slot back (the document is theirs all the same).
    if conn.dialect.name == "postgresql":
        # Imported here: a window on a SQLite project never needs the PostgreSQL dialect.
        from sqlalchemy.dialects.postgresql import insert
    else:
        insert = sqlite_insert
    table = AssignmentRow.__table__
    added = conn.execute(
        insert(table)
        .values(document_id=document_id, annotator_id=annotator_id)
        .on_conflict_do_nothing()
        .returning(table.c.document_id)  # rowcount is -1 here on psycopg
    ).first()
    if added is None:
        conn.execute(
            update(DocumentRow.__table__)
            .where(DocumentRow.__table__.c.id == document_id)
            .values(assignees=DocumentRow.__table__.c.assignees - 1)
        )
    return True


def record_done(store: Store, document_id: int, annotator: str) -> bool:
    """If ``annotator`` has finished ``document_id`` without an assignment (opened by hand),
    record one, beyond K if need be. Returns whether one was recorded."""
    annotator_id = store.existing_annotator_id(annotator)
    finished = store.session.scalar(
        select(DocumentStatusRow.status).where(
            DocumentStatusRow.document_id == document_id,
            DocumentStatusRow.annotator_id == annotator_id,
        )
    )
    if finished != Status.DONE.value:
        return False
    assigned = store.session.get(AssignmentRow, (document_id, annotator_id))
    if assigned is not None:
        return False
    return _take_slot(store, document_id, annotator_id, None)


def record_done_by_hand(store: Store) -> int:
    """Record an assignment for every document someone marked done without one; returns how
    many (run when K is set, so work done before counts)."""
    missing = store.session.execute(
        select(DocumentStatusRow.document_id, DocumentStatusRow.annotator_id)
        .where(DocumentStatusRow.status == Status.DONE.value)
        .where(
            ~exists().where(
                and_(
                    AssignmentRow.document_id == DocumentStatusRow.document_id,
                    AssignmentRow.annotator_id == DocumentStatusRow.annotator_id,
                )
            )
        )
        .order_by(DocumentStatusRow.document_id)
    ).all()
    for document_id, annotator_id in missing:
        _take_slot(store, document_id, annotator_id, None)
    return len(missing)


def assigned_documents(store: Store, annotator: str) -> list[int]:
    """The documents handed to ``annotator``, in id order."""
    annotator_id = store.existing_annotator_id(annotator)
    return list(
        store.session.scalars(
            select(AssignmentRow.document_id)
            .where(AssignmentRow.annotator_id == annotator_id)
            .order_by(AssignmentRow.document_id)
        )
    )


def assignments_by_documents(
    store: Store, document_ids: Iterable[int], annotator: str | None = None
) -> dict[int, list[str]]:
    """Who each of these documents was handed to (``annotator`` only, when given), by name
    in name order; documents handed to nobody are absent. For a merge."""
    found: dict[int, list[str]] = {}
    for chunk in chunks(list(document_ids)):
        query = (
            select(AssignmentRow.document_id, Annotator.name)
            .join(Annotator, Annotator.id == AssignmentRow.annotator_id)
            .where(AssignmentRow.document_id.in_(chunk))
            .order_by(AssignmentRow.document_id, Annotator.name)
        )
        if annotator is not None:
            query = query.where(Annotator.name == annotator)
        for document_id, name in store.session.execute(query):
            found.setdefault(document_id, []).append(name)
    return found


def add_assignment(store: Store, document_id: int, annotator: str) -> bool:
    """Record that ``document_id`` was handed to ``annotator`` (a merge brings the hand-outs
    made in another project: beyond K if need be, as for work done by hand). False when it
    already was."""
    annotator_id = store.annotator_id(annotator)
    if store.session.get(AssignmentRow, (document_id, annotator_id)) is not None:
        return False
    return _take_slot(store, document_id, annotator_id, None)


def assignees(store: Store, document_ids: Iterable[int]) -> dict[int, int]:
    """The counter of each of these documents (how many annotators it was handed to)."""
    ids = list(document_ids)
    if not ids:
        return {}
    rows = store.session.execute(
        select(DocumentRow.id, DocumentRow.assignees).where(DocumentRow.id.in_(ids))
    )
    return {doc_id: n for doc_id, n in rows}


def hand_out(store: Store, annotator: str, after_id: int) -> int | None:
    """ "Next document" after ``after_id`` (inside a write unit of work): first record the
    assignment of ``after_id`` if the annotator finished it by hand, then hand out the next."""
    if after_id and per_document(store):
        record_done(store, after_id, annotator)
    return next_assignment(store, annotator, after_id)
