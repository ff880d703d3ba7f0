"""``annotator stats``: the overview's figures (:mod:`annotator.services.overview`) as JSON or
as a few lines of text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from annotator.services.overview import DEFAULT_DAYS, compute_overview, duration
from annotator.storage.database import Database


def project_stats(
    db: Database,
    annotator: str | None = None,
    *,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> dict[str, Any]:
    """What ``annotator stats --json`` prints (``Overview.to_json()``)."""
    return compute_overview(db, annotator, days=days, now=now).to_json()


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())


def _time(figures: dict[str, Any]) -> str:
    if not figures["documents"]:
        return "no time recorded on done documents"
    return (
        f"median {duration(figures['median_seconds'])}, p90 {duration(figures['p90_seconds'])}, "
        f"mean {duration(figures['mean_seconds'])} ({figures['documents']} documents)"
    )


def _near_duplicates(figures: dict[str, int]) -> str:
    if not figures["groups"]:
        return "none found"
    return (
        f"{figures['groups']} groups, {figures['documents']} documents "
        f"({figures['copies']} copies of another)"
    )


def format_stats(stats: dict[str, Any]) -> str:
    lines = [
        f"Database:   {stats['database']}",
        f"Documents:  {stats['documents']}",
        f"Near-duplicates: {_near_duplicates(stats['near_duplicates'])}",
    ]
    who = f" ({stats['annotator']})" if stats["annotator"] else ""
    lines.append(f"Status{who}: {_counts(stats['status'])}")
    for layer in ("entity", "claim"):
        counts = stats["labels"].get(layer, {})
        if counts:
            parts = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
            lines.append(f"{layer.capitalize()} labels: {parts}")
    claim_types = {t: n for t, n in stats["claim_types"].items() if n}
    if claim_types:
        parts = ", ".join(f"{t} {n}" for t, n in sorted(claim_types.items()))
        lines.append(f"Claim types: {parts}")
    lines.append(f"Time per document: {_time(stats['time_per_document'])}")
    throughput = stats["throughput"]
    done = sum(h["documents_done"] for h in throughput["hours"])
    spans = sum(h["spans_created"] for h in throughput["hours"])
    busiest = max(throughput["hours"], key=lambda h: h["spans_created"], default=None)
    line = f"Last {throughput['days']} days: {done} documents done, {spans} spans created"
    if busiest is not None and busiest["spans_created"]:
        line += f" (busiest hour {busiest['hour']}: {busiest['spans_created']} spans)"
    lines.append(line)
    for row in stats["acceptance"]["by_suggester"]:
        rate = "–" if row["rate"] is None else f"{row['rate']:.0%}"
        lines.append(
            f"Suggester {row['suggester']}: {rate} accepted "
            f"({row['accepted']} accepted, {row['rejected']} rejected)"
        )
    if stats["annotators"]:
        lines.append(f"Annotators: {', '.join(stats['annotators'])}")
        if len(stats["annotators"]) > 1:
            for name, figures in stats["per_annotator"].items():
                lines.append(
                    f"  {name}: {_counts(figures['status'])}; {figures['spans']} spans; "
                    f"{_time(figures['time_per_document'])}"
                )
    gold = stats["gold"]
    if gold is not None:
        lines.append(
            f"Gold (adjudicated): {gold['status']['done']} documents done, {gold['spans']} spans"
        )
    return "\n".join(lines)
