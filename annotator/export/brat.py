"""brat standoff: ``<id>.txt`` and ``<id>.ann`` per document, ``annotation.conf`` at the top.

The ``.txt`` is the document text exactly, UTF-8 with LF breaks. brat reads it with Python and
counts offsets in the ``str`` it gets, i.e. in code points, which is what we write (no UTF-16
or byte offsets anywhere). In the ``.ann``:

* ``T`` lines for entities (their label), claims (``CLAIM``) and cues (``CUE``); a span across
  a line break is written as fragments ``start end;start end`` around the break, as brat makes
  them, with the fragments' texts joined by a space;
* ``R`` lines ``Claimant Arg1:<claim> Arg2:<entity>`` and ``Cue Arg1:<claim> Arg2:<cue>``;
* ``A`` lines ``ClaimType <claim> <type>`` and ``Hedged <claim>`` (binary: present if hedged).

File names are the document ids with characters outside ``A-Za-z0-9._-`` replaced by ``_``,
leading dots dropped and ``_`` put before a name Windows reserves (``CON``, ``NUL``, ``COM1``...).
An id longer than :data:`STEM_LIMIT` characters is cut and ends in ``-`` and the first 16 hex
digits of the SHA-256 of the whole id, so that every name fits every common file system
(255 bytes on most, 143 on an encrypted home folder). Names are unique regardless of case
(``-2``, ``-3`` are added on a clash). The manifest's ``"renamed"`` maps every file name that
is not the document id itself to the id, so the id always round-trips.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from annotator.core.model import CLAIM_TYPES, Layer
from annotator.core.tokens import Tokenized
from annotator.export.document import ExportDocument
from annotator.export.validation import Findings
from annotator.export.writing import (
    CLAIMANT_RELATION,
    CUE_LABEL,
    CUE_RELATION,
    ExportContext,
)

FORMAT = "brat"
CONF = "annotation.conf"
CLAIM_TYPE = "ClaimType"
HEDGED = "Hedged"
#: What a brat folder holds: the documents, and the statistics cache the brat server adds.
MEMBERS = ("*.txt", "*.ann", ".stats_cache")
#: The longest file name stem (without ``.txt``/``.ann``); see the module's docstring.
STEM_LIMIT = 120
_HASH_DIGITS = 16
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in range(1, 10)]
)
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_R_LINE = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)$")
_A_LINE = re.compile(r"^(A\d+)\t(\S+) (T\d+)(?: (\S+))?$")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start..end`` in pieces that hold no line break (empty pieces left out)."""
    pieces = []
    position = start
    for index in range(start, end + 1):
        if index == end or text[index] == "\n":
            if position < index:
                pieces.append((position, index))
            position = index + 1
    return pieces


def t_line(number: int, label: str, text: str, start: int, end: int) -> str:
    parts = fragments(text, start, end)
    where = ";".join(f"{a} {b}" for a, b in parts)
    shown = " ".join(text[a:b] for a, b in parts)
    return f"T{number}\t{label} {where}\t{shown}"


def annotation(doc: ExportDocument) -> str:
    text = doc.text
    lines: list[str] = []
    ids: dict[int | None, str] = {}
    cue_ids: dict[tuple[int, int], str] = {}
    relations: list[tuple[str, str, str]] = []
    attributes: list[tuple[str, str, str | None]] = []

    def add_t(label: str, start: int, end: int) -> str | None:
        if not fragments(text, start, end):
            return None  # only line breaks: nothing brat could show
        name = f"T{len(lines) + 1}"
        lines.append(t_line(len(lines) + 1, label, text, start, end))
        return name

    for span in doc.spans:
        if span.layer is Layer.ENTITY:
            ids[span.id] = add_t(span.label, span.start, span.end) or ""
    for span in doc.spans:
        if span.layer is not Layer.CLAIM or span.claim is None:
            continue
        claim = add_t(span.label, span.start, span.end)
        if claim is None:
            continue
        details = span.claim
        claimant = ids.get(details.claimant_id) if details.claimant_id is not None else None
        if claimant:
            relations.append((CLAIMANT_RELATION, claim, claimant))
        if details.cue is not None:
            cue = cue_ids.get(details.cue)
            if cue is None:
                cue = add_t(CUE_LABEL, *details.cue)
                if cue is not None:
                    cue_ids[details.cue] = cue
            if cue is not None:
                relations.append((CUE_RELATION, claim, cue))
        attributes.append((CLAIM_TYPE, claim, details.claim_type))
        if details.hedged:
            attributes.append((HEDGED, claim, None))
    for number, (kind, head, child) in enumerate(relations, start=1):
        lines.append(f"R{number}\t{kind} Arg1:{head} Arg2:{child}")
    for number, (kind, target, value) in enumerate(attributes, start=1):
        lines.append(f"A{number}\t{kind} {target}" + ("" if value is None else f" {value}"))
    return "".join(line + "\n" for line in lines)


