"""``annotator import``: articles from files or folders into the project."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from annotator.cli.progress import long_run
from annotator.cli.shared import EXIT_OK, EXIT_REJECTED, db_option, interrupted, quiet_option

#: What ``--format`` accepts: ``auto`` and the names of annotator.ingest's readers.
IMPORT_FORMATS = (
    "auto",
    "txt",
    "jsonl",
    "csv",
    "annotator",
    "prodigy",
    "doccano",
    "labelstudio",
    "brat",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("import", help="import articles from files or folders")
    db_option(parser)
    quiet_option(parser)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        default="auto",
        help="input format (default: by extension and content)",
    )
    parser.add_argument(
        "--annotator",
        help="owner of imported annotations and statuses that name nobody (a record's own "
        "annotator wins)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="where an annotator already has different annotations on a document the project "
        "holds, take the imported version (default: keep the project's and report a conflict)",
    )
    for name in ("text", "title", "id", "source", "meta"):
        parser.add_argument(
            f"--{name}-field", metavar="NAME", help=f"JSONL/CSV field holding the {name}"
        )
    parser.add_argument(
        "--no-boilerplate", action="store_true", help="do not look for boilerplate after import"
    )
    parser.add_argument(
        "--no-near-duplicates",
        action="store_true",
        help="do not look for near-duplicates of the imported documents (annotator dedupe "
        "can do it later)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.ingest.readers import FieldNames
    from annotator.services.importing import IMPORTING, import_paths
    from annotator.services.onto_existing import tally_lines
    from annotator.services.project import open_project

    # lexists: a link that loops or leads nowhere is read, and its reader says which.
    missing = [p for p in args.paths if not os.path.lexists(p)]
    db = open_project(args.db, seed=False)
    defaults = FieldNames()
    fields = FieldNames(
        text=args.text_field or defaults.text,
        title=args.title_field or defaults.title,
        id=args.id_field or defaults.id,
        source=args.source_field or defaults.source,
        meta=args.meta_field or defaults.meta,
    )
    with long_run(quiet=args.quiet) as run:
        summary = import_paths(
            db,
            [p for p in args.paths if os.path.lexists(p)],
            fmt=args.format,
            annotator=args.annotator,
            fields=fields,
            detect_boilerplate=not args.no_boilerplate,
            detect_near_duplicates=not args.no_near_duplicates,
            progress=run.progress,
            cancel=run.cancel,
            replace=args.replace,
        )
    for path in missing:
        print(f"error: {path}: no such file or folder", file=sys.stderr)
    for problem in summary.problems:
        print(f"{problem.severity}: {problem.describe()}", file=sys.stderr)
    print(
        f"Imported {summary.imported} documents ({summary.entities} entities, "
        f"{summary.claims} claims) from {summary.files} files into {db.display_url}; "
        f"{summary.duplicates} already in the project; {len(summary.errors) + len(missing)} "
        f"rejected; {len(summary.warnings)} warnings; boilerplate found in "
        f"{summary.boilerplate_documents} documents; {summary.near_duplicates} near-duplicates "
        "of another document."
    )
    if summary.annotators:
        print("Work per annotator:")
        for line in tally_lines(summary.annotators):
            print(line)
    for conflict in summary.conflicts:
        print(f"conflict: {conflict.describe()}", file=sys.stderr)
    if summary.conflicts and not args.replace:
        print(
            "The project's version was kept where they differ; import again with --replace "
            "to take the file's.",
            file=sys.stderr,
        )
    if summary.cancelled:
        # Documents already in the project (new or duplicates) are what a re-run skips.
        kept = summary.imported + summary.duplicates
        read = run.progress.phases.get(IMPORTING)
        of = f" of {read.total:,}" if read is not None and read.total is not None else ""
        return interrupted(
            f"kept {kept:,}{of} documents; run the same import again to finish — "
            "duplicates are skipped"
        )
    return EXIT_REJECTED if summary.errors or missing else EXIT_OK
