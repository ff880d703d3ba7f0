"""The command line: ``annotator [--db DB] [COMMAND]``; no command opens the window.

Exit codes: 0 success; 1 some input was rejected or an operation failed (after a summary);
2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson

from annotator import __version__
from annotator.core.errors import AnnotatorError, DatabaseCorruptError

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2


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
        description="Label entities and claims in news articles; export training data.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    _db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", help="import articles from files or folders")
    _db_option(imp, top=False)
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    imp.add_argument(
        "--format",
        choices=("auto", "txt", "jsonl", "csv", "annotator"),
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

    exp = sub.add_parser("export", help="export annotations")
    _db_option(exp, top=False)
    exp.add_argument("--format", required=True, choices=("annotator",), help="output format")
    exp.add_argument("--out", required=True, type=Path, help="output file")
    exp.add_argument("--annotator", help="only this annotator's work")
    exp.add_argument("--done-only", action="store_true", help="only documents marked done")
    exp.add_argument("--include-suggestions", action="store_true", help="add pending suggestions")

    stats = sub.add_parser("stats", help="documents, statuses and labels")
    _db_option(stats, top=False)
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.add_argument("--annotator", help="statuses and labels of one annotator")

    db = sub.add_parser("db", help="check, back up or upgrade the database")
    _db_option(db, top=False)
    db.add_argument("action", choices=("check", "backup", "upgrade"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    if args.command is None:
        from annotator.app import main as gui_main

        return gui_main(db=args.db)
    handler = {"import": _import, "export": _export, "stats": _stats, "db": _db}[args.command]
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
    from annotator.services.exporting import export
    from annotator.services.project import open_project

    db = open_project(args.db, seed=False)
    summary = export(
        db,
        args.out,
        fmt=args.format,
        annotator=args.annotator,
        only_done=args.done_only,
        include_suggestions=args.include_suggestions,
        progress=_progress_printer(sys.stderr.isatty()),
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    left = f"; {summary.skipped_not_done} not done, left out" if args.done_only else ""
    print(
        f"Exported {summary.documents} documents ({summary.entities} entities, "
        f"{summary.claims} claims) to {summary.path}{left}."
    )
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    from annotator.services.project import open_project
    from annotator.services.stats import format_stats, project_stats

    db = open_project(args.db, seed=False)
    figures = project_stats(db, args.annotator)
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
