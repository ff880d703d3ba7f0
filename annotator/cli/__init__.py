"""The command line: ``annotator [--db DB] [COMMAND]``; no command opens the window.

``annotator PROJECT.sqlite`` (what a file manager runs for "Open with", and the .desktop file's
``%f``) opens that project in the window: the same as ``annotator --db PROJECT.sqlite``.

Exit codes: 0 success; 1 some input was rejected or an operation failed (after a summary);
2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Collection, Sequence
from pathlib import Path

import orjson

from annotator import __version__
from annotator.core.errors import AnnotatorError, DatabaseCorruptError

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2

#: A lone argument with one of these endings (or a URL) is a project to open, not a command.
PROJECT_SUFFIXES = frozenset({".sqlite", ".sqlite3", ".db"})


def _db_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--db",
        metavar="DB",
        default=None if top else argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: $ANNOTATOR_DB, else annotator.sqlite "
        "in the user data directory)",
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
    _db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", help="import articles from files or folders")
    _db_option(imp, top=False)
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    imp.add_argument(
        "--format",
        choices=(
            "auto",
            "txt",
            "jsonl",
            "csv",
            "annotator",
            "prodigy",
            "doccano",
            "labelstudio",
            "brat",
        ),
        default="auto",
        help="input format (default: by extension and content)",
    )
    imp.add_argument("--annotator", help="owner of imported annotations and statuses")
    for name in ("text", "title", "id", "source", "meta"):
        imp.add_argument(
            f"--{name}-field", metavar="NAME", help=f"JSONL/CSV field holding the {name}"
        )
    imp.add_argument(
        "--no-boilerplate", action="store_true", help="do not look for boilerplate after import"
    )

    exp = sub.add_parser(
        "export",
        help="export annotations for training (or --check an export)",
        description="Export the project, or check an existing export with --check. By default "
        "only documents marked done go out: with --annotator, done by that annotator; without, "
        "done by exactly one annotator (documents several annotators have done are left out "
        "and reported). The native format without --annotator keeps everyone's annotations.",
    )
    _db_option(exp, top=False)
    # The names of annotator.services.exporting.FORMATS (a test keeps them equal), listed
    # here so that parsing arguments does not import every exporter.
    formats = (
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
    )
    exp.add_argument(
        "--format", required=True, choices=formats, help="output format: " + ", ".join(formats)
    )
    exp.add_argument("--out", type=Path, help="output file, or folder (folder formats, --split)")
    exp.add_argument("--check", type=Path, metavar="PATH", help="check an existing export")
    exp.add_argument("--annotator", help="this annotator's annotations (and done status)")
    exp.add_argument(
        "--all", action="store_true", help="every document, done or not (default: only done)"
    )
    # Only done is the default now; the flag stays accepted for existing scripts.
    exp.add_argument("--done-only", action="store_true", help=argparse.SUPPRESS)
    exp.add_argument(
        "--drop-ignored",
        action="store_true",
        help="cut ignored boilerplate out of the text, shifting every offset",
    )
    exp.add_argument(
        "--split",
        metavar="NAME=RATIO,...",
        help="split by document, e.g. train=0.8,dev=0.1,test=0.1 (writes a folder)",
    )
    exp.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    exp.add_argument(
        "--group-by", choices=("source",), help="keep each source's documents in one split"
    )
    exp.add_argument(
        "--include-suggestions",
        action="store_true",
        help="add pending suggestions (annotator format only)",
    )
    exp.add_argument(
        "--gold",
        action="store_true",
        help="the adjudicated gold version of every document that has one; the others as usual",
    )
    exp.add_argument(
        "--gold-only", action="store_true", help="only adjudicated documents, as their gold version"
    )

    sug = sub.add_parser(
        "suggest",
        help="precompute suggestions, evaluate suggesters, train or show the learned model",
    )
    _db_option(sug, top=False)
    sug.add_argument(
        "--only", nargs="+", metavar="NAME", help="only these suggesters (e.g. rules claims)"
    )
    sug.add_argument(
        "--evaluate",
        metavar="GOLD.jsonl",
        type=Path,
        help="precision/recall/F1 per suggester and label against a native JSONL gold file",
    )
    sug.add_argument("--json", action="store_true", help="with --evaluate or --status: JSON")
    sug.add_argument("--train", action="store_true", help="train the project's model now")
    sug.add_argument("--status", action="store_true", help="the learned model's state")
    sug.add_argument("--annotator", help="with --train: only this annotator's done work")

    stats = sub.add_parser("stats", help="documents, statuses and labels")
    _db_option(stats, top=False)
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.add_argument("--annotator", help="only this annotator's figures (gold: the gold layer)")
    stats.add_argument(
        "--days", type=_positive_days, default=7, help="throughput window in days (default 7)"
    )

    db = sub.add_parser("db", help="check, back up or upgrade the database")
    _db_option(db, top=False)
    db.add_argument("action", choices=("check", "backup", "upgrade"))

    from annotator.cli import (
        agreement as cli_agreement,
    )  # the agreement command lives in its own module

    cli_agreement.add_parser(sub, _db_option)

    from annotator.cli import (
        team as cli_team,
    )  # annotators, reviewers, K per document: its own module

    cli_team.add_team_parser(sub, _db_option)

    from annotator.cli import adjudicate as cli_adjudicate  # the gold layer from the command line

    cli_adjudicate.add_parser(sub, _db_option)

    from annotator.cli import (
        labels as cli_labels,
    )  # a project from a schema template; the label schema

    cli_labels.add_parsers(sub, _db_option)
    return parser


def _looks_like_project(arg: str) -> bool:
    return "://" in arg or os.path.splitext(arg)[1].lower() in PROJECT_SUFFIXES


def project_argument(argv: Sequence[str], commands: Collection[str]) -> list[str]:
    """Turn ``[options] PROJECT`` into ``[options] --db PROJECT``; other argument lists are
    returned as they are (argparse reports their mistakes). Raises ValueError when a project
    is given twice."""
    args = list(argv)
    db_given = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--db":
            db_given, index = True, index + 2
        elif arg.startswith("-"):
            db_given = db_given or arg.startswith("--db=")
            index += 1
        else:
            break
    # Only a last, lone positional: "annotator x.sqlite import ..." stays a usage error.
    if index != len(args) - 1 or args[index] in commands or not _looks_like_project(args[index]):
        return args
    if db_given:
        from annotator.storage.engine import mask  # a URL's password never reaches stderr

        shown = mask(args[index]) if "://" in args[index] else args[index]
        raise ValueError(f"give the project once: {shown} or --db, not both")
    return [*args[:index], "--db", args[index]]


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(
            project_argument(sys.argv[1:] if argv is None else argv, _command_names(parser))
        )
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"annotator: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    if args.command is None:
        from annotator.app import main as gui_main

        return gui_main(db=args.db)
    handler = {
        "import": _import,
        "export": _export,
        "suggest": _suggest,
        "stats": _stats,
        "db": _db,
        "agreement": _agreement,
        "team": _team,
        "adjudicate": _adjudicate,
        "new": _labels,
        "labels": _labels,
    }[args.command]
    try:
        return handler(args)
    except DatabaseCorruptError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        print("annotator: interrupted; committed batches are kept", file=sys.stderr)
        return 130


def _progress_printer(enabled: bool):  # type: ignore[no-untyped-def]
    def report(done: int, total: int | None, message: str) -> None:
        if enabled:
            of = f"/{total}" if total else ""
            print(f"\r{done}{of} {message}", end="", file=sys.stderr, flush=True)

    return report


def _import(args: argparse.Namespace) -> int:
    from annotator.ingest.readers import FieldNames
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    missing = [p for p in args.paths if not os.path.exists(p)]
    db = open_project(args.db, seed=False)
    defaults = FieldNames()
    fields = FieldNames(
        text=args.text_field or defaults.text,
        title=args.title_field or defaults.title,
        id=args.id_field or defaults.id,
        source=args.source_field or defaults.source,
        meta=args.meta_field or defaults.meta,
    )
    summary = import_paths(
        db,
        [p for p in args.paths if os.path.exists(p)],
        fmt=args.format,
        annotator=args.annotator,
        fields=fields,
        detect_boilerplate=not args.no_boilerplate,
        progress=_progress_printer(sys.stderr.isatty()),
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for path in missing:
        print(f"error: {path}: no such file or folder", file=sys.stderr)
    for problem in summary.problems:
        print(f"{problem.severity}: {problem.describe()}", file=sys.stderr)
    print(
        f"Imported {summary.imported} documents ({summary.entities} entities, "
        f"{summary.claims} claims) from {summary.files} files into {db.display_url}; "
        f"{summary.duplicates} duplicates skipped; {len(summary.errors) + len(missing)} "
        f"rejected; {len(summary.warnings)} warnings; boilerplate found in "
        f"{summary.boilerplate_documents} documents."
    )
    return EXIT_REJECTED if summary.errors or missing else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from annotator.export.splitting import parse_split
    from annotator.services.exporting import check, export
    from annotator.services.project import open_project

    if args.check is not None:
        problems = check(args.check, args.format)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if problems:
            print(f"{args.check}: {len(problems)} problems found as {args.format}.")
            return EXIT_REJECTED
        print(f"{args.check}: reads back cleanly as {args.format}.")
        return EXIT_OK
    if args.out is None:
        print("annotator export: error: --out is required (or --check PATH)", file=sys.stderr)
        return EXIT_USAGE
    if args.include_suggestions and args.format != "annotator":
        print(
            "annotator export: error: --include-suggestions needs --format annotator",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.all and args.done_only:
        print("annotator export: error: --all and --done-only contradict", file=sys.stderr)
        return EXIT_USAGE
    split = None
    if args.split is not None:
        try:
            split = parse_split(args.split, seed=args.seed, group_by=args.group_by)
        except ValueError as exc:
            print(f"annotator export: error: --split: {exc}", file=sys.stderr)
            return EXIT_USAGE
    elif args.group_by is not None:
        print("annotator export: error: --group-by needs --split", file=sys.stderr)
        return EXIT_USAGE
    db = open_project(args.db, seed=False)
    summary = export(
        db,
        args.out,
        fmt=args.format,
        annotator=args.annotator,
        only_done=not args.all,
        include_suggestions=args.include_suggestions,
        drop_ignored=args.drop_ignored,
        split=split,
        progress=_progress_printer(sys.stderr.isatty()),
        gold=args.gold,
        gold_only=args.gold_only,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    shown = summary.problems[:20]  # the rest are counted
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


def _suggest(args: argparse.Namespace) -> int:
    import annotator.services.training  # noqa: F401  (registers the project's model)
    from annotator.services.project import open_project

    db = open_project(args.db, seed=False)
    progress = _progress_printer(sys.stderr.isatty())
    if args.evaluate is not None:
        from annotator.services.suggesting import evaluate_gold
        from annotator.suggest.evaluation import format_report

        if not args.evaluate.is_file():
            print(f"annotator: error: {args.evaluate}: no such file", file=sys.stderr)
            return EXIT_REJECTED
        report = evaluate_gold(args.evaluate, db, only=args.only, progress=progress)
        if args.json:
            sys.stdout.write(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode())
            sys.stdout.write("\n")
        else:
            print(format_report(report))
        return EXIT_OK
    if args.train or args.status:
        from annotator.services.training import TrainingService, describe_status

        training = TrainingService(db)
        if args.train:
            result = training.train(annotator=args.annotator, progress=progress)
            if sys.stderr.isatty():
                print(file=sys.stderr)
            print(result.summary())
        status = training.status(args.annotator)
        if args.json:
            sys.stdout.write(orjson.dumps(status, option=orjson.OPT_INDENT_2).decode() + "\n")
        else:
            print("\n".join(describe_status(status)))
        return EXIT_OK
    from annotator.services.suggesting import suggest_corpus

    counts = suggest_corpus(db, only=args.only, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(counts.describe())
    return EXIT_REJECTED if counts.failed else EXIT_OK


def _positive_days(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of days >= 1, not {value!r}")
    return int(value)


def _agreement(args: argparse.Namespace) -> int:
    from annotator.cli.agreement import run

    return run(args)


def _adjudicate(args: argparse.Namespace) -> int:
    from annotator.cli.adjudicate import run

    return run(args)


def _labels(args: argparse.Namespace) -> int:
    from annotator.cli.labels import run

    return run(args)


def _team(args: argparse.Namespace) -> int:
    from annotator.cli.team import run_team

    return run_team(args)


def _stats(args: argparse.Namespace) -> int:
    from annotator.services.project import open_project
    from annotator.services.stats import format_stats, project_stats

    db = open_project(args.db, seed=False)
    figures = project_stats(db, args.annotator, days=args.days)
    if args.json:
        sys.stdout.write(orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(format_stats(figures))
    return EXIT_OK


def _db(args: argparse.Namespace) -> int:
    from annotator.storage.database import Database

    if args.action == "upgrade":
        db = Database.open(args.db)
        report = db.report.migration
        if report is None or report.before == report.after:
            print(f"{db.display_url} is at the newest schema ({report.after if report else '?'}).")
        else:
            saved = f"; backup at {report.backup}" if report.backup else ""
            before = report.before or "nothing"
            print(f"Upgraded {db.display_url} from {before} to {report.after}{saved}.")
        return EXIT_OK
    db = Database.open(args.db, upgrade=False, auto_backup=False)
    if args.action == "check":
        problems = db.quick_check()
        if problems:
            print(f"{db.display_url}: {'; '.join(problems)}", file=sys.stderr)
            return EXIT_REJECTED
        print(f"{db.display_url}: ok")
        return EXIT_OK
    result = db.backup()
    if result.path is None:
        print(f"annotator: backup not taken: {result.skipped}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Backed up {db.display_url} to {result.path}.")
    return EXIT_OK
