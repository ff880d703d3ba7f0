"""What every command shares: exit codes, the ``--db`` option, usage errors, JSON output and
the progress line on standard error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from annotator.core.progress import ProgressCallback

EXIT_OK = 0
#: Some input was rejected or an operation failed; a summary was printed first.
EXIT_REJECTED = 1
#: A usage error (argparse uses the same code).
EXIT_USAGE = 2
#: Stopped by Ctrl+C (128 + SIGINT, what shells report).
EXIT_INTERRUPTED = 130


def db_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--db``, accepted before the command (``top``) and after it; given after, it is only
    set when typed, so that one given before the command is not overwritten by a default."""
    parser.add_argument(
        "--db",
        metavar="DB",
        default=None if top else argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: $ANNOTATOR_DB, else annotator.sqlite "
        "in the user data directory)",
    )


def usage_error(command: str, message: str) -> int:
    """Say what is wrong with the arguments of ``command`` and return :data:`EXIT_USAGE`."""
    print(f"annotator {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def print_json(data: Any) -> None:
    """``data`` as indented JSON on standard output, the form every ``--json`` uses."""
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


@contextmanager
def progress_on_stderr() -> Iterator[ProgressCallback]:
    """A progress callback drawing one line on standard error when it is a terminal; the
    line is closed when the block ends, so the summary starts on a line of its own."""
    drawn = False

    def report(done: int, total: int | None, message: str) -> None:
        nonlocal drawn
        if sys.stderr.isatty():
            drawn = True
            of = f"/{total}" if total else ""
            print(f"\r{done}{of} {message}", end="", file=sys.stderr, flush=True)

    try:
        yield report
    finally:
        if drawn:
            print(file=sys.stderr)
