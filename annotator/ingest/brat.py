"""brat standoff: a ``.txt`` and its ``.ann`` (T, R and A lines) per document.

Give the ``.txt`` or the ``.ann`` of a pair, or a folder (each pair is read once; a ``.txt``
without an ``.ann`` is a document without annotations, an ``.ann`` without its ``.txt`` is
reported). Problems with an annotation name the ``.ann`` file and its line. The
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
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core import text as core_text
from annotator.core.errors import InputError, OffsetError
from annotator.core.model import Status
from annotator.ingest.foreign import Link, Region, annotations, check_text_unchanged
from annotator.ingest.opening import read_limited
from annotator.ingest.problems import problem_from
from annotator.ingest.record_checks import checked
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.ingest.values import shorten, title_from_text

_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_R = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_A = re.compile(r"^([AM]\d+)\t(\S+) (T\d+)(?: (\S+))?\s*$")
#: The place :mod:`annotator.ingest.foreign` gives a region: ``line N`` (then ``.label``…).
_AT_LINE = re.compile(r"^line (\d+)(?:\.(.+))?$")
_AT_LINE_REASON = re.compile(r"^line (\d+): (.*)$", re.DOTALL)
CLAIM_TYPE = "claimtype"
HEDGED = "hedged"


def brat_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """``paths`` with one path per ``.txt``/``.ann`` pair: a folder holds both, and reading
    either reads the pair."""
    seen: set[Path] = set()
    for path in paths:
        if path.suffix.lower() in (".txt", ".ann"):
            pair = path.with_suffix("")
            if pair in seen:
                continue
            seen.add(pair)
        yield path


def read_brat(
    path: Path, *, default_annotator: str | None = None, source: str | None = None
) -> Iterator[ImportedDocument | ImportProblem]:
    """The document of one ``.txt``/``.ann`` pair. Problems with an annotation name the
    ``.ann`` file and its line; problems with the text name the ``.txt``."""
    suffix = path.suffix.lower()
    if path.name == "manifest.json":
        return  # the manifest of one of our brat exports, met when importing its folder
    if suffix not in (".txt", ".ann"):
        yield ImportProblem(str(path), "not a brat .txt or .ann file; skipped", severity="warning")
        return
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if suffix == ".ann" and not txt.exists():
        yield ImportProblem(
            str(ann),
            f"has no {txt.name} beside it (brat keeps the text in a .txt of the same name); "
            "its annotations are not imported",
        )
        return
    try:
        data = read_limited(txt)
        lines = _ann_lines(ann)
    except InputError as exc:
        yield problem_from(exc, str(txt))
        return
    try:
        document, warnings = parse_brat(
            data,
            lines,
            path=str(txt),
            ann_path=str(ann),
            stem=txt.stem,
            default_annotator=default_annotator,
            source=source,
        )
    except InputError as exc:
        yield _placed(exc, str(ann))
        return
    for warning in warnings:
        yield _placed(InputError(warning), str(ann), severity="warning")
    yield document


def _ann_lines(ann: Path) -> list[str]:
    """The lines of the ``.ann`` file (none when there is no such file)."""
    if not ann.exists() and not ann.is_symlink():
        return []
    data = read_limited(ann)
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"is not UTF-8: byte 0x{data[exc.start]:02x}", path=str(ann), line=line
        ) from None


def _placed(error: InputError, ann: str, severity: str = "error") -> ImportProblem:
    """A problem for ``error``: one that names no file is about a line of the ``.ann`` file
    (its field, or its reason, starts ``line N``); one that names a file keeps it."""
    if error.path is not None:
        return ImportProblem(error.path, error.reason, error.line, error.field, severity)
    reason, line, field = error.reason, error.line, error.field
    if line is None and field is not None and (match := _AT_LINE.match(field)):
        line, field = int(match.group(1)), match.group(2)
    elif line is None and (match := _AT_LINE_REASON.match(reason)):
        line, reason = int(match.group(1)), match.group(2)
    return ImportProblem(ann, reason, line, field, severity)


def parse_brat(
    data: bytes,
    lines: list[str],
    *,
    path: str,
    ann_path: str,
    stem: str,
    default_annotator: str | None = None,
    source: str | None = None,
) -> tuple[ImportedDocument, list[str]]:
    """The document of a pair. An error about the ``.txt`` names ``path``; one about an
    annotation names no file and starts its field (or reason) with ``line N``."""
    try:
        text = core_text.decode(data, path=path).text
    except InputError as exc:
        raise InputError(exc.reason, path=path, line=exc.line, field=exc.field) from exc
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
            regions.append(_region(raw if raw is not None else text, line, number))
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
                path=path,
                field="text",
            )
        try:
            check_text_unchanged(raw, text, True)
        except InputError as exc:
            raise OffsetError(exc.reason, path=path) from exc
    regions = [_with_details(region, details.get(region.key, {})) for region in regions]
    entities, claims, found = annotations(text, regions, links, annotator=default_annotator)
    warnings.extend(found)
    if not text.strip():
        raise InputError("the text is empty", path=path)
    document = ImportedDocument(
        text=text,
        title=title_from_text(text),
        external_id=stem,
        source=source,
        entities=entities,
        claims=claims,
        statuses={default_annotator: Status.DONE} if entities or claims else {},
        origin=ann_path if lines else path,
    )
    return checked(document), warnings


def _raw_text(data: bytes) -> str | None:
    """The .txt as brat counts it (UTF-8, BOM dropped), or None when it is not UTF-8."""
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _region(text: str, line: str, number: int) -> Region:
    match = _T.match(line)
    if match is None:
        raise InputError("not 'T<n>\\tLABEL START END[;START END]\\tTEXT'", line=number)
    pieces = [tuple(int(n) for n in part.split()) for part in match.group(3).split(";")]
    start, end = pieces[0][0], pieces[-1][1]
    shown = " ".join(text[a:b] for a, b in pieces)
    if match.group(4) and match.group(4) != shown:
        raise OffsetError(
            f"text {shorten(match.group(4))!r} is not the text at "
            f"{match.group(3)} {shorten(shown)!r}",
            line=number,
        )
    return Region(match.group(1), start, end, match.group(2), f"line {number}")


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
