"""Where the work stands: every figure of the overview window and ``annotator stats``.

:func:`compute_overview` reads the aggregates (:mod:`annotator.storage.overview_queries`, all
GROUP BY in the database) in one read transaction and returns one frozen :class:`Overview`.
``Overview.to_json()`` is exactly what ``annotator stats --json`` prints, and
:func:`chart_tables` turns the same value into the tables the window draws and exports as CSV,
so the window, its CSV files and the command line cannot disagree.

The reserved annotator ``gold`` (the adjudicated layer) is never counted as an annotator: its
figures are reported on their own, and every "overall" figure is over the other annotators.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from annotator.core.model import CLAIM_TYPES, GOLD_ANNOTATOR, Layer, Status
from annotator.core.spreadsheet import table_text
from annotator.export.atomic import atomic_write
from annotator.storage import near_duplicates as near
from annotator.storage import overview_queries as q
from annotator.storage.database import Database
from annotator.storage.store import Store

DEFAULT_DAYS = 7
STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
LAYERS: tuple[str, ...] = tuple(layer.value for layer in Layer)
#: Decisions recorded without a suggester name (older projects) are grouped under this.
UNKNOWN_SUGGESTER = "(unknown)"


@dataclass(frozen=True, slots=True)
class TimeBin:
    """Done documents whose recorded time is in ``[low, high)`` seconds (``high`` None: open)."""

    low: float
    high: float | None
    documents: int

    @property
    def label(self) -> str:
        if self.high is None:
            return f"≥ {duration(self.low)}"
        return f"{duration(self.low)}–{duration(self.high)}"


@dataclass(frozen=True, slots=True)
class TimeFigures:
    """Time spent per done document (documents with no time recorded are left out)."""

    documents: int
    total_seconds: float
    mean: float | None
    median: float | None
    #: Nearest-rank 90th percentile: 90% of the documents took at most this long.
    p90: float | None
    histogram: tuple[TimeBin, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "total_seconds": self.total_seconds,
            "mean_seconds": self.mean,
            "median_seconds": self.median,
            "p90_seconds": self.p90,
            "histogram": [
                {
                    "from_seconds": b.low,
                    "to_seconds": b.high,
                    "label": b.label,
                    "documents": b.documents,
                }
                for b in self.histogram
            ],
        }


@dataclass(frozen=True, slots=True)
class AnnotatorFigures:
    name: str
    #: Documents per status; ``new`` counts every document without another status.
    status: Mapping[str, int]
    #: Spans per layer and label.
    labels: Mapping[str, Mapping[str, int]]
    claim_types: Mapping[str, int]
    spans: int
    time: TimeFigures

    def to_json(self) -> dict[str, Any]:
        return {
            "status": dict(self.status),
            "labels": {layer: dict(counts) for layer, counts in self.labels.items()},
            "claim_types": dict(self.claim_types),
            "spans": self.spans,
            "time_per_document": self.time.to_json(),
        }


@dataclass(frozen=True, slots=True)
class HourCount:
    hour: datetime  # the start of a UTC hour
    documents_done: int
    spans_created: int


@dataclass(frozen=True, slots=True)
class Throughput:
    """Work per UTC hour in ``[since, until)``: ``days`` × 24 hours ending with the current
    hour. ``hours`` holds only the hours with any work; :meth:`every_hour` fills the gaps."""

    days: int
    since: datetime
    until: datetime
    hours: tuple[HourCount, ...]

    def every_hour(self) -> list[HourCount]:
        known = {h.hour: h for h in self.hours}
        result = []
        hour = self.since
        while hour < self.until:
            result.append(known.get(hour, HourCount(hour, 0, 0)))
            hour += timedelta(hours=1)
        return result

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "timezone": "UTC",
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "hours": [
                {
                    "hour": h.hour.isoformat(),
                    "documents_done": h.documents_done,
                    "spans_created": h.spans_created,
                }
                for h in self.hours
            ],
        }


@dataclass(frozen=True, slots=True)
class Acceptance:
    """Decisions on one suggester's suggestions (of one label, or all when ``label`` is
    None)."""

    suggester: str
    label: str | None
    accepted: int
    rejected: int

    @property
    def rate(self) -> float | None:
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"suggester": self.suggester}
        if self.label is not None:
            result["label"] = self.label
        result.update(accepted=self.accepted, rejected=self.rejected, rate=self.rate)
        return result


@dataclass(frozen=True, slots=True)
class NearDuplicateFigures:
    """Groups of near-duplicate documents (a story and its copies) and documents in them."""

    groups: int = 0
    documents: int = 0

    @property
    def copies(self) -> int:
        return self.documents - self.groups

    def to_json(self) -> dict[str, int]:
        return {"groups": self.groups, "documents": self.documents, "copies": self.copies}


@dataclass(frozen=True, slots=True)
class Overview:
    database: str
    documents: int
    #: The one annotator the figures are restricted to, or None for everyone.
    annotator: str | None
    status: Mapping[str, int]
    labels: Mapping[str, Mapping[str, int]]
    claim_types: Mapping[str, int]
    spans: int
    annotators: tuple[AnnotatorFigures, ...]
    gold: AnnotatorFigures | None
    throughput: Throughput
    time: TimeFigures
    #: Per suggester and label, sorted by suggester then label.
    acceptance: tuple[Acceptance, ...] = field(default=())
    near_duplicates: NearDuplicateFigures = field(default=NearDuplicateFigures())

    def acceptance_by_suggester(self) -> list[Acceptance]:
        totals: dict[str, tuple[int, int]] = {}
        for row in self.acceptance:
            accepted, rejected = totals.get(row.suggester, (0, 0))
            totals[row.suggester] = (accepted + row.accepted, rejected + row.rejected)
        return [Acceptance(name, None, a, r) for name, (a, r) in sorted(totals.items())]

    def to_json(self) -> dict[str, Any]:
        """The structure ``annotator stats --json`` prints."""
        return {
            "database": self.database,
            "documents": self.documents,
            "annotator": self.annotator,
            "spans": self.spans,
            "status": dict(self.status),
            "labels": {layer: dict(counts) for layer, counts in self.labels.items()},
            "claim_types": dict(self.claim_types),
            "annotators": [a.name for a in self.annotators],
            "per_annotator": {a.name: a.to_json() for a in self.annotators},
            "gold": None if self.gold is None else self.gold.to_json(),
            "throughput": self.throughput.to_json(),
            "time_per_document": self.time.to_json(),
            "acceptance": {
                "by_suggester": [a.to_json() for a in self.acceptance_by_suggester()],
                "by_label": [a.to_json() for a in self.acceptance],
            },
            "near_duplicates": self.near_duplicates.to_json(),
        }


def compute_overview(
    db: Database,
    annotator: str | None = None,
    *,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> Overview:
    """Every figure, in one read transaction. ``annotator`` restricts them to one annotator
    (``gold`` included: asking for it by name shows the gold layer as the figures); ``days``
    is the throughput window, ending with the hour of ``now`` (default: the clock, UTC)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    until = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    since = until - timedelta(days=days)
    with db.read() as store:
        total = store.document_count()
        ids = q.annotator_ids(store)
        if annotator is not None:
            chosen = {annotator: ids[annotator]} if annotator in ids else {}
        else:
            chosen = {name: i for name, i in ids.items() if name != GOLD_ANNOTATOR}
        chosen_ids = sorted(chosen.values())
        figures_of = _annotator_figures(store, chosen, total)
        gold = None
        if annotator is None and GOLD_ANNOTATOR in ids:
            gold = _annotator_figures(store, {GOLD_ANNOTATOR: ids[GOLD_ANNOTATOR]}, total)[0]
        if annotator is not None:
            status = figures_of[0].status if figures_of else _complete_status({}, total)
        else:
            status = _complete_status(store.best_status_counts(chosen_ids), total)
        done = q.documents_done_by_hour(store, chosen_ids, since)
        created = q.spans_created_by_hour(store, chosen_ids, since)
        time = _time_figures(store, chosen_ids)
        decisions = q.decisions_by_suggester(store, chosen_ids)
        near_duplicates = NearDuplicateFigures(*near.counts(store))
    hours = tuple(
        HourCount(hour, done.get(hour, 0), created.get(hour, 0))
        for hour in sorted(set(done) | set(created))
        if since <= hour < until
    )
    labels = _sum_nested(a.labels for a in figures_of)
    return Overview(
        database=db.display_url,
        documents=total,
        annotator=annotator,
        status=status,
        labels=labels,
        claim_types=_sum_counts(a.claim_types for a in figures_of),
        spans=sum(a.spans for a in figures_of),
        annotators=tuple(figures_of),
        gold=gold,
        throughput=Throughput(days, since, until, hours),
        time=time,
        acceptance=_acceptance(decisions),
        near_duplicates=near_duplicates,
    )


