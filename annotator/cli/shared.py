"""What every command shares: exit codes, the ``--db`` and ``--quiet`` options, usage errors,
the interruption message and JSON output. The progress display is :mod:`annotator.cli.progress`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson

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


def quiet_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--quiet`` for long commands, before the command (``top``) or after it."""
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="no progress display: only warnings, errors and the final summary",
    )


def usage_error(command: str, message: str) -> int:
    """Say what is wrong with the arguments of ``command`` and return :data:`EXIT_USAGE`."""
    print(f"annotator {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def print_json(data: Any) -> None:
    """``data`` as indented JSON on standard output, the form every ``--json`` uses."""
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def interrupted(kept: str) -> int:
    """Say that Ctrl+C stopped the command and what was ``kept``; return
    :data:`EXIT_INTERRUPTED`."""
    print(f"annotator: interrupted: {kept}", file=sys.stderr)
    return EXIT_INTERRUPTED
