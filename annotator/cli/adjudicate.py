"""``annotator adjudicate``: build the gold layer from the command line (team leads).

``--auto-agreed`` takes every unit all annotators agree on
into gold, for every document done by two or more annotators and not yet adjudicated; the
disagreements are left for a reviewer (Review > Adjudicate document in the window).
"""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.progress import long_run
from annotator.cli.shared import EXIT_OK, db_option, interrupted, quiet_option, usage_error


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "adjudicate",
        help="build the gold layer: take what all annotators agree on (--auto-agreed)",
        description="Adjudication builds the gold layer (the reserved annotator 'gold') from "
        "the versions of the annotators who marked a document done. --auto-agreed takes "
        "every span and claim they all agree on into gold, in every document done by two or "
        "more annotators and not yet adjudicated, and reports what is left for a reviewer.",
    )
    db_option(parser)
    quiet_option(parser)
    parser.add_argument(
        "--auto-agreed",
        action="store_true",
        help="take every unit all annotators agree on into gold",
    )
    parser.add_argument(
        "--reviewer", help="who to record in the event log as having done it (default: none)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.core.errors import OperationCancelled
    from annotator.services.adjudication import TAKING_AGREED, auto_agreed
    from annotator.services.project import open_project

    if not args.auto_agreed:
        return usage_error(
            "adjudicate",
            "say what to do: --auto-agreed (the rest is done in the window: "
            "Review > Adjudicate document)",
        )
    db = open_project(args.db, seed=False, create=False)
    try:
        with long_run(quiet=args.quiet) as run:
            summary = auto_agreed(
                db, reviewer=args.reviewer, progress=run.progress, cancel=run.cancel
            )
    except OperationCancelled:
        # One transaction per document: those reported done are in gold.
        phase = run.progress.phases.get(TAKING_AGREED)
        done = phase.done if phase is not None else 0
        return interrupted(
            f"kept the agreed units of {done:,} documents in gold; run the same command "
            "again to finish — units already in gold are not taken twice"
        )
    print(summary.describe())
    return EXIT_OK
