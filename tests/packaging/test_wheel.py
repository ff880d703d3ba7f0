"""The wheel: built from a clean copy of the sources without a packaging warning, it holds every
resource the application reads (label schemas, demo articles, migrations, icons) and no
scripts (tools/) or evaluation corpus (resources/eval). Installed into a fresh virtual
environment with its dependencies from the package index, it runs the command line and starts
the window headless with every resource found inside the installed package, not in this
checkout.

Slow (a virtual environment and a few hundred MB of dependencies, from pip's cache when it is
warm), so marked ``slow``; skipped, saying why, when the package index cannot be reached.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from annotator import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# What setuptools needs to build the wheel, and tools/ to show it stays out; copied so that no
# stale build/ folder of the checkout can slip files into the wheel, and nothing is written into
# the checkout.
SOURCES = ("annotator", "resources", "docs", "tools", "pyproject.toml", "README.md", "LICENSE")
# Data packages of resources/ (pyproject.toml); resources/eval is for benchmarks and tests.
SHIPPED_RESOURCES = ("demo", "icons", "schema")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def _run(command: list[str], timeout: float, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ANNOTATOR_") and k not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env.update(extra)
    return env


def _index_reachable(tmp: Path) -> str | None:
    """None if pip can fetch from its index (or its cache), else pip's complaint."""
    probe = _run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(tmp), "setuptools>=77"],
        timeout=180,
    )
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["?"])[-1]


def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    problem = _index_reachable(tmp_path / "probe")
    if problem is not None:
        pytest.skip(f"package index not reachable, cannot install dependencies: {problem}")

    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=IGNORED)
        else:
            shutil.copy2(item, source / name)
    dist = tmp_path / "dist"
    built = _run(  # -v shows setuptools' own warnings
        [sys.executable, "-m", "pip", "wheel", "-v", str(source), "--no-deps", "-w", str(dist)],
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    output = built.stdout + built.stderr
    assert "is absent from the `packages` configuration" not in output, output[-6000:]
    (wheel,) = dist.glob("annotator-*.whl")
    assert wheel.name.startswith(f"annotator-{__version__}-py3-none-any")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"annotator-{__version__}.dist-info/entry_points.txt")
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "annotator").rglob("*.py")}
    assert not {m for m in modules if "__pycache__" not in m} - names, "modules missing"
    for needed in (
        "annotator/resources/schema/default.json",
        "annotator/resources/icons/annotator.svg",
        "annotator/resources/icons/annotator-256.png",
        "annotator/storage/migrations/env.py",
        "annotator/storage/migrations/script.py.mako",
        "annotator/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert needed in names, needed
    assert len([n for n in names if n.startswith("annotator/resources/demo/")]) >= 8
    for folder in SHIPPED_RESOURCES:
        for path in (ROOT / "resources" / folder).rglob("*"):
            if path.is_file():
                assert f"annotator/{path.relative_to(ROOT).as_posix()}" in names, path
    extra = sorted(
        n
        for n in names
        if n.startswith(("tools/", "annotator/resources/eval/", "annotator/tools/"))
        or Path(n).name in {p.name for p in (ROOT / "tools").glob("*.py")}
    )
    assert not extra, f"scripts or the evaluation corpus in the wheel: {extra}"
    assert b"annotator = annotator.cli:main" in entry_points
    assert b"annotator-gui = annotator.app:main" in entry_points

    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], timeout=300)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    installed = _run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", str(wheel)],
        timeout=900,
        env=_clean_env(),
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    work = tmp_path / "work"  # not the checkout: nothing may be found beside the sources
    work.mkdir()
    version = _run([str(bin_dir / "annotator"), "--version"], timeout=120, cwd=work)
    assert version.stdout.strip() == f"annotator {__version__}", version.stderr
    where = _run(
        [str(python), "-c", "import annotator.core.resources as r; print(r.resource('schema'))"],
        timeout=120,
        cwd=work,
        env=_clean_env(),
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout

    if shutil.which("bash") is None:
        pytest.skip("bash is needed for packaging/smoke_test.sh")
    smoke = _run(
        ["bash", str(ROOT / "packaging" / "smoke_test.sh"), str(bin_dir / "annotator")],
        timeout=600,
        cwd=work,
        env=_clean_env(QT_QPA_PLATFORM="offscreen"),
    )
    assert smoke.returncode == 0, smoke.stdout[-4000:] + smoke.stderr[-4000:]
    assert "smoke test passed" in smoke.stdout
