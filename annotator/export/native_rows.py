"""Native records built straight from plain database rows, and the cheap check of them.

The native export reads a batch of documents as the driver's tuples (the storage layer's
export read; layouts below) and builds each record from them with dict displays, without a
:class:`~annotator.core.model.Span` per span (docs/adr/0027-export-reads-plain-rows.md). The
records are exactly those of :func:`annotator.export.native.document_record` (a test compares
the two on a varied project, byte for byte).

Checking what is written: :class:`RowCheck` tests the rows of each batch against the rules of
:func:`annotator.export.native.check` a column at a time (offsets inside the text, labels,
ids, cues, claimants, statuses), and the writer keeps a CRC of every line it writes and reads
the file back after it is synced to compare. Only when either finds something does the export
run the detailed check, which names the line and field.

Row layouts (positions):

* document: ``id, export id, title, text, source, meta JSON text (None: {})``
* entity: ``document id, export id, start, end, label, annotator id, origin, attributes JSON
  text (None: {})``
* claim: the entity columns, then ``details`` (None: no claims row), ``cue start, cue end,
  type, hedged``, then the claimant span's ``document id, annotator id, layer, export id``
* status: ``document id, annotator id, status, seconds``
* rejection: ``document id, annotator id, layer, start, end, label, suggester``
* ignored range: ``document id, start, end, reason``
* suggestion: ``document id, start, end, layer, label, suggester, score, reason, attributes
  JSON text``
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby, repeat
from typing import Any, Protocol

import orjson

from annotator.core.model import Layer, Status
from annotator.export.writing import OFFSETS

Row = tuple[Any, ...]

_RANK = {"new": 0, "in_progress": 1, "skipped": 2, "done": 3}
_STATUSES = frozenset(status.value for status in Status)
_ENTITY = Layer.ENTITY.value
_FIRST = operator.itemgetter(0)
_KEY = operator.itemgetter(1)
#: Document id, start, end and label of an entity or claim row.
_SPAN_COLUMNS = tuple(map(operator.itemgetter, (0, 2, 3, 4)))


class Rows(Protocol):
    """One batch as the storage layer's export read returns it (see the module notes)."""

    @property
    def documents(self) -> list[Row]: ...
    @property
    def entities(self) -> list[Row]: ...
    @property
    def claims(self) -> list[Row]: ...
    @property
    def statuses(self) -> list[Row]: ...
    @property
    def rejected(self) -> list[Row]: ...
    @property
    def ignored(self) -> list[Row]: ...
    @property
    def suggestions(self) -> list[Row] | None: ...
    @property
    def annotators(self) -> dict[int, str]: ...


#: A document's export id and its native record.
Record = tuple[str, dict[str, Any]]


def json_object(raw: str | bytes | None) -> dict[str, Any]:
    """A JSON object column read as text (None: the empty object); anything else is ``{}``."""
    if raw is None:
        return {}
    value = orjson.loads(raw)
    return value if isinstance(value, dict) else {}


class _ByDocument:
    """The rows of one table (in document order) taken a document at a time, in the order
    of the documents: each document's list lives only while its record is built, so that
    nothing of a batch outlives it but the rows themselves (the garbage collector's full
    passes cost more than building the records when a batch's lists pile up)."""

    __slots__ = ("_groups", "_key", "_rows")

    def __init__(self, rows: Iterable[Row]) -> None:
        self._groups = groupby(rows, _FIRST)
        self._key, self._rows = next(self._groups, (None, iter(())))

    def take(self, document: Any) -> list[Row]:
        """The rows of ``document``; rows of documents before it are passed over."""
        while self._key is not None and self._key < document:
            self._key, self._rows = next(self._groups, (None, iter(())))
        if self._key != document:
            return []
        rows = list(self._rows)
        self._key, self._rows = next(self._groups, (None, iter(())))
        return rows


