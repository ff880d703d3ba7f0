"""``annotator merge OTHER``: bring another project (a laptop's project file, or a database
URL) into this one: documents, every annotator's work, terms, guidelines and labels."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from annotator.cli.progress import long_run
from annotator.cli.shared import EXIT_OK, EXIT_REJECTED, db_option, interrupted, quiet_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "merge",
        help="merge another project (file or database URL) into this one",
        description="Bring everything OTHER holds into this project: new documents are added, "
        "documents already here (same id or same text) are matched, and every annotator's "
        "spans, claims, decisions on suggestions, statuses and time are added under their "
        "name, with the documents handed to them. Running it again changes nothing. This "
        "project is backed up first.",
    )
    db_option(parser)
    quiet_option(parser)
    parser.add_argument("other", metavar="OTHER", help="the project to merge: a file or URL")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="where an annotator's work on a document differs between the projects, take "
        "OTHER's version (default: keep this project's and report a conflict)",
    )
    parser.add_argument(
        "--add-labels",
        action="store_true",
        help="add labels and claim types OTHER has and this project lacks (default: refuse "
        "the merge and list them)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.merging import MERGING, merge_project, open_other
    from annotator.services.project import open_project

    db = open_project(args.db, seed=False)
    other = open_other(args.other)
    try:
        with long_run(quiet=args.quiet) as run:
            summary = merge_project(
                db,
                other,
                replace_conflicts=args.replace,
                add_labels=args.add_labels,
                progress=run.progress,
                cancel=run.cancel,
            )
    finally:
        other.close()
    for line in summary.lines():
        troubled = line.startswith(("Conflict:", "Not merged:"))
        print(line, file=sys.stderr if troubled else sys.stdout)
    if summary.documents.cancelled:
        read = run.progress.phases.get(MERGING)
        of = f" of {read.total:,}" if read is not None and read.total is not None else ""
        return interrupted(
            f"merged {read.done if read is not None else 0:,}{of} documents; run the same merge "
            "again to finish — what is already here is matched, not repeated"
        )
    return EXIT_REJECTED if summary.documents.errors else EXIT_OK