class BratWriter:
    """Writes into the folder ``path``; ``annotation.conf`` comes from :func:`write_conf`."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.folder = path
        self.context = context
        self.used = context.file_stems
        self.renamed: dict[str, str] = context.notes.setdefault("renamed", {})  # type: ignore[assignment]

    def write(self, doc: ExportDocument, tokens: Tokenized | None) -> None:
        stem = self._stem(doc.key)
        # Per-document files are not fsynced one by one (thousands of syncs); the export
        # folder appears under its final name only once everything is written.
        (self.folder / f"{stem}.txt").write_bytes(doc.text.encode("utf-8"))
        (self.folder / f"{stem}.ann").write_bytes(annotation(doc).encode("utf-8"))
        for span in doc.spans:
            labels = (
                self.context.entity_labels
                if span.layer is Layer.ENTITY
                else (self.context.claim_labels)
            )
            labels.add(span.label)

    def _stem(self, key: str) -> str:
        stem = file_stem(key)
        candidate, n = stem, 1
        while candidate.lower() in self.used:
            n += 1
            suffix = f"-{n}"
            candidate = stem[: STEM_LIMIT - len(suffix)] + suffix
        self.used.add(candidate.lower())
        if candidate != key:
            self.renamed[candidate] = key
        return candidate

    def close(self) -> None:
        pass


def file_stem(key: str) -> str:
    """A safe file name stem for the document id ``key`` (before making it unique)."""
    stem = _UNSAFE.sub("_", key).lstrip(".") or "document"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    if len(stem) > STEM_LIMIT:
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        stem = f"{stem[: STEM_LIMIT - _HASH_DIGITS - 1]}-{digest[:_HASH_DIGITS]}"
    return stem


def write_conf(root: Path, context: ExportContext) -> None:
    entities = _ordered(context.schema.entity_names, context.entity_labels)
    claims = _ordered([context.schema.claim_label], context.claim_labels)
    types = _ordered(context.schema.claim_types, CLAIM_TYPES)
    claim_types = "|".join(claims)
    lines = [
        "# Written by Annotator: offsets in the .ann files count code points of the .txt.",
        "[entities]",
        *entities,
        *claims,
        CUE_LABEL,
        "",
        "[relations]",
        f"{CLAIMANT_RELATION}\tArg1:{claim_types}, Arg2:{'|'.join(entities) or '<ENTITY>'}",
        f"{CUE_RELATION}\tArg1:{claim_types}, Arg2:{CUE_LABEL}",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        f"{CLAIM_TYPE}\tArg:{claim_types}, Value:{'|'.join(types)}",
        f"{HEDGED}\tArg:{claim_types}",
        "",
    ]
    (root / CONF).write_text("\n".join(lines), encoding="utf-8")


def _ordered(first: Iterable[str], more: Iterable[str]) -> list[str]:
    result = list(dict.fromkeys(first))
    result.extend(sorted(set(more) - set(result)))
    return result


def check(path: Path) -> list[str]:
    """Every ``.ann`` has its ``.txt``; T offsets fit the text and show its characters; R and A
    lines name existing T ids; ClaimType values are known types."""
    findings = Findings()
    if not path.is_dir():
        findings.add(str(path), "a brat export is a folder")
        return findings.result()
    texts = {p.stem for p in path.glob("*.txt")}
    anns = sorted(path.glob("*.ann"))
    for stem in sorted(texts - {p.stem for p in anns}):
        findings.add(str(path / f"{stem}.txt"), "has no .ann beside it")
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if ann.stem not in texts:
            findings.add(str(ann), "has no .txt beside it")
            continue
        try:
            text = txt.read_bytes().decode("utf-8")
            lines = ann.read_bytes().decode("utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as exc:
            findings.add(str(ann), f"cannot be read as UTF-8: {exc}")
            continue
        check_ann(text, lines, str(ann), findings)
    if not _find_conf(path):
        findings.add(str(path), f"no {CONF} here or in a parent folder")
    return findings.result()


def _find_conf(path: Path) -> bool:
    return any((folder / CONF).is_file() for folder in (path, *path.parents[:1]))


def check_ann(text: str, lines: list[str], name: str, findings: Findings) -> None:
    t_ids: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        where = f"{name}:{number}"
        if line.startswith("T"):
            match = _T_LINE.match(line)
            if match is None:
                findings.add(where, "not 'T<n>\\tLABEL START END[;START END]\\tTEXT'")
                continue
            pieces = [tuple(map(int, part.split())) for part in match.group(3).split(";")]
            if any(not 0 <= a < b <= len(text) for a, b in pieces):
                findings.add(where, f"offsets outside the text (0..{len(text)})")
                continue
            shown = " ".join(text[a:b] for a, b in pieces)
            if shown != match.group(4):
                findings.add(where, f"text {match.group(4)!r} is not {shown!r} at those offsets")
            t_ids.add(match.group(1))
        elif line.startswith("R"):
            match = _R_LINE.match(line)
            if match is None or match.group(3) not in t_ids or match.group(4) not in t_ids:
                findings.add(where, "not 'R<n>\\tTYPE Arg1:T<n> Arg2:T<n>' with known T ids")
        elif line.startswith("A"):
            match = _A_LINE.match(line)
            if match is None or match.group(3) not in t_ids:
                findings.add(where, "not 'A<n>\\tNAME T<n> [VALUE]' with a known T id")
            elif match.group(2) == CLAIM_TYPE and match.group(4) is None:
                findings.add(where, f"{CLAIM_TYPE} needs a value")
        elif not line.startswith("#"):
            findings.add(where, "not a T, R, A or # line")