class RowCheck:
    """The rules of the native check, tested on the rows of each batch a column at a time.

    It sees every row a batch read, also those of annotators not going out, so it is never
    less strict than the detailed check of the written file; ``clean`` stays True only while
    nothing could fail there. ``reason`` says what was met first.

    Types are not tested: what the drivers return for these columns is an int, a str or
    bytes, and a record with anything but ints for offsets (slicing the text refuses them)
    or bytes anywhere (``orjson`` refuses them) is never written.
    """

    def __init__(self) -> None:
        self.clean = True
        self.reason = ""
        self._keys: set[int] = set()

    def fail(self, reason: str) -> None:
        if self.clean:
            self.clean, self.reason = False, reason

    def batch(self, rows: Rows) -> None:
        if not self.clean:
            return  # the detailed check will run anyway
        documents = rows.documents
        before = len(self._keys)
        self._keys.update(map(hash, map(_KEY, documents)))
        if len(self._keys) != before + len(documents):
            self.fail("a document id appears twice")  # or two ids share a hash
            return
        lengths = {row[0]: len(row[3]) for row in documents}
        for what, spans in (("an entity's", rows.entities), ("a claim's", rows.claims)):
            if spans and not _spans_clean(spans, lengths):
                self.fail(f"{what} offsets or label out of place")
                return
        if rows.ignored and not _ranges_clean(rows.ignored, lengths):
            self.fail("an ignored range is outside its text")
            return
        if rows.statuses and not {row[2] for row in rows.statuses} <= _STATUSES:
            self.fail("a status is not a known status")


def _spans_clean(spans: Sequence[Row], lengths: dict[Any, int]) -> bool:
    documents, starts, ends, labels = (list(map(column, spans)) for column in _SPAN_COLUMNS)
    return (
        "" not in labels
        and min(starts) >= 0
        and all(map(operator.lt, starts, ends))
        and all(map(operator.le, ends, map(lengths.get, documents, repeat(-1))))
    )


def _ranges_clean(ranges: Sequence[Row], lengths: dict[Any, int]) -> bool:
    documents, starts, ends, _ = zip(*ranges, strict=True)
    return (
        min(starts) >= 0
        and all(map(operator.lt, starts, ends))
        and all(map(operator.le, ends, map(lengths.get, documents, repeat(-1))))
    )


def records(
    rows: Rows, owners: Sequence[str | None], *, suggestions: bool, check: RowCheck
) -> Iterator[Record]:
    """The native record of each document of ``rows``, in their order, one at a time (write
    each before asking for the next). ``owners[i]``: whose annotations go out for document
    ``i`` (``None``: everyone's), as the export planned."""
    check.batch(rows)
    names = rows.annotators
    ids = {name: annotator_id for annotator_id, name in names.items()}
    entities = _ByDocument(rows.entities)
    claims = _ByDocument(rows.claims)
    statuses = _ByDocument(rows.statuses)
    rejected = _ByDocument(rows.rejected)
    ignored = _ByDocument(rows.ignored)
    pending = _ByDocument(rows.suggestions or ())
    for (doc_id, key, title, text, source, meta), owner in zip(rows.documents, owners, strict=True):
        # Another annotator's rows never go out with an owner (-1: an owner without rows).
        own = None if owner is None else ids.get(owner, -1)
        doc_entities = entities.take(doc_id)
        doc_claims = claims.take(doc_id)
        doc_states = statuses.take(doc_id)
        doc_rejected = rejected.take(doc_id)
        if own is not None:
            doc_entities = [row for row in doc_entities if row[5] == own]
            doc_claims = [row for row in doc_claims if row[5] == own]
            doc_states = [row for row in doc_states if row[1] == own]
            doc_rejected = [row for row in doc_rejected if row[1] == own]
        record: dict[str, Any] = {
            "id": key,
            "title": title,
            "text": text,
            "source": source,
            "meta": json_object(meta),
            "offsets": OFFSETS,
            "entities": [
                {
                    "id": span_key,
                    "start": start,
                    "end": end,
                    "label": label,
                    "text": text[start:end],
                    "annotator": names[annotator],
                    "origin": origin,
                }
                if attributes is None
                else _with_attributes(
                    {
                        "id": span_key,
                        "start": start,
                        "end": end,
                        "label": label,
                        "text": text[start:end],
                        "annotator": names[annotator],
                        "origin": origin,
                    },
                    attributes,
                )
                for _, span_key, start, end, label, annotator, origin, attributes in doc_entities
            ],
            "claims": [_claim(row, doc_id, text, own, names, check) for row in doc_claims],
            "rejected": [
                {
                    "start": start,
                    "end": end,
                    "label": label,
                    "layer": layer,
                    "annotator": names[annotator],
                    "suggester": suggester,
                }
                for _, annotator, layer, start, end, label, suggester in doc_rejected
            ],
            "ignored": [
                {"start": start, "end": end, "reason": reason}
                for _, start, end, reason in ignored.take(doc_id)
            ],
        }
        _add_statuses(record, doc_states, names)
        if suggestions:
            record["suggestions"] = [_suggestion(row, text) for row in pending.take(doc_id)]
        yield key, record


