"""The article view's tooltip: what is at a place in the text, as escaped rich text."""

from __future__ import annotations

import html
from collections.abc import Iterable

from annotator.core.model import IgnoredRange, Layer, Span, Suggestion


def describe(item: Span | Suggestion) -> str:
    """One tooltip line (plain text; escaped by :func:`tooltip_html`)."""
    if isinstance(item, Suggestion):
        return f"{item.label} · suggested ({item.score:.2f}) — {item.reason}"
    what = item.label
    if item.layer is Layer.CLAIM and item.claim is not None:
        what = f"{item.label} ({item.claim.claim_type}{', hedged' if item.claim.hedged else ''})"
    return f"{what} · {item.origin}"


def tooltip_html(
    items: Iterable[Span | Suggestion], ignored: Iterable[IgnoredRange], offset: int
) -> str | None:
    """Rich text whose every piece of data is escaped, so labels, reasons and text like
    ``<img src=x>`` show literally; None when nothing is at ``offset``."""
    lines = [describe(item) for item in items]
    lines += [f"ignored: {r.reason}" for r in ignored if r.start <= offset < r.end]
    if not lines:
        return None
    # Wrapped in a tag so Qt always takes it as rich text (plain-text detection is a guess);
    # pre-wrap keeps the line breaks.
    body = html.escape("\n".join(lines), quote=True)
    return f'<p style="white-space:pre-wrap">{body}</p>'
