"""Entry point of the desktop bundle: the same ``annotator`` command the wheel installs.

With no command it opens the window (``annotator PROJECT.sqlite`` opens that project); with a
command (``import``, ``export``, ``stats``, ``db``) it runs it, so the bundle can be driven
and smoke-tested exactly like an installed wheel.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def run() -> int:
    # Model training runs in "spawn" child processes; in a frozen app the child is this very
    # executable, and freeze_support() turns it into the worker before any argument parsing.
    multiprocessing.freeze_support()
    # A windowed executable on Windows starts without standard streams; the command line
    # writes progress and summaries to them.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from annotator.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
