"""``annotator export``: the project as training data, or ``--check`` of an export."""

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
    quiet_option,
    usage_error,
)

# The names of annotator.services.exporting.FORMATS (a test keeps them equal), listed here so
# that parsing arguments does not import every exporter.
EXPORT_FORMATS = (
    "annotator",
    "prodigy",
    "spacy",
    "conll",
    "hf",
    "brat",
    "doccano",
    "labelstudio",
    "claims-tsv",
    "claims-json",
    "claimreview",
)
#: Problems listed one by one; the rest are counted.
SHOWN_PROBLEMS = 20


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export annotations for training (or --check an export)",
        description="Export the project, or check an existing export with --check. By default "
        "only documents marked done go out: with --annotator, done by that annotator; without, "
        "done by exactly one annotator (documents several annotators have done are left out "
        "and reported). The native format without --annotator keeps everyone's annotations.",
    )
    db_option(parser)
    quiet_option(parser)
    parser.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        help="output format: " + ", ".join(EXPORT_FORMATS),
    )
    parser.add_argument("--out", type=Path, help="output file, or folder (folder formats, --split)")
    parser.add_argument("--check", type=Path, metavar="PATH", help="check an existing export")
    parser.add_argument("--annotator", help="this annotator's annotations (and done status)")
    parser.add_argument(
        "--all", action="store_true", help="every document, done or not (default: only done)"
    )
    # Only done is the default now; the flag stays accepted for existing scripts.
    parser.add_argument("--done-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--drop-ignored",
        action="store_true",
        help="cut ignored boilerplate out of the text, shifting every offset",
    )
    parser.add_argument(
        "--split",
        metavar="NAME=RATIO,...",
        help="split by document, e.g. train=0.8,dev=0.1,test=0.1 (writes a folder)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    parser.add_argument(
        "--group-by", choices=("source",), help="keep each source's documents in one split"
    )
    parser.add_argument(
        "--include-suggestions",
        action="store_true",
        help="add pending suggestions (annotator format only)",
    )
    parser.add_argument(
        "--gold",
        action="store_true",
        help="the adjudicated gold version of every document that has one; the others as usual",
    )
    parser.add_argument(
        "--gold-only", action="store_true", help="only adjudicated documents, as their gold version"
    )
    parser.add_argument(
        "--assigned-to",
        metavar="NAME",
        help="hand-out for a laptop: the documents handed to NAME with NAME's own work, as a "
        "starter project (--out NAME.sqlite) or a native file (annotator format only)",
    )
    parser.add_argument(
        "--take",
        type=int,
        default=0,
        metavar="N",
        help="with --assigned-to: first hand NAME N more documents (K per document applies)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.core.errors import OperationCancelled
    from annotator.export.splitting import parse_split
    from annotator.services.exporting import export
    from annotator.services.project import open_project

    if args.check is not None:
        return _check(args.check, args.format)
    if args.out is None:
        return usage_error("export", "--out is required (or --check PATH)")
    if args.assigned_to is not None or args.take:
        return _hand_out(args)
    if args.include_suggestions and args.format != "annotator":
        return usage_error("export", "--include-suggestions needs --format annotator")
    if args.all and args.done_only:
        return usage_error("export", "--all and --done-only contradict")
    split = None
    if args.split is not None:
        try:
            split = parse_split(args.split, seed=args.seed, group_by=args.group_by)
        except ValueError as exc:
            return usage_error("export", f"--split: {exc}")
    elif args.group_by is not None:
        return usage_error("export", "--group-by needs --split")
    db = open_project(args.db, seed=False, create=False)
    try:
        with long_run(quiet=args.quiet) as run:
            summary = export(
                db,
                args.out,
                fmt=args.format,
                annotator=args.annotator,
                only_done=not args.all,
                include_suggestions=args.include_suggestions,
                drop_ignored=args.drop_ignored,
                split=split,
                progress=run.progress,
                cancel=run.cancel,
                gold=args.gold,
                gold_only=args.gold_only,
            )
    except OperationCancelled:
        # An export is written beside its target and moved over it only when complete.
        return interrupted(f"nothing written; {args.out} is as it was")
    shown = summary.problems[:SHOWN_PROBLEMS]
    for problem in shown:
        print(f"warning: {problem.describe()}", file=sys.stderr)
    total = sum(summary.problem_counts.values())
    if total > len(shown):
        print(f"warning: ... and {total - len(shown)} more", file=sys.stderr)
    left = []
    if summary.skipped_not_done:
        left.append(f"{summary.skipped_not_done} not done (use --all to include them)")
    if summary.skipped_conflicts:
        left.append(
            f"{summary.skipped_conflicts} done by several annotators (choose with --annotator)"
        )
    if summary.skipped_not_adjudicated:
        left.append(f"{summary.skipped_not_adjudicated} not adjudicated (--gold-only)")
    splits = ""
    if split is not None:
        splits = " (" + ", ".join(f"{n} {name}" for name, n in summary.splits.items()) + ")"
    reported = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.problem_counts.items()))
    print(
        f"Exported {summary.documents} documents{splits} ({summary.entities} entities, "
        f"{summary.claims} claims) as {summary.format} to {summary.path}"
        + (f"; {summary.from_gold} from the gold layer" if args.gold or args.gold_only else "")
        + (f"; left out: {'; '.join(left)}" if left else "")
        + (f"; reported: {reported}" if reported else "")
        + f"; label schema version {summary.schema_version}"
        + ("; read back and checked." if summary.checked else ".")
    )
    return EXIT_OK


def _hand_out(args: argparse.Namespace) -> int:
    """``--assigned-to NAME``: NAME's share as a starter project or native file."""
    from annotator.services.handout import write_share
    from annotator.services.project import open_project

    if args.assigned_to is None:
        return usage_error("export", "--take needs --assigned-to NAME")
    if args.format != "annotator":
        return usage_error("export", "--assigned-to needs --format annotator")
    if args.take < 0:
        return usage_error("export", "--take must be 0 or more")
    db = open_project(args.db, seed=False)
    try:
        with long_run(quiet=args.quiet) as run:
            summary = write_share(
                db,
                args.assigned_to,
                args.out,
                take=args.take,
                progress=run.progress,
                cancel=run.cancel,
            )
    finally:
        db.close()
    print(summary.describe())
    return EXIT_OK


def _check(path: Path, fmt: str) -> int:
    from annotator.services.exporting import check

    problems = check(path, fmt)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print(f"{path}: {len(problems)} problems found as {fmt}.")
        return EXIT_REJECTED
    print(f"{path}: reads back cleanly as {fmt}.")
    return EXIT_OK
