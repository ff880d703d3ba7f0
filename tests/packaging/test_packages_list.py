"""pyproject.toml lists the packages by hand (resources/ is mapped into annotator.resources);
every package directory under annotator/ must be in that list or the wheel silently lacks it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setuptools() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["setuptools"]


def _package_dirs() -> set[str]:
    """Dotted names of the folders under annotator/ that hold Python modules."""
    found = set()
    for module in (ROOT / "annotator").rglob("*.py"):
        folder = module.parent.relative_to(ROOT)
        if "__pycache__" not in folder.parts:
            found.add(".".join(folder.parts))
    return found


def test_every_package_directory_is_listed() -> None:
    listed = set(_setuptools()["packages"])
    missing = sorted(_package_dirs() - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_every_listed_package_exists() -> None:
    config = _setuptools()
    mapped = config["package-dir"]
    for package in config["packages"]:
        folder = ROOT / mapped[package] if package in mapped else ROOT / package.replace(".", "/")
        assert folder.is_dir(), f"{package} is listed but {folder} does not exist"


def test_resources_and_migration_template_are_package_data() -> None:
    config = _setuptools()
    assert config["package-dir"]["annotator.resources"] == "resources"
    data = config["package-data"]
    assert "**/*" in data["annotator.resources"]
    assert "script.py.mako" in data["annotator.storage.migrations"]
