"""Finding the files to import and telling their formats apart."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from annotator.core.errors import InputError
from annotator.ingest.json_lines import first_object

FORMATS: tuple[str, ...] = ("txt", "jsonl", "csv", "annotator")
#: Other tools' formats: chosen explicitly (``--format``), never detected.
FOREIGN_FORMATS: tuple[str, ...] = ("prodigy", "doccano", "labelstudio", "brat")

#: By extension; JSONL is told apart from native JSONL by its first record.
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}

#: A first record with one of these keys is native: ``offsets`` whatever its value, so that a
#: file with other offsets is refused by the native reader rather than read without its spans.
T = TypeVar("T")

_NATIVE_MARKERS = ("offsets", "entities", "claims")


def iter_paths(
    paths: Iterable[str | os.PathLike[str]], *, suffixes: Iterable[str] | None = None
) -> Iterator[Path]:
    """Yield each file named, and the files under each folder named, recursively.

    Inside folders, hidden entries (a leading dot) are skipped, names are visited in sorted
    order, and only entries with a known suffix are kept (``suffixes``, default the importable
    ones; an empty tuple keeps every entry), so that images or notes beside the articles do not
    each become an "unsupported" problem. A kept entry is yielded whatever it is (a symbolic
    link that loops, a FIFO...): the reader refuses it with a message. A file named explicitly
    is always yielded, as is a path that does not exist: the reader reports it.
    """
    wanted = None if suffixes == () else frozenset(s.lower() for s in suffixes or SUFFIX_FORMATS)
    for given in paths:
        path = Path(given)
        if _is_folder(path):
            yield from _walk(path, wanted, Path)
        else:
            yield path


def detect_format(path: str | os.PathLike[str]) -> str:
    """One of :data:`FORMATS` for ``path``, by extension and, for JSONL, its first record.

    Raises :class:`InputError` for an extension no reader handles.
    """
    path = path if isinstance(path, Path) else Path(path)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        what = f"the file type {path.suffix!r}" if path.suffix else "a file without an extension"
        raise InputError(f"{what} cannot be imported (known: {known})", path=str(path))
    if fmt == "jsonl":
        record = first_object(path)
        if record is not None and any(key in record for key in _NATIVE_MARKERS):
            return "annotator"
    return fmt


def iter_path_names(
    paths: Iterable[str | os.PathLike[str]], *, suffixes: Iterable[str] | None = None
) -> Iterator[str]:
    """:func:`iter_paths` as strings: for a walk that only looks at the names (counting), a
    ``Path`` per file costs more than the rest of it."""
    wanted = None if suffixes == () else frozenset(s.lower() for s in suffixes or SUFFIX_FORMATS)
    for given in paths:
        path = os.fspath(given)
        if _is_folder(Path(path)):
            yield from _walk(path, wanted, str)
        else:
            yield path


def _walk(
    folder: str | os.PathLike[str], wanted: frozenset[str] | None, make: Callable[[str], T]
) -> Iterator[T]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        # An unreadable folder: yield it, so the reader reports why instead of it vanishing.
        yield make(os.fspath(folder))
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            # Symlinked folders are not followed: a link back up the tree would never end.
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_folder = False
        if is_folder:
            yield from _walk(entry.path, wanted, make)
        elif wanted is None or suffix_of(name) in wanted:
            # Whatever it is behind the name (a regular file, a link that loops or leads
            # nowhere, a FIFO or a device): the reader reads it or says why not, so that a
            # file meant to be imported is never passed over without a word.
            yield make(entry.path)


def suffix_of(path: str) -> str:
    """``PurePath(path).suffix.lower()``, without making a path."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a link that loops, on Pythons whose is_dir does not say False
        return False
