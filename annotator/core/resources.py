"""Locate the files under ``resources/`` from a checkout and from an installed wheel."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def resource(*parts: str) -> Traversable:
    """Return the resource at ``resources/<parts...>``.

    In a wheel the folder is the package ``annotator.resources``; in a checkout that has not
    been installed it is the ``resources`` folder beside the package.
    """
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        base: Traversable = checkout
    else:
        base = resources.files("annotator.resources")
    for part in parts:
        base = base / part
    return base


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


#: The pages of the user manual, in the order Help lists them: (file name, title).
MANUAL_PAGES: tuple[tuple[str, str], ...] = (
    ("user-guide.md", "User guide"),
    ("formats.md", "Import and export formats"),
    ("team.md", "Team work and the database"),
    ("command-line.md", "Command line"),
    ("limits.md", "Limits"),
)


def manual_folder() -> Path:
    """The folder of the manual's pages: ``docs/`` in a checkout; installed, the package
    ``annotator.resources.manual`` (pyproject.toml maps ``docs/`` there), so that Help shows
    the same pages offline."""
    checkout = Path(__file__).resolve().parents[2] / "docs"
    if (checkout / MANUAL_PAGES[0][0]).is_file():
        return checkout
    return Path(str(resources.files("annotator.resources") / "manual"))
