"""One annotation client for the load and crash tests: run as a separate process.

    python tests/concurrency/client.py --db URL --annotator NAME --actions N --seed S

It opens the database itself and performs ``N`` mixed annotation actions through the services
layer (``AnnotationService`` and the core commands): add entity, relabel, delete, accept and
reject suggestions, add a claim with a claimant, edit a claim, set the document status, undo,
and relabel a span of the shared ``reviewed`` annotator with the version it read (which other
clients change too, so some of those are refused as conflicts).

Before each action it prints ``{"begin": seq, "doc": id}``; after each committed action one
acknowledgement line with the facts the action's transaction committed, read inside that
same transaction: every span it touched (``null`` when deleted), and the annotator's status
and decisions on the document. Every line is flushed before the next action starts, so an
acknowledged action is one whose commit returned. A refused review edit (or undo of one)
prints an ``op`` "conflict" line. Any other error goes to stderr and ends the process with status 1.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run by path: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import orjson

from annotator.core.commands import (
    AddSpan,
    Applied,
    Command,
    DeleteSpan,
    ReplaceSpan,
    accept_suggestion,
    mark,
    reject_suggestion,
    relabel,
)
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import ClaimDetails, Layer, Span, Status
from annotator.services.annotate import AnnotationService
from annotator.storage.database import Database
from annotator.storage.store import Store

LABELS = ("PERSON", "ORG", "GPE", "LOC", "DATE", "QUANTITY")
CLAIM_TYPES = ("quantity", "event", "quote", "other")
#: The annotator whose spans every client reviews (relabels with the version it read).
REVIEWED = "reviewed"

# (action, weight)
MIX = (
    ("add", 24),
    ("relabel", 14),
    ("delete", 7),
    ("accept", 12),
    ("reject", 7),
    ("claim", 6),
    ("claim_edit", 6),
    ("status", 7),
    ("undo", 10),
    ("review", 7),
)


def span_fact(span: Span | None) -> list[Any] | None:
    """What must be in the database for a span: everything but timestamps."""
    if span is None:
        return None
    claim = span.claim
    return [
        span.document_id,
        span.layer.value,
        span.start,
        span.end,
        span.label,
        span.annotator,
        None if claim is None else claim.claimant_id,
        None if claim is None else claim.claim_type,
        None if claim is None else claim.hedged,
        span.version,
    ]


def document_facts(store: Store, document_id: int, annotator: str) -> dict[str, Any]:
    state = store.get_state(document_id, annotator)
    decisions = sorted(
        [d.layer.value, d.start, d.end, d.label, d.decision.value]
        for d in store.decisions(document_id, annotator)
    )
    return {"status": state.status.value, "decisions": decisions}


class AckingService(AnnotationService):
    """Reads what each command committed inside its own transaction (so the facts are
    exactly what the commit made durable, re-read on every retry)."""

    def __init__(self, db: Database, annotator: str) -> None:
        super().__init__(db)
        self.annotator = annotator
        self.facts: dict[str, Any] = {}
        #: The spans the last command left, as read in its transaction (None: deleted).
        self.spans: dict[int, Span | None] = {}

    def apply(self, command: Command) -> Applied:
        def work(store: Store) -> Applied:
            applied = command.apply(store)
            spans: dict[int, Span | None] = {}
            for span_id in sorted(applied.changes.span_ids):
                try:
                    spans[span_id] = store.get_span(span_id)
                except NotFoundError:  # deleted by this command
                    spans[span_id] = None
            docs = {}
            if applied.changes.status or applied.changes.decisions:
                docs = {
                    str(d): document_facts(store, d, self.annotator)
                    for d in sorted(applied.changes.document_ids)
                }
            self.spans = spans
            self.facts = {
                "spans": {str(i): span_fact(span) for i, span in spans.items()},
                "docs": docs,
            }
            return applied

        return self.db.run_write(work)


def words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+(?: \w+)?", text)]


class Client:
    """Keeps its own spans and decisions as its acknowledged commits left them (nobody else
    changes those), so an action costs one write transaction; the reviewed spans, which
    other clients change too, are read before each review."""

    def __init__(self, db: Database, annotator: str, seed: int) -> None:
        self.db = db
        self.annotator = annotator
        self.rng = random.Random(seed)
        self.service = AckingService(db, annotator)
        with db.read() as store:
            self.doc_ids = store.document_ids()
            self.documents = {d: store.document(d).text for d in self.doc_ids}
            self.suggestions = {d: store.suggestions(d) for d in self.doc_ids}
            self.mine = {d: {s.id: s for s in store.spans(d, annotator)} for d in self.doc_ids}
            self.decided = {
                d: {(x.layer.value, x.start, x.end, x.label) for x in store.decisions(d, annotator)}
                for d in self.doc_ids
            }
        #: The document of each step on the undo stack (parallel to the service's history).
        self.undo_docs: list[int] = []

    def emit(self, line: dict[str, Any]) -> None:
        sys.stdout.write(orjson.dumps(line).decode() + "\n")
        sys.stdout.flush()

    def run(self, actions: int) -> None:
        names = [name for name, _ in MIX]
        weights = [weight for _, weight in MIX]
        for seq in range(actions):
            op = self.rng.choices(names, weights)[0]
            doc = self.rng.choice(self.doc_ids)
            if op == "undo" and self.undo_docs:
                doc = self.undo_docs[-1]
            elif op == "review":
                doc = self.doc_ids[0]
            self.emit({"begin": seq, "doc": doc})
            step = self.service.history.undo_name if op == "undo" else None
            done = getattr(self, f"_{op}")(doc)
            if done is None:  # nothing to do that way here: a status change instead
                op, done = "status", self._status(doc)
            if done == "conflict":
                self.emit({"seq": seq, "op": "conflict", "of": op, "step": step, "doc": doc})
                continue
            self._learn()
            self.emit({"seq": seq, "op": op, "doc": doc, **self.service.facts})

    def _learn(self) -> None:
        """Update the client's own spans and decisions from what the commit left."""
        for span_id, span in self.service.spans.items():
            for spans in self.mine.values():
                spans.pop(span_id, None)
            if span is not None and span.annotator == self.annotator:
                self.mine[span.document_id][span_id] = span
        for doc, facts in self.service.facts["docs"].items():
            self.decided[int(doc)] = {tuple(d[:4]) for d in facts["decisions"]}

    # -- actions: each returns True when committed, None when there was nothing to do -----

    def _execute(self, doc: int, command: Command) -> bool | str:
        try:
            self.service.execute(command)
        except ConflictError:
            return "conflict"
        self.undo_docs.append(doc)
        return True

    def _mine(self, doc: int, layer: Layer | None = None) -> list[Span]:
        spans = sorted(self.mine[doc].values(), key=lambda s: s.id or 0)
        return [s for s in spans if layer is None or s.layer is layer]

    def _add(self, doc: int) -> bool | str:
        start, end = self.rng.choice(words(self.documents[doc]))
        label = self.rng.choice(LABELS)
        span = Span(None, doc, Layer.ENTITY, start, end, label, self.annotator)
        return self._execute(doc, AddSpan(span, name=f"Add {label}"))

    def _relabel(self, doc: int) -> bool | str | None:
        spans = self._mine(doc, Layer.ENTITY)
        if not spans:
            return None
        span = self.rng.choice(spans)
        label = self.rng.choice([x for x in LABELS if x != span.label])
        return self._execute(doc, replace(relabel(span, label), by=self.annotator))

    def _delete(self, doc: int) -> bool | str | None:
        spans = self._mine(doc)
        if not spans:
            return None
        span = self.rng.choice(spans)
        assert span.id is not None
        command = DeleteSpan(span.id, expected_version=span.version, by=self.annotator)
        return self._execute(doc, command)

    def _pending(self, doc: int) -> list[Any]:
        taken = self.decided[doc] | {
            (s.layer.value, s.start, s.end, s.label) for s in self.mine[doc].values()
        }
        return [
            s
            for s in self.suggestions[doc]
            if (s.layer.value, s.start, s.end, s.label) not in taken
        ]

    def _accept(self, doc: int) -> bool | str | None:
        pending = self._pending(doc)
        if not pending:
            return None
        return self._execute(doc, accept_suggestion(self.rng.choice(pending), self.annotator))

    def _reject(self, doc: int) -> bool | str | None:
        pending = self._pending(doc)
        if not pending:
            return None
        return self._execute(doc, reject_suggestion(self.rng.choice(pending), self.annotator))

    def _claim(self, doc: int) -> bool | str | None:
        entities = self._mine(doc, Layer.ENTITY)
        if not entities:
            return None
        claimant = self.rng.choice(entities)
        text = self.documents[doc]
        start = text.index("\n") + 1 if "\n" in text[:-1] else 0
        end = len(text.rstrip())
        details = ClaimDetails(claimant.id, None, self.rng.choice(CLAIM_TYPES), False)
        span = Span(None, doc, Layer.CLAIM, start, end, "CLAIM", self.annotator, claim=details)
        return self._execute(doc, AddSpan(span, name="Add claim"))

    def _claim_edit(self, doc: int) -> bool | str | None:
        claims = self._mine(doc, Layer.CLAIM)
        if not claims:
            return None
        claim = self.rng.choice(claims)
        details = claim.claim or ClaimDetails()
        changed = replace(details, hedged=not details.hedged)
        if self.rng.random() < 0.5:
            changed = replace(changed, claim_type=self.rng.choice(CLAIM_TYPES))
        command = ReplaceSpan(replace(claim, claim=changed), name="Edit claim", by=self.annotator)
        return self._execute(doc, command)

    def _status(self, doc: int) -> bool | str:
        status = self.rng.choice((Status.IN_PROGRESS, Status.DONE, Status.SKIPPED))
        return self._execute(doc, mark(doc, self.annotator, status, self.rng.random() * 60))

    def _undo(self, doc: int) -> bool | str | None:
        if not self.undo_docs:
            return None
        try:
            self.service.undo()
        except ConflictError:
            self.undo_docs.pop()  # the step was dropped from the history
            return "conflict"
        self.undo_docs.pop()
        return True

    def _review(self, doc: int) -> bool | str | None:
        with self.db.read() as store:
            reviewed = store.spans(doc, REVIEWED, Layer.ENTITY)
        if not reviewed:
            return None
        span = self.rng.choice(reviewed)
        label = self.rng.choice([x for x in LABELS if x != span.label])
        command = ReplaceSpan(replace(span, label=label), name="Review", by=self.annotator)
        return self._execute(doc, command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--annotator", required=True)
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    db = Database.open(args.db, auto_backup=False, check=False)
    try:
        Client(db, args.annotator, args.seed).run(args.actions)
    except Exception as exc:  # the test fails on any of these: say what and where
        import traceback

        sys.stderr.write(f"ERROR {args.annotator}: {exc.__class__.__name__}: {exc}\n")
        traceback.print_exc(file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
