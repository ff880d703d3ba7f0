"""What an export may replace: an earlier export, never somebody else's files.

* A file export replaces a regular file of the name given (as any program that writes a
  file does), never a folder, and never a device, pipe or socket.
* A folder export replaces a missing or empty folder, or one whose ``manifest.json`` says that
  an Annotator export wrote it (:func:`annotator.export.manifest.is_ours`) and that holds
  nothing but what such an export writes (its data files, the manifest, the shared files of
  its format, and the litter file managers leave: ``.DS_Store``, ``Thumbs.db``,
  ``desktop.ini``). Anything else is refused with a message naming the folder and, where there
  is one, the first file that is not ours: the user moves it or chooses another folder.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from pathlib import Path

import orjson

from annotator.export import manifest
from annotator.export.errors import ForeignTargetError
from annotator.export.formats import FORMATS, ExportFormat
from annotator.export.splitting import ALL

#: Files that file managers put into any folder they show; deleting them loses nothing.
LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_ADVICE = "choose a new or empty folder"


def ensure_replaceable(out: Path, *, folder: bool) -> None:
    """Raise :class:`ForeignTargetError` if an export must not replace what is at ``out``."""
    out = Path(out)
    if not os.path.lexists(out):
        return
    if not folder:
        if out.is_dir():
            raise ForeignTargetError(
                out, "is a folder; this export writes a file: give a file name"
            )
        return  # a device, pipe or socket is refused by the atomic writer itself
    if not out.is_dir():
        raise ForeignTargetError(out, "is a file; this export writes a folder: choose a new name")
    if not any(out.iterdir()):
        return
    path = out / manifest.NAME
    if not path.is_file():
        raise ForeignTargetError(
            out, f"is a folder that is not an Annotator export (no {manifest.NAME}); {_ADVICE}"
        )
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError:
        data = None
    if not manifest.is_ours(data, FORMATS):
        raise ForeignTargetError(
            out,
            f"is a folder that is not an Annotator export (its {manifest.NAME} was not "
            f"written by Annotator); {_ADVICE}",
        )
    assert isinstance(data, dict)
    foreign = foreign_files(out, FORMATS[data["format"]], list(data["splits"]))
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise ForeignTargetError(
            out,
            f"is an Annotator export, but {foreign[0].relative_to(out)}{more} in it were not "
            f"written by an export and would be deleted; move them out or {_ADVICE}",
        )


def foreign_files(root: Path, spec: ExportFormat, splits: list[str]) -> list[Path]:
    """What is in the export folder ``root`` (of format ``spec`` with ``splits``) that an
    export of that kind does not write, in name order."""
    expected = {manifest.NAME, *spec.shared}
    folders = []
    for name in splits:
        target = spec.target(Path(), None if name == ALL else name)
        if spec.members and target == Path():
            folders.append(root)
        elif spec.members:
            expected.add(target.name)
            folders.append(root / target.name)
        else:
            expected.add(target.name)
    foreign = []
    for entry in sorted(root.iterdir()):
        if entry.name in LITTER:
            continue
        if root in folders and _member(entry, spec):
            continue
        if entry.name not in expected:
            foreign.append(entry)
    for folder in folders:
        if folder == root or not folder.is_dir() or folder.is_symlink():
            continue
        foreign.extend(
            entry
            for entry in sorted(folder.iterdir())
            if entry.name not in LITTER and not _member(entry, spec)
        )
    return foreign


def _member(entry: Path, spec: ExportFormat) -> bool:
    return (
        entry.is_file()
        and not entry.is_symlink()
        and any(fnmatchcase(entry.name, pattern) for pattern in spec.members)
    )
