"""Seed a project, run client processes (``client.py``) against it, and check every
acknowledged action against the database afterwards."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import Layer, Span, Suggestion
from annotator.storage.database import Database
from tests.builders import insert_documents, turn_off_live_suggesters
from tests.concurrency.client import span_fact

CLIENT = Path(__file__).with_name("client.py")
ROOT = Path(__file__).resolve().parents[2]
REVIEWED = "reviewed"

PLACES = ("Valmora", "Drava", "Lower Quay", "Skylane", "Port Authority", "Marta Ilves")


def article(i: int) -> str:
    a, b, c = PLACES[i % 6], PLACES[(i + 1) % 6], PLACES[(i + 2) % 6]
    return (
        f"Harbour report {i} from {a}\n"
        f"Officials in {a} said on Monday that {10 + i} ships were waiting near {b}, "
        f"according to the {c} office. Union secretary Marta Ilves told reporters that "
        f"about {200 + i} workers had allegedly stayed home.\n"
    )


def seed(db: Database, documents: int = 12, reviewed_spans: int = 4) -> list[int]:
    """Documents with entity suggestions on every word pair, and spans of the shared
    ``reviewed`` annotator in the first document (every client relabels those)."""
    texts = [article(i) for i in range(documents)]
    with db.write() as store:
        turn_off_live_suggesters(store)
        doc_ids = sorted(insert_documents(store, texts))
        suggestions = []
        for doc_id, text in zip(doc_ids, texts, strict=True):
            for n, match in enumerate(re.finditer(r"[A-Z]\w+(?: [A-Z]\w+)?|\d+ \w+", text)):
                label = "QUANTITY" if match.group()[0].isdigit() else ("ORG", "GPE")[n % 2]
                suggestions.append(
                    Suggestion(
                        None, doc_id, Layer.ENTITY, *match.span(), label, "rules", 0.5, "test"
                    )
                )
        store.add_suggestions(suggestions)
        first = texts[0]
        for match in list(re.finditer(r"[A-Z]\w+", first))[:reviewed_spans]:
            store.add_span(Span(None, doc_ids[0], Layer.ENTITY, *match.span(), "ORG", REVIEWED))
    return doc_ids


@dataclass
class Run:
    annotator: str
    actions: int
    process: subprocess.Popen[str]
    lines: list[dict[str, Any]] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    killed: bool = False
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def acks(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "seq" in line]

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.killed = True

    def wait(self, timeout: float = 600) -> int:
        code = self.process.wait(timeout)
        for thread in self._threads:
            thread.join()
        return code


def start(url: str, annotator: str, actions: int, seed: int) -> Run:
    process = subprocess.Popen(
        [
            sys.executable,
            str(CLIENT),
            "--db",
            url,
            "--annotator",
            annotator,
            "--actions",
            str(actions),
            "--seed",
            str(seed),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    run = Run(annotator, actions, process)

    def read_out() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.endswith("\n"):  # a line cut by SIGKILL was never acknowledged
                run.lines.append(orjson.loads(line))

    def read_err() -> None:
        assert process.stderr is not None
        run.stderr.extend(process.stderr)

    run._threads = [threading.Thread(target=read_out), threading.Thread(target=read_err)]
    for thread in run._threads:
        thread.start()
    return run


def wait_for_acks(run: Run, count: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while len(run.acks) < count:
        if run.process.poll() is not None:
            raise AssertionError(f"{run.annotator} ended early: {''.join(run.stderr)}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{run.annotator}: no {count} acknowledgements in time")
        time.sleep(0.01)


def fact(span: Span) -> list[Any]:
    fact = span_fact(span)
    assert fact is not None
    return fact


def verify(db: Database, runs: list[Run], doc_ids: list[int]) -> dict[str, int]:
    """Every acknowledged action is in the database; no client reported an error; no review
    edit was lost. Returns counts for the test's own assertions."""
    counts = {"acks": 0, "conflicts": 0}
    reviewed_acks: dict[int, dict[int, list[Any]]] = {}  # span id -> version -> fact
    may_miss_review = 0
    for run in runs:
        errors = "".join(run.stderr)
        assert "ERROR" not in errors and "Traceback" not in errors, errors
        acks = run.acks
        counts["acks"] += len(acks)
        conflicts = [a for a in acks if a["op"] == "conflict"]
        counts["conflicts"] += len(conflicts)
        # Only the reviewed spans are changed by several clients: nothing else may conflict.
        for line in conflicts:
            assert line["of"] == "review" or (line["of"], line["step"]) == ("undo", "Review"), line
        if not run.killed:
            assert run.process.returncode == 0, errors
            assert len(acks) == run.actions, (
                f"{run.annotator}: {len(acks)} of {run.actions} acknowledged"
            )
        # The action in flight when the client was killed may or may not have committed.
        in_flight: int | None = None
        acked = {a["seq"] for a in acks}
        begun = [line for line in run.lines if "begin" in line and line["begin"] not in acked]
        if run.killed and begun:
            in_flight = begun[-1]["doc"]
            if in_flight == doc_ids[0]:
                may_miss_review += 1
        spans: dict[int, list[Any] | None] = {}
        span_docs: dict[int, int] = {}
        docs: dict[int, dict[str, Any]] = {}
        for ack in acks:
            for key, value in ack.get("spans", {}).items():
                span_id = int(key)
                if value is not None and value[5] == REVIEWED:
                    versions = reviewed_acks.setdefault(span_id, {})
                    assert value[9] not in versions, (
                        f"two edits of reviewed span {span_id} both produced version {value[9]}"
                    )
                    versions[value[9]] = value
                    continue
                spans[span_id] = value
                if value is not None:
                    span_docs[span_id] = value[0]
            for key, value in ack.get("docs", {}).items():
                docs[int(key)] = value
        with db.read() as store:
            stored = {s.id: fact(s) for d in doc_ids for s in store.spans(d, run.annotator)}
            for span_id, expected in spans.items():
                if in_flight is not None and span_docs.get(span_id) == in_flight:
                    continue
                assert stored.get(span_id) == expected, (
                    f"{run.annotator}: span {span_id} is {stored.get(span_id)}, "
                    f"acknowledged {expected}"
                )
            for span_id, value in stored.items():
                assert span_id in spans or value[0] == in_flight, (
                    f"{run.annotator}: span {span_id} {value} was never acknowledged"
                )
            for doc_id, expected in docs.items():
                if doc_id == in_flight:
                    continue
                state = store.get_state(doc_id, run.annotator)
                decisions = sorted(
                    [d.layer.value, d.start, d.end, d.label, d.decision.value]
                    for d in store.decisions(doc_id, run.annotator)
                )
                assert {"status": state.status.value, "decisions": decisions} == expected, (
                    f"{run.annotator}: document {doc_id}"
                )
    # Reviewed spans: every version after the first was produced by exactly one acknowledged
    # edit (no lost update), and the stored span is the newest acknowledged one.
    with db.read() as store:
        for span in store.spans(doc_ids[0], REVIEWED):
            assert span.id is not None and span.version is not None
            versions = reviewed_acks.get(span.id, {})
            missing = set(range(2, span.version + 1)) - set(versions)
            assert len(missing) <= may_miss_review, (span.id, sorted(missing))
            if span.version in versions:
                assert fact(span) == versions[span.version]
            counts["reviews"] = counts.get("reviews", 0) + len(versions)
    return counts
