"""Atomic output: write beside the target, fsync, then rename over it.

A crash, a kill or a cancel leaves the previous file or folder (or nothing), never half an
export. The output is written into a working folder beside the target,
``.<name>.<16 hex digits>.partial``, which holds

* ``.annotator-partial.json``, the marker: the target's name and the writer's process id,
  locked (``flock``) for as long as the export runs;
* the output itself under the target's name, renamed over the target when it is complete;
* during the swap of a folder, ``.old``: the previous export, deleted once the new one is in
  place.

Before writing, the working folders that a killed export left beside the same target are
removed: only folders with our name pattern and a marker naming this target that no running
process holds locked (a kill releases the lock). When one of them still holds ``.old`` and the
target is missing (killed in the middle of a swap), the previous export is put back first.
Leftovers of earlier versions, which had no marker (``.<name>.<8 characters>.partial`` and
``.<name>.old-<8 characters>``), are removed once nothing in them has changed for an hour.

Files and folders are created with the default modes less the user's umask, like any other
tool's output, so that an exported dataset can be shared.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import orjson

from annotator.export.errors import ExportWriteError, ForeignTargetError

try:
    import fcntl
except ImportError:  # Windows: no flock; abandoned partials are recognised by age instead
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".partial"
MARKER = ".annotator-partial.json"
#: Inside the working folder: the previous export while a folder is swapped.
OLD = ".old"
#: Leftovers without a lock to test are left alone while anything in them is this recent.
QUIET_SECONDS = 3600.0
#: The target's name is shortened in the working folder's name above this many bytes, so
#: that the name stays within the usual limit of 255 bytes.
_NAME_BYTES = 180
_HEX = re.compile(r"[0-9a-f]{16}")
#: The random part of the names ``tempfile`` gave the working files of earlier versions.
_LEGACY = re.compile(r"[a-z0-9_]{8}")


@contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``path`` when the block ends."""
    with _staged(Path(path), folder=False) as tmp, tmp.open("wb") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write (and close) a file at; renamed over ``path``
    when the block ends, removed if it raises. For writers that open the file themselves and
    for a read-back check before the file takes the final name."""
    with _staged(Path(path), folder=False) as tmp:
        yield tmp


@contextmanager
def atomic_folder(path: Path, replaceable: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """A temporary folder beside ``path`` to fill; it takes the name ``path`` when the block
    ends (an existing folder there is moved aside first and deleted after), and is deleted if
    the block raises, leaving what was at ``path`` as it was.

    ``replaceable`` is called with ``path`` just before the swap and raises if what is there
    now must not be replaced (the user may have put files into it while the export ran).

    A folder cannot be swapped in one rename, so there is a moment between the two renames
    when ``path`` does not exist; a crash then leaves the old export inside the working folder,
    and the next export to ``path`` puts it back before it starts.
    """
    with _staged(Path(path), folder=True, replaceable=replaceable) as tmp:
        yield tmp


@contextmanager
def _staged(
    path: Path, *, folder: bool, replaceable: Callable[[Path], None] | None = None
) -> Iterator[Path]:
    """The working folder's output path; file system errors become :class:`ExportWriteError`
    naming ``path``, after the working folder is gone."""
    if not folder:
        _refuse_special(path)
    try:
        work = _Work.create(path)
    except OSError as exc:
        raise ExportWriteError(path, exc) from exc
    try:
        if folder:
            work.output.mkdir()
        else:
            # Created here (0666 less the umask) so that a writer that writes nothing still
            # leaves a file to rename.
            os.close(os.open(work.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        yield work.output
        if folder:
            _fsync_folder(work.output)
        if replaceable is not None:
            replaceable(path)
        work.put_in_place(folder)
    except OSError as exc:
        work.discard()
        raise ExportWriteError(path, exc) from exc
    except BaseException:
        work.discard()
        raise
    work.discard()


def _refuse_special(path: Path) -> None:
    """A rename over a device, pipe or socket would replace it (``/dev/null`` included, as
    root): only a regular file, or a link to one, is replaced by a file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # nothing there (or a dangling link, which is replaced)
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise ForeignTargetError(
            path, "is not a regular file (a device, pipe or socket); give a file name"
        )


