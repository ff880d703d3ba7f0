"""What an export reports instead of changing or dropping annotations silently.

Each problem names the document (its export id), the kind, and the span's text, so a trainer
can find it. A corpus can produce many (one per misaligned span), so the log keeps a count per
kind and only the first :data:`KEEP` problems in full: memory stays flat in corpus size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

#: Kinds, and what each means for the data that went out.
MISALIGNED = "misaligned"  # span widened to whole tokens (token formats)
UNALIGNABLE = "unalignable"  # span covers no token at all: left out
OVERLAP = "overlap"  # a format that cannot hold overlaps kept another span instead
CROSSES_SENTENCE = "crosses-sentence"  # tags restart with B- in the next sentence
DROPPED_IGNORED = "dropped-ignored"  # --drop-ignored removed text under the span
ANNOTATOR_CONFLICT = "annotator-conflict"  # several annotators' versions: document left out
UNSAFE_TOKEN = "unsafe-token"  # a token with whitespace inside, written with "_" instead

KEEP = 1000


@dataclass(frozen=True, slots=True)
class ExportProblem:
    document: str
    kind: str
    message: str
    text: str | None = None
    start: int | None = None
    end: int | None = None

    def describe(self) -> str:
        where = self.document
        if self.start is not None and self.end is not None:
            where += f" [{self.start}:{self.end}]"
        shown = "" if self.text is None else f" {_quote(self.text)}"
        return f"{where}: {self.kind}{shown}: {self.message}"


class ProblemLog:
    """Counts every problem and keeps the first :data:`KEEP`."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self.kept: list[ExportProblem] = []
        self.counts: Counter[str] = Counter()

    def add(self, problem: ExportProblem) -> None:
        self.counts[problem.kind] += 1
        if len(self.kept) < self.keep:
            self.kept.append(problem)

    def report(
        self,
        document: str,
        kind: str,
        message: str,
        *,
        text: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> None:
        self.add(ExportProblem(document, kind, message, text, start, end))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _quote(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)
