"""The command line: ``annotator [--db DB] [COMMAND]``; no command opens the window.

``annotator PROJECT.sqlite`` opens that project in the window (see
:mod:`annotator.cli.project_argument`).

Every command is one module of this package with the same two functions:
``register(subparsers)`` adds its parser (and sets ``run`` as its default), ``run(args)`` does
the work and returns the exit code. The pieces they share (exit codes, ``--db``, the progress
display) live in :mod:`annotator.cli.shared`. Commands import the services they need inside
``run``, so that ``annotator --help`` does not load the database layer; they reach storage only
through services.

Exit codes: 0 success; 1 some input was rejected or an operation failed (after a summary);
2 a usage error; 130 stopped by Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.cli import (
    adjudicate,
    agreement,
    claims,
    database,
    dedupe,
    exporting,
    importing,
    labels,
    merging,
    new,
    stats,
    suggest,
    team,
)
from annotator.cli.project_argument import project_argument
from annotator.cli.shared import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    db_option,
    interrupted,
    quiet_option,
)
from annotator.core.errors import AnnotatorError, DatabaseCorruptError, OperationCancelled

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_USAGE",
    "build_parser",
    "dispatch",
    "main",
    "project_argument",
]

#: In the order ``annotator --help`` lists them.
COMMANDS = (
    importing,
    exporting,
    merging,
    suggest,
    stats,
    claims,
    dedupe,
    database,
    agreement,
    team,
    adjudicate,
    new,
    labels,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        usage="%(prog)s [-h] [--version] [--db DB] [PROJECT | COMMAND ...]",
        description="Label entities and claims in news articles; export training data.",
        epilog="With no command the window opens; PROJECT (a .sqlite file) opens that project "
        "in it, the same as --db PROJECT.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    db_option(parser, top=True)
    quiet_option(parser, top=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    said = io.StringIO()
    try:
        # argparse's usage errors quote what was typed ("invalid choice: 'URL'"): they pass
        # through masked_urls, so that a database password never reaches the terminal.
        with contextlib.redirect_stderr(said):
            args = parser.parse_args(project_argument(given, _command_names(parser)))
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"annotator: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    finally:
        sys.stderr.write(masked_urls(said.getvalue(), given))
    if args.command is None:
        from annotator.app import main as gui_main

        return gui_main(db=args.db)
    return dispatch(args)


def masked_urls(text: str, given: Sequence[str]) -> str:
    """``text`` with every argument of ``given`` that holds a URL shown without its password
    (also as ``repr`` shows it, the form argparse quotes)."""
    urls = [arg for arg in given if "://" in arg and (arg in text or repr(arg) in text)]
    if not urls:
        return text
    from annotator.services.project import shown_target

    for url in sorted(set(urls), key=len, reverse=True):
        text = text.replace(repr(url), repr(shown_target(url))).replace(url, shown_target(url))
    return text


def dispatch(args: argparse.Namespace) -> int:
    """Run the parsed command; the errors every command can meet become an exit code and
    one line on standard error."""
    try:
        return int(args.run(args))
    except OperationCancelled:
        return interrupted("what was committed before is kept")
    except DatabaseCorruptError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        # A second Ctrl+C (or one outside a long command's batches): stop at once.
        return interrupted("stopped at once; committed batches are kept")
