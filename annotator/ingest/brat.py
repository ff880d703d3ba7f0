"""brat standoff: a ``.txt`` and its ``.ann`` (T, R and A lines) per document.

Give the ``.txt`` or the ``.ann`` of a pair, or a folder (its ``.txt`` files are visited and
each finds its ``.ann``; a ``.txt`` without one is a document without annotations). The
document id is the file name without its suffix. brat offsets count the characters of the
``.txt`` as Python reads it, i.e. code points, like ours; a discontinuous T (``0 5;6 9``) is
imported as the one span from its first start to its last end. ``T`` lines labelled ``CLAIM``
are claims and ``CUE`` cues; ``R`` lines ``Claimant``/``Cue`` (``Arg1`` the claim) link them;
``A`` lines ``ClaimType <T> <type>`` and ``Hedged <T> [true|false]`` set claim details
(:mod:`annotator.ingest.foreign`). Events, normalisations and notes are skipped with a warning.
A ``.txt`` with annotations must be UTF-8 whose text normalisation does not change.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from annotator.core import text as core_text
from annotator.core.errors import InputError, OffsetError
from annotator.core.model import Status
from annotator.ingest.foreign import Link, Region, annotations, check_text_unchanged
from annotator.ingest.problems import problem_from, too_large
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.ingest.values import shorten, title_from_text

_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_R = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_A = re.compile(r"^([AM]\d+)\t(\S+) (T\d+)(?: (\S+))?\s*$")
CLAIM_TYPE = "claimtype"
HEDGED = "hedged"


def read_brat(
    path: Path, *, default_annotator: str | None = None, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    suffix = path.suffix.lower()
    if path.name == "manifest.json":
        return  # the manifest of one of our brat exports, met when importing its folder
    if suffix not in (".txt", ".ann"):
        yield ImportProblem(str(path), "not a brat .txt or .ann file; skipped", severity="warning")
        return
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    name = str(ann if suffix == ".ann" else txt)
    try:
        data = _read(txt)
        lines = _read(ann).decode("utf-8").splitlines() if ann.exists() else []
    except InputError as exc:
        yield problem_from(exc, name)
        return
    except UnicodeDecodeError as exc:
        yield ImportProblem(str(ann), f"is not UTF-8: {exc.reason} at byte {exc.start}")
        return
    try:
        document, warnings = parse_brat(
            data,
            lines,
            path=name,
            stem=txt.stem,
            default_annotator=default_annotator,
            source=source,
        )
    except InputError as exc:
        yield problem_from(exc, name)
        return
    for warning in warnings:
        yield ImportProblem(str(ann), warning, severity="warning")
    yield document


def _read(path: Path) -> bytes:
    limit = core_text.MAX_FILE_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(too_large("file", size, limit), path=str(path))
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from exc


def parse_brat(
    data: bytes,
    lines: list[str],
    *,
    path: str,
    stem: str,
    default_annotator: str | None = None,
    source: str | None = None,
) -> tuple[ImportedDocument, list[str]]:
    text = core_text.decode(data, path=path).text
    regions: list[Region] = []
    links: list[Link] = []
    details: dict[str, dict[str, str | None]] = {}
    warnings: list[str] = []
    raw = _raw_text(data)
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"line {number}"
        kind = line[0]
        if kind == "T":
            regions.append(_region(raw if raw is not None else text, line, where))
        elif kind == "R":
            match = _R.match(line)
            if match is None:
                raise InputError("not 'R<n>\\tTYPE Arg1:T<n> Arg2:T<n>'", line=number)
            links.append(Link(match.group(2), match.group(3), match.group(4), where))
        elif kind in "AM":
            match = _A.match(line)
            if match is None:
                raise InputError("not 'A<n>\\tNAME T<n> [VALUE]'", line=number)
            name = match.group(2).casefold()
            if name not in (CLAIM_TYPE, HEDGED):
                warnings.append(f"{where}: attribute {match.group(2)!r} is not kept")
                continue
            details.setdefault(match.group(3), {})[name] = match.group(4)
        else:
            warnings.append(f"{where}: {kind} lines are not imported")
    if regions:
        if raw is None:
            raise OffsetError(
                "a .txt with annotations must be UTF-8: brat's offsets count its characters",
                field="text",
            )
        check_text_unchanged(raw, text, True)
    regions = [_with_details(region, details.get(region.key, {})) for region in regions]
    entities, claims, found = annotations(text, regions, links, annotator=default_annotator)
    warnings.extend(found)
    if not text.strip():
        raise InputError("the text is empty", path=path)
    return (
        ImportedDocument(
            text=text,
            title=title_from_text(text),
            external_id=stem,
            source=source,
            entities=entities,
            claims=claims,
            statuses={default_annotator: Status.DONE} if entities or claims else {},
            origin=path,
        ),
        warnings,
    )


def _raw_text(data: bytes) -> str | None:
    """The .txt as brat counts it (UTF-8, BOM dropped), or None when it is not UTF-8."""
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _region(text: str, line: str, where: str) -> Region:
    match = _T.match(line)
    if match is None:
        raise InputError(f"{where}: not 'T<n>\\tLABEL START END[;START END]\\tTEXT'")
    pieces = [tuple(int(n) for n in part.split()) for part in match.group(3).split(";")]
    start, end = pieces[0][0], pieces[-1][1]
    shown = " ".join(text[a:b] for a, b in pieces)
    if match.group(4) and match.group(4) != shown:
        raise OffsetError(
            f"{where}: text {shorten(match.group(4))!r} is not the text at "
            f"{match.group(3)} {shorten(shown)!r}"
        )
    return Region(match.group(1), start, end, match.group(2), where)


def _with_details(region: Region, values: dict[str, str | None]) -> Region:
    if not values:
        return region
    hedged = values.get(HEDGED, "false")
    return Region(
        region.key,
        region.start,
        region.end,
        region.label,
        region.field,
        claim_type=values.get(CLAIM_TYPE),
        # A binary attribute is written without a value: present means true.
        hedged=(hedged is None) or hedged.lower() in ("true", "yes", "1"),
    )
