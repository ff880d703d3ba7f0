"""``annotator dedupe``: find the project's near-duplicate documents again, from scratch."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.progress import long_run
from annotator.cli.shared import EXIT_OK, db_option, interrupted, quiet_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dedupe",
        help="find near-duplicate documents again over the whole project",
        description="Forget the near-duplicate groups and signatures and compute them again "
        "for every document (imports do it for the documents they add; run this for a project "
        "made before, or after its boilerplate changed).",
    )
    db_option(parser)
    quiet_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.core.errors import OperationCancelled
    from annotator.services.near_duplicates import counts, recompute
    from annotator.services.project import open_project

    db = open_project(args.db, seed=False, create=False)
    try:
        with long_run(quiet=args.quiet) as run:
            found = recompute(db, progress=run.progress, cancel=run.cancel)
    except OperationCancelled:
        found = counts(db)
        print(
            f"{found.groups} groups of near-duplicates so far ({found.copies} copies) in "
            f"{db.display_url}."
        )
        return interrupted("the documents not yet compared are compared by the next import")
    print(
        f"{found.groups} groups of near-duplicates ({found.documents} documents, "
        f"{found.copies} of them copies) in {db.display_url}."
    )
    return EXIT_OK
