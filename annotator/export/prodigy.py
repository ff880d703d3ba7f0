"""spaCy/Prodigy JSONL: ``text``, ``tokens``, ``spans`` on tokens, ``relations``, ``answer``.

What Prodigy saves from ``ner.manual``/``spans.manual``/``rel.manual`` and what its
``data-to-spacy`` reads: ``token_end`` is **inclusive**. Entities and claims are both spans
(they may overlap: a claim contains its entities); claim spans carry ``claim_type``,
``hedged`` and ``quantities`` (number slots: ``[{"figure", "unit", "counted"}]``). A claim's
claimant and cue are relations from the claim (head) to the entity or to the cue's tokens
(child), labelled ``CLAIMANT`` and ``CUE``; ``head``/``child`` are the token index of each
side's last token, as Prodigy does for multi-token spans. Tokens are the project
tokenizer's (whitespace dropped; ``ws`` says whether whitespace follows). Spans are widened to
whole tokens and reported when they do not fit them (:mod:`annotator.export.alignment`).
``meta`` holds the document id, title, source, annotator and ``"offsets": "codepoint"``.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import Layer
from annotator.core.tokens import Tokenized
from annotator.export.alignment import TokenSpan, align, align_spans
from annotator.export.claims_json import quantities_of
from annotator.export.document import ExportDocument
from annotator.export.read_back import WrittenPieces
from annotator.export.validation import (
    Findings,
    check_range,
    is_int,
    iter_json_lines,
    require_list,
    require_str,
)
from annotator.export.writing import (
    CUE_LABEL,
    OFFSETS,
    ExportContext,
    close_output,
    open_output,
)

FORMAT = "prodigy"
CLAIMANT = "CLAIMANT"
CUE = "CUE"
ANSWERS = frozenset({"accept", "reject", "ignore"})
_LABEL = operator.attrgetter("label")


def _span_ref(span: TokenSpan) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "token_start": span.first,
        "token_end": span.last,
        "label": span.label,
    }


def record(doc: ExportDocument, tokens: Tokenized, context: ExportContext) -> dict[str, Any]:
    text = doc.text
    key = doc.key
    problems = context.problems
    # From the offset arrays, no Token object per token (hundreds per article).
    starts, ends = tokens.starts, tokens.ends
    context.built.document(key, text, starts, ends)
    spaces = _followed_by_space(text, ends)
    token_rows = [
        {"text": word, "start": start, "end": end, "id": index, "ws": ws}
        for word, start, end, index, ws in zip(
            tokens.words(text), starts, ends, range(len(spaces)), spaces, strict=True
        )
    ]
    aligned = align_spans(tokens, doc.spans, text=text, document=key, problems=problems)
    context.built.labels(map(_LABEL, aligned))
    by_id = {s.span.id: s for s in aligned if s.span is not None}
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for item in aligned:
        source = item.span
        assert source is not None
        row = _span_ref(item)
        row["text"] = text[item.start : item.end]
        if source.layer is Layer.CLAIM and source.claim is not None:
            details = source.claim
            row["claim_type"] = details.claim_type
            row["hedged"] = details.hedged
            row["quantities"] = quantities_of(source)
            claimant = by_id.get(details.claimant_id) if details.claimant_id else None
            if claimant is not None:
                relations.append(_relation(item, claimant, CLAIMANT))
            if details.cue is not None:
                cue = align(
                    tokens,
                    *details.cue,
                    CUE_LABEL,
                    text=text,
                    document=key,
                    problems=problems,
                    what="cue",
                )
                if cue is not None:
                    relations.append(_relation(item, cue, CUE))
        spans.append(row)
    meta: dict[str, Any] = {"id": key}
    if doc.document.title:
        meta["title"] = doc.document.title
    if doc.document.source is not None:
        meta["source"] = doc.document.source
    if doc.annotator is not None:
        meta["annotator"] = doc.annotator
    meta["offsets"] = OFFSETS
    return {
        "text": text,
        "tokens": token_rows,
        "spans": spans,
        "relations": relations,
        "answer": "accept",
        "meta": meta,
    }


def _followed_by_space(text: str, ends: Sequence[int]) -> list[bool]:
    """Whether whitespace follows each token end (Prodigy's ``ws``)."""
    # One character per token, tested in C: ``str.isspace`` mapped over the characters (a
    # non-space after the text stands for its end).
    return list(map(str.isspace, map((text + ".").__getitem__, ends)))


def _relation(head: TokenSpan, child: TokenSpan, label: str) -> dict[str, Any]:
    return {
        "head": head.last,
        "child": child.last,
        "head_span": _span_ref(head),
        "child_span": _span_ref(child),
        "label": label,
    }


class ProdigyWriter:
    def __init__(self, path: Path, context: ExportContext) -> None:
        self.handle = open_output(path)
        self.context = context
        self.written = WrittenPieces(path)

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        assert tokens is not None
        line = orjson.dumps(record(doc, tokens, self.context), option=orjson.OPT_APPEND_NEWLINE)
        self.handle.write(self.written.add(line))

    def close(self) -> None:
        close_output(self.handle)

    def read_back(self) -> list[str]:
        return self.written.read_back()


def check(path: Path) -> list[str]:
    """Tokens tile the text in order; every span sits exactly on its tokens (``token_end``
    inclusive); relations point at spans' last tokens; ``answer`` and ``meta.offsets``; no
    document id (``meta.id``) twice."""
    findings = Findings()
    seen: dict[object, str] = {}
    for where, item in iter_json_lines(path, findings):
        meta = item.get("meta")
        doc_id = meta.get("id") if isinstance(meta, dict) else None
        if isinstance(doc_id, str | int) and not isinstance(doc_id, bool):
            if doc_id in seen:
                findings.add(where, f"document id {doc_id!r} is also at {seen[doc_id]}")
            else:
                seen[doc_id] = where
        text = require_str(item, "text", where, findings)
        if text is None:
            continue
        tokens = _check_tokens(text, require_list(item, "tokens", where, findings), where, findings)
        if tokens is None:
            continue
        span_rows = require_list(item, "spans", where, findings)
        spans = _spans_if_clean(text, tokens, span_rows)
        clean = spans is not None
        if spans is None:
            spans = set()
            for i, span in enumerate(span_rows):
                here = f"{where} [spans[{i}]]"
                if _check_span(text, tokens, span, here, findings, given=True):
                    spans.add((span["start"], span["end"], span["label"]))
        # With clean spans, a relation whose sides are the record's own spans is right as a
        # whole; only the others (a cue, anything damaged) go through the detailed check.
        refs = set(map(_REF_FIELDS, span_rows)) if clean else None
        for i, relation in enumerate(require_list(item, "relations", where, findings)):
            if refs is not None and _relation_is_clean(text, tokens, relation, refs):
                continue
            _check_relation(text, tokens, spans, relation, f"{where} [relations[{i}]]", findings)
        if item.get("answer") not in ANSWERS:
            findings.add(where, f"answer {item.get('answer')!r} is not accept, reject or ignore")
        meta = item.get("meta", {})
        if not isinstance(meta, dict) or meta.get("offsets", OFFSETS) != OFFSETS:
            findings.add(where, f"meta.offsets must be {OFFSETS!r}")
    return findings.result()


_REF_FIELDS = operator.itemgetter("start", "end", "token_start", "token_end", "label")


def _relation_is_clean(
    text: str, tokens: list[tuple[int, int]], relation: Any, refs: set[tuple[Any, ...]]
) -> bool:
    """Whether :func:`_check_relation` would find nothing, given the record's clean spans'
    ``refs``: each side is one of those spans (a cue, which is not a span, is checked on its
    own) and ``head``/``child`` are their last tokens."""
    if type(relation) is not dict or relation.get("label") not in (CLAIMANT, CUE):
        return False
    for side in ("head", "child"):
        ref = relation.get(f"{side}_span")
        if type(ref) is not dict:
            return False
        try:
            key = _REF_FIELDS(ref)
        except KeyError:
            return False
        # Types first: 1.0 or True would compare equal to the span's 1.
        if set(map(type, key[:4])) != {int} or relation.get(side) != key[3]:
            return False
        if key in refs:
            continue
        if not (side == "child" and relation["label"] == CUE):
            return False
        if not _check_span(text, tokens, ref, "", Findings()):
            return False
    return True


def _check_relation(
    text: str,
    tokens: list[tuple[int, int]],
    spans: set[tuple[int, int, str]],
    relation: Any,
    here: str,
    findings: Findings,
) -> None:
    """The check of one relation that names what is wrong."""
    if not isinstance(relation, dict):
        findings.add(here, "not an object")
        return
    if relation.get("label") not in (CLAIMANT, CUE):
        findings.add(here, f"label {relation.get('label')!r} is not CLAIMANT or CUE")
    for side in ("head", "child"):
        ref = relation.get(f"{side}_span")
        if not _check_span(text, tokens, ref, f"{here}.{side}_span", findings):
            continue
        assert isinstance(ref, dict)
        if relation.get(side) != ref["token_end"]:
            findings.add(here, f"{side} must be the token_end of {side}_span")
        is_cue = side == "child" and relation.get("label") == CUE
        if not is_cue and (ref["start"], ref["end"], ref["label"]) not in spans:
            findings.add(here, f"{side}_span is not one of the record's spans")


def _check_tokens(
    text: str, rows: list[Any], where: str, findings: Findings
) -> list[tuple[int, int]] | None:
    tokens = _tokens_if_clean(text, rows)
    if tokens is not None:
        return tokens
    return _check_tokens_one_by_one(text, rows, where, findings)


_TOKEN_FIELDS = operator.itemgetter("start", "end", "id", "ws", "text")


def _tokens_if_clean(text: str, rows: list[Any]) -> list[tuple[int, int]] | None:
    """The tokens' ``(start, end)`` when every row is right, else None. The same conditions
    as the row-by-row check, tested a column at a time by C loops (``map`` over the rows):
    a record has hundreds of tokens and this is most of a check's time."""
    if not rows:
        return []
    if set(map(type, rows)) != {dict}:
        return None
    try:
        columns = list(zip(*map(_TOKEN_FIELDS, rows), strict=True))
    except KeyError:
        return None
    starts, ends, ids, spaces, words = columns
    if not (
        set(map(type, starts)) == {int}
        and set(map(type, ends)) == {int}
        and set(map(type, spaces)) == {bool}
        and list(ids) == list(range(len(rows)))
        and starts[0] >= 0
        and ends[-1] <= len(text)
        and all(map(operator.lt, starts, ends))
        # Each token starts at or after the previous one's end.
        and all(map(operator.le, ends[:-1], starts[1:]))
        and list(map(text.__getitem__, map(slice, starts, ends))) == list(words)
    ):
        return None
    return list(zip(starts, ends, strict=True))


def _check_tokens_one_by_one(
    text: str, rows: list[Any], where: str, findings: Findings
) -> list[tuple[int, int]] | None:
    """The check of every token row that says what is wrong."""
    length = len(text)
    tokens: list[tuple[int, int]] = []
    previous_end = 0
    for i, row in enumerate(rows):
        # The common case in one expression (a record has hundreds of tokens); the checks
        # below only run to say what is wrong.
        if type(row) is dict:
            start, end = row.get("start"), row.get("end")
            if (
                type(start) is int
                and type(end) is int
                and previous_end <= start < end <= length
                and row.get("id") == i
                and type(row.get("ws")) is bool
                and text[start:end] == row.get("text")
            ):
                tokens.append((start, end))
                previous_end = end
                continue
        here = f"{where} [tokens[{i}]]"
        if not isinstance(row, dict) or row.get("id") != i:
            findings.add(here, "a token must be an object whose 'id' is its index")
            return None
        if not check_range(
            text, row.get("start"), row.get("end"), here, findings, given=row.get("text")
        ):
            return None
        if row["start"] < previous_end:
            findings.add(here, "tokens overlap or are out of order")
            return None
        previous_end = row["end"]
        if not isinstance(row.get("ws"), bool):
            findings.add(here, "'ws' must be true or false")
        tokens.append((row["start"], row["end"]))
    return tokens


_SPAN_FIELDS = operator.itemgetter("start", "end", "token_start", "token_end", "label", "text")


def _spans_if_clean(
    text: str, tokens: list[tuple[int, int]], rows: list[Any]
) -> set[tuple[int, int, str]] | None:
    """``(start, end, label)`` of the spans when every one is right, else None: the
    conditions of :func:`_check_span` a column at a time, in C loops."""
    if not rows:
        return set()
    if not tokens or set(map(type, rows)) != {dict}:
        return None
    try:
        starts, ends, firsts, lasts, labels, words = zip(*map(_SPAN_FIELDS, rows), strict=True)
    except KeyError:
        return None
    token_starts, token_ends = zip(*tokens, strict=True)
    if not (
        set(map(type, starts + ends + firsts + lasts)) == {int}
        and set(map(type, labels)) == {str}
        and "" not in labels
        and min(starts) >= 0
        and max(ends) <= len(text)
        and all(map(operator.lt, starts, ends))
        and min(firsts) >= 0
        and max(lasts) < len(tokens)
        and all(map(operator.le, firsts, lasts))
        and list(map(token_starts.__getitem__, firsts)) == list(starts)
        and list(map(token_ends.__getitem__, lasts)) == list(ends)
        and list(map(text.__getitem__, map(slice, starts, ends))) == list(words)
    ):
        return None
    return set(zip(starts, ends, labels, strict=True))


def _check_span(
    text: str,
    tokens: list[tuple[int, int]],
    span: Any,
    where: str,
    findings: Findings,
    *,
    given: bool = False,
) -> bool:
    if not isinstance(span, dict):
        findings.add(where, "not an object")
        return False
    if not check_range(
        text,
        span.get("start"),
        span.get("end"),
        where,
        findings,
        given=span.get("text") if given else None,
    ):
        return False
    first, last = span.get("token_start"), span.get("token_end")
    if not (is_int(first) and is_int(last) and 0 <= first <= last < len(tokens)):
        findings.add(
            where,
            f"token_start {first!r} / token_end {last!r} (inclusive) are not "
            f"token indices in order",
        )
        return False
    if tokens[first][0] != span["start"] or tokens[last][1] != span["end"]:
        findings.add(
            where,
            f"start/end {span['start']}..{span['end']} are not the edges of "
            f"tokens {first}..{last} (token_end is inclusive)",
        )
        return False
    if not isinstance(span.get("label"), str) or not span["label"]:
        findings.add(where, "'label' must be a non-empty string")
        return False
    return True
