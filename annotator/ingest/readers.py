"""The one entry point for reading files: pick the reader by format, stream what it yields.

Every reader is a generator of :class:`ImportedDocument` and :class:`ImportProblem` in file
order, so an import of any size holds one record at a time; a problem never stops the reading
of the records after it (except where the file itself is unreadable or binary).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import InputError
from annotator.ingest.brat import brat_paths, read_brat
from annotator.ingest.csv_records import read_csv
from annotator.ingest.discover import (
    FOREIGN_FORMATS,
    FORMATS,
    SUFFIX_FORMATS,
    detect_format,
    iter_paths,
)
from annotator.ingest.doccano import read_doccano
from annotator.ingest.field_names import DEFAULT_FIELDS, FieldNames
from annotator.ingest.jsonl import read_jsonl
from annotator.ingest.labelstudio import read_labelstudio
from annotator.ingest.native import read_native
from annotator.ingest.problems import problem_from
from annotator.ingest.prodigy import read_prodigy
from annotator.ingest.records import ImportedDocument, ImportProblem
from annotator.ingest.txt import read_txt

ImportItem = ImportedDocument | ImportProblem

FOREIGN_READERS = {
    "prodigy": read_prodigy,
    "doccano": read_doccano,
    "labelstudio": read_labelstudio,
    "brat": read_brat,
}


def read(
    path: str | os.PathLike[str],
    fmt: str = "auto",
    *,
    fields: FieldNames = DEFAULT_FIELDS,
    default_annotator: str | None = None,
    source: str | None = None,
) -> Iterator[ImportItem]:
    """Stream the documents and problems of one file.

    ``fmt`` is ``"auto"`` (see :func:`detect_format`) or one of :data:`FORMATS`. ``fields``
    applies to plain JSONL and CSV. ``default_annotator`` owns the spans and status of native
    records that name no annotator (``None``: the importing service decides). ``source`` is
    the source of every document that names none (text files: instead of their folder's name).
    """
    if fmt != "auto" and fmt not in FORMATS + FOREIGN_FORMATS:
        raise ValueError(
            f"unknown import format {fmt!r}; expected 'auto' or one of {FORMATS + FOREIGN_FORMATS}"
        )
    path = path if isinstance(path, Path) else Path(path)
    name = str(path)
    if path.is_dir():
        yield ImportProblem(name, "is a folder, not a file: import the files in it")
        return
    if fmt == "auto":
        try:
            fmt = detect_format(path)
        except InputError as exc:
            yield problem_from(exc, name)
            return
    if fmt == "txt":
        yield from read_txt(path, source=source)
    elif fmt == "csv":
        yield from read_csv(path, fields=fields, source=source)
    elif fmt == "annotator":
        yield from read_native(path, default_annotator=default_annotator, source=source)
    elif fmt in FOREIGN_FORMATS:
        yield from FOREIGN_READERS[fmt](path, default_annotator=default_annotator, source=source)
    else:
        yield from read_jsonl(
            path, fields=fields, default_annotator=default_annotator, source=source
        )


def read_all(
    paths: Iterable[str | os.PathLike[str]],
    fmt: str = "auto",
    *,
    fields: FieldNames = DEFAULT_FIELDS,
    default_annotator: str | None = None,
    source: str | None = None,
) -> Iterator[ImportItem]:
    """:func:`read` over every file :func:`paths_to_read` finds in ``paths``, in its order."""
    for path in paths_to_read(paths, fmt):
        yield from read(
            path, fmt, fields=fields, default_annotator=default_annotator, source=source
        )


def paths_to_read(paths: Iterable[str | os.PathLike[str]], fmt: str = "auto") -> Iterator[Path]:
    """The files to read for an import of ``paths`` in ``fmt``: :func:`iter_paths`, and for
    brat its ``.ann`` files too, one path per pair (so that an ``.ann`` without its ``.txt``
    is reported rather than passed over)."""
    if fmt == "brat":
        return brat_paths(iter_paths(paths, suffixes=(*SUFFIX_FORMATS, ".ann")))
    return iter_paths(paths)