def _annotator_figures(
    store: Store, chosen: Mapping[str, int], total: int
) -> list[AnnotatorFigures]:
    ids = sorted(chosen.values())
    statuses = q.status_by_annotator(store, ids)
    labels = q.labels_by_annotator(store, ids)
    claim_types = q.claim_types_by_annotator(store, ids)
    result = []
    for name in sorted(chosen):
        layers = labels.get(name, {})
        ordered = {layer: _by_count(layers.get(layer, {})) for layer in LAYERS}
        result.append(
            AnnotatorFigures(
                name=name,
                status=_complete_status(statuses.get(name, {}), total),
                labels=ordered,
                claim_types=_claim_types(claim_types.get(name, {})),
                spans=sum(sum(c.values()) for c in ordered.values()),
                time=_time_figures(store, [chosen[name]]),
            )
        )
    return result


def _complete_status(counts: Mapping[str, int], total: int) -> dict[str, int]:
    """Every status in a fixed order; documents without a status row are new."""
    result = {s: counts.get(s, 0) for s in STATUSES}
    result["new"] = total - sum(v for k, v in result.items() if k != "new")
    return result


def _by_count(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _claim_types(counts: Mapping[str, int]) -> dict[str, int]:
    """The schema's claim types first (zeros kept, so charts line up), then any others."""
    result = {t: counts.get(t, 0) for t in CLAIM_TYPES}
    result.update(sorted((t, n) for t, n in counts.items() if t not in result))
    return result


def _sum_counts(items: Iterable[Mapping[str, int]]) -> dict[str, int]:
    result: dict[str, int] = {}
    for counts in items:
        for key, n in counts.items():
            result[key] = result.get(key, 0) + n
    return result


def _sum_nested(items: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    parts = list(items)
    return {layer: _by_count(_sum_counts(p.get(layer, {}) for p in parts)) for layer in LAYERS}


def _time_figures(store: Store, ids: Sequence[int]) -> TimeFigures:
    count, total = q.time_summary(store, ids)
    edges = (0.0, *q.TIME_BIN_EDGES)
    counts = q.time_histogram(store, ids)
    histogram = tuple(
        TimeBin(low, edges[i + 1] if i + 1 < len(edges) else None, counts[i])
        for i, low in enumerate(edges)
    )
    if count == 0:
        return TimeFigures(0, 0.0, None, None, None, histogram)
    middle = [(count - 1) // 2, count // 2]  # one rank when odd, the two middle ones when even
    p90_rank = math.ceil(0.9 * count) - 1
    values = q.time_at_ranks(store, ids, [*middle, p90_rank])
    median = (values[middle[0]] + values[middle[1]]) / 2
    return TimeFigures(count, total, total / count, median, values[p90_rank], histogram)


def _acceptance(rows: Iterable[tuple[str | None, str, str, int]]) -> tuple[Acceptance, ...]:
    counts: dict[tuple[str, str], list[int]] = {}
    for suggester, label, decision, n in rows:
        pair = counts.setdefault((suggester or UNKNOWN_SUGGESTER, label), [0, 0])
        pair[0 if decision == "accepted" else 1] += n
    return tuple(Acceptance(s, label, a, r) for (s, label), (a, r) in sorted(counts.items()))


def duration(seconds: float) -> str:
    """``45s``, ``2m``, ``2m 30s``, ``1h``, ``1h 05m``: short, for axes and labels."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes}m" if rest == 0 else f"{minutes}m {rest:02d}s"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h" if rest < 60 else f"{hours}h {rest // 60:02d}m"


# -- the window's charts as tables ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartTable:
    """One chart's figures: ``values[i][j]`` is series ``j`` of category ``i``.

    ``kind`` says how to draw it: ``bars`` (one bar per series), ``stacked`` (series stacked
    in one bar), ``timeseries`` (one bar per category along time) or ``histogram``. ``unit``
    is ``count``, ``seconds`` or ``ratio``; ``notes`` (if any) are one text per category,
    shown at the end of its bar and written as the last CSV column ``note_header``.
    """

    key: str
    title: str
    kind: str
    category_header: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    unit: str = "count"
    subtitle: str = ""
    note_header: str = ""
    notes: tuple[str, ...] = ()

    def column(self, series: str) -> dict[str, float]:
        j = self.series.index(series)
        return {c: v[j] for c, v in zip(self.categories, self.values, strict=True)}

    def csv_rows(self) -> list[list[str]]:
        header = [self.category_header, *self.series]
        if self.notes:
            header.append(self.note_header)
        rows = [header]
        for i, category in enumerate(self.categories):
            row = [category, *(_number(v) for v in self.values[i])]
            if self.notes:
                row.append(self.notes[i])
            rows.append(row)
        return rows


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3f}".rstrip("0")


def save_csv(table: ChartTable, path: Path) -> None:
    """Write ``table`` as CSV (UTF-8, header row, RFC 4180 quoting) atomically: a crash leaves
    the previous file. A line of a cell that a spreadsheet would run as a formula (``= + - @``,
    tab, CR) gets a leading ``'``; see :mod:`annotator.core.spreadsheet`."""
    with atomic_write(Path(path)) as handle:
        handle.write(table_text(table.csv_rows()).encode("utf-8"))


def save_bytes(data: bytes, path: Path) -> None:
    """Write ``data`` (a rendered chart) to ``path`` atomically."""
    with atomic_write(Path(path)) as handle:
        handle.write(data)


#: Stacked progress bars read from the left: finished work first, untouched documents last.
PROGRESS_ORDER = ("done", "skipped", "in_progress", "new")
STATUS_NAMES = {"new": "New", "in_progress": "In progress", "done": "Done", "skipped": "Skipped"}


def chart_tables(overview: Overview) -> list[ChartTable]:
    """The overview's charts, in the order the window shows them."""
    people = overview.annotators
    names = tuple(a.name for a in people)
    tables = [
        ChartTable(
            "status",
            "Documents by status",
            "bars",
            "status",
            tuple(STATUS_NAMES[s] for s in STATUSES),
            ("documents",),
            tuple((float(overview.status[s]),) for s in STATUSES),
            subtitle=f"{overview.documents} documents; each counted by its furthest status",
        ),
        ChartTable(
            "status_by_annotator",
            "Progress per annotator",
            "stacked",
            "annotator",
            names,
            tuple(STATUS_NAMES[s] for s in PROGRESS_ORDER),
            tuple(tuple(float(a.status[s]) for s in PROGRESS_ORDER) for a in people),
        ),
    ]
    if overview.gold is not None:
        gold = overview.gold
        tables.append(
            ChartTable(
                "gold_status",
                "Gold layer (adjudication)",
                "bars",
                "status",
                tuple(STATUS_NAMES[s] for s in STATUSES),
                ("documents",),
                tuple((float(gold.status[s]),) for s in STATUSES),
                subtitle=f"{gold.spans} gold spans",
            )
        )
    for layer, key, title in (
        ("entity", "entity_labels", "Entity labels"),
        ("claim", "claim_labels", "Claim labels"),
    ):
        order = tuple(overview.labels[layer])
        tables.append(
            ChartTable(
                key,
                title,
                "stacked",
                "label",
                order,
                names,
                tuple(
                    tuple(float(a.labels[layer].get(label, 0)) for a in people) for label in order
                ),
            )
        )
    types = tuple(overview.claim_types)
    tables.append(
        ChartTable(
            "claim_types",
            "Claim types",
            "stacked",
            "type",
            types,
            names,
            tuple(tuple(float(a.claim_types.get(t, 0)) for a in people) for t in types),
        )
    )
    hours = overview.throughput.every_hour()
    stamps = tuple(h.hour.isoformat() for h in hours)
    window = f"last {overview.throughput.days} days, UTC hours"
    tables += [
        ChartTable(
            "documents_per_hour",
            "Documents done per hour",
            "timeseries",
            "hour",
            stamps,
            ("documents done",),
            tuple((float(h.documents_done),) for h in hours),
            subtitle=window,
        ),
        ChartTable(
            "spans_per_hour",
            "Spans created per hour",
            "timeseries",
            "hour",
            stamps,
            ("spans created",),
            tuple((float(h.spans_created),) for h in hours),
            subtitle=window,
        ),
    ]
    time = overview.time
    summary = (
        f"median {duration(time.median)}, p90 {duration(time.p90)}, "
        f"mean {duration(time.mean)}; {time.documents} documents done, counted per annotator"
        if time.median is not None and time.p90 is not None and time.mean is not None
        else "no time recorded on done documents yet"
    )
    tables += [
        ChartTable(
            "time_histogram",
            "Time per document",
            "histogram",
            "time",
            tuple(b.label for b in time.histogram),
            ("documents",),
            tuple((float(b.documents),) for b in time.histogram),
            subtitle=summary,
        ),
        ChartTable(
            "time_by_annotator",
            "Time per document by annotator",
            "bars",
            "annotator",
            names,
            ("median", "p90"),
            tuple((a.time.median or 0.0, a.time.p90 or 0.0) for a in people),
            unit="seconds",
        ),
    ]
    rows = overview.acceptance
    tables.append(
        ChartTable(
            "acceptance",
            "Suggestion acceptance",
            "stacked",
            "suggester · label",
            tuple(f"{a.suggester} · {a.label}" for a in rows),
            ("accepted", "rejected"),
            tuple((float(a.accepted), float(a.rejected)) for a in rows),
            subtitle="accepted and rejected suggestions per suggester and label",
            note_header="rate",
            notes=tuple(_percent(a.rate) for a in rows),
        )
    )
    return tables


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"
