"""Errors an export raises on purpose; the command line prints them and exits 1."""

from __future__ import annotations

import errno
from pathlib import Path

from annotator.core.errors import AnnotatorError


class ExportError(AnnotatorError):
    """The export could not be written (or replace what is there); nothing was changed."""


class ExportCheckError(ExportError):
    """The export was written but failed its read-back check, so it was not put in place."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        super().__init__(f"the export failed its read-back check and was not saved:\n  {shown}")


class ForeignTargetError(ExportError):
    """The target exists and is not something an export wrote: it is never replaced."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


#: What the user can do about the file system errors an export meets most.
_ADVICE = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted",
    errno.ENAMETOOLONG: "a file name is too long for the file system",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
}


class ExportWriteError(ExportError):
    """The file system refused the export (full disk, read-only, no permission...).

    The partial output was removed and whatever was at the target before is untouched.
    """

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = Path(path)
        self.errno = error.errno
        reason = _ADVICE.get(error.errno or 0) or error.strerror or str(error)
        super().__init__(
            f"cannot write the export {path}: {reason}; nothing was changed there "
            "(a previous export is kept as it was)"
        )


class DuplicateIdError(ExportError):
    """Two documents that would go out share an id: an export needs one id per document."""

    def __init__(self, key: str, first: str, second: str) -> None:
        self.key = key
        self.documents = (first, second)
        super().__init__(
            f"two documents would be exported with the same id {key!r}: {first} and {second}; "
            "give one of them another id and export again"
        )
