"""Opening an input file safely: regular files only, and never more than the size limit.

A path given as a text file can be anything: a FIFO (opening it waits for a writer forever), a
device such as ``/dev/zero`` (endless), a symbolic link that loops. Each is refused with one
message naming the path. The file is opened without blocking and checked with ``fstat`` on
the open descriptor, so what is checked is what is read even if the path changes meanwhile.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from annotator.core import limits
from annotator.core.errors import InputError
from annotator.ingest.problems import too_large

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def cannot_read(exc: OSError) -> str:
    """Why a path could not be opened, in words (a symbolic link loop is named as one)."""
    if exc.errno == errno.ELOOP:
        return "cannot be read: it is a symbolic link that leads back to itself (a loop)"
    if exc.errno == errno.ENOENT:
        return "cannot be read: it does not exist (or is a symbolic link to nothing)"
    return f"cannot be read: {exc.strerror or exc}"


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading; :class:`InputError` unless it is a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(cannot_read(exc), path=str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise InputError(
                f"is {kind}, not a regular file; only regular files are imported",
                path=str(path),
            )
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The whole of a regular file of at most ``limit`` bytes (default the file limit);
    at most ``limit + 1`` bytes are ever read. Raises :class:`InputError` naming the file."""
    limit = limits.MAX_FILE_BYTES if limit is None else limit
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            # Refused before reading: a corpus dump must not be loaded just to be rejected.
            raise InputError(too_large("file", size, limit), path=str(path))
        try:
            # As many bytes as the size says, and one more to see the file grew: a read of
            # ``limit + 1`` would have Python make a buffer of the whole limit (50 MB) first,
            # which took ten times as long as reading an article. Only a file that did grow
            # (or says 0, as /proc's do) is read on, still never past the limit.
            data = handle.read(size + 1)
            if len(data) > size and len(data) <= limit:
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise InputError(cannot_read(exc), path=str(path)) from None
    if len(data) > limit:
        # The size said otherwise: a file that grows while read, or one of /proc's.
        raise InputError(too_large("file", None, limit), path=str(path))
    return data