class _Work:
    """One export's working folder beside ``target``, locked while this process runs."""

    def __init__(self, target: Path, folder: Path, lock: int) -> None:
        self.target = target
        self.folder = folder
        self.output = folder / target.name
        self._lock = lock

    @classmethod
    def create(cls, target: Path) -> _Work:
        parent = target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError as exc:  # what mkdir says of a file on the way
            raise NotADirectoryError(
                errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent)
            ) from exc
        remove_abandoned(target)
        stem = _short(target.name)
        while True:
            folder = parent / f".{stem}.{secrets.token_hex(8)}{SUFFIX}"
            try:
                folder.mkdir()
                break
            except FileExistsError:
                continue
        try:
            lock = os.open(folder / MARKER, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        try:
            # Locked before it says anything: a marker that cannot be read is not ours to
            # delete, and one that can is already locked.
            _lock(lock, wait=True)
            os.write(lock, orjson.dumps({"target": target.name, "pid": os.getpid()}))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            os.close(lock)
            raise
        return cls(target, folder, lock)

    def put_in_place(self, folder: bool) -> None:
        target = self.target
        if folder and os.path.lexists(target):
            old = self.folder / OLD
            os.replace(target, old)
            try:
                os.replace(self.output, target)
            except BaseException:
                os.replace(old, target)
                raise
        else:
            os.replace(self.output, target)
        _fsync_path(target.parent)

    def discard(self) -> None:
        """Remove the working folder (putting back a previous export still in it)."""
        try:
            _settle(self.folder, self.target)
        finally:
            os.close(self._lock)


def remove_abandoned(target: Path) -> list[Path]:
    """Remove the working folders and files that killed exports to ``target`` left; the
    removed paths. Best effort: what cannot be removed now is left for the next export."""
    removed: list[Path] = []
    parent, name = target.parent, target.name
    current, legacy = f".{_short(name)}.", f".{name}."
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.name.startswith(current) and _is_ours(entry, len(current)):
                if _remove_if_abandoned(path, target):
                    removed.append(path)
            elif entry.name.startswith(legacy) and _remove_legacy(entry, target, len(legacy)):
                removed.append(path)
        except OSError:
            continue
    return removed


def _is_ours(entry: os.DirEntry[str], skip: int) -> bool:
    rest = entry.name[skip:]
    return (
        rest.endswith(SUFFIX)
        and _HEX.fullmatch(rest[: -len(SUFFIX)]) is not None
        and entry.is_dir(follow_symlinks=False)
    )


def _remove_if_abandoned(folder: Path, target: Path) -> bool:
    try:
        fd = os.open(folder / MARKER, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False  # no marker: not ours, or an export that has only just begun
    try:
        try:
            marker = orjson.loads(os.read(fd, 1 << 16))
        except orjson.JSONDecodeError:
            return False
        if not isinstance(marker, dict) or marker.get("target") != target.name:
            return False
        if fcntl is not None:
            if not _lock(fd, wait=False):
                return False  # a running export holds it
        elif marker.get("pid") == os.getpid() or not _quiet(folder):
            return False
        _settle(folder, target)
        return True
    finally:
        os.close(fd)


def _remove_legacy(entry: os.DirEntry[str], target: Path, skip: int) -> bool:
    """Working files of versions before the marker: ``.<name>.<8>.partial`` (file or folder)
    and ``.<name>.old-<8>/<name>`` (a previous export moved aside during a swap)."""
    rest = entry.name[skip:]
    path = Path(entry.path)
    if entry.is_symlink():
        return False
    if rest.endswith(SUFFIX) and _LEGACY.fullmatch(rest[: -len(SUFFIX)]):
        if not _quiet(path):
            return False
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path)
        else:
            path.unlink()
        return True
    if rest.startswith("old-") and _LEGACY.fullmatch(rest[4:]) and entry.is_dir():
        if [p.name for p in path.iterdir()] != [target.name] or not _quiet(path):
            return False
        if not os.path.lexists(target):
            os.replace(path / target.name, target)
        shutil.rmtree(path)
        return True
    return False


def _settle(folder: Path, target: Path) -> None:
    """Delete a working folder; a previous export moved aside into it goes back first if the
    target is missing (kept where it is if that fails, for the next export to retry)."""
    old = folder / OLD
    if os.path.lexists(old) and not os.path.lexists(target):
        try:
            os.replace(old, target)
        except OSError:
            return
    shutil.rmtree(folder, ignore_errors=True)


def _quiet(path: Path) -> bool:
    """Whether nothing at or under ``path`` changed in the last :data:`QUIET_SECONDS`."""
    since = time.time() - QUIET_SECONDS
    if path.lstat().st_mtime > since:
        return False
    for root, folders, files in os.walk(path):
        for name in (*folders, *files):
            if os.lstat(os.path.join(root, name)).st_mtime > since:
                return False
    return True


def _lock(fd: int, *, wait: bool) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def _short(name: str) -> str:
    """``name``, or for a very long one its start and a hash (the marker has it in full)."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= _NAME_BYTES:
        return name
    digest = hashlib.sha256(raw).hexdigest()[:16]
    start = raw[:100].decode("utf-8", "ignore")
    return f"{start}~{digest}"


def _fsync_folder(folder: Path) -> None:
    """Sync the folder entries (file contents are synced by whoever wrote them)."""
    for current in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _fsync_path(current)


def _fsync_path(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows cannot open a folder; its renames are what they are
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["MARKER", "SUFFIX", "atomic_file", "atomic_folder", "atomic_write", "remove_abandoned"]
