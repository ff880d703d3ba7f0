"""``annotator adjudicate``: build the gold layer from the command line (team leads).

Registered by :mod:`annotator.cli`. ``--auto-agreed`` takes every unit all annotators agree on
into gold, for every document done by two or more annotators and not yet adjudicated; the
disagreements are left for a reviewer (Review > Adjudicate document in the window).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any


def add_parser(sub: Any, db_option: Callable[..., None]) -> None:
    """Add the ``adjudicate`` command to the subparsers ``sub``."""
    parser = sub.add_parser(
        "adjudicate",
        help="build the gold layer: take what all annotators agree on (--auto-agreed)",
        description="Adjudication builds the gold layer (the reserved annotator 'gold') from "
        "the versions of the annotators who marked a document done. --auto-agreed takes "
        "every span and claim they all agree on into gold, in every document done by two or "
        "more annotators and not yet adjudicated, and reports what is left for a reviewer.",
    )
    db_option(parser, top=False)
    parser.add_argument(
        "--auto-agreed",
        action="store_true",
        help="take every unit all annotators agree on into gold",
    )
    parser.add_argument(
        "--reviewer", help="who to record in the event log as having done it (default: none)"
    )


def run(args: argparse.Namespace) -> int:
    from annotator.cli import EXIT_OK, EXIT_USAGE, _progress_printer
    from annotator.services.adjudication import auto_agreed
    from annotator.services.project import open_project

    if not args.auto_agreed:
        print(
            "annotator adjudicate: error: say what to do: --auto-agreed (the rest is done "
            "in the window: Review > Adjudicate document)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    db = open_project(args.db, seed=False)
    summary = auto_agreed(
        db, reviewer=args.reviewer, progress=_progress_printer(sys.stderr.isatty())
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(summary.describe())
    return EXIT_OK
