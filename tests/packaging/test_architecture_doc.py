"""docs/ARCHITECTURE.md stays true to the code: every path it names exists, and every class,
method and constant it names in backticks is defined in the package, so a newcomer following
it from a key press to the row it writes never meets a name that has moved away."""

from __future__ import annotations

import builtins
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
# A path from the top of the checkout; a placeholder such as ``<format>.py`` ends it, which
# leaves the folder the new file goes in, and that must exist too.
PATH = re.compile(r"(?<![\w/.-])((?:annotator|tests|benchmarks|docs|resources)/[\w./-]*)")
# `Class`, `Class.member`, `CONSTANT` in backticks (Qt's own classes are not ours to check).
NAME = re.compile(r"`([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*|[A-Z][A-Z0-9_]{2,})(?:\.(\w+))?`")


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


@cache
def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in (ROOT / "annotator").rglob("*.py")}


def _defines(source: str, name: str) -> bool:
    return bool(
        re.search(rf"^\s*(?:class|def)\s+{name}\b|^\s*{name}\s*(?::[^=\n]*)?=", source, re.M)
    )


def test_every_path_it_names_exists() -> None:
    paths = sorted({match.rstrip(".") for match in PATH.findall(_doc())})
    assert len(paths) >= 40, f"found only {len(paths)} paths: has the page or the pattern changed?"
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert not missing, f"docs/ARCHITECTURE.md names paths that do not exist: {missing}"


def test_every_class_method_and_constant_it_names_is_defined() -> None:
    names = sorted(set(NAME.findall(_doc())))
    assert len(names) >= 30, f"found only {len(names)} names: has the page or the pattern changed?"
    missing = []
    for owner, member in names:
        if owner.startswith("Q") or hasattr(builtins, owner):
            continue
        holders = [s for s in _sources().values() if _defines(s, owner)]
        if not holders or (member and not any(_defines(s, member) for s in holders)):
            missing.append(f"{owner}.{member}" if member else owner)
    assert not missing, f"docs/ARCHITECTURE.md names what the code does not define: {missing}"
