"""Label Studio JSON export: a list of tasks with ``data.text`` and ``annotations``.

Every annotation that was not cancelled is imported (a cancelled one sets the status skipped):
its ``labels`` results on the text are regions (``value``: ``start``, ``end``, ``labels``,
``text``), ``relation`` results join them (``from_id``, ``to_id``, ``labels``), and
``choices`` results that share a region's id give a claim its type (``claim_type``) and
``hedged`` flag. Claims, cues and claimants follow :mod:`annotator.ingest.foreign`. A region's
``origin`` ``prediction`` means accepted from a suggestion (``meta.origin`` names which).

Label Studio versions before its emoji fix counted offsets in UTF-16 units. When a region's
``text`` does not match the code-point offsets but matches them read as UTF-16, they are
converted and the record gets a warning; a region that matches neither is refused.

The annotator is the task's ``meta.annotator`` (our exports) for a single annotation, else
``labelstudio:<completed_by>``, else the importing one. The whole file is read at once (Label
Studio writes one JSON array), up to the import size limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import InputError, OffsetError
from annotator.core.model import MANUAL, Status, suggested_origin
from annotator.core.offsets import Utf16Table
from annotator.ingest.field_names import FieldNames
from annotator.ingest.foreign import (
    Link,
    Region,
    annotations,
    check_text_unchanged,
    document_meta,
    flag,
    offsets,
)
from annotator.ingest.opening import read_limited
from annotator.ingest.problems import problem_from
from annotator.ingest.record_checks import checked
from annotator.ingest.records import (
    ImportedClaim,
    ImportedDocument,
    ImportedEntity,
    ImportProblem,
)
from annotator.ingest.seen_ids import SeenIds
from annotator.ingest.values import (
    clean_title,
    document_text,
    meta_object,
    optional_str,
    record_id,
    require_object,
    shorten,
    title_from_text,
)

OFFSETS = "codepoint"
#: Where a Label Studio task keeps the document's fields.
NAMES = FieldNames(
    text="data.text", title="data.title", id="data.document_id", source="data.source"
)
CLAIM_TYPE = "claim_type"
HEDGED = "hedged"
_DATA_KEYS = frozenset({"text", "document_id", "title", "source"})
#: A NUL byte not after a backslash (see :mod:`annotator.ingest.json_lines`).
_RAW_NUL = re.compile(rb"(?<!\\)\x00")


def read_labelstudio(
    path: Path, *, default_annotator: str | None = None, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    name = str(path)
    try:
        data = read_limited(path)
        if b"\x00" in data:
            # As in JSON Lines: a raw NUL inside a string is read as the character, so that
            # the one task holding it is refused, naming its field, and the others imported.
            data = _RAW_NUL.sub(rb"\\u0000", data)
        tasks = orjson.loads(data)
    except InputError as exc:
        yield problem_from(exc, name)
        return
    except orjson.JSONDecodeError as exc:
        yield ImportProblem(name, f"is not valid JSON: {exc}")
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield ImportProblem(name, "is not a Label Studio export (a JSON array of tasks)")
        return
    seen = SeenIds()
    for number, task in enumerate(tasks, start=1):
        # "line" is the task's position in the array here, which is what a user can find.
        try:
            document, warnings = parse_task(
                task,
                path=name,
                index=number,
                default_annotator=default_annotator,
                source=source,
            )
            checked(document, NAMES)
            seen.add(document.external_id, number, field="data.document_id")
        except InputError as exc:
            yield problem_from(exc, name, number)
            continue
        for warning in warnings:
            yield ImportProblem(name, warning, line=number, severity="warning")
        yield document


def parse_task(
    value: Any,
    *,
    path: str,
    index: int,
    default_annotator: str | None = None,
    source: str | None = None,
) -> tuple[ImportedDocument, list[str]]:
    task = require_object(value)
    data = require_object(task.get("data"), field="data")
    raw, text = document_text(data.get("text"), path=path, line=index, field="data.text")
    meta = meta_object(task.get("meta"), field="meta")
    if meta.get("offsets", OFFSETS) != OFFSETS:
        raise InputError(f"offsets must be {OFFSETS!r}", field="meta.offsets")
    given = task.get("annotations") or []
    if not isinstance(given, list):
        raise InputError("must be an array", field="annotations")
    own = optional_str(meta.get("annotator"), field="meta.annotator")
    entities: list[ImportedEntity] = []
    claims: list[ImportedClaim] = []
    statuses: dict[str | None, Status] = {}
    warnings: list[str] = []
    table = Utf16Table(text)
    for a, item in enumerate(given):
        field = f"annotations[{a}]"
        annotation = require_object(item, field=field)
        annotator = _annotator(annotation, own if len(given) == 1 else None, default_annotator)
        if annotation.get("was_cancelled"):
            statuses[annotator] = Status.SKIPPED
            continue
        results = annotation.get("result") or []
        if not isinstance(results, list):
            raise InputError("must be an array", field=f"{field}.result")
        prefix = "" if len(given) == 1 else f"{a}-"
        has_regions = any(isinstance(r, dict) and r.get("type") == "labels" for r in results)
        check_text_unchanged(raw, text, has_regions, field="data.text")
        regions, links, converted = _regions(text, table, results, field, prefix)
        if converted:
            warnings.append(
                f"{field}: offsets were UTF-16 units (an older Label Studio); converted"
            )
        found_entities, found_claims, found_warnings = annotations(
            text, regions, links, annotator=annotator
        )
        entities.extend(found_entities)
        claims.extend(found_claims)
        warnings.extend(found_warnings)
        statuses[annotator] = Status.DONE
    title = optional_str(data.get("title"), field="data.title")
    external = record_id(data.get("document_id"), field="data.document_id")
    if external is None:
        external = record_id(task.get("id"), field="id")
    return (
        ImportedDocument(
            text=text,
            title=clean_title(title, path=path, line=index, field="data.title")
            if title
            else title_from_text(text),
            external_id=external,
            source=optional_str(data.get("source"), field="data.source") or source,
            meta={
                **{k: v for k, v in data.items() if k not in _DATA_KEYS},
                **document_meta(meta),
            },
            entities=tuple(entities),
            claims=tuple(claims),
            statuses=statuses,
            origin=f"{path} task {index}",
        ),
        warnings,
    )


def _annotator(annotation: Mapping[str, Any], own: str | None, default: str | None) -> str | None:
    if own:
        return own
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    if isinstance(who, str | int) and not isinstance(who, bool):
        return f"labelstudio:{who}"
    return default


def _regions(
    text: str, table: Utf16Table, results: list[Any], field: str, prefix: str
) -> tuple[list[Region], list[Link], bool]:
    choices: dict[str, dict[str, Any]] = {}
    for r, value in enumerate(results):
        result = require_object(value, field=f"{field}.result[{r}]")
        if result.get("type") == "choices" and result.get("from_name") in (CLAIM_TYPE, HEDGED):
            picked = (result.get("value") or {}).get("choices") or []
            if not isinstance(picked, list) or len(picked) != 1:
                raise InputError("needs one choice", field=f"{field}.result[{r}].value.choices")
            choices.setdefault(str(result.get("id")), {})[result["from_name"]] = picked[0]
    regions: list[Region] = []
    links: list[Link] = []
    converted = False
    for r, value in enumerate(results):
        where = f"{field}.result[{r}]"
        result = require_object(value, field=where)
        kind = result.get("type")
        if kind == "relation":
            labels = result.get("labels") or [""]
            links.append(
                Link(
                    str(labels[0]),
                    prefix + str(result.get("from_id")),
                    prefix + str(result.get("to_id")),
                    where,
                )
            )
        elif kind == "labels":
            region_value = require_object(result.get("value"), field=f"{where}.value")
            labels = region_value.get("labels")
            if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
                raise InputError("a region needs exactly one label", field=f"{where}.value.labels")
            start, end = offsets(region_value, "start", "end", f"{where}.value")
            start, end, utf16 = _code_points(text, table, start, end, region_value, where)
            converted = converted or utf16
            key = str(result.get("id"))
            extra = choices.get(key, {})
            regions.append(
                Region(
                    prefix + key,
                    start,
                    end,
                    labels[0],
                    where,
                    claim_type=extra.get(CLAIM_TYPE),
                    hedged=flag(extra.get(HEDGED), f"{where} {HEDGED}"),
                    origin=_origin(result),
                )
            )
    return regions, links, converted


def _code_points(
    text: str, table: Utf16Table, start: int, end: int, value: Mapping[str, Any], where: str
) -> tuple[int, int, bool]:
    """The region's code-point offsets, converting from UTF-16 units when only they fit."""
    given = value.get("text")
    if not isinstance(given, str) or text[start:end] == given:
        return start, end, False
    if table.has_astral and 0 <= start < end <= table.len_utf16:
        cp_start, cp_end = table.range_to_codepoint(start, end)
        if text[cp_start:cp_end] == given:
            return cp_start, cp_end, True
    raise OffsetError(
        f"region text {shorten(given)!r} is not the text at {start}..{end}, counted in code "
        "points or in UTF-16 units",
        field=f"{where}.value.text",
    )


def _origin(result: Mapping[str, Any]) -> str:
    origin = str(result.get("origin") or MANUAL)
    if not origin.startswith("prediction"):
        return MANUAL
    named = (
        (result.get("meta") or {}).get("origin") if isinstance(result.get("meta"), dict) else None
    )
    if isinstance(named, str) and named.startswith("suggested:") and len(named) > 10:
        return named
    return suggested_origin("labelstudio")
