"""``annotator suggest``: precompute suggestions, ``--evaluate`` suggesters against a gold
file, ``--train`` the project's model or show its ``--status``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from annotator.cli.progress import long_run
from annotator.cli.shared import (
    EXIT_OK,
    EXIT_REJECTED,
    db_option,
    interrupted,
    print_json,
    quiet_option,
)
from annotator.core.errors import OperationCancelled


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "suggest",
        help="precompute suggestions, evaluate suggesters, train or show the learned model",
    )
    db_option(parser)
    quiet_option(parser)
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="only these suggesters (e.g. rules claims)"
    )
    parser.add_argument(
        "--evaluate",
        metavar="GOLD.jsonl",
        type=Path,
        help="precision/recall/F1 per suggester and label against a native JSONL gold file",
    )
    parser.add_argument("--json", action="store_true", help="with --evaluate or --status: JSON")
    parser.add_argument("--train", action="store_true", help="train the project's model now")
    parser.add_argument("--status", action="store_true", help="the learned model's state")
    parser.add_argument("--annotator", help="with --train: only this annotator's done work")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import annotator.services.training  # noqa: F401  (registers the project's model)
    from annotator.services.project import open_project

    if args.evaluate is not None and not args.evaluate.is_file():
        # Before the project is opened: a missing gold file changes nothing.
        print(f"annotator: error: {args.evaluate}: no such file", file=sys.stderr)
        return EXIT_REJECTED
    db = open_project(args.db, seed=False, create=False)
    if args.evaluate is not None:
        return _evaluate(args, db)
    if args.train or args.status:
        return _model(args, db)
    from annotator.services.suggesting import suggest_corpus

    with long_run(quiet=args.quiet) as run:
        counts = suggest_corpus(db, only=args.only, progress=run.progress, cancel=run.cancel)
    print(counts.describe())
    if counts.cancelled:
        return interrupted(
            f"kept the suggestions of {counts.documents:,} documents; run the same command "
            "again to finish — documents with current suggestions are skipped"
        )
    return EXIT_REJECTED if counts.failed else EXIT_OK


def _evaluate(args: argparse.Namespace, db: Any) -> int:
    from annotator.services.suggesting import evaluate_gold
    from annotator.suggest.evaluation import format_report

    try:
        with long_run(quiet=args.quiet) as run:
            report = evaluate_gold(
                args.evaluate, db, only=args.only, progress=run.progress, cancel=run.cancel
            )
    except OperationCancelled:
        return interrupted("the evaluation stopped; nothing was changed")
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report))
    return EXIT_OK


def _model(args: argparse.Namespace, db: Any) -> int:
    from annotator.services.training import TrainingService, describe_status

    training = TrainingService(db)
    if args.train:
        try:
            with long_run(quiet=args.quiet) as run:
                result = training.train(
                    annotator=args.annotator, progress=run.progress, cancel=run.cancel
                )
        except OperationCancelled:
            return interrupted("training stopped; nothing was stored, the model is as it was")
        print(result.summary())
    status = training.status(args.annotator)
    if args.json:
        print_json(status)
    else:
        print("\n".join(describe_status(status)))
    return EXIT_OK
