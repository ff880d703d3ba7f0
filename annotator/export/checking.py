"""``annotator export --check PATH --format FMT``: read an export back with its format's check.

The same checks run on every export before it is renamed into place. An export folder with a
``manifest.json`` is checked split by split and against the manifest (splits disjoint, counts
right); a single file, or a folder format's data without a manifest, is checked on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.export import manifest
from annotator.export.formats import get
from annotator.export.validation import Findings


def check_export(
    path: Path, fmt: str, check_split: Callable[[Path], list[str]] | None = None
) -> list[str]:
    """What is wrong with the export at ``path`` (empty: nothing found). ``check_split``
    checks each split's file or folder in place of the format's check (the native export
    passes one that has nothing to add once its own cheaper check found the files clean:
    the manifest and each split's presence are still checked)."""
    spec = get(fmt)
    check = spec.check if check_split is None else check_split
    findings = Findings()
    path = Path(path)
    if not path.exists():
        findings.add(str(path), "does not exist")
        return findings.result()
    if path.is_dir() and (path / manifest.NAME).is_file():
        data = manifest.read(path, fmt, findings)
        if data is not None:
            for name in data["splits"]:
                target = spec.target(path, None if name == "all" else name)
                if not target.exists():
                    findings.add(str(target), f"split {name!r} is in the manifest but missing")
                    continue
                findings.merge(check(target))
        return findings.result()
    if spec.is_folder:
        if not path.is_dir():
            findings.add(str(path), f"a {fmt} export is a folder")
            return findings.result()
        target = spec.target(path, None)
        if not target.exists():
            findings.add(str(target), "missing")
            return findings.result()
        findings.merge(check(target))
        return findings.result()
    if path.is_dir():
        findings.add(str(path), f"is a folder without {manifest.NAME}: give the exported file")
        return findings.result()
    findings.merge(check(path))
    return findings.result()
