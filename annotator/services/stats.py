"""Project figures for `annotator stats` (and, later, the overview window)."""

from __future__ import annotations

from typing import Any

from annotator.storage.database import Database


def project_stats(db: Database, annotator: str | None = None) -> dict[str, Any]:
    with db.read() as store:
        return {
            "database": db.display_url,
            "documents": store.document_count(),
            "annotator": annotator,
            "status": store.status_counts(annotator),
            "labels": store.label_counts(annotator),
            "claim_types": store.claim_type_counts(),
            "annotators": store.annotators(),
            "spans": store.span_count(),
        }


def format_stats(stats: dict[str, Any]) -> str:
    lines = [
        f"Database:   {stats['database']}",
        f"Documents:  {stats['documents']}",
    ]
    who = f" ({stats['annotator']})" if stats["annotator"] else ""
    status = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in stats["status"].items())
    lines.append(f"Status{who}: {status}")
    for layer in ("entity", "claim"):
        counts = stats["labels"].get(layer, {})
        if counts:
            parts = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
            lines.append(f"{layer.capitalize()} labels: {parts}")
    if stats["claim_types"]:
        parts = ", ".join(f"{t} {n}" for t, n in sorted(stats["claim_types"].items()))
        lines.append(f"Claim types: {parts}")
    if stats["annotators"]:
        lines.append(f"Annotators: {', '.join(stats['annotators'])}")
    return "\n".join(lines)
