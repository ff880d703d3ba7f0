"""Decisions on suggestions and hand-outs in a merge (:mod:`annotator.services.merging`).

An annotator's accept and reject decisions belong to their version of a document, with their
spans and status: they come with it and stay with it.

* Where the documents' work was merged without conflict, the other project's decisions are
  added; a decision this project already has is left as it is. The same suggestion accepted on
  one side and rejected on the other is a conflict, settled as a span conflict is: this
  project's is kept, or (``replace``) the other project's taken, and reported either way.
* Where the annotator's spans conflicted and this project's version was kept, none of their
  decisions from the other project come: that version was not taken.
* Where the other project's version replaced this project's, its decisions replace theirs.

Without its decision, a suggestion accepted and then relabelled or deleted, or rejected, would
be proposed again after the merge.

Assignments (documents handed to an annotator, :mod:`annotator.storage.assignments`) cannot
conflict: the ones this project lacks are added, beyond K if need be (as for work done by
hand), and the document's counter goes up with each.

Everything is keyed by document, annotator and suggestion, so a second merge adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.model import SuggestionDecision
from annotator.storage import assignments
from annotator.storage.store import Store


@dataclass(frozen=True, slots=True)
class IncomingWork:
    """One document of the other project: its decisions and who it was handed to."""

    #: The document as the merge report names it ("document a2").
    origin: str
    #: The hash of its text, which finds it in this project (documents match by text).
    sha256: str
    decisions: tuple[SuggestionDecision, ...] = ()
    assignees: tuple[str, ...] = ()
    #: The document's text, to quote a conflicting decision's words in the report.
    text: str = ""


@dataclass(frozen=True, slots=True)
class DecisionConflict:
    """The same annotator accepted a suggestion on one side and rejected it on the other."""

    origin: str
    annotator: str
    ours: SuggestionDecision
    theirs: SuggestionDecision
    replaced: bool
    #: The suggestion's words.
    words: str = ""

    def describe(self) -> str:
        d = self.ours
        settled = "took the other project's" if self.replaced else "kept this project's"
        words = f" “{self.words}”" if self.words else ""
        return (
            f"{self.origin}: {self.annotator} {d.decision.value} the {d.layer.value} "
            f"suggestion {d.label}{words} ({d.start}–{d.end}) here and "
            f"{self.theirs.decision.value} it there; {settled}"
        )


@dataclass
class DecisionTally:
    """What the merge did with decisions and assignments."""

    added: int = 0
    unchanged: int = 0
    #: This project's decisions dropped with a version the other project's replaced.
    removed: int = 0
    #: The other project's decisions left out with a version that conflicted and was kept.
    left_out: int = 0
    conflicts: list[DecisionConflict] = field(default_factory=list)
    assignments_added: int = 0
    assignments_unchanged: int = 0

    def add(self, other: DecisionTally) -> None:
        self.added += other.added
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.left_out += other.left_out
        self.conflicts.extend(other.conflicts)
        self.assignments_added += other.assignments_added
        self.assignments_unchanged += other.assignments_unchanged

    def lines(self) -> list[str]:
        """The report's lines (conflicts apart: the caller lists them with the others)."""
        decisions = (
            f"Decisions on suggestions: {self.added} added, {self.unchanged} already here, "
            f"{len(self.conflicts)} conflicting"
        )
        if self.removed:
            decisions += f", {self.removed} dropped with a replaced version"
        if self.left_out:
            decisions += f", {self.left_out} left out with a conflicting version"
        return [
            decisions,
            f"Assignments: {self.assignments_added} added, "
            f"{self.assignments_unchanged} already here",
        ]


_Key = tuple[str, str, int, int, str]  # annotator, layer, start, end, label


def _key(decision: SuggestionDecision) -> _Key:
    d = decision
    return (d.annotator, d.layer.value, d.start, d.end, d.label)


def merge_work(
    store: Store,
    incoming: Sequence[IncomingWork],
    versions: Mapping[tuple[str, str], bool],
    *,
    replace: bool = False,
) -> DecisionTally:
    """Bring ``incoming``'s decisions and assignments into this project (inside the caller's
    transaction), as the module says. ``versions`` holds the span conflicts of the same
    documents: ``(origin, annotator)`` → whether the other project's version replaced this
    project's."""
    tally = DecisionTally()
    here = store.existing_hashes(item.sha256 for item in incoming)
    found = [(here[item.sha256], item) for item in incoming if item.sha256 in here]
    ours_by_document = store.decisions_by_documents([doc_id for doc_id, _item in found])
    for doc_id, item in found:
        ours = {_key(d): d for d in ours_by_document.get(doc_id, [])}
        _merge_decisions(store, doc_id, item, ours, versions, replace, tally)
        _merge_assignments(store, doc_id, item.assignees, tally)
    return tally


def _merge_decisions(
    store: Store,
    doc_id: int,
    item: IncomingWork,
    ours: dict[_Key, SuggestionDecision],
    versions: Mapping[tuple[str, str], bool],
    replace: bool,
    tally: DecisionTally,
) -> None:
    theirs_by_annotator: dict[str, list[SuggestionDecision]] = {}
    for decision in item.decisions:
        theirs_by_annotator.setdefault(decision.annotator, []).append(decision)
    # An annotator whose version replaced this project's: their decisions here go with it.
    for name, took_theirs in versions.items():
        if name[0] != item.origin or not took_theirs:
            continue
        incoming = {_key(d) for d in theirs_by_annotator.get(name[1], [])}
        for key, decision in list(ours.items()):
            if decision.annotator == name[1] and key not in incoming:
                _clear(store, doc_id, decision)
                del ours[key]
                tally.removed += 1
    for name, theirs in theirs_by_annotator.items():
        version = versions.get((item.origin, name))
        if version is False:  # their spans conflicted and this project's were kept
            tally.left_out += len(theirs)
            continue
        for decision in theirs:
            mine = ours.get(_key(decision))
            if mine is None:
                store.set_decision(_here(decision, doc_id))
                tally.added += 1
            elif mine.decision is decision.decision:
                tally.unchanged += 1
            elif version is True:
                store.set_decision(_here(decision, doc_id))  # part of the version taken
                tally.added += 1
            else:
                if replace:
                    store.set_decision(_here(decision, doc_id))
                words = _excerpt(item.text, decision.start, decision.end)
                tally.conflicts.append(
                    DecisionConflict(item.origin, name, mine, decision, replace, words)
                )


def _excerpt(text: str, start: int, end: int, most: int = 60) -> str:
    words = " ".join(text[start:end].split())
    return words if len(words) <= most else words[: most - 1] + "…"


def _here(decision: SuggestionDecision, doc_id: int) -> SuggestionDecision:
    d = decision
    return SuggestionDecision(
        doc_id, d.annotator, d.layer, d.start, d.end, d.label, d.decision, d.suggester
    )


def _clear(store: Store, doc_id: int, decision: SuggestionDecision) -> None:
    d = decision
    store.clear_decision(doc_id, d.annotator, d.layer, d.start, d.end, d.label)


def _merge_assignments(
    store: Store, doc_id: int, names: Iterable[str], tally: DecisionTally
) -> None:
    for name in names:
        if assignments.add_assignment(store, doc_id, name):
            tally.assignments_added += 1
        else:
            tally.assignments_unchanged += 1
