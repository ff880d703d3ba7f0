"""Benchmark the article view against its budgets (below; docs/ARCHITECTURE.md, "Large projects").

Run: ``.venv/bin/python benchmarks/bench_article_view.py [--runs N]``

* open: ``set_view`` of a 50,000-character article with 2,000 spans and suggestions until the
  first full paint, against a plain ``QPlainTextEdit.setPlainText`` of the same text measured
  in the same run (the budget is 100 ms; on a noisy machine read the ratio);
* accept: ``update_view`` after one suggestion became a span, plus the repaint (50 in a row;
  the budget is one frame, 16 ms);
* focus: ``focus_next`` plus the repaint.

Tokenizing is not timed: the workspace does it on the database thread, not the UI thread.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.core.model import (
    ClaimDetails,
    Document,
    DocumentState,
    IgnoredRange,
    Layer,
    Span,
    Suggestion,
)
from annotator.core.schema import default_schema
from annotator.core.tokens import tokenize
from annotator.services.workspace import DocumentView
from annotator.ui.article_view import ArticleView

WORDS = (
    "the ministry said on Monday that forces had reached the river after heavy fighting near "
    "the city while officials in Kyiv and Brussels warned of further strikes as reporters saw "
    "convoys of trucks and 127 sorties were flown over the region within 24 hours"
).split()
NAMES = ["Kharkiv", "Odesa", "NATO", "Olena Kovalenko", "Reuters", "Zaporizhzhia", "Pentagon"]
EMOJI = ["😀", "🇺🇦", "👨\u200d👩\u200d👧", "🚀"]
SIZE = 1000, 800


def make_text(rng: random.Random, length: int = 50_000) -> str:
    """News-like lines of 60-400 characters with names, figures and a few emoji."""
    lines: list[str] = []
    total = 0
    while total < length:
        words: list[str] = []
        target = rng.randint(60, 400)
        while sum(len(w) + 1 for w in words) < target:
            roll = rng.random()
            if roll < 0.12:
                words.append(rng.choice(NAMES))
            elif roll < 0.125:
                words.append(rng.choice(EMOJI))
            else:
                words.append(rng.choice(WORDS))
            if rng.random() < 0.08:
                words[-1] += "."
        line = " ".join(words).capitalize() + "."
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)[:length].rstrip()


def make_view(text: str, rng: random.Random, n_items: int = 2_000) -> DocumentView:
    tokens = tokenize(text)
    count = len(tokens.tokens)
    picks = sorted(rng.sample(range(0, count - 3, 3), n_items - n_items // 20))
    spans: list[Span] = []
    suggestions: list[Suggestion] = []
    labels = ["PERSON", "ORG", "GPE", "LOC", "DATE", "QUANTITY"]
    for i, first in enumerate(picks):
        width = rng.choice((1, 1, 2))
        start, end = tokens.tokens[first].start, tokens.tokens[first + width - 1].end
        label = rng.choice(labels)
        if i % 2:
            spans.append(Span(i + 1, 1, Layer.ENTITY, start, end, label, "ann"))
        else:
            reason = "gazetteer"
            suggestions.append(
                Suggestion(None, 1, Layer.ENTITY, start, end, label, "r", 0.8, reason)
            )
    # One claim per sentence for 5 % of the items: claims overlap entities, as in real work.
    sentences = rng.sample(tokens.sentences, min(n_items // 20, len(tokens.sentences)))
    for j, sentence in enumerate(sorted(sentences, key=lambda s: s.start)):
        details = ClaimDetails(claim_type="event", cue=None)
        claim = Span(100_000 + j, 1, Layer.CLAIM, sentence.start, sentence.end, "CLAIM", "ann")
        spans.append(replace(claim, claim=details))
    ignored = (IgnoredRange(0, min(200, len(text))),)
    return DocumentView(
        document=Document(id=1, external_id=None, title="bench", text=text),
        spans=tuple(spans),
        suggestions=tuple(suggestions),
        ignored=ignored,
        state=DocumentState(document_id=1, annotator="ann"),
        tokens=tokens,
    )


def paint(app: QApplication, widget: QPlainTextEdit) -> None:
    widget.viewport().repaint()
    app.processEvents()


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of the open measurement")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    rng = random.Random(20240601)
    text = make_text(rng)
    view = make_view(text, rng)
    schema = default_schema()

    widget = ArticleView()
    widget.resize(*SIZE)
    widget.show()
    plain = QPlainTextEdit()
    plain.setReadOnly(True)
    plain.resize(*SIZE)
    plain.show()
    app.processEvents()

    # Warm up both (font caches, first layout), then alternate so drift hits both alike.
    widget.set_view(view, schema)
    paint(app, widget)
    plain.setPlainText(text)
    paint(app, plain)
    opens: list[float] = []
    bares: list[float] = []
    set_only: list[float] = []
    for _ in range(args.runs):
        opens.append(timed(lambda: (widget.set_view(view, schema), paint(app, widget))))
        bares.append(timed(lambda: (plain.setPlainText(text), paint(app, plain))))
        set_only.append(timed(lambda: widget.set_view(view, schema)))
        paint(app, widget)

    # Accept 50 suggestions one after another, each a fresh DocumentView (built untimed), and
    # scroll each one into view first so its block is on screen and really repainted. A bare
    # repaint of the same screen right after is the reference: what any change costs Qt.
    current = view
    widget.set_view(current, schema)
    paint(app, widget)
    accepts: list[float] = []
    updates: list[float] = []
    repaints: list[float] = []
    blocks: list[int] = []
    step = max(1, len(view.suggestions) // 50)
    for k in range(50):
        accepted = current.suggestions[(k * step) % len(current.suggestions)]
        widget.show_match(accepted.start, accepted.end)
        paint(app, widget)
        span = Span(
            200_000 + k, 1, accepted.layer, accepted.start, accepted.end, accepted.label, "ann"
        )
        following = replace(
            current,
            spans=(*current.spans, span),
            suggestions=tuple(s for s in current.suggestions if s is not accepted),
        )
        start = time.perf_counter()
        widget.update_view(following)
        middle = time.perf_counter()
        paint(app, widget)
        end = time.perf_counter()
        accepts.append((end - start) * 1000)
        updates.append((middle - start) * 1000)
        repaints.append(timed(lambda: paint(app, widget)))
        blocks.append(widget.rehighlighted_blocks)
        current = following

    focuses = [timed(lambda: (widget.focus_next(), paint(app, widget))) for _ in range(50)]

    def row(name: str, values: list[float], budget: str = "") -> str:
        median = statistics.median(values)
        high = sorted(values)[max(0, int(len(values) * 0.9) - 1)]
        return f"{name:<46} {median:>8.2f} {high:>8.2f}   {budget}"

    n_items = len(view.spans) + len(view.suggestions)
    print(
        f"article: {len(text):,} characters, {text.count(chr(10)) + 1} lines, "
        f"{n_items:,} items ({len(view.suggestions):,} suggestions, "
        f"{sum(s.layer is Layer.CLAIM for s in view.spans)} claims); PySide6 "
        f"{__import__('PySide6').__version__}, QPA {os.environ['QT_QPA_PLATFORM']}, "
        f"viewport {SIZE[0]}x{SIZE[1]}"
    )
    print(f"{'measurement (ms)':<46} {'median':>8} {'p90':>8}   budget")
    print(row(f"open: set_view + first paint (n={args.runs})", opens, "<= 100 ms"))
    print(row("  set_view alone", set_only))
    print(row("  baseline: plain setPlainText + first paint", bares))
    ratio = statistics.median(opens) / statistics.median(bares)
    print(f"{'  open / baseline (medians)':<46} {ratio:>8.2f}")
    print(row("accept: update_view + repaint (n=50)", accepts, "<= 16 ms"))
    print(row("  update_view alone", updates))
    print(row("  baseline: bare repaint of the same screen", repaints))
    print(row("focus_next + scroll + repaint (n=50)", focuses, "<= 16 ms"))
    print(
        f"blocks re-highlighted per accept: max {max(blocks)}, median {statistics.median(blocks)}"
    )


if __name__ == "__main__":
    main()
