"""`make run` and `make test` set up a fresh checkout; the first run says what it is doing
before each slow step (creating the environment, installing) instead of a minute of silence.

Both steps run for real, into a throwaway environment: the install finds the dependencies
already there (a .pth file points at the packages of the environment running the tests), so
only Annotator itself is built and installed. pip's cache supplies pip and setuptools; without
a reachable package index the test is skipped, saying why. Marked ``slow``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    """This environment minus what would tie make or pip to the one running the tests."""
    skip = {
        "MAKEFLAGS",
        "MAKELEVEL",
        "MFLAGS",
        "VIRTUAL_ENV",
        "PYTHONPATH",
        "PIP_REQUIRE_VIRTUALENV",
    }
    return {k: v for k, v in os.environ.items() if k not in skip}


def _make(venv: Path, goal: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), f"VENV={venv}", goal],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
    )


def _finish(process: subprocess.Popen[str], first: str) -> list[str]:
    rest, _ = process.communicate(timeout=900)
    lines = [first, *rest.splitlines()]
    assert process.returncode == 0, "\n".join(lines)
    return lines


def test_the_first_make_says_what_it_does_before_each_slow_step(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    probe = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-d",
            str(tmp_path / "probe"),
            "pip",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(
            f"package index not reachable: {(probe.stderr.strip().splitlines() or ['?'])[-1]}"
        )
    venv = tmp_path / "venv"

    creating = _make(venv, f"{venv}/bin/python")
    assert creating.stdout is not None
    first = creating.stdout.readline().rstrip("\n")
    lines = _finish(creating, first)
    assert first.startswith(f"make: creating a Python environment in {venv}/"), lines
    assert (venv / "bin" / "python").exists()

    purelib = sysconfig.get_paths()["purelib"]
    target = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(target, "test-dependencies.pth").write_text(purelib + "\n", encoding="utf-8")

    installing = _make(venv, f"{venv}/.installed")
    assert installing.stdout is not None
    first = installing.stdout.readline().rstrip("\n")
    # Said before pip starts its work, which ends by marking the environment installed.
    assert first.startswith(f"make: installing Annotator and its dependencies into {venv}/")
    assert not (venv / ".installed").exists()
    lines = _finish(installing, first)
    assert lines[-1] == f"make: {venv}/ is ready", lines
    assert (venv / ".installed").exists()

    # Nothing to do the second time, and nothing is announced.
    again = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), f"VENV={venv}", f"{venv}/.installed"],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    assert "installing" not in again.stdout and "creating" not in again.stdout, again.stdout
