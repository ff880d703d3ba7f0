"""The window in a real X server under a window manager, driven by real key presses (see
tests/ui/real_window.py). Skipped where Xvfb or xdotool is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from annotator.storage.database import Database
from tests.ui.test_annotation_rules import project  # noqa: F401  (a fixture)
from tests.ui.test_walk_keys import nested  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[2]

needs_x = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Xvfb and xdotool (apt-get install xvfb xdotool openbox)",
)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private X server with a window manager (when openbox is installed)."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    name = f":{number}"
    manager = None
    if shutil.which("openbox"):
        manager = subprocess.Popen(
            ["openbox"], env={**os.environ, "DISPLAY": name}, stderr=subprocess.DEVNULL
        )
    try:
        yield name
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait(10)


def drive(display: str, database: Database, focus: str, *keys: str) -> list[dict[str, object]]:
    assert database.path is not None
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    database.close()  # the window opens the file itself
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.real_window", str(database.path), "ana", focus, *keys],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [orjson.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@needs_x
def test_shift_tab_walks_back_in_a_real_window(display: str, nested: Database) -> None:  # noqa: F811
    steps = drive(display, nested, "Russian", "shift+Tab", "shift+Tab", "Tab")
    assert [s["focused"] for s in steps] == [
        "Port Authority",
        "Officials at the Port Authority said Russian ships were waiting.",
        "Port Authority",
    ]


@needs_x
def test_caret_keys_under_a_window_manager(display: str, nested: Database) -> None:  # noqa: F811
    # Shift+arrows select whole words at once; Ctrl+Shift+arrows by word; Ctrl+arrows move
    # the caret (the window manager takes none of them, nor does the window).
    steps = drive(
        display, nested, "Port Authority", "shift+Right", "ctrl+shift+Right", "ctrl+Right"
    )
    assert [s["selection"] for s in steps] == ["Port", "Port Authority", None]
    assert len({s["document"] for s in steps}) == 1


@needs_x
def test_document_keys_under_a_window_manager(display: str, project: Database) -> None:  # noqa: F811
    # Openbox (like GNOME and KDE) takes Shift+Alt+arrows and Ctrl+Alt+arrows; these reach us.
    steps = drive(display, project, "", "alt+Right", "alt+Left", "ctrl+Next", "ctrl+Prior")
    first, second = steps[1]["document"], steps[0]["document"]
    assert first != second
    assert [s["document"] for s in steps] == [second, first, second, first]
