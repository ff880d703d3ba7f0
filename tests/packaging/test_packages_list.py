"""pyproject.toml lists the packages by hand (resources/ is mapped into annotator.resources);
every package directory under annotator/ must be in that list or the wheel silently lacks it.
The wheel's files other than modules are listed too: every file the application reads from
resources/, and nothing else (no scripts, no evaluation corpus)."""

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


def _folder(config: dict[str, object], package: str) -> Path:
    """The source folder of a listed package (setuptools' rule: the longest mapped prefix)."""
    mapped: dict[str, str] = config["package-dir"]  # type: ignore[assignment]
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in mapped:
            return ROOT / mapped[prefix] / Path(*parts[cut:])
    return ROOT / Path(*parts)


def test_every_package_directory_is_listed() -> None:
    listed = set(_setuptools()["packages"])
    missing = sorted(_package_dirs() - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_every_listed_package_exists() -> None:
    config = _setuptools()
    for package in config["packages"]:
        folder = _folder(config, package)
        assert folder.is_dir(), f"{package} is listed but {folder} does not exist"


# Folders of resources/ that the application never reads, so the wheel leaves them out.
NOT_SHIPPED = {"eval": "the evaluation corpus of the benchmarks and tests"}


def _shipped_data() -> set[Path]:
    """Every file the package-data globs of pyproject.toml match, as setuptools globs them."""
    config = _setuptools()
    data: dict[str, list[str]] = config["package-data"]  # type: ignore[assignment]
    found = set()
    for package, patterns in data.items():
        folder = _folder(config, package)
        found |= {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
    return found


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_every_resource_folder_is_a_listed_package_or_not_shipped() -> None:
    config = _setuptools()
    assert config["package-dir"]["annotator.resources"] == "resources"
    listed = set(config["packages"])
    for folder in sorted((ROOT / "resources").iterdir()):
        if not folder.is_dir() or folder.name in NOT_SHIPPED:
            continue
        package = f"annotator.resources.{folder.name}"
        assert package in listed, f"add {package} to [tool.setuptools] packages in pyproject.toml"
    for name in NOT_SHIPPED:
        assert f"annotator.resources.{name}" not in listed


def test_package_data_holds_every_file_of_resources_but_the_folders_not_shipped() -> None:
    resources = ROOT / "resources"
    wanted = {p for p in _files(resources) if p.relative_to(resources).parts[0] not in NOT_SHIPPED}
    missing = sorted(str(p.relative_to(ROOT)) for p in wanted - _shipped_data())
    assert not missing, f"not matched by [tool.setuptools.package-data]: {missing}"
    shipped = _shipped_data()
    assert ROOT / "annotator" / "storage" / "migrations" / "script.py.mako" in shipped
    assert ROOT / "resources" / "schema" / "default.json" in shipped


def test_package_data_holds_no_scripts_tools_or_evaluation_corpus() -> None:
    shipped = _shipped_data()
    scripts = sorted(str(p.relative_to(ROOT)) for p in shipped if p.suffix == ".py")
    assert not scripts, f"scripts are no package data (move them to tools/): {scripts}"
    for name in NOT_SHIPPED:
        leaked = sorted(
            str(p.relative_to(ROOT)) for p in _files(ROOT / "resources" / name) & shipped
        )
        assert not leaked, f"{name} ({NOT_SHIPPED[name]}) must not ship: {leaked}"
    assert not [p for p in _setuptools()["packages"] if p.split(".")[0] in {"tools", "docs"}]
