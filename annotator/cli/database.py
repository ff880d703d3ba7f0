"""``annotator db check|backup|upgrade``: look after the project's database file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from annotator.cli.shared import EXIT_OK, EXIT_REJECTED, db_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("db", help="check, back up or upgrade the database")
    db_option(parser)
    parser.add_argument("action", choices=("check", "backup", "upgrade"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.maintenance import backup_project, check_project, upgrade_project

    if args.action == "upgrade":
        upgrade = upgrade_project(args.db)
        if not upgrade.changed:
            print(f"{upgrade.location} is at the newest schema ({upgrade.after or '?'}).")
        else:
            saved = f"; backup at {upgrade.backup}" if upgrade.backup else ""
            before = upgrade.before or "nothing"
            print(f"Upgraded {upgrade.location} from {before} to {upgrade.after}{saved}.")
        return EXIT_OK
    if args.action == "check":
        check = check_project(args.db)
        if check.problems:
            print(f"{check.location}: {'; '.join(check.problems)}", file=sys.stderr)
            return EXIT_REJECTED
        print(f"{check.location}: ok")
        return EXIT_OK
    backup = backup_project(args.db)
    if backup.path is None:
        print(f"annotator: backup not taken: {backup.skipped}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Backed up {backup.location} to {backup.path}.")
    return EXIT_OK
