"""``annotator stats``: documents, statuses, labels and throughput, as text or JSON."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.shared import EXIT_OK, db_option, print_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("stats", help="documents, statuses and labels")
    db_option(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--annotator", help="only this annotator's figures (gold: the gold layer)")
    parser.add_argument(
        "--days", type=positive_days, default=7, help="throughput window in days (default 7)"
    )
    parser.set_defaults(run=run)


def positive_days(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of days >= 1, not {value!r}")
    return int(value)


def run(args: argparse.Namespace) -> int:
    from annotator.services.project import open_project
    from annotator.services.stats import format_stats, project_stats

    db = open_project(args.db, seed=False, create=False)
    figures = project_stats(db, args.annotator, days=args.days)
    if args.json:
        print_json(figures)
    else:
        print(format_stats(figures))
    return EXIT_OK
