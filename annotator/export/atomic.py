"""Atomic output: write beside the target, fsync, then rename over it.

A crash or a cancel leaves the previous file (or nothing), never half an export. Exports of
several files are written into a temporary folder beside the target and renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write (and close) a file at; renamed over ``path``
    when the block ends, removed if it raises. For writers that open the file themselves and
    for a read-back check before the file takes the final name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder beside ``path`` to fill; it takes the name ``path`` when the block
    ends (an existing folder there is moved aside first and deleted after), and is deleted if
    the block raises, leaving what was at ``path`` as it was.

    A folder cannot be swapped in one rename, so there is a moment between the two renames
    when ``path`` does not exist; a crash then leaves the old export as ``.<name>.old-*``
    beside it rather than losing it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
    try:
        yield tmp
        _fsync_folder(tmp)
        if path.exists() or path.is_symlink():
            aside = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
            os.replace(path, aside / path.name)
            try:
                os.replace(tmp, path)
            except BaseException:
                os.replace(aside / path.name, path)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _fsync_folder(folder: Path) -> None:
    """Sync the folder entries (file contents are synced by whoever wrote them)."""
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows cannot open a folder; its renames are what they are
    for current in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        fd = os.open(current, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