def _with_attributes(item: dict[str, Any], raw: str) -> dict[str, Any]:
    attributes = json_object(raw)
    if attributes:
        item["attributes"] = attributes
    return item


def _claim(
    row: Row, doc_id: Any, text: str, own: int | None, names: dict[int, str], check: RowCheck
) -> dict[str, Any]:
    (
        _,
        key,
        start,
        end,
        label,
        annotator,
        origin,
        attributes,
        details,
        cue_start,
        cue_end,
        claim_type,
        hedged,
        at_doc,
        at_annotator,
        at_layer,
        at_key,
    ) = row
    claimant = cue = None
    if details is None:  # a claim without a claims row (ClaimDetails())
        claim_type, hedged = "other", False
    else:
        hedged = bool(hedged)
        # The claimant's id when that span goes out with this record (as the native record
        # of a Span does: its key among the record's spans, else null).
        if at_key is not None and at_doc == doc_id and (own is None or at_annotator == own):
            claimant = at_key
            if at_layer != _ENTITY:
                check.fail("a claimant is not an entity")
        if cue_start is not None and cue_end is not None:
            cue = {"start": cue_start, "end": cue_end}
            if not (
                type(cue_start) is int
                and type(cue_end) is int
                and 0 <= cue_start < cue_end <= len(text)
            ):
                check.fail("a cue is outside its text")
    item = {
        "id": key,
        "start": start,
        "end": end,
        "text": text[start:end],
        "claimant": claimant,
        "cue": cue,
        "type": claim_type,
        "hedged": hedged,
        "annotator": names[annotator],
        "origin": origin,
    }
    if label != "CLAIM":
        item["label"] = label
    if attributes is not None:
        _with_attributes(item, attributes)
    return item


def _add_statuses(record: dict[str, Any], states: Sequence[Row], names: dict[int, str]) -> None:
    """``status`` (the most advanced), ``statuses`` and ``seconds`` by annotator name in code
    point order, as :func:`annotator.export.native.document_record` writes them."""
    if len(states) == 1:  # the usual case, without the sorting and the loops below
        _, annotator, status, seconds = states[0]
        name = names[annotator]
        record["status"] = status if _RANK.get(status, -1) > 0 else "new"
        record["statuses"] = {} if status == "new" else {name: status}
        if seconds and float(seconds) > 0:
            record["seconds"] = {name: float(seconds)}
        return
    if len(states) > 1:
        states = sorted(states, key=lambda row: names[row[1]])
    best = "new"
    for _, _, status, _ in states:
        if _RANK.get(status, -1) > _RANK[best]:
            best = status
    record["status"] = best
    record["statuses"] = {names[row[1]]: row[2] for row in states if row[2] != "new"}
    seconds = {names[row[1]]: float(row[3]) for row in states if row[3] and float(row[3]) > 0}
    if seconds:
        record["seconds"] = seconds


def _suggestion(row: Row, text: str) -> dict[str, Any]:
    _, start, end, layer, label, suggester, score, reason, attributes = row
    item = {
        "start": start,
        "end": end,
        "layer": layer,
        "label": label,
        "text": text[start:end],
        "suggester": suggester,
        "score": score,
        "reason": reason,
    }
    if attributes is not None:
        _with_attributes(item, attributes)
    return item
